namespace Trirl.Cli.Runs;

/// <summary>What a finished <c>trirl tabular</c> run produced, before anything is written.</summary>
/// <param name="Plan">The validated run.</param>
/// <param name="Trace">The scalars of iterations 1..N, for the CSV and the charts.</param>
/// <param name="Final">The last iteration, with its reward, policy and occupancy.</param>
/// <param name="Seconds">Wall time of the learning loop (start plus N iterations).</param>
/// <param name="Retrain">The final reward re-optimised from scratch on the same MDP.</param>
/// <param name="RetrainMaxLogPolicyError"><c>max |log SoftOptimal(r_N, 1) - log pi_N|</c> (0 up to solver tolerance for TRIRL and MCE).</param>
/// <param name="TransferScore">The final reward re-optimised on the transfer MDP, or null.</param>
public sealed record TabularOutcome(
    TabularPlan Plan,
    IReadOnlyList<IterationMetrics> Trace,
    TrirlIteration Final,
    double Seconds,
    ReuseScore Retrain,
    double RetrainMaxLogPolicyError,
    ReuseScore? TransferScore);
