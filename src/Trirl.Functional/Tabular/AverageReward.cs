namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// One step of the running average of the reward iterates on a fixed set of rows (Polyak-Ruppert averaging):
    /// <code>rbar_n = (1 - 1/n) rbar_{n-1} + (1/n) r_n = (1/n) sum_{i=1..n} r_i</code>
    /// With noisy estimates of <c>D</c> and a constant step, the iterates <c>r_i</c> of the dual descent hover around
    /// the solution; their average settles (the average play of no-regret dynamics). At <c>n = 1</c> the average is
    /// <c>r_1</c> (for any finite <paramref name="average"/>).
    /// </summary>
    /// <param name="average"><c>rbar_{n-1}</c> on the rows.</param>
    /// <param name="latest"><c>r_n</c> on the same rows.</param>
    /// <param name="n">The index of <paramref name="latest"/>, from 1.</param>
    public static double[] AverageReward(IReadOnlyList<double> average, IReadOnlyList<double> latest, long n)
    {
        ArgumentNullException.ThrowIfNull(average);
        ArgumentNullException.ThrowIfNull(latest);
        if (n < 1) throw new TrirlInputException(nameof(n), $"must be >= 1 (the index of the latest iterate), got {n}", "count the iterates from 1");
        if (average.Count != latest.Count)
            throw new TrirlInputException(nameof(latest), $"has {latest.Count} rows, the average {average.Count}", "evaluate both rewards on the same rows");
        var next = new double[latest.Count];
        double weight = 1.0 / n;
        // At n = 1 the first term is 0 * rbar_0: the average starts at r_1 (rbar_0 must be finite).
        for (int i = 0; i < next.Length; i++) next[i] = (1 - weight) * average[i] + weight * latest[i];
        return next;
    }
}
