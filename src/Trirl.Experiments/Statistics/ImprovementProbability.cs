using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// The probability of improvement of rliable (Agarwal et al. 2021): on a task, <c>P(X &gt; Y) = U / (n_x n_y)</c> with
/// the Mann-Whitney U statistic of X, i.e. the fraction of run pairs <c>(x_i, y_j)</c> with <c>x_i &gt; y_j</c>, ties
/// counting one half; over several tasks, the mean of the tasks' probabilities. Its interval resamples the runs of X
/// and of Y independently within each task (rliable's StratifiedIndependentBootstrap).
/// </summary>
public static class ImprovementProbability
{
    /// <summary><c>P(X &gt; Y) + P(X = Y) / 2</c> over the runs of one task.</summary>
    public static double OfTask(IReadOnlyList<double> x, IReadOnlyList<double> y) => Pairs(PointEstimates.Checked(x), PointEstimates.Checked(y));

    /// <summary>The mean over tasks of <see cref="OfTask"/>; <c>x[t]</c> and <c>y[t]</c> are the runs of task <c>t</c>.</summary>
    public static double Of(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<IReadOnlyList<double>> y)
    {
        CheckTasks(x, y);
        return Enumerable.Range(0, x.Count).Average(t => OfTask(x[t], y[t]));
    }

    /// <summary><see cref="Of"/> with its stratified-independent bootstrap interval.</summary>
    public static IntervalEstimate WithInterval(
        IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<IReadOnlyList<double>> y, BootstrapSettings settings, string stream = "")
    {
        CheckTasks(x, y);
        int tasks = x.Count;
        // Strata 0..T-1 are X's tasks, T..2T-1 Y's: each is resampled on its own.
        var strata = x.Concat(y).ToArray();
        return StratifiedBootstrap.Interval(strata, s =>
        {
            double sum = 0;
            for (int t = 0; t < tasks; t++) sum += Pairs(s[t], s[tasks + t]);
            return sum / tasks;
        }, settings, stream);
    }

    private static double Pairs(double[] x, double[] y)
    {
        double u = 0;
        foreach (double xi in x)
            foreach (double yj in y)
                u += xi > yj ? 1 : xi == yj ? 0.5 : 0;
        return u / ((double)x.Length * y.Length);
    }

    internal static void CheckTasks(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<IReadOnlyList<double>> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0) throw new TrirlInputException("x", "has no task", "pass the runs of at least one task");
        if (x.Count != y.Count)
            throw new TrirlInputException("y", $"has {y.Count} tasks but x has {x.Count}", "pass the same tasks, in the same order, for both algorithms");
    }
}
