namespace Trirl.Cli.Runs;

/// <summary>The flags of <c>trirl train</c> as given, before validation. Null means "not given".</summary>
/// <param name="Env">Environment (required for a fresh run): pendulum, mountaincar or pointmaze (or a shifted twin).</param>
/// <param name="Algo">trirl, gail, airl or bc (required for a fresh run).</param>
/// <param name="Steps">Total environment steps of the run (required).</param>
/// <param name="Seed">Run seed (default 0 for a fresh run).</param>
/// <param name="Out">Output folder (required for a fresh run; a resumed run writes into its own folder).</param>
/// <param name="Resume">Folder of an earlier run to continue.</param>
/// <param name="Preset">default, paper or tiny (default: default).</param>
/// <param name="ObsOnly">Discriminators on (s, s') instead of (s, a).</param>
/// <param name="EtaSchedule">anneal, constant or adaptive (trirl; default: the preset's).</param>
/// <param name="RewardModel">buffer, compressed or recursive (trirl; default buffer).</param>
/// <param name="Demos">Expert transitions (.npz); default: the task's shipped demonstrations.</param>
/// <param name="Device">cpu or cuda.</param>
/// <param name="Threads">Torch threads (default 1).</param>
/// <param name="Anchors">anchors.json replacing the default normalisation anchors.</param>
/// <param name="EvalEpisodes">Evaluation episodes per metrics row (default 20).</param>
/// <param name="CheckpointEvery">Metrics rows between checkpoints (the run also checkpoints at its end).</param>
/// <param name="Set">Learner settings overrides, <c>path=value</c> (<see cref="Trirl.Deep.SettingsPatch"/>); --eps, --buffer-size, --target-kl and --eps-decay arrive here too.</param>
/// <param name="EvalEvery">Metrics rows between evaluations (default 1).</param>
/// <param name="RewardEvery">Env steps between snapshots of the learned reward in <c>rewards/STEPS/</c> (none when null; on resume, null keeps the interval kept in <c>rewards/every.json</c>).</param>
public sealed record TrainArgs(
    string? Env, string? Algo, long? Steps, long? Seed, string? Out, string? Resume, string? Preset, bool ObsOnly,
    string? EtaSchedule, string? RewardModel, string? Demos, string Device,
    int? Threads = null, string? Anchors = null, int? EvalEpisodes = null, int CheckpointEvery = RlArgs.DefaultCheckpointEvery,
    IReadOnlyList<string>? Set = null, int? EvalEvery = null, long? RewardEvery = null) : IRunArgs;
