using Spectre.Console;

namespace Trirl.Cli.Terminal;

/// <summary>
/// Progress of an RL run: a Spectre.Console bar over environment steps on an interactive console, and a plain line at
/// about every 10% of the budget when output is redirected (tests, CI, pipes).
/// </summary>
public static class TrainingProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports each <see cref="RlProgress"/> through the callback it is given.</summary>
    public static T Track<T>(string label, long total, long start, Func<Action<RlProgress>, T> work)
    {
        return LiveBar.Track(label, total, remaining: true,
            task =>
            {
                task.Value = Math.Min(start, total);
                MetricsRow? evaluated = null;
                return work(p =>
                {
                    evaluated = LastEvaluated(evaluated, p.Metrics);
                    task.Value = Math.Min(p.Metrics.EnvSteps, total);
                    task.Description = Markup.Escape($"{label}  return {R(evaluated is null ? double.NaN : evaluated.NormalizedReturn)}");
                });
            },
            () =>
            {
                long every = Math.Max(1, (total - start) / 10);
                long next = start + every;
                MetricsRow? evaluated = null;
                return work(p =>
                {
                    evaluated = LastEvaluated(evaluated, p.Metrics);
                    if (p.Metrics.EnvSteps >= next || p.Metrics.EnvSteps >= total)
                    {
                        System.Console.Out.WriteLine(Line(p, evaluated));
                        while (next <= p.Metrics.EnvSteps) next += every;
                    }
                });
            });
    }

    /// <summary>
    /// The plain progress line, e.g. <c>env steps 4000/30000 normalized return 0.53 eval return -700.1 (1234 steps/s)</c>.
    /// With <c>--eval-every N</c> most rows carry no evaluation (NaN), so the line shows the latest evaluated row
    /// <paramref name="evaluated"/> and its step (<c>... eval return -700.1 at 3000 (...)</c>) when that is not this row,
    /// and <c>n/a</c> before the first evaluation.
    /// </summary>
    public static string Line(RlProgress p, MetricsRow? evaluated)
    {
        string steps = $"({p.Timing.EnvStepsPerSecond.ToString("0", CultureInfo.InvariantCulture)} steps/s)";
        string head = $"env steps {p.Metrics.EnvSteps}/{p.TotalSteps}";
        if (evaluated is null) return $"{head} normalized return n/a (no evaluation yet) {steps}";
        string at = evaluated.EnvSteps == p.Metrics.EnvSteps ? "" : $" at {evaluated.EnvSteps}";
        return $"{head} normalized return {R(evaluated.NormalizedReturn)} " +
               $"eval return {evaluated.EvalReturn.ToString("0.#", CultureInfo.InvariantCulture)}{at} {steps}";
    }

    /// <summary>The row to show: <paramref name="row"/> when it was evaluated (its eval return is a number), else <paramref name="previous"/>.</summary>
    public static MetricsRow? LastEvaluated(MetricsRow? previous, MetricsRow row) =>
        double.IsNaN(row.EvalReturn) ? previous : row;

    private static string R(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
}
