namespace Trirl.Cli.Runs;

/// <summary>
/// The flags that <c>rl</c>, <c>train</c> and <c>retrain</c> share, as given, before validation (null means "not given"):
/// declared once by <see cref="Commands.RunOptions.Create{TArgs}"/>, bound once by <see cref="Commands.RunOptions.ArgsOf"/>,
/// and checked alike for all three by <see cref="RunPlan{TArgs}"/>.
/// </summary>
/// <param name="Env"><c>--env</c>: the task (required for a fresh run).</param>
/// <param name="Algo"><c>--algo</c> (required for a fresh run).</param>
/// <param name="Steps"><c>--steps</c>: the total environment steps to reach (required).</param>
/// <param name="Seed"><c>--seed</c> (null: 0 for a fresh run, the checkpoint's when resuming).</param>
/// <param name="Out"><c>--out</c>: the output folder (required for a fresh run; a resumed run writes into its own folder).</param>
/// <param name="Resume"><c>--resume</c>: the folder of an earlier run to continue.</param>
/// <param name="Preset"><c>--preset</c> (null: the default preset).</param>
/// <param name="Device"><c>--device</c>: cpu or cuda.</param>
/// <param name="Threads"><c>--threads</c>: Torch threads (default 1).</param>
/// <param name="Anchors"><c>--anchors</c>: an anchors.json replacing the task's default normalisation anchors.</param>
/// <param name="EvalEpisodes"><c>--eval-episodes</c>: evaluation episodes per metrics row (default 20).</param>
/// <param name="CheckpointEvery"><c>--checkpoint-every</c>: metrics rows between checkpoints (the run also checkpoints at its end).</param>
public sealed record RunArgs(
    string? Env, string? Algo, long? Steps, long? Seed, string? Out, string? Resume, string? Preset, string Device,
    int? Threads = null, string? Anchors = null, int? EvalEpisodes = null, int CheckpointEvery = RunArgs.DefaultCheckpointEvery)
{
    /// <summary>Default <c>--checkpoint-every</c> (metrics rows).</summary>
    public const int DefaultCheckpointEvery = 10;
}
