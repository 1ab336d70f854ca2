namespace Trirl.Cli.Runs;

/// <summary>
/// A validated <c>trirl rl</c> run: the output folder, the started or resumed <see cref="RlRun"/>, the step budget. All
/// input checks happen in <see cref="Create"/>, before anything is written: a fresh run needs --env, --algo and --out
/// (and refuses a folder that already holds a run); a resumed run refuses flags that contradict its checkpoint.
/// </summary>
public sealed class RlPlan : RunPlan<RlArgs>
{
    private RlPlan(RlArgs args, string dir, RlRun run, long steps)
        : base(args, dir, run, steps)
    {
    }

    /// <summary>The device as given (e.g. cpu).</summary>
    public string DeviceName => Args.Shared.Device;

    /// <summary>Validates <paramref name="args"/> and starts or resumes the run.</summary>
    public static RlPlan Create(RlArgs args) => Create(args, "rl", 30000, Fresh, Resumed);

    private static RlPlan Fresh(RlArgs args, long steps)
    {
        var given = RunFlags.Fresh(args.Shared, "pass --env, e.g. --env pendulum (or --resume DIR to continue a run)", "ppo or --algo sac", "runs/sac-pendulum");
        string algo = RlAlgo.Parse(given.Algo);
        string preset = RlPreset.Parse(args.Shared.Preset ?? RlPreset.Default);
        var env = Trirl.Environments.ContinuousEnvs.Create(given.Env);
        string dir = RunFlags.FreshFolder(given.Output);
        var settings = RunFlags.Refined(RlRunSettings.Create(env.Name, algo, args.Shared.Seed ?? 0, preset), env.Name, args.Shared,
            args.EvalEvery, args.Set);
        if (args.Noise is { } noise)
        {
            if (settings.Learner is not SacSettings sac)
                throw new TrirlInputException("--noise", $"sets SAC's exploration noise but --algo is {algo}", "omit --noise, or use --algo sac");
            settings = settings.WithLearner(sac.WithNoiseExponent(ColoredNoise.Parse(noise)));
        }
        var device = Devices.Parse(args.Shared.Device);
        return new RlPlan(args, dir, RlRun.Start(settings, device), steps);
    }

    private static RlPlan Resumed(RlArgs args, ResumedCheckpoint checkpoint, long steps)
    {
        checkpoint.SameRun(args.Shared);
        checkpoint.SameFolder(args.Shared.Out);
        checkpoint.Unchanged("the run continues with its own settings", ("--anchors", args.Shared.Anchors), ("--threads", args.Shared.Threads),
            ("--eval-episodes", args.Shared.EvalEpisodes), ("--eval-every", args.EvalEvery), ("--noise", args.Noise), ("--set", args.Set is { Count: > 0 } ? args.Set : null));
        checkpoint.NotBehind(steps);
        return new RlPlan(args, checkpoint.Dir, checkpoint.Run(args.Shared.Device), steps);
    }
}
