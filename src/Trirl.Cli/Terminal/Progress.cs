using Spectre.Console;

namespace Trirl.Cli.Terminal;

/// <summary>
/// Renders the learner's progress: a Spectre.Console progress bar on an interactive console, and a plain line about
/// every 10% of the iterations when output is redirected (tests, CI, pipes).
/// </summary>
public static class Progress
{
    /// <summary>Runs <paramref name="work"/> with a progress callback over <paramref name="total"/> iterations.</summary>
    public static T Track<T>(string label, int total, Func<IProgress<TrirlIteration>, T> work)
    {
        int every = Math.Max(1, (int)Math.Ceiling(total / 10.0));
        return LiveBar.Track(label, total, remaining: false,
            task => work(new Callback(it =>
            {
                task.Value = it.Iteration;
                task.Description = Markup.Escape($"{label}  gap {Gap(it.Gap)}");
            })),
            () => work(new Callback(it =>
            {
                if (it.Iteration % every == 0 || it.Iteration == total) System.Console.Out.WriteLine(Line(it, total));
            })));
    }

    /// <summary>The plain progress line, e.g. <c>iteration 12/60 gap 1.2e-05 return 0.93</c>.</summary>
    public static string Line(TrirlIteration it, int total) =>
        $"iteration {it.Iteration}/{total} gap {Gap(it.Gap)} return {Return(it.NormalizedReturn)}";

    /// <summary>A gap in short scientific notation, e.g. <c>1.2e-05</c>.</summary>
    public static string Gap(double gap) => gap.ToString("0.0e+00", CultureInfo.InvariantCulture);

    /// <summary>A normalised return with four decimals, or <c>n/a</c> when there is none (no true reward to score with).</summary>
    public static string Return(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.####", CultureInfo.InvariantCulture);

    private sealed class Callback(Action<TrirlIteration> report) : IProgress<TrirlIteration>
    {
        public void Report(TrirlIteration value) => report(value);
    }
}
