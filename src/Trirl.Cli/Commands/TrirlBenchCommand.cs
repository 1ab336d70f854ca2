using System.CommandLine;
using Spectre.Console;
using Trirl.Cli.Output;
using Trirl.Cli.Runs;
using Trirl.Cli.Terminal;
using Trirl.Environments;

using Trirl.Cli.Benchmarks;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl bench trirl [--preset paper] [--iterations K] [--threads T] [--demos FILE] [--device cpu] [--out FILE]</c>: env steps
/// per second of the whole TRIRL loop on the pendulum with a full buffer (<see cref="ImitationBenchmark"/>; the paper
/// preset: 4,000 copies, K = 100), with the seconds of each phase. The goal: at least 500 env steps per second.
/// </summary>
public static class TrirlBenchCommand
{
    /// <summary>Default <c>--out</c>.</summary>
    public const string DefaultOut = "runs/bench-trirl.json";

    /// <summary>The <c>trirl</c> subcommand of <c>bench</c>.</summary>
    public static Command Create()
    {
        var preset = Flags.Text("--preset", "Settings preset: paper (4,000 copies, K = 100), default or tiny.", RlPreset.Paper);
        var iterations = Flags.Whole("--iterations", "Timed iterations (after one warm-up iteration).", 2);
        var threads = Flags.Whole("--threads", "Torch intra-op threads.", 1);
        var demos = Flags.OptionalText("--demos", "Expert transitions (.npz); default: the pendulum's shipped demonstrations.");
        var device = Flags.Device();
        var output = Flags.JsonOut(DefaultOut);
        var command = new Command("trirl", "Time the whole TRIRL loop on 4,000 pendulums with a full buffer of 100 discriminators (paper preset).")
        {
            preset, iterations, threads, demos, device, output,
        };
        command.SetAction(parse => Execute(parse.GetRequiredValue(preset), parse.GetValue(iterations), parse.GetValue(threads), parse.GetValue(demos),
            parse.GetRequiredValue(device), parse.GetRequiredValue(output)));
        return command;
    }

    /// <summary>Validates, measures, prints a table and writes the JSON atomically.</summary>
    public static int Execute(string preset, int iterations, int threads, string? demosPath, string deviceName, string outFile)
    {
        if (iterations < 1) throw new TrirlInputException("--iterations", $"must be >= 1, got {iterations}", "time at least one iteration");
        if (threads < 1) throw new TrirlInputException("--threads", $"must be >= 1, got {threads}", "pass a positive thread count");
        string path = Flags.OutputFile(outFile, "bench-trirl.json");
        var settings = ImitationSettings.Preset(ImitationMethod.Trirl, preset);
        var env = ContinuousEnvs.Create("pendulum");
        var (demos, source) = TrainPlan.LoadDemos(demosPath, env);
        var device = Devices.Parse(deviceName);
        System.Console.Out.WriteLine($"timing the TRIRL loop: {settings.Ppo.Copies} pendulums x {settings.Ppo.RolloutSteps} steps, buffer of {settings.BufferSize} " +
                                     $"{settings.Discriminator.Description} discriminators, {threads} thread(s), {iterations} iteration(s) after a warm-up");
        var t = ImitationBenchmark.Loop(env.Name, settings, demos, iterations, threads, device);
        var table = new Table().AddColumns("measurement", "value");
        table.AddRow("env steps per second (whole loop)", t.EnvStepsPerSecond.ToString("0", CultureInfo.InvariantCulture));
        for (int i = 0; i < t.Phases.Length; i++)
            table.AddRow(Markup.Escape($"  {ImitationLoopTiming.PhaseNames[i]} per iteration"), t.Phases[i].ToString("0.00", CultureInfo.InvariantCulture));
        Ansi.Stdout().Write(table);
        return BenchFile.Write(path, BenchFile.Text(w =>
        {
            w.WriteString("benchmark", "trirl");
            w.WriteString("preset", RlPreset.Parse(preset));
            w.WriteString("env", t.Env);
            w.WriteString("demos", source);
            w.WriteString("device", deviceName);
            w.WriteNumber("threads", t.Threads);
            w.WriteNumber("copies", t.Copies);
            w.WriteNumber("buffer_size", t.BufferSize);
            w.WriteNumber("iterations", t.Iterations);
            w.WriteNumber("steps_per_iteration", t.StepsPerIteration);
            for (int i = 0; i < t.Phases.Length; i++) w.WriteNumberOrNull(ImitationLoopTiming.PhaseNames[i], t.Phases[i]);
            w.WriteNumberOrNull("env_steps_per_second", t.EnvStepsPerSecond);
        }));
    }
}
