using System.Text;
using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// The stratified percentile bootstrap of rliable (Agarwal et al. 2021): the scores come in strata (one per task, or
/// per task and algorithm), each resample draws <c>n_s</c> scores with replacement within every stratum <c>s</c> (so
/// every task keeps its number of runs), the statistic is computed on the resampled strata, and the interval is the
/// <c>(1 - c) / 2</c> and <c>(1 + c) / 2</c> percentiles (numpy's linear interpolation) of the resampled statistics.
/// Draws come from <see cref="Rng"/> seeded with <c>Rng.Derive(seed, FNV-1a(stream))</c>, in the order
/// resample, stratum, position, so a seed and a stream name give the same interval on every machine.
/// </summary>
public static class StratifiedBootstrap
{
    /// <summary>
    /// The resampled values of a vector statistic: <c>result[b][k]</c> is component <c>k</c> on resample <c>b</c>.
    /// </summary>
    public static double[][] Replicates(
        IReadOnlyList<IReadOnlyList<double>> strata, Func<IReadOnlyList<double[]>, double[]> statistic, int resamples, long seed, string stream = "")
    {
        var data = CheckedStrata(strata);
        ArgumentNullException.ThrowIfNull(statistic);
        if (resamples < 1) throw new TrirlInputException("resamples", $"must be >= 1, got {resamples}", "use e.g. 2000 resamples");
        var rng = Rng.Derive(seed, StreamId(stream));
        var resampled = data.Select(s => new double[s.Length]).ToArray();
        var result = new double[resamples][];
        for (int b = 0; b < resamples; b++)
        {
            for (int s = 0; s < data.Length; s++)
            {
                var (from, to) = (data[s], resampled[s]);
                for (int i = 0; i < to.Length; i++) to[i] = from[rng.NextInt(from.Length)];
            }
            result[b] = statistic(resampled);
        }
        return result;
    }

    /// <summary>Point estimates and percentile intervals of every component of a vector statistic.</summary>
    public static IReadOnlyList<IntervalEstimate> Intervals(
        IReadOnlyList<IReadOnlyList<double>> strata, Func<IReadOnlyList<double[]>, double[]> statistic, BootstrapSettings settings, string stream = "")
    {
        ArgumentNullException.ThrowIfNull(settings);
        var data = CheckedStrata(strata);
        var point = statistic(data.Select(s => (double[])s.Clone()).ToArray());
        var reps = Replicates(data, statistic, settings.Resamples, settings.Seed, stream);
        double lowPercent = 100 * (1 - settings.Confidence) / 2, highPercent = 100 * (1 + settings.Confidence) / 2;
        var result = new IntervalEstimate[point.Length];
        var column = new double[reps.Length];
        for (int k = 0; k < point.Length; k++)
        {
            for (int b = 0; b < reps.Length; b++) column[b] = reps[b][k];
            Array.Sort(column);
            result[k] = new IntervalEstimate(point[k],
                PointEstimates.PercentileOfSorted(column, lowPercent), PointEstimates.PercentileOfSorted(column, highPercent));
        }
        return result;
    }

    /// <summary>The point estimate and percentile interval of a scalar statistic.</summary>
    public static IntervalEstimate Interval(
        IReadOnlyList<IReadOnlyList<double>> strata, Func<IReadOnlyList<double[]>, double> statistic, BootstrapSettings settings, string stream = "")
    {
        ArgumentNullException.ThrowIfNull(statistic);
        return Intervals(strata, s => [statistic(s)], settings, stream)[0];
    }

    /// <summary>The interquartile mean of all strata pooled (rliable's aggregate IQM over runs x tasks).</summary>
    public static double PooledIqm(IReadOnlyList<double[]> strata) => PooledTrimmedMean(strata, PointEstimates.IqmCut);

    /// <summary>The mean of all strata pooled.</summary>
    public static double PooledMean(IReadOnlyList<double[]> strata) => PointEstimates.MeanOf(Pool(strata));

    /// <summary>The median of all strata pooled.</summary>
    public static double PooledMedian(IReadOnlyList<double[]> strata)
    {
        var xs = Pool(strata);
        Array.Sort(xs);
        return PointEstimates.MedianOfSorted(xs);
    }

    private static double PooledTrimmedMean(IReadOnlyList<double[]> strata, double proportion)
    {
        var xs = Pool(strata);
        Array.Sort(xs);
        return PointEstimates.TrimmedMeanOfSorted(xs, proportion);
    }

    private static double[] Pool(IReadOnlyList<double[]> strata)
    {
        var xs = new double[strata.Sum(s => s.Length)];
        int at = 0;
        foreach (var s in strata) { s.CopyTo(xs, at); at += s.Length; }
        return xs;
    }

    private static double[][] CheckedStrata(IReadOnlyList<IReadOnlyList<double>> strata)
    {
        ArgumentNullException.ThrowIfNull(strata);
        if (strata.Count == 0) throw new TrirlInputException("strata", "is empty", "pass at least one stratum of scores");
        return strata.Select(PointEstimates.Checked).ToArray();
    }

    /// <summary>FNV-1a (64-bit) of the UTF-8 stream name: a stable stream number per named quantity.</summary>
    internal static long StreamId(string stream)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(stream ?? "")) h = (h ^ b) * 1099511628211UL;
        return unchecked((long)h);
    }
}
