using System.Collections.Immutable;

namespace Trirl.Functional;

/// <summary>
/// The immutable state after an iteration of the learner (iteration 0 is the start: <c>r_0 = 0</c>,
/// <c>pi_0</c> uniform). Holds what the next step needs and what a user plots.
/// </summary>
/// <param name="Iteration">Index <c>i</c> (0 = start).</param>
/// <param name="Reward">The kept reward <c>r_i</c>.</param>
/// <param name="Policy">The policy <c>pi_i</c>.</param>
/// <param name="Value">The soft value <c>V_{r_i}</c> of <c>SoftOptimal(r_i, 1)</c> (used for the dual).</param>
/// <param name="Occupancy">The occupancy <c>rho_{pi_i}</c>.</param>
/// <param name="LogRatio">The log-ratio <c>D_{i-1}</c> this iteration's update used (zeros at the start).</param>
/// <param name="Eta">The trust-region multiplier of the step (0 at the start).</param>
/// <param name="EpsTr">The step size kept, <c>eps / (1 + eta)</c> (or <c>eps</c> without correction; 0 at the start).</param>
/// <param name="StepKl">The causal KL of the policy step.</param>
/// <param name="Dual">The dual <c>G(r_i)</c>.</param>
/// <param name="Primal">The primal <c>P(pi_i)</c>.</param>
/// <param name="KlToExpert">The occupancy KL <c>KL(rho_{pi_i} || rho_E)</c>.</param>
/// <param name="NormalizedReturn">The normalised return of <c>pi_i</c> under the true reward (NaN when unscored).</param>
/// <param name="Solves">Soft value iterations this step ran.</param>
public sealed record TrirlIteration(
    int Iteration,
    StateActionTable Reward,
    Policy Policy,
    ImmutableArray<double> Value,
    StateActionTable Occupancy,
    StateActionTable LogRatio,
    double Eta,
    double EpsTr,
    double StepKl,
    double Dual,
    double Primal,
    double KlToExpert,
    double NormalizedReturn,
    int Solves)
{
    /// <summary>The duality gap <c>G(r_i) - P(pi_i)</c> (non-negative; zero at the optimum).</summary>
    public double Gap => Dual - Primal;

    /// <summary>The scalars of this iteration, without its tables (for charts, logs and long histories).</summary>
    public IterationMetrics Metrics => new(Iteration, Dual, Primal, Gap, Eta, EpsTr, StepKl, KlToExpert, NormalizedReturn);
}
