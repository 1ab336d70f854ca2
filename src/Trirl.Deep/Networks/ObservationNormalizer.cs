namespace Trirl.Deep;

/// <summary>
/// Running observation statistics and the normalisation they define,
/// <code>
/// norm(o) = clip((o - mu) / sqrt(sigma^2 + 1e-8), -10, 10)
/// </code>
/// (Stable-Baselines3's <c>VecNormalize</c> for observations), applied inside the policy so a saved policy carries it.
/// <c>mu</c> and <c>sigma^2</c> are float64 buffers (saved with the module) merged batch by batch with Chan et al.'s
/// parallel update of count, mean and variance, in float64 on the CPU: the same batches give the same bits. Starts at
/// <c>mu = 0, sigma^2 = 1</c> with a pseudo-count of <c>1e-4</c>.
/// </summary>
public sealed class ObservationNormalizer : nn.Module<Tensor, Tensor>
{
    /// <summary>The clip of the normalised value.</summary>
    public const double Clip = 10.0;

    /// <summary>The variance floor inside the square root.</summary>
    public const double Epsilon = 1e-8;

    // Kept Scalars (KeptScalars: an implicit double -> Scalar can be freed by another thread's collection while libtorch
    // reads it; a GAIL halfcheetah run died in this forward's `var + Epsilon` with "Unknown scalar type"). Doubles, as
    // the implicit conversions they replace, so the bits are the same.
    private static readonly Scalar EpsilonScalar = Epsilon.ToScalar();
    private static readonly Scalar Low = (-Clip).ToScalar();
    private static readonly Scalar High = Clip.ToScalar();

    private readonly Tensor mean;
    private readonly Tensor var;
    private readonly Tensor count;

    /// <summary>Statistics for <paramref name="size"/> observation entries, at <c>mu = 0, sigma^2 = 1</c>.</summary>
    public ObservationNormalizer(int size) : base("obs_norm")
    {
        Size = size;
        mean = zeros(size, ScalarType.Float64);
        var = ones(size, ScalarType.Float64);
        using var pseudoCount = 1e-4.ToScalar();
        count = full(1, pseudoCount, ScalarType.Float64);
        register_buffer("mean", mean);
        register_buffer("var", var);
        register_buffer("count", count);
    }

    /// <summary>Number of observation entries.</summary>
    public int Size { get; }

    /// <summary>The running mean (a copy).</summary>
    public double[] Mean => mean.cpu().data<double>().ToArray();

    /// <summary>The running variance (a copy).</summary>
    public double[] Variance => var.cpu().data<double>().ToArray();

    /// <summary>The normalised batch <c>[B, size]</c> (float32).</summary>
    public override Tensor forward(Tensor observations)
    {
        using var scope = NewDisposeScope();
        var std = var.Plus(EpsilonScalar).sqrt().to(observations.dtype);
        var z = (observations - mean.to(observations.dtype)) / std;
        return z.clamp(Low, High).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Folds a batch of <paramref name="rows"/> observations (row-major, <c>rows x size</c>) into the statistics:
    /// <c>n = n_a + n_b</c>, <c>mu = mu_a + delta n_b / n</c>, <c>M2 = M2_a + M2_b + delta^2 n_a n_b / n</c>.
    /// </summary>
    public void Update(ReadOnlySpan<float> batch, int rows)
    {
        if (rows <= 0) return;
        var m = Mean;
        var v = Variance;
        double na = count.cpu().data<double>()[0], nb = rows, n = na + nb;
        for (int j = 0; j < Size; j++)
        {
            double s = 0;
            for (int i = 0; i < rows; i++) s += batch[i * Size + j];
            double bm = s / nb, ss = 0;
            for (int i = 0; i < rows; i++)
            {
                double d = batch[i * Size + j] - bm;
                ss += d * d;
            }
            double delta = bm - m[j];
            double m2 = v[j] * na + ss + delta * delta * na * nb / n;
            m[j] += delta * nb / n;
            v[j] = m2 / n;
        }
        using (no_grad())
        {
            mean.copy_(tensor(m));
            var.copy_(tensor(v));
            count.copy_(tensor(new[] { n }));
        }
    }
}
