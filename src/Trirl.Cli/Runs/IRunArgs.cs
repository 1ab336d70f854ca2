namespace Trirl.Cli.Runs;

/// <summary>
/// The flags that <c>rl</c>, <c>train</c> and <c>retrain</c> share (<see cref="RlArgs"/>, <see cref="TrainArgs"/>,
/// <see cref="RetrainArgs"/>): what <see cref="RunPlan{TArgs}"/> checks alike for all three.
/// </summary>
public interface IRunArgs
{
    /// <summary><c>--env</c>: the task (null when absent).</summary>
    string? Env { get; }

    /// <summary><c>--algo</c> (null when absent).</summary>
    string? Algo { get; }

    /// <summary><c>--steps</c>: the total environment steps to reach.</summary>
    long? Steps { get; }

    /// <summary><c>--seed</c> (null: 0 for a fresh run, the checkpoint's when resuming).</summary>
    long? Seed { get; }

    /// <summary><c>--out</c>: the output folder.</summary>
    string? Out { get; }

    /// <summary><c>--resume</c>: the folder of the run to continue.</summary>
    string? Resume { get; }

    /// <summary><c>--preset</c> (null: the default preset).</summary>
    string? Preset { get; }

    /// <summary><c>--device</c>.</summary>
    string Device { get; }

    /// <summary><c>--threads</c>.</summary>
    int? Threads { get; }

    /// <summary><c>--anchors</c>: an anchors.json replacing the task's default anchors.</summary>
    string? Anchors { get; }

    /// <summary><c>--eval-episodes</c>.</summary>
    int? EvalEpisodes { get; }

    /// <summary><c>--checkpoint-every</c>.</summary>
    int CheckpointEvery { get; }
}
