using System.CommandLine;
using Spectre.Console;
using Trirl.Cli.Output;
using Trirl.Cli.Runs;
using Trirl.Cli.Terminal;
using Trirl.FSharp;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl bench tabular [--repeats K] [--out FILE]</c> (and <c>bench deep</c>, <c>bench buffer</c>, <c>bench trirl</c>): soft-VI throughput, its ratio to the memory-read floor
/// and the time of one TRIRL iteration (<see cref="TabularBench"/>), printed as a table and written to FILE.
/// </summary>
public static class BenchCommand
{
    /// <summary>Default <c>--repeats</c>.</summary>
    public const int DefaultRepeats = 20;

    /// <summary>The <c>bench</c> command with its <c>tabular</c> subcommand.</summary>
    public static Command Create()
    {
        var repeats = Flags.Whole("--repeats", "Timed soft Bellman sweeps (and read-floor passes) per MDP, >= 1.", DefaultRepeats);
        var tabular = BenchSubcommand.Create("tabular", "Time soft value iteration against the memory-read floor, and one TRIRL iteration.",
            [repeats], (parse, output) => Execute(parse.GetValue(repeats), output));
        return new Command("bench", "Benchmarks.") { tabular, DeepBenchCommand.Create(), BufferBenchCommand.Create(), TrirlBenchCommand.Create(), MujocoBenchCommand.Create() };
    }

    /// <summary>Validates the flags, measures every MDP, prints the table and writes the JSON atomically.</summary>
    public static int Execute(int repeats, string path)
    {
        Check.PositiveInt(repeats, "--repeats", "time at least one sweep, e.g. --repeats 20");

        var cases = new List<BenchCase>();
        foreach (var mdp in TabularBench.Mdps())
        {
            System.Console.Out.WriteLine($"measuring {mdp.Name} ({mdp.States} states, {mdp.Actions} actions, {mdp.TransitionCount} transitions)");
            cases.Add(TabularBench.Measure(mdp, repeats));
        }
        Ansi.Stdout().Write(Table(cases));
        System.Console.Out.WriteLine("timing whole processes (trirl tabular, small and large) and the scipy.sparse reference");
        string work = Path.Combine(Path.GetTempPath(), $"trirl-bench-{Guid.NewGuid():N}");
        try
        {
            var processes = ProcessBench.Measure(work);
            Ansi.Stdout().Write(ProcessTable(processes));
            return BenchFile.Write(path, BenchJson.Serialize(repeats, cases, processes));
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, true);
        }
    }

    private static Table Table(IReadOnlyList<BenchCase> cases)
    {
        var table = new Table().AddColumns("mdp", "S x A", "entries", "sweep ms", "entries/s", "floor ms", "sweep/floor", "V(next) reads/floor", "exps/floor", "iteration ms (median)");
        foreach (var c in cases)
        {
            table.AddRow(
                Markup.Escape(c.Name),
                $"{c.States} x {c.Actions}",
                c.Transitions.ToString("N0", CultureInfo.InvariantCulture),
                Ms(c.SweepSeconds / c.Sweeps),
                c.EntriesPerSecond.ToString("0.00e+00", CultureInfo.InvariantCulture),
                Ms(c.FloorSeconds / c.Sweeps),
                c.SweepToFloor.ToString("0.0", CultureInfo.InvariantCulture),
                c.GatherToFloor.ToString("0.0", CultureInfo.InvariantCulture),
                c.ExpToFloor.ToString("0.0", CultureInfo.InvariantCulture),
                Ms(c.IterationMedian));
        }
        return table;
    }

    private static Table ProcessTable((ProcessTiming Small, ProcessTiming Large, ProcessTiming? Reference, string? ReferenceNote) p)
    {
        var table = new Table().AddColumns("whole process", "best s", "runs (s)");
        foreach (var t in new[] { p.Small, p.Large, p.Reference })
            if (t is not null)
                table.AddRow(Markup.Escape(t.Name), ProcessBench.Format(t.Best), string.Join(" ", t.Seconds.Select(ProcessBench.Format)));
        if (p.Reference is { } r) table.AddRow("reference / trirl (50x50)", (r.Best / p.Large.Best).ToString("0.0", CultureInfo.InvariantCulture) + "x", "");
        else table.AddRow("scipy.sparse reference", "n/a", Markup.Escape(p.ReferenceNote ?? ""));
        return table;
    }

    private static string Ms(double seconds) => (seconds * 1000).ToString("0.###", CultureInfo.InvariantCulture);
}
