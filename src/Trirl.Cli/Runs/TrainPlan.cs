using Trirl.Environments;
using Trirl.Environments.Data;

namespace Trirl.Cli.Runs;

/// <summary>
/// A validated <c>trirl train</c> run: the output folder, the started or resumed imitation <see cref="RlRun"/>, the step
/// budget and where the demonstrations came from. Every check happens in <see cref="Create"/>, before anything is
/// written: unknown names, demonstrations that do not fit the task (or an unreadable .npz), flags that do not apply to
/// the algorithm, a folder that already holds a run, and on resume flags that contradict the checkpoint.
/// </summary>
public sealed class TrainPlan : RunPlan<TrainArgs>
{
    private TrainPlan(TrainArgs args, string dir, RlRun run, long steps)
        : base(args, dir, run, steps)
    {
    }

    /// <summary>The imitation settings of the run.</summary>
    public ImitationSettings Settings => (ImitationSettings)Run.Settings.Learner;

    /// <summary>Validates <paramref name="args"/> (a sweep's plan too) and starts or resumes the run.</summary>
    public static TrainPlan Create(TrainArgs args)
    {
        Check.PositiveInt(args.RewardEvery, "--reward-every", "pass a number of env steps");
        var plan = Create(args, "train", 100000, Fresh, Resumed);
        // The method is known only once the run exists (a resumed run takes it from its checkpoint).
        if (args.RewardEvery is not null && plan.Settings.Method == ImitationMethod.Bc)
        {
            plan.Dispose();
            throw new TrirlInputException("--reward-every", "bc learns no reward", "omit --reward-every with --algo bc (in a sweep spec, give bc its own spec)");
        }
        return plan;
    }

    /// <summary>
    /// The settings of a fresh run: the preset of the algorithm, then the flags that refine it (each checked: the eta
    /// schedule and the reward model apply to trirl only, observation-only features not to airl or bc).
    /// </summary>
    public static ImitationSettings SettingsFor(ImitationMethod method, string preset, bool obsOnly, string? etaSchedule, string? rewardModel)
    {
        var s = ImitationSettings.Preset(method, preset);
        string name = EnumNames.Name(method);
        if (etaSchedule is not null)
        {
            var kind = EtaSchedule.Parse(etaSchedule);
            if (method != ImitationMethod.Trirl)
                throw new TrirlInputException("--eta-schedule", $"applies to --algo trirl, not {name} ({name} takes a plain PPO step, eta = 0)", "omit --eta-schedule");
            s = s.WithEtaSchedule(kind);
        }
        if (rewardModel is not null)
        {
            var model = RewardModels.Parse(rewardModel);
            if (method != ImitationMethod.Trirl && model != RewardModelKind.Buffer)
                throw new TrirlInputException("--reward-model", $"{rewardModel} applies to --algo trirl, not {name}", "omit --reward-model");
            s = s.WithRewardModel(model);
        }
        if (obsOnly)
        {
            if (method is ImitationMethod.Airl or ImitationMethod.Bc)
                throw new TrirlInputException("--obs-only", method == ImitationMethod.Airl ? "airl's reward is state-only already" : "bc needs the expert's actions",
                    "omit --obs-only, or use --algo trirl or gail");
            s = s.WithFeatures(FeatureMode.StateNextState);
        }
        return (ImitationSettings)s.Validated();
    }

    /// <summary>
    /// The demonstrations of a fresh run: <paramref name="path"/> when given, else the task's shipped expert
    /// demonstrations; checked against the task either way. Returns them with a description of their source.
    /// </summary>
    public static (TransitionDataset Demos, string Source) LoadDemos(string? path, ContinuousEnv env)
    {
        if (path is not null) return (Demonstrations.Load(path, env), Path.GetFullPath(path));
        if (ShippedExperts.Has(env.Name))
            return (Demonstrations.Checked(ShippedExperts.Demonstrations(env.Name), env, $"shipped demonstrations of {env.Name}"), $"shipped:{env.Name}");
        throw new TrirlInputException("--demos", $"is missing and this build ships no demonstrations for {env.Name}",
            $"pass an .npz of expert transitions, e.g. from trirl expert --env {env.Name} --out DIR (DIR/demos.npz)");
    }

    private static TrainPlan Fresh(TrainArgs args, long steps)
    {
        var given = RunFlags.Fresh(args.Shared, "pass --env, e.g. --env pendulum (or --resume DIR to continue a run)", "trirl, gail, airl or bc", "runs/trirl-pendulum");
        var method = ImitationMethods.Parse(given.Algo);
        string preset = RlPreset.Parse(args.Shared.Preset ?? RlPreset.Default);
        var env = ContinuousEnvs.Create(given.Env);
        var settings = SettingsFor(method, preset, args.ObsOnly, args.EtaSchedule, args.RewardModel);
        if (args.Set is { Count: > 0 } set)
            settings = (ImitationSettings)SettingsPatch.Apply(settings, set.Select(t => SettingsPatch.Parse(t, "--set")), "--set");
        string dir = RunFlags.FreshFolder(given.Output);
        var (demos, source) = LoadDemos(args.Demos, env);
        var anchors = args.Shared.Anchors is { } a ? ReturnAnchors.Load(a, env.Name) : ReturnAnchors.For(env);
        var run = new RlRunSettings(ContinuousTask.Parse(env.Name), args.Shared.Seed ?? 0, DeepPresets.Parse(preset), args.Shared.Threads ?? TorchRuntime.DefaultThreads,
            args.Shared.EvalEpisodes ?? RlRunSettings.DefaultEvalEpisodes, anchors, settings.WithDemosSource(source))
        {
            EvalEvery = args.EvalEvery ?? 1,
        };
        var device = Devices.Parse(args.Shared.Device);
        return new TrainPlan(args, dir, RlRun.StartImitation(run, demos, device), steps);
    }

    private static TrainPlan Resumed(TrainArgs args, ResumedCheckpoint checkpoint, long steps)
    {
        var saved = checkpoint.Saved;
        if (saved.Learner is not ImitationSettings imitation)
            throw new TrirlInputException("--resume", $"'{checkpoint.Resume}' holds a trirl rl run ({saved.Algo}), not a train run", $"continue it with trirl rl --resume {checkpoint.Resume}");
        checkpoint.SameRun(args.Shared);
        checkpoint.Same("--eta-schedule", args.EtaSchedule, EnumNames.Name(imitation.EtaSchedule.Kind), "eta schedule");
        checkpoint.Same("--reward-model", args.RewardModel, EnumNames.Name(imitation.RewardModel), "reward model");
        if (args.ObsOnly && imitation.Features != FeatureMode.StateNextState)
            throw new TrirlInputException("--obs-only", $"is given but the run in '{checkpoint.Resume}' uses (s, a) features", "omit --obs-only when resuming");
        checkpoint.SameFolder(args.Shared.Out);
        checkpoint.Unchanged("the run continues with its own settings and demonstrations", ("--demos", args.Demos), ("--anchors", args.Shared.Anchors),
            ("--threads", args.Shared.Threads), ("--eval-episodes", args.Shared.EvalEpisodes), ("--eval-every", args.EvalEvery), ("--set", args.Set is { Count: > 0 } ? args.Set : null));
        checkpoint.NotBehind(steps);
        return new TrainPlan(args, checkpoint.Dir, checkpoint.Run(args.Shared.Device), steps);
    }
}
