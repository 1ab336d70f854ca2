namespace Trirl.Functional;

/// <summary>
/// The scalar record of one iteration (a row of <c>iterations.csv</c>): what charts and logs read, without the
/// <c>S x A</c> tables, so a long history costs <c>O(N)</c> memory.
/// </summary>
/// <param name="Iteration">Index <c>i</c>.</param>
/// <param name="Dual">The dual <c>G(r_i)</c>.</param>
/// <param name="Primal">The primal <c>P(pi_i)</c>.</param>
/// <param name="Gap">The duality gap <c>G(r_i) - P(pi_i)</c>.</param>
/// <param name="Eta">The trust-region multiplier.</param>
/// <param name="EpsTr">The kept step size <c>eps / (1 + eta)</c>.</param>
/// <param name="StepKl">The causal KL of the policy step.</param>
/// <param name="KlToExpert"><c>KL(rho_{pi_i} || rho_E)</c>.</param>
/// <param name="NormalizedReturn">The normalised return of <c>pi_i</c> (NaN when unscored).</param>
public sealed record IterationMetrics(
    int Iteration,
    double Dual,
    double Primal,
    double Gap,
    double Eta,
    double EpsTr,
    double StepKl,
    double KlToExpert,
    double NormalizedReturn);
