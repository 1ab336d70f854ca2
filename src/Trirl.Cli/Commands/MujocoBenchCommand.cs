using System.CommandLine;
using System.Runtime.InteropServices;
using Spectre.Console;
using Trirl.Cli.Output;
using Trirl.Cli.Runs;
using Trirl.Cli.Terminal;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl bench mujoco [--copies N] [--steps T] [--out FILE]</c>: environment steps per second of each locomotion
/// task's vectorised step (random actions, one and two threads) beside the raw simulator's rate on the same episodes
/// (one replay, and two side by side: <see cref="MujocoBench"/>), and their ratios; a table and a JSON file.
/// </summary>
public static class MujocoBenchCommand
{
    /// <summary>The <c>bench mujoco</c> subcommand.</summary>
    public static Command Create()
    {
        var copies = Flags.Whole("--copies", "Copies stepped together, >= 1.", 16);
        var steps = Flags.Whole("--steps", "Vector steps per timed round, >= 1.", 200);
        return BenchSubcommand.Create("mujoco", "Time the vectorised MuJoCo tasks (1 and 2 threads) against the raw simulator on the same episodes.",
            [copies, steps], (parse, output) => Execute(parse.GetValue(copies), parse.GetValue(steps), output));
    }

    /// <summary>Validates the flags, measures every task, prints the table and writes the JSON atomically.</summary>
    public static int Execute(int copies, int steps, string path)
    {
        Check.PositiveInt(copies, "--copies", "step at least one copy, e.g. --copies 16");
        Check.PositiveInt(steps, "--steps", "time at least one step, e.g. --steps 200");
        var cases = new List<MujocoBenchCase>();
        foreach (var task in MujocoBench.Tasks)
        {
            System.Console.Out.WriteLine($"measuring {task} ({copies} copies x {steps} steps, {MujocoBench.Rounds} rounds)");
            cases.Add(MujocoBench.Measure(task, copies, steps));
        }
        var table = new Table().AddColumns("task", "frame skip", "raw mj_step/s", "raw env steps/s/core", "1 thread", "ratio", "2 threads", "ratio (2 cores)",
            "raw pair scaling", "2 threads / raw pair");
        string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);
        foreach (var c in cases)
            table.AddRow(c.Task, c.FrameSkip.ToString(CultureInfo.InvariantCulture), F(c.RawMjStepsPerSecond, "N0"), F(c.RawEnvStepsPerSecond, "N0"),
                F(c.VectorStepsPerSecond[0].StepsPerSecond, "N0"), F(c.Ratio(1), "0.00"), F(c.VectorStepsPerSecond[1].StepsPerSecond, "N0"), F(c.Ratio(2), "0.00"),
                F(c.RawPairScaling, "0.00"), F(c.RatioToRawPair, "0.00"));
        Ansi.Stdout().Write(table);
        return BenchFile.Write(path, Json(copies, steps, cases));
    }

    private static string Json(int copies, int steps, IReadOnlyList<MujocoBenchCase> cases)
    {
        return BenchFile.Text(w =>
        {
            w.WriteString("benchmark", "mujoco");
            w.WriteNumber("copies", copies);
            w.WriteNumber("steps", steps);
            w.WriteNumber("rounds", MujocoBench.Rounds);
            w.WriteString("mujoco", "2.2.2");
            w.WriteString("runtime", RuntimeInformation.FrameworkDescription);
            w.WriteNumber("processors", Environment.ProcessorCount);
            w.WriteString("cpu", Machine.Cpu);
            w.WriteObjects("cases", cases, (w, c) =>
            {
                w.WriteString("task", c.Task);
                w.WriteNumber("frame_skip", c.FrameSkip);
                w.WriteNumber("raw_mj_steps_per_second", c.RawMjStepsPerSecond);
                w.WriteNumber("raw_env_steps_per_second_per_core", c.RawEnvStepsPerSecond);
                foreach (var (threads, rate) in c.VectorStepsPerSecond)
                {
                    w.WriteNumber($"env_steps_per_second_{threads}_threads", rate);
                    w.WriteNumber($"ratio_{threads}_threads", c.Ratio(threads));
                }
                w.WriteNumber("raw_pair_mj_steps_per_second", c.RawPairMjStepsPerSecond);
                w.WriteNumber("raw_pair_scaling", c.RawPairScaling);
                w.WriteNumber("ratio_2_threads_to_raw_pair", c.RatioToRawPair);
            });
        });
    }
}
