using System.Collections.Immutable;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Trirl.Cli.Benchmarks;

/// <summary>The GEMM rate of one phase's products, measured by <see cref="GemmRate.Measure"/>.</summary>
/// <param name="MultiplyAddsPerSecond">The count-weighted rate <c>sum_i c_i M_i / sum_i c_i t_i</c> over the distinct shapes.</param>
/// <param name="Seconds">The same products' time, <c>sum_i c_i t_i</c> (the floor itself).</param>
public sealed record MeasuredGemmRate(double MultiplyAddsPerSecond, double Seconds)
{
    /// <summary>The rate in GFLOP/s (two flops per multiply-add).</summary>
    public double Gflops => 2 * MultiplyAddsPerSecond / 1e9;
}

/// <summary>
/// The GEMM rate on a phase's own shapes, in the current process and on the current torch thread count: each distinct
/// <see cref="LayerGemm"/> shape is timed alone (<c>addmm_</c> into a reused output, the operands in libtorch's
/// <c>linear</c> layouts, random data), best of a few repeats, each repeat long enough to time (at least
/// <see cref="MinRepeatSeconds"/>); the phase's rate weights each shape by its count, so
/// <c>multiply-adds / rate = sum_i c_i t_i</c>.
/// </summary>
public static class GemmRate
{
    /// <summary>Shortest timed repeat: products faster than this are repeated within one timing.</summary>
    public const double MinRepeatSeconds = 0.005;

    /// <summary>Times the distinct shapes of <paramref name="work"/> (<see cref="PhaseWork.Merged"/>), best of <paramref name="repeats"/>.</summary>
    public static MeasuredGemmRate Measure(PhaseWork work, int repeats, Device device)
    {
        ArgumentNullException.ThrowIfNull(work);
        Check.PositiveInt(repeats, nameof(repeats));
        var shapes = work.Merged;
        double seconds = 0;
        long multiplyAdds = 0;
        foreach (var g in shapes)
        {
            seconds += g.Count * BestSeconds(g, repeats, device);
            multiplyAdds = checked(multiplyAdds + g.MultiplyAdds);
        }
        return new MeasuredGemmRate(seconds > 0 ? multiplyAdds / seconds : double.NaN, seconds);
    }

    /// <summary>Seconds of one product of <paramref name="gemm"/>'s shape: the best of <paramref name="repeats"/> timings after a warm-up.</summary>
    public static double BestSeconds(LayerGemm gemm, int repeats, Device device)
    {
        ArgumentNullException.ThrowIfNull(gemm);
        Check.PositiveInt(repeats, nameof(repeats));
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var rng = new Rng(7);
        Tensor Random(long rows, long cols)
        {
            var values = new float[rows * cols];
            RunStreams.Gaussians(rng, values);
            return tensor(values, [rows, cols], device: device);
        }
        long b = gemm.Batch, i = gemm.Inputs, o = gemm.Outputs;
        var w = Random(o, i);
        var (left, right, output) = gemm.Kind switch
        {
            GemmKind.Forward => (Random(b, i), w.t(), empty([b, o], ScalarType.Float32, device)),
            GemmKind.InputGradient => (Random(b, o), w, empty([b, i], ScalarType.Float32, device)),
            _ => (Random(b, o).t(), Random(b, i), empty([o, i], ScalarType.Float32, device)),
        };
        void Once() => output.addmm_(left, right, beta: 0);
        void Sync()
        {
            if (device.type == DeviceType.CUDA) cuda.synchronize(device);
        }
        Once();
        Sync();
        var watch = Stopwatch.StartNew();
        Once();
        Sync();
        double single = Math.Max(watch.Elapsed.TotalSeconds, 1e-7);
        int inner = (int)Math.Clamp(Math.Ceiling(MinRepeatSeconds / single), 1, 100_000);
        double best = double.PositiveInfinity;
        for (int r = 0; r < repeats; r++)
        {
            watch.Restart();
            for (int k = 0; k < inner; k++) Once();
            Sync();
            best = Math.Min(best, watch.Elapsed.TotalSeconds / inner);
        }
        return best;
    }
}
