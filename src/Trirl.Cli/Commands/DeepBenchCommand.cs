using System.CommandLine;
using Spectre.Console;
using Trirl.Cli.Output;
using Trirl.Cli.Runs;
using Trirl.Cli.Terminal;

using Trirl.Cli.Benchmarks;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl bench deep [--iterations K] [--repeats R] [--threads T] [--device cpu] [--out FILE]</c>: environment steps
/// per second of the PPO loop at the paper preset with 4,000 vectorised pendulums, beside one Adam step (forward +
/// backward + step) of the paper's policy network (3-512(LayerNorm)-256-128-1 ELU) on a batch of 512 measured alone,
/// and of the default preset's 64-64 tanh network for comparison.
/// </summary>
public static class DeepBenchCommand
{
    /// <summary>The <c>deep</c> subcommand of <c>bench</c>.</summary>
    public static Command Create()
    {
        var iterations = Flags.Whole("--iterations", "Timed PPO iterations (40,000 env steps each) after one warm-up iteration.", 2);
        var repeats = Flags.Whole("--repeats", "Timed Adam steps per network (after 20 warm-up steps).", 200);
        var threads = Flags.OptionalWhole("--threads", "Torch intra-op threads (default: the processor count).");
        return BenchSubcommand.Create("deep", "Time the PPO loop at the paper preset (4,000 copies) and one Adam step of the paper's policy network.",
            [iterations, repeats, threads],
            (parse, device, output) => Execute(parse.GetValue(iterations), parse.GetValue(repeats), parse.GetValue(threads), device, output));
    }

    /// <summary>Measures, prints a table and writes the JSON atomically.</summary>
    public static int Execute(int iterations, int repeats, int? threads, string deviceName, string path)
    {
        Check.PositiveInt(iterations, "--iterations", "time at least one iteration");
        Check.PositiveInt(repeats, "--repeats", "time at least one step");
        Check.PositiveInt(threads, "--threads", "pass a positive thread count");
        var device = Devices.Parse(deviceName);
        int t = threads ?? Environment.ProcessorCount;
        TorchRuntime.Configure(t, 0);

        System.Console.Out.WriteLine($"timing one Adam step of the paper's policy network (batch 512, {t} threads)");
        var paper = DeepBenchmarks.AdamStep("paper policy 3-512(LayerNorm)-256-128-1 elu", 3, MlpSpec.Paper, 1, 512, 20, repeats, device);
        var small = DeepBenchmarks.AdamStep("default policy 3-64-64-1 tanh", 3, PpoSettings.Default.Policy, 1, 512, 20, repeats, device);
        System.Console.Out.WriteLine($"timing the PPO loop at the paper preset: 4,000 pendulums, {iterations} iteration(s) after a warm-up");
        var loop = DeepBench.PpoLoop("pendulum", iterations, t, device);

        var table = new Table().AddColumns("measurement", "value");
        table.AddRow(Markup.Escape($"Adam step, {paper.Name}, batch 512"), $"{Ms(paper.MedianMs)} ms median ({Ms(paper.MeanMs)} mean, {Ms(paper.MinMs)} min)");
        table.AddRow(Markup.Escape($"Adam step, {small.Name}, batch 512"), $"{Ms(small.MedianMs)} ms median ({Ms(small.MeanMs)} mean)");
        table.AddRow("PPO loop, paper preset, 4,000 copies", $"{loop.EnvStepsPerSecond.ToString("0", CultureInfo.InvariantCulture)} env steps/s");
        table.AddRow("  rollout (40,000 steps)", $"{loop.RolloutSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s ({loop.RolloutStepsPerSecond.ToString("0", CultureInfo.InvariantCulture)} steps/s)");
        table.AddRow($"  update ({loop.MinibatchStepsPerIteration} minibatch steps)", $"{loop.UpdateSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s ({Ms(loop.MsPerMinibatchStep)} ms per policy+critic step)");
        Ansi.Stdout().Write(table);
        return BenchFile.Write(path, Json(t, deviceName, paper, small, loop));
    }

    private static string Json(int threads, string device, StepTiming paper, StepTiming small, PpoLoopTiming loop)
    {
        return BenchFile.Text(w =>
        {
            w.WriteNumber("threads", threads);
            w.WriteString("device", device);
            w.WriteNumber("processor_count", Environment.ProcessorCount);
            w.WriteObjects("adam_steps", new[] { paper, small }, (w, s) =>
            {
                w.WriteString("network", s.Name);
                w.WriteNumber("batch", s.Batch);
                w.WriteNumber("repeats", s.Repeats);
                w.WriteNumberOrNull("median_ms", s.MedianMs);
                w.WriteNumberOrNull("mean_ms", s.MeanMs);
                w.WriteNumberOrNull("min_ms", s.MinMs);
            });
            w.WriteObject("ppo_loop", w =>
            {
                w.WriteString("env", loop.Env);
                w.WriteString("preset", RlPreset.Paper);
                w.WriteNumber("copies", loop.Copies);
                w.WriteNumber("iterations", loop.Iterations);
                w.WriteNumber("steps_per_iteration", loop.StepsPerIteration);
                w.WriteNumber("minibatch_steps_per_iteration", loop.MinibatchStepsPerIteration);
                w.WriteNumberOrNull("rollout_seconds", loop.RolloutSeconds);
                w.WriteNumberOrNull("update_seconds", loop.UpdateSeconds);
                w.WriteNumberOrNull("env_steps_per_second", loop.EnvStepsPerSecond);
                w.WriteNumberOrNull("rollout_steps_per_second", loop.RolloutStepsPerSecond);
                w.WriteNumberOrNull("ms_per_minibatch_step", loop.MsPerMinibatchStep);
            });
        });
    }

    private static string Ms(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture);
}
