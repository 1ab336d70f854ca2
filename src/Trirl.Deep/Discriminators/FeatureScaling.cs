namespace Trirl.Deep;

/// <summary>
/// A fixed affine normalisation of discriminator features, <c>z_j = (x_j - Mean_j) / Scale_j</c>, measured once on the
/// expert's features (so a task whose entries differ by orders of magnitude, such as MountainCar's velocity in
/// <c>[-0.07, 0.07]</c> beside a position in <c>[-1.2, 0.6]</c>, gives the networks inputs of order one). It is part of
/// the learned reward: every discriminator of a run, and the reward a run exports, sees the same normalisation. The
/// termination flag is not normalised.
/// </summary>
/// <param name="Mean">Per-entry mean.</param>
/// <param name="Scale">Per-entry scale: the standard deviation, floored at <see cref="MinScale"/>.</param>
public sealed record FeatureScaling(ImmutableArray<float> Mean, ImmutableArray<float> Scale)
{
    /// <summary>Smallest scale: an entry that is (nearly) constant in the demonstrations is divided by at most this.</summary>
    public const float MinScale = 1e-2f;

    /// <summary>Number of entries.</summary>
    public int Size => Mean.Length;

    /// <summary>No normalisation (mean 0, scale 1).</summary>
    public static FeatureScaling Identity(int size) => new([.. new float[size]], [.. Enumerable.Repeat(1f, size)]);

    /// <summary>Mean and standard deviation (floored) of <paramref name="count"/> rows of <paramref name="size"/> entries.</summary>
    public static FeatureScaling Measure(ReadOnlySpan<float> rows, int count, int size)
    {
        Check.PositiveInt(count, "count");
        Check.PositiveInt(size, "size");
        var mean = new double[size];
        var sq = new double[size];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < size; j++)
                mean[j] += rows[i * size + j];
        for (int j = 0; j < size; j++) mean[j] /= count;
        for (int i = 0; i < count; i++)
            for (int j = 0; j < size; j++)
            {
                double d = rows[i * size + j] - mean[j];
                sq[j] += d * d;
            }
        return new FeatureScaling([.. mean.Select(m => (float)m)], [.. sq.Select(s => Math.Max(MinScale, (float)Math.Sqrt(s / count)))]);
    }

    /// <summary>Throws a <see cref="TrirlInputException"/> when the two arrays disagree or a scale is not positive.</summary>
    public FeatureScaling Validated(string field = "scaling")
    {
        if (Mean.IsDefault || Scale.IsDefault || Mean.Length != Scale.Length || Mean.Length == 0)
            throw new TrirlInputException(field, "has mean and scale of different (or zero) lengths", "measure the scaling on the expert features");
        for (int j = 0; j < Size; j++)
            if (!float.IsFinite(Mean[j]) || !(Scale[j] > 0) || !float.IsFinite(Scale[j]))
                throw new TrirlInputException($"{field}[{j}]", "has a non-finite mean or a non-positive scale", "measure the scaling on the expert features");
        return this;
    }
}
