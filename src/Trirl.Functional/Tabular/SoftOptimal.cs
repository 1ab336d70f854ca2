using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Trirl.Functional;

/// <summary>
/// The soft-optimal (maximum-entropy) solution of a reward at temperature <c>tau</c> (math note, section 2).
/// </summary>
/// <remarks>On a finite-horizon MDP the solution is time-indexed (docs/finite-horizon.md): <c>Q</c> has <c>H * S</c>
/// rows (row <c>t * S + s</c> holds <c>Q_t(s, .)</c>), <c>V</c> holds <c>V_0 .. V_{H-1}</c> (entry <c>t * S + s</c>), the
/// policy has <c>H</c> steps, <c>Iterations = H</c> and <c>Residual = 0</c> (the backward recursion is exact).</remarks>
/// <param name="Q">Soft action values <c>Q(s,a) = r(s,a) + gamma * sum_s' P(s'|s,a) V(s')</c>.</param>
/// <param name="V">Soft state values <c>V(s) = tau * logsumexp_a(Q(s,a) / tau)</c>.</param>
/// <param name="Policy">The soft-optimal policy <c>log pi(a|s) = (Q(s,a) - V(s)) / tau</c>.</param>
/// <param name="Temperature">The temperature <c>tau</c>.</param>
/// <param name="Iterations">Sweeps of soft value iteration used (<c>H</c> backward steps with a horizon).</param>
/// <param name="Residual">The last sup-norm change <c>max_s |V_new - V| / tau</c> (0 with a horizon).</param>
public sealed record SoftSolution(StateActionTable Q, ImmutableArray<double> V, Policy Policy, double Temperature, int Iterations, double Residual);

public static partial class Irl
{
    /// <summary>
    /// <c>SoftOptimal(r, tau)</c>: soft value iteration to its fixed point (math note, section 2):
    /// <code>
    /// Q(s,a) = r(s,a) + gamma * sum_s' P(s'|s,a) V(s')
    /// V(s)   = tau * logsumexp_a( Q(s,a) / tau )
    /// log pi_r(a|s) = (Q(s,a) - V(s)) / tau
    /// </code>
    /// Starts from <c>V = 0</c> and stops when <c>max_s |V_new(s) - V(s)| / tau &lt; ValueTolerance</c>
    /// (1e-12 by default), or when the change is down to rounding (1e-15 relative to <c>max |V|</c>).
    /// With <c>tau = 1</c>, <c>pi_r</c> maximises <c>sum rho_pi (r - log pi)</c>, with maximum <c>(1-gamma) p0 . V_r</c>.
    /// On a finite-horizon MDP it is the backward recursion <c>V_H = 0</c>,
    /// <c>Q_t = r + gamma P V_{t+1}</c>, <c>V_t = tau logsumexp_a(Q_t / tau)</c>, <c>t = H-1 .. 0</c> (docs/finite-horizon.md),
    /// with maximum <c>p0 . V_0 / Z</c>, <c>Z = sum_{t&lt;H} gamma^t</c>.
    /// </summary>
    /// <param name="mdp">The MDP.</param>
    /// <param name="reward">The reward <c>r(s,a)</c>, shaped <c>S x A</c>: finite, or <c>-infinity</c> for an excluded action.</param>
    /// <param name="temperature">The temperature <c>tau &gt; 0</c> (1 for the max-ent RL objective).</param>
    /// <param name="settings">Stopping rules; <see cref="SolverSettings.Default"/> when omitted.</param>
    public static SoftSolution SoftOptimal(TabularMdp mdp, StateActionTable reward, double temperature = 1.0, SolverSettings? settings = null)
    {
        RequireShape(mdp, reward, nameof(reward));
        MdpChecks.RewardEntries(reward.Span, mdp.Actions, nameof(reward), allowExcluded: true);
        Check.Positive(temperature, nameof(temperature));
        Check.Finite(temperature, nameof(temperature));
        settings ??= SolverSettings.Default;
        settings.Validate();
        return SolveSoft(mdp, reward.Raw, temperature, settings, ReadOnlySpan<double>.Empty);
    }

    /// <summary>Fails with a message naming <paramref name="field"/> unless <paramref name="table"/> is <c>S x A</c>.</summary>
    internal static void RequireShape(TabularMdp mdp, StateActionTable table, string field)
    {
        if (table.States != mdp.States || table.Actions != mdp.Actions)
            throw new TrirlInputException(field, $"is {table.States} x {table.Actions}, but the MDP '{mdp.Name}' is {mdp.States} x {mdp.Actions}",
                "pass a table with one entry per (state, action) of this MDP");
    }

