using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Trirl.Functional;

/// <summary>
/// The occupancy of a policy in the two forms the algorithm reads: the aggregate <c>rho(s,a)</c> (log-ratio, KL to
/// the expert, returns) and the time-indexed <c>rho_t(s,a)</c> (entropy, causal KL). Without a horizon both are the
/// same table.
/// </summary>
/// <param name="Aggregate"><c>rho(s,a) = sum_t rho_t(s,a)</c>, <c>S x A</c>, summing to 1.</param>
/// <param name="Timed"><c>rho_t(s,a) = w_t Pr(s_t = s, a_t = a)</c>, <c>(H * S) x A</c> (row <c>t * S + s</c>).</param>
internal sealed record Occupancies(StateActionTable Aggregate, StateActionTable Timed);

/// <summary>
/// The finite-horizon recursions (docs/finite-horizon.md): soft value iteration becomes the backward recursion
/// <c>V_H = 0</c>, <c>Q_t = r_t + gamma P V_{t+1}</c>, <c>V_t = tau logsumexp_a(Q_t / tau)</c>; the occupancy becomes the
/// forward recursion <c>d_0 = p0</c>, <c>d_{t+1}(s') = sum_{s,a} d_t(s) pi_t(a|s) P(s'|s,a)</c>, weighted by
/// <c>w_t = gamma^t / Z</c>, <c>Z = sum_{t&lt;H} gamma^t</c>. Each step is one pass over the transitions: no iteration
/// to a tolerance, so the results are exact up to rounding for every <c>gamma</c> in [0, 1].
/// </summary>
internal static class FiniteHorizon
{
    /// <summary>
    /// The backward recursion for a reward of <c>S * A</c> entries (the same at every step) or <c>H * S * A</c> entries
    /// (<c>r_t</c> in block <c>t</c>, e.g. the trust-region reward <c>r~ + eta log pi_{i,t}</c>).
    /// </summary>
    internal static SoftSolution Backward(TabularMdp mdp, double[] reward, double temperature, bool parallel)
    {
        int states = mdp.States, actions = mdp.Actions, horizon = mdp.Steps, pairs = states * actions;
        bool timed = reward.Length != pairs;
        var q = new double[horizon * pairs];
        var v = new double[horizon * states];
        var log = new double[horizon * pairs];
        var next = new double[states];             // V_{t+1}; V_H = 0
        var current = new double[states];
        var rewardAtT = timed ? new double[pairs] : reward;
        var qAtT = new double[pairs];
        var blockDiff = new double[Kernels.BlockCount(states)];
        for (int t = horizon - 1; t >= 0; t--)
        {
            if (timed) Array.Copy(reward, t * pairs, rewardAtT, 0, pairs);
            // The returned change |V_t - V_{t+1}| means nothing here: the recursion is exact in H steps.
            Kernels.SoftSweep(mdp, rewardAtT, temperature, next, current, blockDiff, parallel, qAtT);
            Array.Copy(qAtT, 0, q, t * pairs, pairs);
            Array.Copy(current, 0, v, t * states, states);
            for (int s = 0; s < states; s++)
                for (int a = 0; a < actions; a++)
                    log[t * pairs + s * actions + a] = (qAtT[s * actions + a] - current[s]) / temperature;
            // With gamma = 0 the future never enters Q (and 0 * -infinity must not turn an excluded state into NaN).
            if (mdp.Gamma != 0) (next, current) = (current, next);
        }
        var policy = Policy.OwnLog(StateActionTable.Own(horizon * states, actions, log), horizon);
        return new SoftSolution(StateActionTable.Own(horizon * states, actions, q), ImmutableCollectionsMarshal.AsImmutableArray(v), policy,
            temperature, horizon, 0);
    }

    /// <summary>
    /// The forward recursion for a policy of <c>H</c> steps: <c>rho_t(s,a) = w_t d_t(s) pi_t(a|s)</c> and their sum over
    /// <c>t</c> (added in increasing <c>t</c>, so the result does not depend on threads).
    /// </summary>
    internal static Occupancies Forward(TabularMdp mdp, Policy policy)
    {
        int states = mdp.States, actions = mdp.Actions, horizon = mdp.Steps, pairs = states * actions;
        System.Diagnostics.Debug.Assert(policy.Steps == horizon);
        var pi = policy.Probabilities.Span;
        var weights = mdp.TimeWeights;
        var rowStart = mdp.RowStartSpan;
        var nextState = mdp.NextSpan;
        var prob = mdp.ProbabilitySpan;
        var d = mdp.InitialSpan.ToArray();
        var dNext = new double[states];
        var timed = new double[horizon * pairs];
        var aggregate = new double[pairs];
        for (int t = 0; t < horizon; t++)
        {
            var piT = pi.Slice(t * pairs, pairs);
            bool last = t == horizon - 1;
            if (!last) Array.Clear(dNext);
            for (int s = 0; s < states; s++)
            {
                double ds = d[s];
                if (ds == 0) continue;
                for (int a = 0; a < actions; a++)
                {
                    int i = s * actions + a;
                    double x = ds * piT[i];
                    timed[t * pairs + i] = weights[t] * x;
                    if (last || x == 0) continue;
                    for (int k = rowStart[i]; k < rowStart[i + 1]; k++) dNext[nextState[k]] += x * prob[k];
                }
            }
            (d, dNext) = (dNext, d);
        }
        for (int t = 0; t < horizon; t++)
            for (int i = 0; i < pairs; i++) aggregate[i] += timed[t * pairs + i];
        return new Occupancies(StateActionTable.Own(states, actions, aggregate), StateActionTable.Own(horizon * states, actions, timed));
    }
}
