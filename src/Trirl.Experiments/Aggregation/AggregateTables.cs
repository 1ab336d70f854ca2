using System.Globalization;
using System.Text;

namespace Trirl.Experiments;

/// <summary>
/// The text outputs of <c>trirl sweep aggregate</c>: per metric a CSV (<c>env,algo,n,mean,median,iqm,iqm_low,iqm_high</c>,
/// doubles in round-trip precision, so the same runs and seed give the same bytes), and <c>aggregate.md</c>: per metric
/// the per-task table, the aggregate over tasks, the probabilities of improvement and IQM ratios, and the paper's table (training /
/// retraining / transfer IQM with intervals per task and algorithm).
/// </summary>
public static class AggregateTables
{
    /// <summary>The header of every aggregate CSV.</summary>
    public const string CsvHeader = "env,algo,n,mean,median,iqm,iqm_low,iqm_high";

    /// <summary>The CSV text of one metric's (env, algo) groups.</summary>
    public static string ToCsv(MetricAggregate metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var sb = new StringBuilder().Append(CsvHeader).Append('\n');
        foreach (var g in metric.Groups)
        {
            sb.Append(Csv.Escape(g.Env)).Append(',').Append(Csv.Escape(g.Algo)).Append(',').Append(g.N.ToString(CultureInfo.InvariantCulture));
            foreach (double x in (ReadOnlySpan<double>)[g.Mean, g.Median, g.Iqm.Point, g.Iqm.Low, g.Iqm.High]) sb.Append(',').Append(Csv.Number(x));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// The Markdown report: <paramref name="title"/>, a line on the method, <paramref name="notes"/> (e.g. runs without a
    /// result), then the tables.
    /// </summary>
    public static string ToMarkdown(SweepAggregate aggregate, string title, IReadOnlyList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        ArgumentNullException.ThrowIfNull(notes);
        var b = aggregate.Bootstrap;
        string level = Percent(b.Confidence);
        var sb = new StringBuilder();
        sb.Append("# ").Append(title).Append("\n\n");
        sb.Append($"IQM: mean of the middle 50% of the runs (`scipy.stats.trim_mean(x, 0.25)`: floor(n/4) runs cut from each end). ")
          .Append($"Intervals: {level} percentile intervals of a stratified bootstrap ({b.Resamples} resamples, seed {b.Seed}; runs resampled within each task). ")
          .Append("Aggregates pool all runs of all tasks (Agarwal et al., NeurIPS 2021).\n\n");
        foreach (var note in notes) sb.Append("- ").Append(note).Append('\n');
        if (notes.Count > 0) sb.Append('\n');

        if (aggregate.Metrics.Count > 0) PaperTable(sb, aggregate, level);
        foreach (var m in aggregate.Metrics)
        {
            sb.Append($"## {m.Metric.Title} (`{m.Metric.Key}`)\n\n");
            sb.Append($"### Per task\n\n| env | algo | n | mean | median | IQM | {level} CI |\n|---|---|---:|---:|---:|---:|---|\n");
            foreach (var g in m.Groups)
                sb.Append($"| {Cell(g.Env)} | {Cell(g.Algo)} | {g.N} | {F(g.Mean)} | {F(g.Median)} | {F(g.Iqm.Point)} | {Ci(g.Iqm)} |\n");
            sb.Append($"\n### Aggregate over tasks\n\n| algo | tasks | runs | IQM | {level} CI | mean | {level} CI | median | {level} CI |\n|---|---:|---:|---:|---|---:|---|---:|---|\n");
            foreach (var a in m.Algos)
                sb.Append($"| {Cell(a.Algo)} | {a.Tasks} | {a.Runs} | {F(a.Iqm.Point)} | {Ci(a.Iqm)} | {F(a.Mean.Point)} | {Ci(a.Mean)} | {F(a.Median.Point)} | {Ci(a.Median)} |\n");
            if (m.Improvements.Count > 0)
            {
                sb.Append($"\n### Probability of improvement and IQM ratio\n\nP(X > Y): the chance that a run of X beats a run of Y on the same task (ties count half), averaged over shared tasks. ")
                  .Append($"IQM(X) / IQM(Y): the ratio of the aggregate IQMs over the shared tasks (n/a where Y's IQM, or a resample's, is not positive).\n\n")
                  .Append($"| X | Y | tasks | P(X > Y) | {level} CI | IQM(X) / IQM(Y) | {level} CI |\n|---|---|---:|---:|---|---:|---|\n");
                foreach (var p in m.Improvements)
                    sb.Append($"| {Cell(p.X)} | {Cell(p.Y)} | {p.Tasks} | {F(p.Probability.Point)} | {Ci(p.Probability)} | {F(p.IqmRatio.Point)} | {Ci(p.IqmRatio)} |\n");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Training / retraining / transfer per task and algorithm, then per algorithm over all tasks: IQM [CI] (n).</summary>
    private static void PaperTable(StringBuilder sb, SweepAggregate aggregate, string level)
    {
        var metrics = aggregate.Metrics;
        sb.Append($"## Paper table\n\nIQM [{level} CI] (runs) per task and algorithm; the last rows aggregate over tasks.\n\n");
        sb.Append("| task | algo | ").AppendJoin(" | ", metrics.Select(m => m.Metric.Title)).Append(" |\n");
        sb.Append("|---|---|").Append(string.Concat(metrics.Select(_ => "---|"))).Append('\n');
        var keys = metrics.SelectMany(m => m.Groups.Select(g => (g.Env, g.Algo))).Distinct().ToArray();
        foreach (var (env, algo) in keys)
        {
            sb.Append($"| {Cell(env)} | {Cell(algo)} |");
            foreach (var m in metrics)
                sb.Append(' ').Append(m.Groups.FirstOrDefault(g => g.Env == env && g.Algo == algo) is { } g ? $"{F(g.Iqm.Point)} {Ci(g.Iqm)} ({g.N})" : "-").Append(" |");
            sb.Append('\n');
        }
        foreach (var algo in metrics.SelectMany(m => m.Algos.Select(a => a.Algo)).Distinct())
        {
            sb.Append($"| all tasks | {Cell(algo)} |");
            foreach (var m in metrics)
                sb.Append(' ').Append(m.Algos.FirstOrDefault(a => a.Algo == algo) is { } a ? $"{F(a.Iqm.Point)} {Ci(a.Iqm)} ({a.Runs})" : "-").Append(" |");
            sb.Append('\n');
        }
        sb.Append('\n');
    }

    private static string F(double x) => double.IsNaN(x) ? "n/a" : x.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Ci(IntervalEstimate e) => $"[{F(e.Low)}, {F(e.High)}]";

    private static string Percent(double c) => (100 * c).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
