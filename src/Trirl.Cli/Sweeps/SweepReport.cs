using Plotly.NET;
using Trirl.Cli.Output;
using Trirl.Experiments;
using Trirl.FSharp;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// <c>report.html</c> of <c>trirl sweep aggregate</c>, drawn with the project's chart module (<see cref="Charts"/>, plotly.js
/// embedded): a header (the sweeps, runs, tasks, algorithms, each algorithm's IQM of the first metric, the bootstrap, when
/// written; the preamble folded under it), then per metric the IQM of every (env, algo) and of every algorithm over its
/// tasks with their intervals, the probabilities of improvement, and the performance profiles with their bands.
/// </summary>
public static class SweepReport
{
    /// <summary>The self-contained HTML page, written at <paramref name="written"/> (UTC).</summary>
    public static string Html(SweepAggregate aggregate, string title, string preamble, IReadOnlyList<string> sweeps, int runs, DateTime written) =>
        Charts.toReportPage(title, Facts(aggregate, sweeps, runs, written), preamble, ChartsOf(aggregate));

    /// <summary>The header: what was aggregated and, per algorithm, the IQM of the first metric with its interval.</summary>
    public static IEnumerable<ReportFact> Facts(SweepAggregate aggregate, IReadOnlyList<string> sweeps, int runs, DateTime written)
    {
        string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);
        yield return ReportFacts.Command("sweep aggregate");
        yield return ReportFacts.Fact(sweeps.Count == 1 ? "sweep" : "sweeps", string.Join(", ", sweeps));
        yield return ReportFacts.Fact("runs", runs.ToString(CultureInfo.InvariantCulture));
        if (aggregate.Metrics.Count > 0)
        {
            var first = aggregate.Metrics[0];
            yield return ReportFacts.Fact("tasks", first.Groups.Select(g => g.Env).Distinct(StringComparer.Ordinal).Count().ToString(CultureInfo.InvariantCulture));
            foreach (var a in first.Algos)
                yield return ReportFacts.Fact($"{first.Metric.Key} IQM {a.Algo}", $"{F(a.Iqm.Point)} [{F(a.Iqm.Low)}, {F(a.Iqm.High)}]");
        }
        yield return ReportFacts.Fact("bootstrap", $"{aggregate.Bootstrap.Resamples} resamples, {100 * aggregate.Bootstrap.Confidence:0.##}% intervals");
        yield return ReportFacts.Written(written);
    }

    private static IEnumerable<GenericChart> ChartsOf(SweepAggregate aggregate)
    {
        string level = $"{100 * aggregate.Bootstrap.Confidence:0.##}%";
        foreach (var m in aggregate.Metrics)
        {
            string name = $"{m.Metric.Title} ({m.Metric.Key})";
            yield return Interval($"{name}: IQM per task with {level} CIs", "IQM", m.Groups.Select(g => ($"{g.Env} / {g.Algo}", g.Iqm)));
            yield return Interval($"{name}: aggregate IQM over tasks with {level} CIs", "IQM", m.Algos.Select(a => (a.Algo, a.Iqm)));
            if (m.Improvements.Count > 0)
                yield return Charts.improvementProbabilities($"{name}: probability of improvement with {level} CIs",
                    m.Improvements.Select(p => $"P({p.X} > {p.Y})"), m.Improvements.Select(p => p.Probability.Point),
                    m.Improvements.Select(p => p.Probability.Low), m.Improvements.Select(p => p.Probability.High));
            yield return Charts.performanceProfiles($"{name}: performance profiles ({level} bands)", "score threshold tau",
                m.Profiles.Select(p => p.Name), m.Profiles[0].Thresholds,
                m.Profiles.Select(p => p.Fractions.Select(f => f.Point)),
                m.Profiles.Select(p => p.Fractions.Select(f => f.Low)),
                m.Profiles.Select(p => p.Fractions.Select(f => f.High)));
        }
    }

    private static GenericChart Interval(string title, string x, IEnumerable<(string Label, IntervalEstimate Estimate)> rows)
    {
        var r = rows.ToArray();
        return Charts.intervalEstimates(title, x, r.Select(e => e.Label), r.Select(e => e.Estimate.Point), r.Select(e => e.Estimate.Low), r.Select(e => e.Estimate.High));
    }
}
