namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The empirical discounted occupancy of trajectories:
    /// <c>rho^(s,a) = sum_traj sum_t gamma^t [s_t = s, a_t = a] / sum_traj sum_t gamma^t</c>,
    /// an estimate of <c>rho_pi</c> that sums to 1. Step <c>t</c> of an episode is time step <c>t</c>; on a finite-horizon
    /// MDP an episode may not be longer than <c>H</c>.
    /// </summary>
    public static StateActionTable EmpiricalOccupancy(TabularMdp mdp, IReadOnlyList<Trajectory> trajectories)
    {
        if (trajectories.Count == 0)
            throw new TrirlInputException(nameof(trajectories), "is empty", "pass at least one trajectory");
        var counts = new double[mdp.States * mdp.Actions];
        double total = 0;
        for (int j = 0; j < trajectories.Count; j++)
        {
            var tr = trajectories[j];
            if (tr.Actions.Length != tr.States.Length)
                throw new TrirlInputException($"{nameof(trajectories)}[{j}]", $"has {tr.States.Length} states but {tr.Actions.Length} actions",
                    "give one action per visited state");
            if (mdp.Horizon is { } h && tr.Length > h)
                throw new TrirlInputException($"{nameof(trajectories)}[{j}]", $"has {tr.Length} steps, more than the MDP's horizon {h}",
                    $"cut episodes to at most {h} steps, or give the MDP a longer horizon");
            double w = 1;
            for (int t = 0; t < tr.Length; t++)
            {
                int s = tr.States[t], a = tr.Actions[t];
                if ((uint)s >= (uint)mdp.States || (uint)a >= (uint)mdp.Actions)
                    throw new TrirlInputException($"{nameof(trajectories)}[{j}][{t}]", $"(state {s}, action {a}) is outside the {mdp.States} x {mdp.Actions} MDP",
                        "use trajectories sampled from this MDP");
                counts[s * mdp.Actions + a] += w;
                total += w;
                w *= mdp.Gamma;
            }
        }
        if (total == 0) throw new TrirlInputException(nameof(trajectories), "holds no steps", "pass non-empty trajectories");
        for (int i = 0; i < counts.Length; i++) counts[i] /= total;
        return StateActionTable.Own(mdp.States, mdp.Actions, counts);
    }

    /// <summary>
    /// A discriminator between expert and policy samples: L2-regularised logistic regression on one-hot
    /// <c>(s,a)</c> features, expert = 1, policy = 0, each class weighted by its empirical discounted
    /// occupancy (so both classes carry weight 1). Its logit estimates <c>D = log rho_E - log rho_pi</c>
    /// (math note, section 9). With one-hot features the loss
    /// <code>sum_{s,a} [ rho^_E(s,a) softplus(-f(s,a)) + rho^_pi(s,a) softplus(f(s,a)) ] + (l2/2) sum f(s,a)^2</code>
    /// separates into one convex problem per pair, solved by safeguarded Newton to 1e-13; as
    /// <c>l2 -&gt; 0</c>, <c>f -&gt; log(rho^_E / rho^_pi)</c>, and pairs neither sample visits get <c>f = 0</c>.
    /// </summary>
    public static StateActionTable FitDiscriminator(TabularMdp mdp, IReadOnlyList<Trajectory> expert, IReadOnlyList<Trajectory> policy, double l2)
    {
        Check.Positive(l2, nameof(l2));
        return DiscriminatorLogits(EmpiricalOccupancy(mdp, expert), EmpiricalOccupancy(mdp, policy), l2);
    }

    /// <summary>
    /// The logits of the one-hot discriminator of <see cref="FitDiscriminator"/> given the two class weights directly:
    /// per pair the root of <c>-rho_E sigma(-f) + rho_pi sigma(f) + l2 f = 0</c>, an estimate of
    /// <c>log rho_E - log rho_pi</c> that stays finite where one of them is 0 (e.g. recorded demonstrations against
    /// an exact policy occupancy).
    /// </summary>
    public static StateActionTable DiscriminatorLogits(StateActionTable expertOccupancy, StateActionTable policyOccupancy, double l2)
    {
        StateActionTable.RequireSameShape(expertOccupancy, policyOccupancy, nameof(policyOccupancy));
        Check.Positive(l2, nameof(l2));
        var e = expertOccupancy.Span;
        var p = policyOccupancy.Span;
        var logits = new double[e.Length];
        for (int i = 0; i < logits.Length; i++) logits[i] = SolveLogit(e[i], p[i], l2);
        return StateActionTable.Own(expertOccupancy.States, expertOccupancy.Actions, logits);
    }

    /// <summary>Root of <c>-e sigma(-x) + p sigma(x) + l2 x = 0</c> (increasing in x) inside <c>[-p/l2, e/l2]</c>.</summary>
    private static double SolveLogit(double e, double p, double l2)
    {
        if (e == 0 && p == 0) return 0;
        double lo = -p / l2, hi = e / l2, x = 0;
        for (int k = 0; k < 200; k++)
        {
            double sig = 1 / (1 + Math.Exp(-x));
            double g = -e * (1 - sig) + p * sig + l2 * x;
            if (g > 0) hi = x; else lo = x;
            double h = (e + p) * sig * (1 - sig) + l2;
            double step = g / h;
            double candidate = x - step;
            if (!(candidate > lo && candidate < hi)) candidate = 0.5 * (lo + hi);
            if (Math.Abs(candidate - x) <= 1e-13 * Math.Max(1, Math.Abs(x)) || hi - lo <= 1e-15 * Math.Max(1, Math.Abs(x))) return candidate;
            x = candidate;
        }
        return x;
    }
}
