namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// One step of a running weighted average of the reward iterates on a fixed set of rows:
    /// <code>rbar_n = (1 - w_n) rbar_{n-1} + w_n r_n</code>
    /// With <see cref="UniformAverageWeight"/> (<c>w_n = 1/n</c>) it is <c>(1/n) sum_{i=1..n} r_i</c> (Polyak-Ruppert
    /// averaging); with <see cref="HarmonicAverageWeight"/> it is <c>sum_{i=1..n} r_i / i</c> over <c>H_n</c>. With noisy
    /// estimates of <c>D</c> and a constant step the iterates of the dual descent hover around the solution, and an
    /// average settles where the last iterate does not. At <c>w_1 = 1</c> the average is <c>r_1</c> (for any finite
    /// <paramref name="average"/>).
    /// </summary>
    /// <param name="average"><c>rbar_{n-1}</c> on the rows.</param>
    /// <param name="latest"><c>r_n</c> on the same rows.</param>
    /// <param name="weight"><c>w_n</c>, in (0, 1].</param>
    public static double[] AverageReward(IReadOnlyList<double> average, IReadOnlyList<double> latest, double weight)
    {
        ArgumentNullException.ThrowIfNull(average);
        ArgumentNullException.ThrowIfNull(latest);
        if (!(weight > 0 && weight <= 1))
            throw new TrirlInputException(nameof(weight), $"must lie in (0, 1], got {Check.Format(weight)}", "use UniformAverageWeight(n) or HarmonicAverageWeight(n)");
        if (average.Count != latest.Count)
            throw new TrirlInputException(nameof(latest), $"has {latest.Count} rows, the average {average.Count}", "evaluate both rewards on the same rows");
        var next = new double[latest.Count];
        for (int i = 0; i < next.Length; i++) next[i] = (1 - weight) * average[i] + weight * latest[i];
        return next;
    }

    /// <summary>The weight <c>w_n = 1/n</c> of the <c>n</c>-th iterate (from 1) in the uniform average <c>(1/n) sum_i r_i</c>.</summary>
    public static double UniformAverageWeight(long n)
    {
        CheckIterate(n);
        return 1.0 / n;
    }

    /// <summary>
    /// The weight <c>w_n = (1/n) / H_n</c>, <c>H_n = sum_{k=1..n} 1/k</c>, of the <c>n</c>-th iterate (from 1) in the
    /// harmonic average <c>sum_i (r_i / i) / H_n</c>: early iterates weigh more, and the first <c>m</c> keep the share
    /// <c>H_m / H_n</c>, which falls only as <c>log</c> of the run's length.
    /// </summary>
    public static double HarmonicAverageWeight(long n)
    {
        CheckIterate(n);
        double h = 0;
        for (long k = 1; k <= n; k++) h += 1.0 / k;
        return 1.0 / n / h;
    }

    private static void CheckIterate(long n)
    {
        if (n < 1) throw new TrirlInputException(nameof(n), $"must be >= 1 (the index of the latest iterate), got {n}", "count the iterates from 1");
    }
}