    /// <summary>
    /// Checks that <paramref name="policy"/> is a policy of <paramref name="mdp"/> (its states and actions, and one or
    /// <c>H</c> time steps) and returns it with the MDP's time steps (a stationary policy repeated over a finite horizon).
    /// </summary>
    internal static Policy RequirePolicy(TabularMdp mdp, Policy policy, string field)
    {
        if (policy.States != mdp.States || policy.Actions != mdp.Actions)
            throw new TrirlInputException(field, $"is {policy.States} x {policy.Actions}, but the MDP '{mdp.Name}' is {mdp.States} x {mdp.Actions}",
                "pass a policy with one entry per (state, action) of this MDP");
        if (policy.Steps == mdp.Steps) return policy;
        if (policy.Steps == 1) return policy.Repeat(mdp.Steps);
        throw new TrirlInputException(field,
            mdp.Horizon is { } h
                ? $"has {policy.Steps} time steps, but the MDP '{mdp.Name}' has horizon {h}"
                : $"has {policy.Steps} time steps, but the MDP '{mdp.Name}' has no horizon (its policies are stationary)",
            mdp.Horizon is { } h2
                ? $"pass a policy of {h2} time steps (one table per t = 0..{h2 - 1}) or a stationary one"
                : "pass a stationary policy, or give the MDP a horizon (TabularMdp.WithHorizon)");
    }

    /// <summary>
    /// Soft value iteration from an optional warm start <paramref name="initialValue"/> (empty: zeros).
    /// A warm start changes the iterate path, not the fixed point. <paramref name="path"/> picks the sweep kernel
    /// (tests compare the two; they agree to rounding).
    /// </summary>
    internal static SoftSolution SolveSoft(TabularMdp mdp, double[] reward, double temperature, SolverSettings settings,
        ReadOnlySpan<double> initialValue, SweepPath path = SweepPath.Auto)
    {
        if (mdp.IsFiniteHorizon) return FiniteHorizon.Backward(mdp, reward, temperature, Kernels.UseParallel(mdp, settings));
        var sweeper = SoftSweeper.Create(mdp, reward, temperature, Kernels.UseParallel(mdp, settings), initialValue, path);
        var mixer = settings.AndersonDepth > 0 ? new AndersonMixer(mdp.States, settings.AndersonDepth) : null;
        double residual = double.PositiveInfinity;
        int iterations = 0;
        while (true)
        {
            if (iterations >= settings.MaxIterations)
                throw new InvalidOperationException(
                    $"Soft value iteration did not converge in {settings.MaxIterations} sweeps (last change {residual:G3}); " +
                    "raise SolverSettings.MaxIterations or ValueTolerance, or check the reward for huge values.");
            double diff = sweeper.Sweep();
            iterations++;
            if (double.IsNaN(diff))
                throw new InvalidOperationException("Soft value iteration produced NaN: the reward or temperature overflows double precision.");
            residual = diff / temperature;
            // A mixed solve stops at 1/100 of the tolerance: its path is not that of a neighbouring solve (warm-started
            // plain iterations approach their fixed points alike, so their errors largely cancel when two solutions are
            // compared, as the correction theorem does); a few more mixed sweeps buy that back.
            double tolerance = mixer is { Mixing: true } ? 0.01 * settings.ValueTolerance : settings.ValueTolerance;
            if (residual < tolerance || diff <= 1e-15 * sweeper.MaxAbsFiniteValue()) break;
            if (mixer is not null) sweeper.Accelerate(mixer, diff);
        }
        return Finish(mdp, sweeper, temperature, iterations, residual);
    }

    /// <summary>Q from the converged V, then V and log pi recomputed from Q so that every row of pi sums to 1.</summary>
    private static SoftSolution Finish(TabularMdp mdp, SoftSweeper sweeper, double temperature, int iterations, double residual)
    {
        int states = mdp.States, actions = mdp.Actions;
        var (q, vOut) = sweeper.Finish();
        var log = new double[states * actions];
        for (int s = 0; s < states; s++)
            for (int a = 0; a < actions; a++)
                log[s * actions + a] = (q[s * actions + a] - vOut[s]) / temperature;
        var policy = Policy.OwnLog(StateActionTable.Own(states, actions, log));
        return new SoftSolution(StateActionTable.Own(states, actions, q), ImmutableCollectionsMarshal.AsImmutableArray(vOut), policy,
            temperature, iterations, residual);
    }
}
