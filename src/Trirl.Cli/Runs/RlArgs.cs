namespace Trirl.Cli.Runs;

/// <summary>
/// The flags of <c>trirl rl</c> as given, before validation (<c>trirl expert</c> fills them for SAC, so both commands
/// take the same path). Null means "not given".
/// </summary>
/// <param name="Env">Environment name (required for a fresh run).</param>
/// <param name="Algo">ppo or sac (required for a fresh run).</param>
/// <param name="Steps">Total environment steps of the run (required).</param>
/// <param name="Seed">Run seed (default 0 for a fresh run).</param>
/// <param name="Out">Output folder (required for a fresh run; a resumed run writes into its own folder).</param>
/// <param name="Resume">Folder of an earlier run to continue.</param>
/// <param name="Preset">default, paper or tiny (default: default).</param>
/// <param name="Device">cpu or cuda.</param>
/// <param name="Threads">Torch threads (default 1).</param>
/// <param name="Anchors">anchors.json replacing the default normalisation anchors.</param>
/// <param name="EvalEpisodes">Evaluation episodes per metrics row (default 20).</param>
/// <param name="CheckpointEvery">Metrics rows between checkpoints (the run also checkpoints at its end).</param>
/// <param name="Set">Learner settings overrides, <c>path=value</c> (<see cref="Trirl.Deep.SettingsPatch"/>).</param>
/// <param name="EvalEvery">Metrics rows between evaluations (default 1).</param>
/// <param name="Noise">SAC's exploration-noise colour: white, pink, red or an exponent (<see cref="Trirl.Deep.ColoredNoise.Parse"/>).</param>
public sealed record RlArgs(
    string? Env, string? Algo, long? Steps, long? Seed, string? Out, string? Resume, string? Preset, string Device,
    int? Threads = null, string? Anchors = null, int? EvalEpisodes = null, int CheckpointEvery = RlArgs.DefaultCheckpointEvery,
    string? Noise = null, int? EvalEvery = null, IReadOnlyList<string>? Set = null) : IRunArgs
{
    /// <summary>Default <c>--checkpoint-every</c> (metrics rows).</summary>
    public const int DefaultCheckpointEvery = 10;
}
