using System.Globalization;
using System.Text.Json;
using Trirl.Cli.Output;
using Trirl.Deep;
using Trirl.Environments;
using Trirl.Functional;

namespace Trirl.Cli.Runs;

/// <summary>
/// A validated <c>trirl retrain</c> run: a fresh PPO or SAC policy optimising a learned reward (the run's own copy, kept in
/// its checkpoints) on the reward's task (retraining) or its shifted twin (transfer), scored with the true reward. Every
/// check happens in <see cref="Create"/>: an unreadable reward folder, a reward learned on another task, unknown names.
/// </summary>
public sealed class RetrainPlan : IDisposable
{
    private RetrainPlan(RetrainArgs args, string dir, RlRun run, long steps, string rewardPath)
    {
        Args = args;
        Dir = dir;
        Run = run;
        Steps = steps;
        RewardPath = rewardPath;
    }

    /// <summary>The flags as given.</summary>
    public RetrainArgs Args { get; }

    /// <summary>Absolute output folder.</summary>
    public string Dir { get; }

    /// <summary>The run (fresh or resumed).</summary>
    public RlRun Run { get; }

    /// <summary>Total environment steps to reach.</summary>
    public long Steps { get; }

    /// <summary>Where the reward came from (as given, or "checkpoint" when resumed).</summary>
    public string RewardPath { get; }

    /// <summary>Validates <paramref name="args"/> and starts or resumes the run.</summary>
    public static RetrainPlan Create(RetrainArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        long steps = RunFlags.Checked(args.Steps, args.CheckpointEvery, args.Threads, args.EvalEpisodes, 30000);
        return args.Resume is { } resume ? Resumed(args, resume, steps) : Fresh(args, steps);
    }

    private static RetrainPlan Fresh(RetrainArgs args, long steps)
    {
        if (string.IsNullOrWhiteSpace(args.Reward)) throw new TrirlInputException("--reward", "is missing", "pass the reward folder of a trirl train run (DIR/reward)");
        if (string.IsNullOrWhiteSpace(args.Env)) throw new TrirlInputException("--env", "is missing", "pass --env: the reward's task (retraining) or its -shifted twin (transfer)");
        if (string.IsNullOrWhiteSpace(args.Algo)) throw new TrirlInputException("--algo", "is missing", "pass --algo sac or --algo ppo");
        if (string.IsNullOrWhiteSpace(args.Out)) throw new TrirlInputException("--out", "is missing", "pass an output folder, e.g. --out runs/retrain-pendulum");
        string algo = RlAlgo.Parse(args.Algo);
        string preset = RlPreset.Parse(args.Preset ?? RlPreset.Default);
        var env = ContinuousEnvs.Create(args.Env);
        string dir = Path.GetFullPath(args.Out);
        if (File.Exists(dir)) throw new TrirlInputException("--out", $"'{args.Out}' is a file", "pass a folder");
        if (File.Exists(Path.Combine(dir, RlFolder.CheckpointPath)) || File.Exists(Path.Combine(dir, RlFolder.MetricsFile)))
            throw new TrirlInputException("--out", $"'{args.Out}' already holds a run", $"continue it with --resume {args.Out}, or pick a new folder");
        using var reward = NeuralReward.Load(args.Reward);
        if (!reward.Fits(env))
            throw new TrirlInputException("--reward", $"'{args.Reward}' was learned on {reward.Env}, not on {env.Name} or its shifted twin",
                $"retrain it with --env {reward.Env} (or transfer it with --env {reward.Env}-shifted), or pass a reward learned on {env.Name}");
        var settings = RlRunSettings.Create(env.Name, algo, args.Seed ?? 0, preset);
        if (args.Anchors is { } a) settings = settings.WithAnchors(ReturnAnchors.Load(a, env.Name));
        if (args.Threads is { } t) settings = settings.WithThreads(t);
        if (args.EvalEpisodes is { } e) settings = settings.WithEvalEpisodes(e);
        var device = Devices.Parse(args.Device);
        return new RetrainPlan(args, dir, RlRun.StartOnReward(settings, reward, device), steps, Path.GetFullPath(args.Reward));
    }

    private static RetrainPlan Resumed(RetrainArgs args, string resume, long steps)
    {
        string dir = Path.GetFullPath(resume);
        string path = Path.Combine(dir, RlFolder.CheckpointPath);
        if (!File.Exists(path)) throw new TrirlInputException("--resume", $"'{resume}' holds no checkpoint ({RlFolder.CheckpointPath})", "pass the folder of an earlier trirl retrain run");
        var file = CheckpointFile.Load(path);
        var saved = RlRun.ReadSettings(file, path);
        using (var doc = file.ParseHeader())
        {
            var h = doc.RootElement;
            if (!(h.TryGetProperty("learned_reward", out var lr) && lr.ValueKind == JsonValueKind.True))
                throw new TrirlInputException("--resume", $"'{resume}' holds a run on the true reward, not a retrain run", "continue it with the command that started it");
            RunFlags.NotBehind(steps, h, resume);
        }
        foreach (var (flag, given, value) in new[] { ("--env", args.Env, saved.Env), ("--algo", args.Algo, saved.Algo), ("--preset", args.Preset, saved.PresetName),
                     ("--seed", args.Seed?.ToString(CultureInfo.InvariantCulture), saved.Seed.ToString(CultureInfo.InvariantCulture)) })
            if (given is not null && !string.Equals(given.Trim(), value, StringComparison.OrdinalIgnoreCase))
                throw new TrirlInputException(flag, $"is '{given}' but the checkpoint in '{resume}' has '{value}'", $"omit {flag} when resuming");
        foreach (var (flag, given) in new[] { ("--reward", (object?)args.Reward), ("--anchors", args.Anchors), ("--threads", args.Threads), ("--eval-episodes", args.EvalEpisodes) })
            if (given is not null)
                throw new TrirlInputException(flag, "cannot change when resuming (the run keeps its own reward and settings)", $"omit {flag}");
        RunFlags.SameFolder(args.Out, dir, resume);
        var device = Devices.Parse(args.Device);
        return new RetrainPlan(args, dir, RlRun.Resume(file, path, device), steps, "checkpoint");
    }

    /// <summary>Disposes the run.</summary>
    public void Dispose() => Run.Dispose();
}
