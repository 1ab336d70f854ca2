namespace Trirl.Cli.Runs;

/// <summary>
/// The flags of <c>trirl rl</c> as given, before validation (<c>trirl expert</c> fills them for SAC, so both commands
/// take the same path). Null means "not given".
/// </summary>
/// <param name="Shared">The flags <c>rl</c> shares with <c>train</c> and <c>retrain</c> (task, algorithm ppo or sac, budget, folders, preset, ...).</param>
/// <param name="Noise">SAC's exploration-noise colour: white, pink, red or an exponent (<see cref="Trirl.Deep.ColoredNoise.Parse"/>).</param>
/// <param name="EvalEvery">Metrics rows between evaluations (default 1).</param>
/// <param name="Set">Learner settings overrides, <c>path=value</c> (<see cref="Trirl.Deep.SettingsPatch"/>).</param>
public sealed record RlArgs(RunArgs Shared, string? Noise = null, int? EvalEvery = null, IReadOnlyList<string>? Set = null) : IRunArgs;
