using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Trirl.Functional;

/// <summary>
/// The soft-optimal (maximum-entropy) solution of a reward at temperature <c>tau</c> (math note, section 2).
/// </summary>
/// <param name="Q">Soft action values <c>Q(s,a) = r(s,a) + gamma * sum_s' P(s'|s,a) V(s')</c>.</param>
/// <param name="V">Soft state values <c>V(s) = tau * logsumexp_a(Q(s,a) / tau)</c>.</param>
/// <param name="Policy">The soft-optimal policy <c>log pi(a|s) = (Q(s,a) - V(s)) / tau</c>.</param>
/// <param name="Temperature">The temperature <c>tau</c>.</param>
/// <param name="Iterations">Sweeps of soft value iteration used.</param>
/// <param name="Residual">The last sup-norm change <c>max_s |V_new - V| / tau</c>.</param>
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
    /// </summary>
    /// <param name="mdp">The MDP.</param>
    /// <param name="reward">The reward <c>r(s,a)</c>, shaped <c>S x A</c>: finite, or <c>-infinity</c> for an excluded action.</param>
    /// <param name="temperature">The temperature <c>tau &gt; 0</c> (1 for the max-ent RL objective).</param>
    /// <param name="settings">Stopping rules; <see cref="SolverSettings.Default"/> when omitted.</param>
    public static SoftSolution SoftOptimal(TabularMdp mdp, StateActionTable reward, double temperature = 1.0, SolverSettings? settings = null)
    {
        RequireShape(mdp, reward, nameof(reward));
        TabularMdp.ValidateRewardEntries(reward.Span, mdp.Actions, nameof(reward), allowExcluded: true);
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
    /// Soft value iteration from an optional warm start <paramref name="initialValue"/> (empty: zeros).
    /// A warm start changes the iterate path, not the fixed point. <paramref name="path"/> picks the sweep kernel
    /// (tests compare the two; they agree to rounding).
    /// </summary>
    internal static SoftSolution SolveSoft(TabularMdp mdp, double[] reward, double temperature, SolverSettings settings,
        ReadOnlySpan<double> initialValue, SweepPath path = SweepPath.Auto)
    {
        var sweeper = SoftSweeper.Create(mdp, reward, temperature, Kernels.UseParallel(mdp, settings), initialValue, path);
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
            if (residual < settings.ValueTolerance || diff <= 1e-15 * sweeper.MaxAbsFiniteValue()) break;
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
