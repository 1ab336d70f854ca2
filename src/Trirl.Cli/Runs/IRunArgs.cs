namespace Trirl.Cli.Runs;

/// <summary>
/// A flags record of <c>rl</c>, <c>train</c> or <c>retrain</c> (<see cref="RlArgs"/>, <see cref="TrainArgs"/>,
/// <see cref="RetrainArgs"/>): the flags they share, for what <see cref="RunPlan{TArgs}"/> checks alike for all three.
/// </summary>
public interface IRunArgs
{
    /// <summary>The flags the run commands share.</summary>
    RunArgs Shared { get; }
}
