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
                return work(p =>
                {
                    task.Value = Math.Min(p.Metrics.EnvSteps, total);
                    task.Description = Markup.Escape($"{label}  return {R(p.Metrics["normalized_return"])}");
                });
            },
            () =>
            {
                long every = Math.Max(1, (total - start) / 10);
                long next = start + every;
                return work(p =>
                {
                    if (p.Metrics.EnvSteps >= next || p.Metrics.EnvSteps >= total)
                    {
                        System.Console.Out.WriteLine(Line(p));
                        while (next <= p.Metrics.EnvSteps) next += every;
                    }
                });
            });
    }

    /// <summary>The plain progress line, e.g. <c>env steps 4000/30000 normalized return 0.53 eval return -700.1 (1234 steps/s)</c>.</summary>
    public static string Line(RlProgress p) =>
        $"env steps {p.Metrics.EnvSteps}/{p.TotalSteps} normalized return {R(p.Metrics["normalized_return"])} " +
        $"eval return {p.Metrics["eval_return"].ToString("0.#", CultureInfo.InvariantCulture)} " +
        $"({p.Timing.EnvStepsPerSecond.ToString("0", CultureInfo.InvariantCulture)} steps/s)";

    private static string R(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
}
