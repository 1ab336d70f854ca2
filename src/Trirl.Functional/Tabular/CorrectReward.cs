namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The reward correction (math note, section 6): with <c>eps_tr = eps / (1 + eta)</c>,
    /// <code>r_{i+1} = U_{eps_tr}(r_i) = (1 - eps_tr) * r_i + eps_tr * beta * D_i</code>
    /// If <c>pi_i = SoftOptimal(r_i, 1)</c> and <c>pi_tr</c> is the trust-region step with multiplier <c>eta</c>,
    /// then <c>pi_tr = SoftOptimal(r_{i+1}, 1)</c>: the new policy is exactly max-ent optimal for the corrected reward.
    /// </summary>
    public static StateActionTable CorrectReward(StateActionTable reward, StateActionTable logRatio, double eps, double eta, double beta) =>
        ProposeReward(reward, logRatio, CorrectedStepSize(eps, eta), beta);

    /// <summary>The corrected step size <c>eps_tr = eps / (1 + eta)</c>.</summary>
    public static double CorrectedStepSize(double eps, double eta)
    {
        CheckEps(eps, nameof(eps));
        if (double.IsNaN(eta) || eta < 0)
            throw new TrirlInputException(nameof(eta), $"must be >= 0, got {Check.Format(eta)}", "pass the multiplier of a trust-region step");
        return eps / (1 + eta);
    }
}
