using System.Text.Json;
using Trirl.Cli.Output;
using Trirl.Environments;

namespace Trirl.Cli.Runs;

/// <summary>
/// A validated <c>trirl retrain</c> run: a fresh PPO or SAC policy optimising a learned reward (the run's own copy, kept in
/// its checkpoints) on the reward's task (retraining) or its shifted twin (transfer), scored with the true reward. Every
/// check happens in <see cref="Create"/>: an unreadable reward folder, a reward learned on another task, unknown names.
/// </summary>
public sealed class RetrainPlan : RunPlan<RetrainArgs>
{
    private RetrainPlan(RetrainArgs args, string dir, RlRun run, long steps, string rewardPath)
        : base(args, dir, run, steps)
    {
        RewardPath = rewardPath;
    }

    /// <summary>
    /// Where the reward came from: the full path given to a fresh run; a resumed run reads it back from
    /// <see cref="RewardSourcePath"/> (folders started before that file existed say "checkpoint").
    /// </summary>
    public string RewardPath { get; }

    /// <summary>
    /// The file, relative to the run folder, that keeps a fresh run's <see cref="RewardPath"/> for its resumptions: the
    /// checkpoint carries the reward itself but not where it was read from, which the summary names.
    /// </summary>
    public static readonly string RewardSourcePath = Path.Combine(Path.GetDirectoryName(RlFolder.CheckpointPath)!, "reward-source.txt");

    /// <summary>Records <see cref="RewardPath"/> in the run folder (atomically) so that a resumed run names the same reward.</summary>
    public void KeepRewardSource()
    {
        Directory.CreateDirectory(Path.Combine(Dir, Path.GetDirectoryName(RewardSourcePath)!));
        AtomicFile.WriteAllText(Path.Combine(Dir, RewardSourcePath), RewardPath);
    }

    /// <summary>Validates <paramref name="args"/> and starts or resumes the run.</summary>
    public static RetrainPlan Create(RetrainArgs args) => Create(args, "retrain", 30000, Fresh, Resumed);

    private static RetrainPlan Fresh(RetrainArgs args, long steps)
    {
        var (rewardPath, env, settings, dir) = Checked(args);
        NotUnfinished(rewardPath);
        using var reward = NeuralReward.Load(rewardPath);
        if (!reward.Fits(env))
            throw new TrirlInputException("--reward", $"'{rewardPath}' was learned on {reward.Env}; {env.Name} is neither that task nor a shifted twin of it",
                TwinsFix(reward.Env, env.Name));
        var device = Devices.Parse(args.Shared.Device);
        return new RetrainPlan(args, dir, RlRun.StartOnReward(settings, reward, device), steps, Path.GetFullPath(rewardPath));
    }

