using System.Runtime.InteropServices;
using Trirl.Cli.Runs;

namespace Trirl.Cli.Output;

/// <summary><c>bench-tabular.json</c>: the machine, the repeats and each MDP's timings.</summary>
public static class BenchJson
{
    /// <summary>The indented JSON text of <paramref name="cases"/>.</summary>
    public static string Serialize(int repeats, IReadOnlyList<BenchCase> cases,
        (ProcessTiming Small, ProcessTiming Large, ProcessTiming? Reference, string? ReferenceNote)? processes = null)
    {
        return BenchFile.Text(w =>
        {
            w.WriteString("benchmark", "tabular");
            w.WriteNumber("repeats", repeats);
            w.WriteString("runtime", RuntimeInformation.FrameworkDescription);
            w.WriteString("os", RuntimeInformation.OSDescription);
            w.WriteString("architecture", RuntimeInformation.ProcessArchitecture.ToString());
            w.WriteNumber("processors", Environment.ProcessorCount);
            w.WriteString("cpu", Machine.Cpu);
            w.WriteObjects("cases", cases, (w, c) =>
            {
                w.WriteString("mdp", c.Name);
                w.WriteNumber("states", c.States);
                w.WriteNumber("actions", c.Actions);
                w.WriteNumber("transitions", c.Transitions);
                w.WriteNumber("sweeps", c.Sweeps);
                w.WriteNumberOrNull("sweep_seconds", c.SweepSeconds);
                w.WriteNumberOrNull("entries_per_second", c.EntriesPerSecond);
                w.WriteNumberOrNull("floor_seconds", c.FloorSeconds);
                w.WriteNumberOrNull("sweep_to_floor_ratio", c.SweepToFloor);
                w.WriteNumberOrNull("gather_seconds", c.GatherSeconds);
                w.WriteNumberOrNull("gather_to_floor_ratio", c.GatherToFloor);
                w.WriteNumberOrNull("exp_seconds", c.ExpSeconds);
                w.WriteNumberOrNull("exp_to_floor_ratio", c.ExpToFloor);
                w.WriteNumberOrNull("iteration_seconds_median", c.IterationMedian);
                w.WriteNumberArrayOrNulls("iteration_seconds", c.IterationSeconds);
            });
            if (processes is { } p)
            {
                w.WriteString("trirl_build", NativeBuild.Name.ToLowerInvariant());
                w.WriteObjects("whole_process", new[] { p.Small, p.Large, p.Reference }.OfType<ProcessTiming>(), (w, t) =>
                {
                    w.WriteString("name", t.Name);
                    w.WriteString("command", t.Command);
                    w.WriteNumberOrNull("best_seconds", t.Best);
                    w.WriteNumberArrayOrNulls("seconds", t.Seconds);
                });
                if (p.Reference is { } r) w.WriteNumberOrNull("reference_to_trirl_ratio", r.Best / p.Large.Best);
                else w.WriteString("reference_note", p.ReferenceNote);
            }
        });
    }
}
