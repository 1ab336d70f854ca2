using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// Performance profiles of rliable (Agarwal et al. 2021), the run-score distribution: for each threshold <c>tau</c>, the
/// fraction of all runs (over all tasks, pooled) whose score is above <c>tau</c> (strictly), with stratified-bootstrap
/// bands (runs resampled within each task).
/// </summary>
public static class PerformanceProfile
{
    /// <summary>Default number of thresholds.</summary>
    public const int DefaultThresholds = 101;

    /// <summary>The fraction of the pooled runs with a score strictly above <paramref name="tau"/>.</summary>
    public static double FractionAbove(IReadOnlyList<IReadOnlyList<double>> strata, double tau)
    {
        ArgumentNullException.ThrowIfNull(strata);
        int above = 0, total = 0;
        foreach (var s in strata)
            foreach (double x in PointEstimates.Checked(s)) { total++; if (x > tau) above++; }
        if (total == 0) throw new TrirlInputException("strata", "holds no run", "pass at least one score");
        return (double)above / total;
    }

    /// <summary><paramref name="count"/> evenly spaced thresholds from <paramref name="low"/> to <paramref name="high"/> (both included).</summary>
    public static IReadOnlyList<double> Thresholds(double low, double high, int count = DefaultThresholds)
    {
        if (count < 2) throw new TrirlInputException("count", $"must be >= 2, got {count}", "use e.g. 101 thresholds");
        if (!(double.IsFinite(low) && double.IsFinite(high) && high > low))
            throw new TrirlInputException("high", $"must be finite and above low ({low}), got {high}", "pass an increasing range");
        return Enumerable.Range(0, count).Select(i => i == count - 1 ? high : low + (high - low) * i / (count - 1)).ToArray();
    }

    /// <summary>The profile of one algorithm: at each threshold, the fraction above it with its bootstrap interval.</summary>
    public static ProfileCurve Of(
        string name, IReadOnlyList<IReadOnlyList<double>> strata, IReadOnlyList<double> thresholds, BootstrapSettings settings, string stream = "")
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var taus = thresholds.ToArray();
        var points = StratifiedBootstrap.Intervals(strata, s =>
        {
            int total = 0;
            foreach (var stratum in s) total += stratum.Length;
            var fractions = new double[taus.Length];
            for (int k = 0; k < taus.Length; k++)
            {
                int above = 0;
                foreach (var stratum in s)
                    foreach (double x in stratum) if (x > taus[k]) above++;
                fractions[k] = (double)above / total;
            }
            return fractions;
        }, settings, stream);
        return new ProfileCurve(name, taus, points);
    }
}
