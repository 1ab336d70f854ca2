using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Trirl.Cli.Benchmarks;

/// <summary>Timings of one repeated operation, in milliseconds.</summary>
/// <param name="Name">What was timed.</param>
/// <param name="Batch">Batch size.</param>
/// <param name="Repeats">Timed repetitions (after warm-up).</param>
/// <param name="MedianMs">Median.</param>
/// <param name="MeanMs">Mean.</param>
/// <param name="MinMs">Minimum.</param>
public sealed record StepTiming(string Name, int Batch, int Repeats, double MedianMs, double MeanMs, double MinMs);

/// <summary>Micro-benchmarks of the deep learners' building blocks.</summary>
public static class DeepBenchmarks
{
    /// <summary>
    /// One Adam step (forward, mean-squared-error loss, backward, step) of an <see cref="Mlp"/> <c>input -&gt; spec -&gt;
    /// output</c> on a fixed random batch of <paramref name="batch"/>: <paramref name="warmup"/> untimed steps, then
    /// <paramref name="repeats"/> timed one by one.
    /// </summary>
    public static StepTiming AdamStep(string name, int input, MlpSpec spec, int output, int batch, int warmup, int repeats, Device device)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Check.PositiveInt(repeats, "repeats");
        TorchRuntime.Ensure();
        var rng = new Rng(1);
        using var net = new Mlp("bench", input, spec, output, 1.0, rng);
        net.to(device);
        using var opt = new KeptScalars.Adam(net.parameters(), lr: 1e-4); // TorchSharp's Adam with kept Scalars (KeptScalars)
        var xs = new float[batch * input];
        var ys = new float[batch * output];
        RunStreams.Gaussians(rng, xs);
        RunStreams.Gaussians(rng, ys);
        using var x = tensor(xs, [batch, input], device: device);
        using var y = tensor(ys, [batch, output], device: device);
        var times = new double[repeats];
        for (int i = -warmup; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                var loss = (net.forward(x) - y).Squared().mean();
                opt.zero_grad();
                loss.backward();
                opt.step();
                if (device.type == DeviceType.CUDA) cuda.synchronize(device);
            }
            if (i >= 0) times[i] = watch.Elapsed.TotalMilliseconds;
        }
        var sorted = times.Order().ToArray();
        double median = repeats % 2 == 1 ? sorted[repeats / 2] : 0.5 * (sorted[repeats / 2 - 1] + sorted[repeats / 2]);
        return new StepTiming(name, batch, repeats, median, times.Average(), sorted[0]);
    }
}