    /// <summary>
    /// Checks a retrain whose reward does not exist yet: the final reward of a train run on <paramref name="rewardEnv"/>
    /// that a sweep has planned but not finished (<c>trirl sweep plan</c> queues retrains behind their training). Every
    /// check of <see cref="Create"/> but the reward's own (its file and its sizes, checked when the retrain starts).
    /// </summary>
    public static void CheckPending(RetrainArgs args, string rewardEnv)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (rewardPath, env, _, _) = Checked(args);
        if (ContinuousEnvs.TrainingTask(env.Name) != ContinuousEnvs.TrainingTask(rewardEnv))
            throw new TrirlInputException("--reward", $"'{rewardPath}' will be learned on {rewardEnv}; {env.Name} is neither that task nor a shifted twin of it",
                TwinsFix(rewardEnv, env.Name));
    }

    /// <summary>The checks of a fresh retrain that need no reward: flags, names, settings and the output folder.</summary>
    private static (string RewardPath, ContinuousEnv Env, RlRunSettings Settings, string Dir) Checked(RetrainArgs args)
    {
        string rewardPath = RunFlags.Required(args.Reward, "--reward", "pass the reward folder of a trirl train run (DIR/reward)");
        var given = RunFlags.Fresh(args.Shared, "pass --env: the reward's task (retraining) or a shifted twin of it (transfer)", "sac or --algo ppo", "runs/retrain-pendulum");
        string algo = RlAlgo.Parse(given.Algo);
        string preset = RlPreset.Parse(args.Shared.Preset ?? RlPreset.Default);
        var env = ContinuousEnvs.Create(given.Env);
        string dir = RunFlags.FreshFolder(given.Output);
        var settings = RunFlags.Refined(RlRunSettings.Create(env.Name, algo, args.Shared.Seed ?? 0, preset), env.Name, args.Shared,
            args.EvalEvery, args.Set);
        return (rewardPath, env, settings, dir);
    }

    private static string TwinsFix(string rewardEnv, string env)
    {
        var family = ContinuousEnvs.Family(rewardEnv);
        string transfer = family.Length == 1 ? "" : $" (or transfer it with --env {string.Join(" or --env ", family.Skip(1))})";
        return $"retrain it with --env {family[0]}{transfer}, or pass a reward learned on {env}";
    }

    /// <summary>
    /// Refuses the final reward of a train run that has not ended: a run rewrites <c>reward/</c> at every checkpoint, so
    /// until its summary.json exists that folder holds a checkpoint's reward, and retraining it would silently score a
    /// half-trained reward (a sweep planned over a sweep still running would do exactly that). Snapshots
    /// (<c>rewards/STEPS</c>) are final when written and pass; one that such a run has not written yet is refused with
    /// its step count named. A sweep's train run that has not started (its
    /// <c>config.json</c> alone) is refused the same way: a retrain sweep may be planned on it (<see cref="CheckPending"/>).
    /// </summary>
    private static void NotUnfinished(string rewardPath)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rewardPath));
        var site = TrainFolder.RunOfReward(full);
        // A snapshot not written yet, RUN/rewards/STEPS (a written one is checked as a reward); a run folder passed
        // whole counts as its final reward.
        bool snapshot = site is { IsSnapshot: true } && !Directory.Exists(full);
        string run = Directory.Exists(Path.Combine(full, TrainFolder.RewardDir)) ? full
            : site is { } s && (!s.IsSnapshot || snapshot) ? s.Run : "";
        if (run.Length == 0 || File.Exists(Path.Combine(run, OutputFiles.Summary))) return;
        bool started = File.Exists(Path.Combine(run, RlFolder.CheckpointPath));
        if (!started && !File.Exists(Path.Combine(run, Sweeps.SweepFolder.ConfigFile))) return;
        string has = $"'{run}' has {(started ? "a checkpoint" : "a sweep's config.json")} but no {OutputFiles.Summary}";
        throw snapshot
            ? new TrirlInputException("--reward", $"'{rewardPath}' is a snapshot that its train run has not written yet ({has})",
                $"let the run pass {Path.GetFileName(full)} env steps (trirl sweep run, or trirl train --resume), or pass a snapshot it has written")
            : new TrirlInputException("--reward", $"'{rewardPath}' is the reward of a train run that has not finished ({has})",
                "let the run finish (trirl sweep run, or trirl train --resume), or pass one of its snapshots, rewards/STEPS");
    }

    private static RetrainPlan Resumed(RetrainArgs args, ResumedCheckpoint checkpoint, long steps)
    {
        using (var doc = checkpoint.File.ParseHeader())
        {
            if (!(doc.RootElement.TryGetProperty("learned_reward", out var lr) && lr.ValueKind == JsonValueKind.True))
                throw new TrirlInputException("--resume", $"'{checkpoint.Resume}' holds a run on the true reward, not a retrain run", "continue it with the command that started it");
        }
        checkpoint.NotBehind(steps);
        checkpoint.SameRun(args.Shared);
        checkpoint.Unchanged("the run keeps its own reward and settings", ("--reward", args.Reward), ("--anchors", args.Shared.Anchors), ("--threads", args.Shared.Threads),
            ("--eval-episodes", args.Shared.EvalEpisodes), ("--eval-every", args.EvalEvery), ("--set", args.Set is { Count: > 0 } ? args.Set : null));
        checkpoint.SameFolder(args.Shared.Out);
        string source = Path.Combine(checkpoint.Dir, RewardSourcePath);
        return new RetrainPlan(args, checkpoint.Dir, checkpoint.Run(args.Shared.Device), steps,
            File.Exists(source) ? File.ReadAllText(source) : "checkpoint");
    }
}
