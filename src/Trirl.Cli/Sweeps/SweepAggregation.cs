using Trirl.Cli.Output;
using Trirl.Cli.Terminal;
using Trirl.Experiments;
using Trirl.FSharp;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// <c>trirl sweep aggregate DIR [DIR...] --out REPORT</c>: reads the finished runs' scores of one or more sweeps
/// (<see cref="SweepScores"/>; e.g. a <c>train</c> sweep and the <c>retrain</c> sweep of its rewards) or score tables
/// (a <c>.csv</c> file in place of a folder: <see cref="RunScoreTable"/>, e.g. a report's <c>scores.csv</c>), pooled in
/// the order given, computes <see cref="SweepAggregate"/> and writes <c>aggregate.csv</c> (training),
/// <c>aggregate-retrain.csv</c> and <c>aggregate-transfer.csv</c> (when runs report them), <c>scores.csv</c> (the pooled
/// runs, which aggregate again to the same bytes), <c>aggregate.md</c> and <c>report.html</c> into REPORT.
/// </summary>
public static class SweepAggregation
{
    /// <summary>Markdown tables.</summary>
    public const string MarkdownFile = "aggregate.md";

    /// <summary>
    /// Aggregates the sweeps in <paramref name="dirs"/> (their runs pooled) into <paramref name="outDir"/>; with
    /// <paramref name="tasks"/> non-empty, only the runs whose task (<see cref="RunScore.Env"/>) is listed.
    /// </summary>
    public static int Execute(IReadOnlyList<string> dirs, string outDir, BootstrapSettings bootstrap, IReadOnlyList<string> tasks)
    {
        if (dirs.Count == 0) throw new TrirlInputException("DIR", "is missing", "pass the folder of a planned sweep");
        var full = dirs.Select(d => IsScoreTable(d) ? Path.GetFullPath(d) : SweepFolder.Existing(d)).ToArray();
        if (full.Distinct(StringComparer.Ordinal).Count() != full.Length)
            throw new TrirlInputException("DIR", "names the same sweep twice", "pass each sweep folder once");
        string dir = string.Join(", ", dirs);
        string report = Commands.Flags.OutputFolder(outDir, "pass a report folder such as runs/sweep-report");
        var scores = OnlyTasks(Load(full), tasks);
        if (scores.Runs.Count == 0)
            throw new TrirlInputException("DIR", $"no run of '{dir}' has a summary.json with a score yet",
                "run the sweep first: trirl sweep run DIR --jobs N (or trirl sweep slurm DIR --wait)");
        foreach (var note in scores.Notes) Messages.Warning(note);

        var aggregate = SweepAggregate.Compute(scores.Runs, bootstrap);
        string title = $"Sweep aggregate: {string.Join(" + ", full.Select(Path.GetFileName))}";
        var files = new List<(string Name, string Content)>();
        foreach (var m in aggregate.Metrics) files.Add((m.Metric.CsvFile, AggregateTables.ToCsv(m)));
        files.Add((RunScoreTable.FileName, RunScoreTable.ToCsv(scores.Runs)));
        files.Add((MarkdownFile, AggregateTables.ToMarkdown(aggregate, title, scores.Notes)));
        files.Add((OutputFiles.Report, SweepReport.Html(aggregate, title, Preamble(string.Join(", ", full), scores, bootstrap, tasks),
            full.Select(d => Path.GetFileName(d) ?? d).ToArray(), scores.Runs.Count, DateTime.UtcNow)));
        Directory.CreateDirectory(report);
        foreach (var (name, content) in files) AtomicFile.WriteAllText(Path.Combine(report, name), content);

        System.Console.Out.WriteLine($"wrote {report} ({string.Join(", ", files.Select(f => f.Name))})");
        foreach (var m in aggregate.Metrics)
            foreach (var a in m.Algos)
                System.Console.Out.WriteLine(
                    $"{m.Metric.Title.ToLowerInvariant()} {a.Algo}: IQM {F(a.Iqm.Point)} [{F(a.Iqm.Low)}, {F(a.Iqm.High)}] over {a.Tasks} tasks, {a.Runs} runs");
        return ExitCodes.Success;
    }

    // A score table is a .csv file; anything else names a sweep folder (which says what is missing when it is not one).
    private static bool IsScoreTable(string path) =>
        path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && File.Exists(path);

    // The runs of every source in the order given: consecutive sweep folders pool as SweepScores does, a table adds its rows.
    private static SweepScores Load(IReadOnlyList<string> sources)
    {
        var runs = new List<RunScore>();
        var notes = new List<string>();
        foreach (var source in sources)
        {
            var part = File.Exists(source)
                ? new SweepScores(RunScoreTable.Parse(File.ReadAllText(source), source), [])
                : SweepScores.Load(source);
            runs.AddRange(part.Runs);
            notes.AddRange(part.Notes);
        }
        return new SweepScores(runs, notes);
    }

    // The runs of the listed tasks, in their order; a listed task that no run has is a typo or a missing source.
    private static SweepScores OnlyTasks(SweepScores scores, IReadOnlyList<string> tasks)
    {
        if (tasks.Count == 0) return scores;
        var present = scores.Runs.Select(r => r.Env).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var task in tasks)
            if (!present.Contains(task, StringComparer.Ordinal))
                throw new TrirlInputException("--tasks", $"names '{task}', which no run has",
                    $"use tasks of these runs: {string.Join(", ", present)}");
        var keep = tasks.ToHashSet(StringComparer.Ordinal);
        return scores with { Runs = scores.Runs.Where(r => keep.Contains(r.Env)).ToArray() };
    }

    private static string Preamble(string dir, SweepScores scores, BootstrapSettings b, IReadOnlyList<string> tasks) =>
        $"sweeps     {dir}\n" +
        (tasks.Count == 0 ? "" : $"tasks      {string.Join(", ", tasks)} only\n") +
        $"runs       {scores.Runs.Count} with a summary.json\n" +
        $"bootstrap  {b.Resamples} stratified resamples, seed {b.Seed}, {100 * b.Confidence:0.##}% percentile intervals\n" +
        "IQM        mean of the middle 50% (floor(n/4) runs cut from each end)\n" +
        string.Concat(scores.Notes.Select(n => $"note       {n}\n"));

    private static string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);
}
