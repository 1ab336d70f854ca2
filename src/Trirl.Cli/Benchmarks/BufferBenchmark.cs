using System.Collections.Immutable;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Trirl.Cli.Benchmarks;

/// <summary>One evaluation path of <see cref="BufferBenchmark"/>.</summary>
/// <param name="Path">The path's name.</param>
/// <param name="MedianMs">Median wall time of one evaluation.</param>
/// <param name="MinMs">Fastest evaluation.</param>
/// <param name="ToFloor">Median over the GEMM floor's median (1 = the floor).</param>
/// <param name="MaxAbsDifference">Largest difference from the loop path's sums.</param>
public sealed record BufferPathTiming(string Path, double MedianMs, double MinMs, double ToFloor, double MaxAbsDifference);

/// <summary>What <see cref="BufferBenchmark.Measure"/> found.</summary>
/// <param name="Networks">Networks in the buffer (<c>K</c>).</param>
/// <param name="Batch">Rows evaluated.</param>
/// <param name="InputSize">Input size of each network.</param>
/// <param name="Network">Hidden layers of each network.</param>
/// <param name="Threads">Torch intra-op threads.</param>
/// <param name="Repeats">Timed evaluations per path.</param>
/// <param name="FloorMedianMs">Median wall time of the GEMMs alone (the floor).</param>
/// <param name="FloorMinMs">Fastest floor measurement.</param>
/// <param name="FloorGflops">The floor's rate: <c>2 B (in h1 + h1 h2 + ... + h_last) K</c> flops per floor time.</param>
/// <param name="Paths">Each path, in the order measured.</param>
public sealed record BufferBenchResult(int Networks, int Batch, int InputSize, MlpSpec Network, int Threads, int Repeats,
    double FloorMedianMs, double FloorMinMs, double FloorGflops, ImmutableArray<BufferPathTiming> Paths)
{
    /// <summary>The fastest path (by median).</summary>
    public BufferPathTiming Best => Paths.MinBy(p => p.MedianMs)!;
}

/// <summary>
/// The hot spot of deep TRIRL measured against its floor: <c>K</c> networks <c>in - h1 - ... - 1</c> evaluated on a batch
/// (forward only), by every <see cref="BufferPath"/>, beside the GEMMs of the same shapes alone (one matrix product per
/// layer and the output matrix-vector product per network, into reused buffers: the work no path can avoid), measured
/// in the same process, interleaved repeat by repeat so that both see the same machine load.
/// </summary>
public static class BufferBenchmark
{
    /// <summary>The shape: 100 networks 4-512-256-1 tanh on a batch of 2,048.</summary>
    public static MlpSpec PaperNetwork { get; } = new([512, 256], Activation.Tanh, false);

    /// <summary>
    /// Measures the floor and every path <paramref name="repeats"/> times after one warm-up each; the weights are the
    /// corrected weights of random etas, the inputs and networks seeded with <paramref name="seed"/>.
    /// </summary>
    public static BufferBenchResult Measure(int networks, int batch, int inputSize, MlpSpec network, int repeats, Device device, long seed = 0,
        IProgress<string>? progress = null)
    {
        Check.PositiveInt(networks, nameof(networks));
        Check.PositiveInt(batch, nameof(batch));
        Check.PositiveInt(inputSize, nameof(inputSize));
        Check.PositiveInt(repeats, nameof(repeats));
        ArgumentNullException.ThrowIfNull(network);
        TorchRuntime.Ensure();
        using var buffer = new DiscriminatorBuffer(networks, inputSize, network, device);
        for (int k = 0; k < networks; k++)
            using (var net = new Mlp("net", inputSize, network, 1, 0.1, Rng.Derive(seed, k + 1))) buffer.Push(net);
        var rng = Rng.Derive(seed, 0);
        var etas = Enumerable.Range(0, networks).Select(_ => 5 * rng.NextDouble()).ToArray();
        etas[^1] = 0;
        var weights = CorrectedWeights.Weights(etas, 0.2);
        var xs = new float[batch * inputSize];
        RunStreams.Gaussians(rng, xs);
        using var x = tensor(xs, [batch, inputSize], device: device);

        var paths = BufferPaths.Concrete.Where(p => p != BufferPath.Fused || buffer.Resolve(BufferPath.Auto) == BufferPath.Fused).ToArray();
        var reference = buffer.Evaluate(x, weights, BufferPath.Loop);
        var diffs = paths.Select(p => MaxAbsDiff(buffer.Evaluate(x, weights, p), reference)).ToArray();
        buffer.GemmFloor(x, networks);
        var floor = new double[repeats];
        var times = paths.Select(_ => new double[repeats]).ToArray();
        for (int r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            buffer.GemmFloor(x, networks);
            floor[r] = watch.Elapsed.TotalMilliseconds;
            for (int p = 0; p < paths.Length; p++)
            {
                watch.Restart();
                _ = buffer.Evaluate(x, weights, paths[p]);
                times[p][r] = watch.Elapsed.TotalMilliseconds;
            }
            progress?.Report($"repeat {r + 1}/{repeats}: floor {floor[r]:0.0} ms, " + string.Join(", ", paths.Select((p, i) => $"{EnumNames.Name(p)} {times[i][r]:0.0} ms")));
        }
        double floorMedian = Median(floor);
        long flops = 0;
        int previous = inputSize;
        foreach (int h in network.Hidden)
        {
            flops += (long)previous * h;
            previous = h;
        }
        flops = 2L * batch * (flops + previous) * networks;
        return new BufferBenchResult(networks, batch, inputSize, network, torch.get_num_threads(), repeats, floorMedian, floor.Min(), flops / (floorMedian * 1e6),
            [.. paths.Select((p, i) => new BufferPathTiming(EnumNames.Name(p), Median(times[i]), times[i].Min(), Median(times[i]) / floorMedian, diffs[i]))]);
    }

    private static double Median(double[] values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    private static double MaxAbsDiff(double[] a, double[] b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }
}
