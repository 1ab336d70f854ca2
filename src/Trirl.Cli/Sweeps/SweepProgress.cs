using Spectre.Console;
using Trirl.Cli.Terminal;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// Progress of a sweep: a Spectre.Console bar over the runs on an interactive console (its label counts running and
/// failed runs), and one plain line per finished run when output is redirected (tests, CI, pipes), e.g.
/// <c>[3/12] ok     cliff_trirl_s0_1a2b3c4d (1.9 s)</c>.
/// </summary>
public static class SweepProgress
{
    /// <summary>
    /// Runs <paramref name="work"/> with a reporter over <paramref name="total"/> runs of which <paramref name="done"/> are
    /// already done; the reporter takes each <see cref="SweepEvent"/>.
    /// </summary>
    public static T Track<T>(string label, int total, int done, Func<Action<SweepEvent>, T> work)
    {
        int finished = done;
        return LiveBar.Track(label, total, remaining: true,
            task =>
            {
                task.Value = done;
                return work(e =>
                {
                    if (e.Finished) task.Value = ++finished;
                    task.Description = Markup.Escape($"{label}  {e.Running} running{(e.Failed > 0 ? $", {e.Failed} failed" : "")}");
                });
            },
            () => work(e =>
            {
                if (!e.Finished) return;
                finished++;
                System.Console.Out.WriteLine(
                    $"[{finished}/{total}] {(e.Succeeded ? "ok    " : "FAILED")} {e.RunId} ({e.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s){(e.Succeeded ? "" : $": {e.Detail}")}");
            }));
    }
}
