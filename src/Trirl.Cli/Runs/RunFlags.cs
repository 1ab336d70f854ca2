using System.Text.Json;
using Trirl.Cli.Output;

namespace Trirl.Cli.Runs;

/// <summary>
/// The checks that <c>rl</c>, <c>train</c> and <c>retrain</c> make alike: the step budget and the run flags before
/// anything else, the flags a fresh run needs and its output folder, and on <c>--resume</c> a budget not behind the
/// checkpoint and no other output folder (<see cref="ResumedCheckpoint"/>).
/// </summary>
internal static class RunFlags
{
    /// <summary>The step budget of <paramref name="args"/>, after checking it and the checkpoint, thread and evaluation counts.</summary>
    public static long Checked(RunArgs args, long exampleSteps)
    {
        string fix = $"pass the total number of environment steps, e.g. --steps {exampleSteps}";
        if (args.Steps is not { } n) throw new TrirlInputException("--steps", "is missing", fix);
        Check.PositiveInt(n, "--steps", fix);
        Check.PositiveInt(args.CheckpointEvery, "--checkpoint-every", "checkpoint every few metrics rows, e.g. 10");
        Check.PositiveInt(args.Threads, "--threads", "pass a positive thread count");
        Check.PositiveInt(args.EvalEpisodes, "--eval-episodes", "evaluate at least one episode per row");
        return n;
    }

    /// <summary>The value of <paramref name="flag"/>, which a fresh run needs: refuses it missing or blank.</summary>
    public static string Required(string? value, string flag, string fix) =>
        string.IsNullOrWhiteSpace(value) ? throw new TrirlInputException(flag, "is missing", fix) : value;

    /// <summary>
    /// The flags every fresh run needs, in this order: <c>--env</c>, <c>--algo</c> (the fix names <paramref name="algos"/>)
    /// and <c>--out</c> (the fix suggests <paramref name="exampleOut"/>). The preset is parsed by each command's plan.
    /// </summary>
    public static FreshFlags Fresh(RunArgs args, string envFix, string algos, string exampleOut)
    {
        ArgumentNullException.ThrowIfNull(args);
        string env = Required(args.Env, "--env", envFix);
        string algo = Required(args.Algo, "--algo", $"pass --algo {algos}");
        string output = Required(args.Out, "--out", $"pass an output folder, e.g. --out {exampleOut}");
        return new FreshFlags(env, algo, output);
    }

    /// <summary>The absolute folder of a fresh run's <c>--out</c>: refuses a file and a folder that already holds a run.</summary>
    public static string FreshFolder(string output)
    {
        string dir = Path.GetFullPath(output);
        if (File.Exists(dir)) throw new TrirlInputException("--out", $"'{output}' is a file", "pass a folder");
        if (File.Exists(Path.Combine(dir, RlFolder.CheckpointPath)) || File.Exists(Path.Combine(dir, RlFolder.MetricsFile)))
            throw new TrirlInputException("--out", $"'{output}' already holds a run", $"continue it with --resume {output}, or pick a new folder");
        return dir;
    }

    /// <summary>
    /// <paramref name="settings"/> with the flags a fresh run may refine: <c>--anchors</c> (read for
    /// <paramref name="env"/>), <c>--threads</c> and <c>--eval-episodes</c> of <paramref name="args"/>, <c>--eval-every</c>
    /// and the learner's <c>--set</c> overrides (each left as it is when absent).
    /// </summary>
    public static RlRunSettings Refined(RlRunSettings settings, string env, RunArgs args, int? evalEvery = null, IReadOnlyList<string>? set = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Anchors is { } a) settings = settings.WithAnchors(ReturnAnchors.Load(a, env));
        if (args.Threads is { } t) settings = settings.WithThreads(t);
        if (args.EvalEpisodes is { } e) settings = settings.WithEvalEpisodes(e);
        if (evalEvery is { } every) settings = settings.WithEvalEvery(every);
        if (set is { Count: > 0 })
            settings = settings.WithLearner(SettingsPatch.Apply(settings.Learner, set.Select(t => SettingsPatch.Parse(t, "--set")), "--set"));
        return settings;
    }

    /// <summary>The <c>env_steps</c> the checkpoint header <paramref name="header"/> records (0 when it records none).</summary>
    public static long EnvSteps(JsonElement header) =>
        header.TryGetProperty("env_steps", out var e) && e.TryGetInt64(out long v) ? v : 0;

    /// <summary>Refuses a budget below the <c>env_steps</c> the checkpoint header <paramref name="header"/> records.</summary>
    public static void NotBehind(long steps, JsonElement header, string resume)
    {
        long at = EnvSteps(header);
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
