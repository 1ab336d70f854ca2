using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// The ratio of aggregate IQMs, <c>IQM(X) / IQM(Y)</c>, each pooled over the runs of the tasks both algorithms ran: the
/// form of the paper's headline ("2.4x aggregate IQM over the best baseline"). Its interval resamples the runs of X and of
/// Y independently within each task (as <see cref="ImprovementProbability"/> does). The ratio of two scores means
/// something only while the denominator is positive: it is undefined (NaN) when <c>IQM(Y) &lt;= 0</c>, and the interval
/// is undefined (NaN bounds) when any resample's <c>IQM(Y)</c> is <c>&lt;= 0</c>, rather than an interval over the
/// resamples that happen to be defined.
/// </summary>
public static class IqmRatio
{
    /// <summary><c>IQM(pooled x) / IQM(pooled y)</c>; <c>x[t]</c> and <c>y[t]</c> are the runs of task <c>t</c>.</summary>
    public static double Of(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<IReadOnlyList<double>> y)
    {
        ImprovementProbability.CheckTasks(x, y);
        return Ratio(x.Select(PointEstimates.Checked).ToArray(), y.Select(PointEstimates.Checked).ToArray());
    }

    /// <summary><see cref="Of"/> with its stratified-independent bootstrap interval (NaN bounds where it is undefined).</summary>
    public static IntervalEstimate WithInterval(
        IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<IReadOnlyList<double>> y, BootstrapSettings settings, string stream = "")
    {
        ImprovementProbability.CheckTasks(x, y);
        ArgumentNullException.ThrowIfNull(settings);
        int tasks = x.Count;
        // Strata 0..T-1 are X's tasks, T..2T-1 Y's: each is resampled on its own.
        var strata = x.Concat(y).ToArray();
        double point = Of(x, y);
        var reps = StratifiedBootstrap.Replicates(strata, s => [Ratio(s.Take(tasks).ToArray(), s.Skip(tasks).ToArray())],
            settings.Resamples, settings.Seed, stream);
        var column = reps.Select(r => r[0]).ToArray();
        if (column.Any(double.IsNaN)) return new IntervalEstimate(point, double.NaN, double.NaN);
        Array.Sort(column);
        return new IntervalEstimate(point,
            PointEstimates.PercentileOfSorted(column, 100 * (1 - settings.Confidence) / 2),
            PointEstimates.PercentileOfSorted(column, 100 * (1 + settings.Confidence) / 2));
    }

    private static double Ratio(IReadOnlyList<double[]> x, IReadOnlyList<double[]> y)
    {
        double denominator = StratifiedBootstrap.PooledIqm(y);
        return denominator > 0 ? StratifiedBootstrap.PooledIqm(x) / denominator : double.NaN;
    }
}
