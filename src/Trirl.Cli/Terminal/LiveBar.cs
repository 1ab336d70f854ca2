using Spectre.Console;

namespace Trirl.Cli.Terminal;

/// <summary>
/// The choice every progress display of the CLI makes: a live Spectre.Console bar on an interactive console, plain lines
/// when output is redirected (tests, CI, pipes).
/// </summary>
public static class LiveBar
{
    /// <summary>
    /// Runs <paramref name="live"/> with one bar labelled <paramref name="label"/> over <paramref name="maxValue"/> (with a
    /// remaining-time column when <paramref name="remaining"/>) on an interactive console, else <paramref name="plain"/>.
    /// </summary>
    public static T Track<T>(string label, double maxValue, bool remaining, Func<ProgressTask, T> live, Func<T> plain)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(plain);
        var console = Ansi.Stdout();
        if (System.Console.IsOutputRedirected || !console.Profile.Capabilities.Interactive) return plain();
        ProgressColumn[] columns = remaining
            ? [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn()]
            : [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()];
        return console.Progress().AutoClear(false).Columns(columns).Start(ctx => live(ctx.AddTask(Markup.Escape(label), maxValue: maxValue)));
    }
}
