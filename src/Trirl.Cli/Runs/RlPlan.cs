using Trirl.Cli.Output;
using Trirl.Deep;
using Trirl.Functional;

namespace Trirl.Cli.Runs;

/// <summary>
/// A validated <c>trirl rl</c> run: the output folder, the started or resumed <see cref="RlRun"/>, the step budget. All
/// input checks happen in <see cref="Create"/>, before anything is written: a fresh run needs --env, --algo and --out
/// (and refuses a folder that already holds a run); a resumed run refuses flags that contradict its checkpoint.
/// </summary>
public sealed class RlPlan : IDisposable
{
    private RlPlan(RlArgs args, string dir, RlRun run, long steps, string device)
    {
        Args = args;
        Dir = dir;
        Run = run;
        Steps = steps;
        DeviceName = device;
    }

    /// <summary>The flags as given.</summary>
    public RlArgs Args { get; }

    /// <summary>Absolute output folder.</summary>
    public string Dir { get; }

    /// <summary>The run (fresh or resumed).</summary>
    public RlRun Run { get; }

    /// <summary>Total environment steps to reach.</summary>
    public long Steps { get; }

    /// <summary>The device as given (e.g. cpu).</summary>
    public string DeviceName { get; }

    /// <summary>Validates <paramref name="args"/> and starts or resumes the run.</summary>
    public static RlPlan Create(RlArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        long steps = RunFlags.Checked(args.Steps, args.CheckpointEvery, args.Threads, args.EvalEpisodes, 30000);
        return args.Resume is { } resume ? Resumed(args, resume, steps) : Fresh(args, steps);
    }

    private static RlPlan Fresh(RlArgs args, long steps)
    {
        if (string.IsNullOrWhiteSpace(args.Env)) throw new TrirlInputException("--env", "is missing", "pass --env, e.g. --env pendulum (or --resume DIR to continue a run)");
        if (string.IsNullOrWhiteSpace(args.Algo)) throw new TrirlInputException("--algo", "is missing", "pass --algo ppo or --algo sac");
        if (string.IsNullOrWhiteSpace(args.Out)) throw new TrirlInputException("--out", "is missing", "pass an output folder, e.g. --out runs/sac-pendulum");
        string algo = RlAlgo.Parse(args.Algo);
        string preset = RlPreset.Parse(args.Preset ?? RlPreset.Default);
        var env = Trirl.Environments.ContinuousEnvs.Create(args.Env);
        string dir = Path.GetFullPath(args.Out);
        if (File.Exists(dir)) throw new TrirlInputException("--out", $"'{args.Out}' is a file", "pass a folder");
        if (File.Exists(Path.Combine(dir, RlFolder.CheckpointPath)) || File.Exists(Path.Combine(dir, RlFolder.MetricsFile)))
            throw new TrirlInputException("--out", $"'{args.Out}' already holds a run", $"continue it with --resume {args.Out}, or pick a new folder");
        var settings = RlRunSettings.Create(env.Name, algo, args.Seed ?? 0, preset);
        if (args.Anchors is { } anchors) settings = settings.WithAnchors(ReturnAnchors.Load(anchors, env.Name));
        if (args.Threads is { } threads) settings = settings.WithThreads(threads);
        if (args.EvalEpisodes is { } episodes) settings = settings.WithEvalEpisodes(episodes);
        if (args.EvalEvery is { } every) settings = settings.WithEvalEvery(every);
        if (args.Set is { Count: > 0 } set)
            settings = settings.WithLearner(SettingsPatch.Apply(settings.Learner, set.Select(t => SettingsPatch.Parse(t, "--set")), "--set"));
        if (args.Noise is { } noise)
        {
            if (settings.Learner is not SacSettings sac)
                throw new TrirlInputException("--noise", $"sets SAC's exploration noise but --algo is {algo}", "omit --noise, or use --algo sac");
            settings = settings.WithLearner(sac.WithNoiseExponent(ColoredNoise.Parse(noise)));
        }
        var device = Devices.Parse(args.Device);
        return new RlPlan(args, dir, RlRun.Start(settings, device), steps, args.Device);
    }

    private static RlPlan Resumed(RlArgs args, string resume, long steps)
    {
        string dir = Path.GetFullPath(resume);
        if (!Directory.Exists(dir)) throw new TrirlInputException("--resume", $"'{resume}' is not a folder", "pass the folder of an earlier trirl rl run");
        string path = Path.Combine(dir, RlFolder.CheckpointPath);
        if (!File.Exists(path)) throw new TrirlInputException("--resume", $"'{resume}' holds no checkpoint ({RlFolder.CheckpointPath})", "pass the folder of an earlier trirl rl run");
        var file = CheckpointFile.Load(path);
        var saved = RlRun.ReadSettings(file, path);
        void Same(string flag, string? given, string savedValue, string what)
        {
            if (given is not null && !string.Equals(given.Trim(), savedValue, StringComparison.OrdinalIgnoreCase))
                throw new TrirlInputException(flag, $"is '{given}' but the checkpoint in '{resume}' is a {what} '{savedValue}' run",
                    $"omit {flag} when resuming (a run continues with its own settings), or start a new run in another folder");
        }
        Same("--env", args.Env, saved.Env, "env");
        Same("--algo", args.Algo, saved.Algo, "algo");
        Same("--preset", args.Preset, saved.PresetName, "preset");
        Same("--seed", args.Seed?.ToString(System.Globalization.CultureInfo.InvariantCulture), saved.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "seed");
        RunFlags.SameFolder(args.Out, dir, resume);
        foreach (var (flag, given) in new[] { ("--anchors", (object?)args.Anchors), ("--threads", args.Threads), ("--eval-episodes", args.EvalEpisodes), ("--eval-every", args.EvalEvery), ("--noise", args.Noise), ("--set", args.Set is { Count: > 0 } ? args.Set : null) })
            if (given is not null)
                throw new TrirlInputException(flag, "cannot change when resuming (the run continues with its own settings)", $"omit {flag}");
        using (var doc = file.ParseHeader())
            RunFlags.NotBehind(steps, doc.RootElement, resume);
        var device = Devices.Parse(args.Device);
        return new RlPlan(args, dir, RlRun.Resume(file, path, device), steps, args.Device);
    }

    /// <summary>Disposes the run.</summary>
    public void Dispose() => Run.Dispose();
}
