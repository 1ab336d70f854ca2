using System.Text.Json;
using Trirl.Functional;

namespace Trirl.Cli.Runs;

/// <summary>
/// The checks that <c>rl</c>, <c>train</c> and <c>retrain</c> make alike: the step budget and the run flags before
/// anything else, and on <c>--resume</c> a budget not behind the checkpoint and no other output folder.
/// </summary>
internal static class RunFlags
{
    /// <summary>The step budget, after checking it and the checkpoint, thread and evaluation counts.</summary>
    public static long Checked(long? steps, int checkpointEvery, int? threads, int? evalEpisodes, long exampleSteps)
    {
        string fix = $"pass the total number of environment steps, e.g. --steps {exampleSteps}";
        if (steps is not { } n) throw new TrirlInputException("--steps", "is missing", fix);
        if (n < 1) throw new TrirlInputException("--steps", $"must be >= 1, got {n}", fix);
        if (checkpointEvery < 1) throw new TrirlInputException("--checkpoint-every", $"must be >= 1, got {checkpointEvery}", "checkpoint every few metrics rows, e.g. 10");
        if (threads is < 1) throw new TrirlInputException("--threads", $"must be >= 1, got {threads}", "pass a positive thread count");
        if (evalEpisodes is < 1) throw new TrirlInputException("--eval-episodes", $"must be >= 1, got {evalEpisodes}", "evaluate at least one episode per row");
        return n;
    }

    /// <summary>Refuses a budget below the <c>env_steps</c> the checkpoint header <paramref name="header"/> records.</summary>
    public static void NotBehind(long steps, JsonElement header, string resume)
    {
        long at = header.TryGetProperty("env_steps", out var e) && e.TryGetInt64(out long v) ? v : 0;
        if (steps < at)
            throw new TrirlInputException("--steps", $"is {steps} but the run in '{resume}' is already at {at} environment steps",
                $"pass a total of at least {at} steps");
    }

    /// <summary>Refuses an <c>--out</c> other than the resumed run's own folder <paramref name="dir"/>.</summary>
    public static void SameFolder(string? output, string dir, string resume)
    {
        if (output is { } o && Path.GetFullPath(o) != dir)
            throw new TrirlInputException("--out", $"is '{o}' but a resumed run writes into its own folder '{resume}'", "omit --out when resuming");
    }
}
