namespace Trirl.Cli.Runs;

/// <summary>The flags of <c>trirl retrain</c> as given, before validation. Null means "not given".</summary>
/// <param name="Reward">The learned reward: the folder of a train run, its <c>reward/</c>, or <c>reward.ckpt</c> (required for a fresh run).</param>
/// <param name="Env">Task to optimise it on: the reward's own (retraining) or its shifted twin (transfer).</param>
/// <param name="Algo">ppo or sac.</param>
/// <param name="Steps">Total environment steps (required).</param>
/// <param name="Seed">Run seed (default 0).</param>
/// <param name="Out">Output folder (required for a fresh run).</param>
/// <param name="Resume">Folder of an earlier retrain run to continue.</param>
/// <param name="Preset">default, paper, tiny, locomotion or halfcheetah.</param>
/// <param name="Device">cpu or cuda.</param>
/// <param name="Threads">Torch threads (default 1).</param>
/// <param name="Anchors">anchors.json replacing the default normalisation anchors of the task.</param>
/// <param name="EvalEpisodes">Evaluation episodes per metrics row (default 20).</param>
/// <param name="CheckpointEvery">Metrics rows between checkpoints.</param>
/// <param name="EvalEvery">Metrics rows between evaluations (default 1).</param>
/// <param name="Set">Learner settings overrides <c>path=value</c> (<c>--set</c>).</param>
public sealed record RetrainArgs(
    string? Reward, string? Env, string? Algo, long? Steps, long? Seed, string? Out, string? Resume, string? Preset, string Device,
    int? Threads = null, string? Anchors = null, int? EvalEpisodes = null, int CheckpointEvery = RlArgs.DefaultCheckpointEvery,
    int? EvalEvery = null, IReadOnlyList<string>? Set = null) : IRunArgs;
