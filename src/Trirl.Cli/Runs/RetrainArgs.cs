namespace Trirl.Cli.Runs;

/// <summary>The flags of <c>trirl retrain</c> as given, before validation. Null means "not given".</summary>
/// <param name="Shared">
/// The flags <c>retrain</c> shares with <c>rl</c> and <c>train</c>; its <c>--env</c> is the task to optimise the reward on:
/// the reward's own (retraining) or its shifted twin (transfer).
/// </param>
/// <param name="Reward">The learned reward: the folder of a train run, its <c>reward/</c>, or <c>reward.ckpt</c> (required for a fresh run).</param>
/// <param name="EvalEvery">Metrics rows between evaluations (default 1).</param>
/// <param name="Set">Learner settings overrides <c>path=value</c> (<c>--set</c>).</param>
public sealed record RetrainArgs(RunArgs Shared, string? Reward, int? EvalEvery = null, IReadOnlyList<string>? Set = null) : IRunArgs;
