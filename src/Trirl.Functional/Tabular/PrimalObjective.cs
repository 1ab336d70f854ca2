namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The primal: reverse-KL distribution matching with entropy (math note, section 3; maximised):
    /// <code>P(pi) = sum_s rho_pi(s) H(pi(.|s))  -  beta * KL(rho_pi || rho_E)</code>
    /// It is <c>-infinity</c> when <c>pi</c> visits a pair the expert never visits. On a finite-horizon MDP the entropy
    /// term is <c>sum_{t,s} rho_t(s) H(pi_t(.|s))</c> and the KL is between the aggregate occupancies (docs/finite-horizon.md).
    /// </summary>
    public static double PrimalObjective(TabularMdp mdp, Policy policy, StateActionTable expertOccupancy, double beta,
        SolverSettings? settings = null)
    {
        RequireShape(mdp, expertOccupancy, nameof(expertOccupancy));
        Check.Positive(beta, nameof(beta));
        policy = RequirePolicy(mdp, policy, nameof(policy));
        settings ??= SolverSettings.Default;
        settings.Validate();
        return PrimalFromOccupancy(policy, SolveOccupancies(mdp, policy, settings), expertOccupancy, beta);
    }

    /// <summary><c>P(pi)</c> from an already computed occupancy <c>rho_pi</c> (time-indexed for the entropy, aggregate for the KL).</summary>
    internal static double PrimalFromOccupancy(Policy policy, Occupancies occupancy, StateActionTable expertOccupancy, double beta) =>
        EntropyTerm(policy, occupancy) - beta * OccupancyKl(occupancy.Aggregate, expertOccupancy);

    /// <summary>The causal entropy <c>sum_{t,s} rho_t(s) H(pi_t(.|s)) = -sum rho_t(s,a) log pi_t(a|s)</c> of the primal.</summary>
    internal static double EntropyTerm(Policy policy, Occupancies occupancy)
    {
        var rho = occupancy.Timed.Span;
        var log = policy.LogProbabilities.Span;
        double entropy = 0;
        for (int i = 0; i < rho.Length; i++)
            if (rho[i] > 0) entropy -= rho[i] * log[i];
        return entropy;
    }

    /// <summary>
    /// <c>KL(p || q) = sum_{s,a} p(s,a) log(p(s,a) / q(s,a))</c> between two occupancies (the reverse-KL
    /// matching term when <c>p = rho_pi</c>, <c>q = rho_E</c>); <c>+infinity</c> when <c>p</c> has mass where <c>q</c> has none.
    /// </summary>
    public static double OccupancyKl(StateActionTable p, StateActionTable q)
    {
        StateActionTable.RequireSameShape(p, q, nameof(q));
        var ps = p.Span;
        var qs = q.Span;
        double kl = 0;
        for (int i = 0; i < ps.Length; i++)
        {
            if (ps[i] <= 0) continue;
            if (qs[i] <= 0) return double.PositiveInfinity;
            kl += ps[i] * Math.Log(ps[i] / qs[i]);
        }
        return kl;
    }
}
