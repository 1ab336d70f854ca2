using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// Point estimates of a sample of scores: mean, median, trimmed mean, interquartile mean and percentiles, defined as
/// numpy and scipy define them (so that the numbers match rliable, Agarwal et al. 2021).
/// <list type="bullet">
/// <item><b>IQM</b> = <c>scipy.stats.trim_mean(x, 0.25)</c>: sort the n scores, cut <c>k = floor(n / 4)</c> from each
/// end and average the middle <c>n - 2k</c> (no fractional weights): n = 4..7 keep the middle 2..5 (n = 5: the middle
/// 3), n = 8 the middle 4, n &lt; 4 keeps every score.</item>
/// <item><b>Median</b>: the middle score, or the mean of the two middle scores when n is even.</item>
/// <item><b>Percentile</b> q: numpy's default (linear): <c>h = (n - 1) q / 100</c>, then
/// <c>x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])</c> over the sorted scores.</item>
/// </list>
/// Every function refuses an empty sample and non-finite scores.
/// </summary>
public static class PointEstimates
{
    /// <summary>The proportion cut from each end for the interquartile mean.</summary>
    public const double IqmCut = 0.25;

    /// <summary>The arithmetic mean.</summary>
    public static double Mean(IReadOnlyList<double> scores) => MeanOf(Checked(scores));

    /// <summary>The median (the mean of the two middle scores when n is even).</summary>
    public static double Median(IReadOnlyList<double> scores) => MedianOfSorted(Sorted(scores));

    /// <summary>
    /// The trimmed mean: <c>k = floor(proportion * n)</c> scores cut from each end of the sorted sample, the rest
    /// averaged (<c>scipy.stats.trim_mean</c>); <paramref name="proportion"/> in [0, 0.5).
    /// </summary>
    public static double TrimmedMean(IReadOnlyList<double> scores, double proportion)
    {
        if (!(proportion >= 0 && proportion < 0.5))
            throw new TrirlInputException("proportion", $"must be in [0, 0.5), got {proportion}", "cut less than half from each end, e.g. 0.25");
        return TrimmedMeanOfSorted(Sorted(scores), proportion);
    }

    /// <summary>The interquartile mean: <see cref="TrimmedMean"/> with 25% cut from each end.</summary>
    public static double Iqm(IReadOnlyList<double> scores) => TrimmedMean(scores, IqmCut);

    /// <summary>The <paramref name="percent"/>-th percentile (numpy's linear interpolation), <paramref name="percent"/> in [0, 100].</summary>
    public static double Percentile(IReadOnlyList<double> scores, double percent)
    {
        if (!(percent >= 0 && percent <= 100))
            throw new TrirlInputException("percent", $"must be in [0, 100], got {percent}", "pass a percentile such as 2.5");
        return PercentileOfSorted(Sorted(scores), percent);
    }

    internal static double MeanOf(ReadOnlySpan<double> xs)
    {
        double sum = 0;
        foreach (double x in xs) sum += x;
        return sum / xs.Length;
    }

    internal static double MedianOfSorted(ReadOnlySpan<double> sorted)
    {
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    internal static double TrimmedMeanOfSorted(ReadOnlySpan<double> sorted, double proportion)
    {
        int k = (int)(proportion * sorted.Length);
        return MeanOf(sorted[k..(sorted.Length - k)]);
    }

    internal static double PercentileOfSorted(ReadOnlySpan<double> sorted, double percent)
    {
        double h = (sorted.Length - 1) * percent / 100;
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    internal static double[] Sorted(IReadOnlyList<double> scores)
    {
        var xs = Checked(scores);
        Array.Sort(xs);
        return xs;
    }

    /// <summary>A copy of the scores, refusing an empty sample and non-finite values.</summary>
    internal static double[] Checked(IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0) throw new TrirlInputException("scores", "is empty", "pass at least one score");
        var xs = scores.ToArray();
        for (int i = 0; i < xs.Length; i++)
            if (!double.IsFinite(xs[i]))
                throw new TrirlInputException($"scores[{i}]", $"is {xs[i]}", "pass finite scores (drop runs without a result)");
        return xs;
    }
}
