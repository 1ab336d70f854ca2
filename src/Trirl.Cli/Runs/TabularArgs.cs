namespace Trirl.Cli.Runs;

/// <summary>
/// The flags of <c>trirl tabular</c> as given, before validation (<c>trirl demo</c> fills them with its fixed
/// settings, so both commands take the same path).
/// </summary>
/// <param name="Env">Environment spec (<see cref="Trirl.Functional.Environments.TabularEnvs.Forms"/>).</param>
/// <param name="Algo">Algorithm name: trirl, mce or adversarial.</param>
/// <param name="Beta">Weight of the matching term.</param>
/// <param name="Eps">Step size of the reward update.</param>
/// <param name="Delta">Trust-region radius.</param>
/// <param name="Iterations">Iterations to run (at least 1).</param>
/// <param name="Seed">Seed of the environment's random parts and of sampling.</param>
/// <param name="Out">Output folder.</param>
/// <param name="ExpertBeta">Inverse temperature of the expert, or null for <paramref name="Beta"/>.</param>
/// <param name="Demos">Expert demonstrations for the sample-based learner, or null for the exact learner.</param>
/// <param name="Rollouts">Policy rollouts per iteration, or null for <paramref name="Demos"/>.</param>
/// <param name="TransferEnv">Environment spec to re-optimise the learned reward on, or null.</param>
/// <param name="Horizon">Horizon <c>H</c> that overrides the environment's (a JSON file's <c>"horizon"</c>), or null.</param>
/// <param name="DemosFile">Recorded demonstrations (<c>.json</c> or <c>.npz</c> with <c>obs</c>, <c>acts</c>, <c>dones</c>), or null.</param>
/// <param name="Eta">A fixed trust-region multiplier instead of the search for <paramref name="Delta"/>, or null.</param>
/// <param name="StateRewards">Learn a state-only reward <c>r(s)</c>.</param>
public sealed record TabularArgs(
    string Env,
    string Algo,
    double Beta,
    double Eps,
    double Delta,
    int Iterations,
    long Seed,
    string Out,
    double? ExpertBeta = null,
    int? Demos = null,
    int? Rollouts = null,
    string? TransferEnv = null,
    int? Horizon = null,
    string? DemosFile = null,
    double? Eta = null,
    bool StateRewards = false)
{
    /// <summary>Default <c>--beta</c>.</summary>
    public const double DefaultBeta = 3;

    /// <summary>Default <c>--eps</c>.</summary>
    public const double DefaultEps = 0.05;

    /// <summary>Default <c>--delta</c>.</summary>
    public const double DefaultDelta = 0.01;

    /// <summary>Default <c>--iterations</c>.</summary>
    public const int DefaultIterations = 60;
}
