namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The causal (occupancy-weighted) KL of the trust region (math note, section 5):
    /// <code>CausalKl(new, old) = sum_s rho_new(s) KL(new(.|s) || old(.|s))</code>
    /// with <c>rho_new</c> the state occupancy of the new policy.
    /// </summary>
    public static double CausalKl(TabularMdp mdp, Policy newPolicy, Policy oldPolicy, SolverSettings? settings = null)
    {
        RequireShape(mdp, newPolicy.Probabilities, nameof(newPolicy));
        RequireShape(mdp, oldPolicy.Probabilities, nameof(oldPolicy));
        var rho = Occupancy(mdp, newPolicy, settings);
        return CausalKlFromOccupancy(rho, newPolicy, oldPolicy);
    }

    /// <summary>
    /// <c>sum_{s,a} rho_new(s,a) (log new(a|s) - log old(a|s))</c>, i.e. <see cref="CausalKl"/> given the
    /// new policy's state-action occupancy.
    /// </summary>
    internal static double CausalKlFromOccupancy(StateActionTable newOccupancy, Policy newPolicy, Policy oldPolicy)
    {
        var rho = newOccupancy.Span;
        var ln = newPolicy.LogProbabilities.Span;
        var lo = oldPolicy.LogProbabilities.Span;
        double kl = 0;
        for (int i = 0; i < rho.Length; i++)
            if (rho[i] > 0) kl += rho[i] * (ln[i] - lo[i]);
        return kl;
    }
}
