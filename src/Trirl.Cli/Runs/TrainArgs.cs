namespace Trirl.Cli.Runs;

/// <summary>The flags of <c>trirl train</c> as given, before validation. Null means "not given".</summary>
/// <param name="Shared">
/// The flags <c>train</c> shares with <c>rl</c> and <c>retrain</c>; its <c>--env</c> is pendulum, mountaincar or pointmaze
/// (or a shifted twin), its <c>--algo</c> trirl, gail, airl or bc.
/// </param>
/// <param name="ObsOnly">Discriminators on (s, s') instead of (s, a).</param>
/// <param name="EtaSchedule">anneal, constant or adaptive (trirl; default: the preset's).</param>
/// <param name="RewardModel">buffer, compressed or recursive (trirl; default: the preset's, recursive for the default preset, buffer for the others).</param>
/// <param name="Demos">Expert transitions (.npz); default: the task's shipped demonstrations.</param>
/// <param name="Set">Learner settings overrides, <c>path=value</c> (<see cref="Trirl.Deep.SettingsPatch"/>); --eps, --buffer-size, --target-kl and --eps-decay arrive here too.</param>
/// <param name="EvalEvery">Metrics rows between evaluations (default 1).</param>
/// <param name="RewardEvery">Env steps between snapshots of the learned reward in <c>rewards/STEPS/</c> (none when null; on resume, null keeps the interval kept in <c>rewards/every.json</c>).</param>
public sealed record TrainArgs(
    RunArgs Shared, bool ObsOnly, string? EtaSchedule, string? RewardModel, string? Demos,
    IReadOnlyList<string>? Set = null, int? EvalEvery = null, long? RewardEvery = null) : IRunArgs;
