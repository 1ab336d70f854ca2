using System.CommandLine;
using Trirl.Cli.Output;
using Trirl.Cli.Runs;
using Trirl.Cli.Terminal;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl train --env pendulum|mountaincar|pointmaze --algo trirl|gail|airl|bc --steps N --seed S --out DIR [--resume DIR]
/// [--preset paper] [--obs-only] [--eta-schedule anneal|constant|adaptive] [--reward-model buffer|compressed|recursive]
/// [--demos FILE.npz] [--device cpu]</c> (also <c>--threads</c>, <c>--anchors</c>, <c>--eval-episodes</c>,
/// <c>--checkpoint-every</c>): imitation from expert demonstrations (math note, section 9), written to DIR
/// (<see cref="TrainFolder"/>). Demonstrations default to the task's shipped expert data.
/// </summary>
public static class TrainCommand
{
    /// <summary>The <c>train</c> command with its flags.</summary>
    public static Command Create() =>
        RunOptions.Create("train", "Learn a reward and a policy from expert demonstrations (TRIRL, GAIL, AIRL or BC); write metrics.csv, timings.csv, summary.json, report.html, reward/, policy.ckpt, checkpoints/ and tensorboard/.",
            new RunFlagHelp(
                Env: "Environment",
                Algo: "Algorithm: trirl, gail, airl or bc.",
                Steps: "Total environment steps (rounded up to whole PPO iterations).",
                Resume: "Folder of an earlier train run to continue, with its own settings, up to --steps.",
                Preset: "Settings preset: default (fast on a CPU), paper (the reference's settings and networks), tiny (tests) locomotion (the MuJoCo tasks: locomotion PPO, normalised observations) or halfcheetah (locomotion with the zoo's HalfCheetah PPO as the policy step)."),
            ArgsOf, Execute,
            Flags.Switch("--obs-only", "Discriminators on (s, s') instead of (s, a): imitation from observations."),
            Flags.OptionalText("--eta-schedule", "trirl's KL weight: anneal (the preset's start to 0), constant, or adaptive (dual ascent to a target KL)."),
            Flags.OptionalText("--reward-model", "trirl's reward: recursive (one reward network; the default preset's, exporting the harmonic average of its iterates), buffer (the last K discriminators, exact; the other presets') or compressed. buffer and compressed export their last iterate."),
            Flags.OptionalText("--demos", "Expert transitions (.npz: obs, acts, next_obs, rews, dones); default: the task's shipped demonstrations."),
            RunOptions.EvalEvery(),
            Flags.OptionalText("--eps", "trirl's reward step size eps, in (0, 1] (shorthand for --set eps=...)."),
            Flags.OptionalText("--buffer-size", "trirl's number K of discriminators kept (shorthand for --set buffer_size=...)."),
            Flags.OptionalText("--target-kl", "The trust-region radius delta that the adaptive eta schedule holds (shorthand for --set eta_schedule.target_kl=...)."),
            Flags.OptionalText("--eps-decay", "trirl's decaying reward step eps(t) = eps / (1 + t / N) over env steps t, with --reward-model recursive: keeps the learned reward good as training goes on (shorthand for --set eps_decay_steps=N)."),
            Flags.OptionalText("--average-reward", "trirl's exported reward: a running average of its reward iterates, uniform or harmonic (early iterates first; the default preset's), or none (the last iterate), with --reward-model recursive; the policy still learns from the last one (shorthand for --set average_reward=...)."),
            RunOptions.Set(),
            Flags.OptionalLong("--reward-every", "Also keep the learned reward every N env steps, in rewards/STEPS/ (to retrain rewards of several training lengths from one run); a resumed run keeps the interval it was started with."));

    /// <summary>The flags of a parsed <c>train</c> command line as <see cref="TrainArgs"/> (the command and the sweep validator bind through here).</summary>
    public static TrainArgs ArgsOf(ParseResult p) =>
        new(RunOptions.ArgsOf(p), p.GetValue<bool>("--obs-only"), p.GetValue<string?>("--eta-schedule"), p.GetValue<string?>("--reward-model"), p.GetValue<string?>("--demos"),
            Overrides(p.GetValue<string?>("--eps"), p.GetValue<string?>("--buffer-size"), p.GetValue<string?>("--target-kl"), p.GetValue<string?>("--eps-decay"),
                p.GetValue<string?>("--average-reward"), p.GetValue<string[]?>("--set")),
            p.GetValue<int?>("--eval-every"), p.GetValue<long?>("--reward-every"));

    /// <summary>The settings overrides of <c>--eps</c>, <c>--buffer-size</c>, <c>--target-kl</c>, <c>--eps-decay</c>, <c>--average-reward</c> and <c>--set</c>, in that order (null when none).</summary>
    public static IReadOnlyList<string>? Overrides(string? eps, string? bufferSize, string? targetKl, string? epsDecay, string? averageReward, string[]? set)
    {
        var list = new List<string>();
        if (eps is not null) list.Add($"eps={eps}");
        if (bufferSize is not null) list.Add($"buffer_size={bufferSize}");
        if (targetKl is not null) list.Add($"eta_schedule.target_kl={targetKl}");
        if (epsDecay is not null) list.Add($"eps_decay_steps={epsDecay}");
        if (averageReward is not null) list.Add($"average_reward={averageReward}");
        if (set is not null) list.AddRange(set);
        return list.Count == 0 ? null : list;
    }

    /// <summary>Validates, trains with progress, writes the folder and prints the final numbers.</summary>
    public static void Execute(TrainArgs args)
    {
        using var plan = TrainPlan.Create(args);
        var run = plan.Run;
        var s = plan.Settings;
        if (!RunLines.Resuming(run)) System.Console.Out.WriteLine($"{run.Settings.Algo} on {run.Settings.Env}: demonstrations {s.DemosSource}, preset {run.Settings.PresetName}, " +
                                          $"reward model {EnumNames.Name(s.RewardModel)}, eta {EnumNames.Name(s.EtaSchedule.Kind)}");
        if (double.IsNaN(run.Settings.Anchors.ExpertReturn))
            Messages.Warning($"{run.Settings.Env} has no expert return: normalized_return is NaN (pass --anchors with the anchors.json of trirl expert)");
        // A resumed run keeps the interval it was started with (rewards/every.json) unless --reward-every gives another.
        long? snapshots = args.RewardEvery ?? (RunLines.Resuming(run) ? TrainFolder.SnapshotInterval(plan.Dir) : null);
        if (snapshots is { } interval) TrainFolder.WriteSnapshotInterval(plan.Dir, interval);
        RunLoop.Run(plan.Dir, run, plan.Steps, args.Shared.CheckpointEvery, TrainFolder.WriteProgress, (dir, r) => TrainFolder.WriteFinal(dir, r, args.Shared.Device),
            snapshots is { } n ? (dir, r, before) => TrainFolder.WriteRewardSnapshot(dir, r, before, n) : null);
        RunLines.Finished(plan.Dir, run);
    }
}
