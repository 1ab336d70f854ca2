namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The causal (occupancy-weighted) KL of the trust region (math note, section 5):
    /// <code>CausalKl(new, old) = sum_s rho_new(s) KL(new(.|s) || old(.|s))</code>
    /// with <c>rho_new</c> the state occupancy of the new policy. On a finite-horizon MDP the sum runs over time too,
    /// <c>sum_{t,s} rho_new,t(s) KL(new_t(.|s) || old_t(.|s))</c>: the trust region of every time step, weighted by its
    /// share of the occupancy (docs/finite-horizon.md).
    /// </summary>
    public static double CausalKl(TabularMdp mdp, Policy newPolicy, Policy oldPolicy, SolverSettings? settings = null)
    {
        newPolicy = RequirePolicy(mdp, newPolicy, nameof(newPolicy));
        oldPolicy = RequirePolicy(mdp, oldPolicy, nameof(oldPolicy));
        settings ??= SolverSettings.Default;
        settings.Validate();
        var rho = SolveOccupancies(mdp, newPolicy, settings).Timed;
        return CausalKlFromOccupancy(rho, newPolicy, oldPolicy);
    }

    /// <summary>
    /// <c>sum_{s,a} rho_new(s,a) (log new(a|s) - log old(a|s))</c>, i.e. <see cref="CausalKl"/> given the
    /// new policy's (time-indexed, on a finite horizon) state-action occupancy.
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
