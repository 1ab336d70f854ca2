namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The Lagrangian dual in the reward (math note, section 3; minimised):
    /// <code>G(r) = (1-gamma) * p0 . V_r  +  beta * log sum_{s,a} rho_E(s,a) exp(-r(s,a)/beta)</code>
    /// with <c>V_r</c> the soft value of <c>SoftOptimal(r, 1)</c>. <c>G(r + c) = G(r)</c> for a constant
    /// <c>c</c>, and <c>G(r) &gt;= P(pi)</c> for every policy (weak duality). On a finite-horizon MDP the first term is
    /// <c>p0 . V_0 / Z</c>, <c>Z = sum_{t&lt;H} gamma^t</c> (docs/finite-horizon.md).
    /// </summary>
    public static double DualObjective(TabularMdp mdp, StateActionTable reward, StateActionTable expertOccupancy, double beta,
        SolverSettings? settings = null)
    {
        var solution = SolveDual(mdp, reward, expertOccupancy, beta, settings ?? SolverSettings.Default);
        return DualFromValue(mdp, solution.V.AsSpan(), reward, expertOccupancy, beta);
    }

    /// <summary>
    /// The solve that <c>G(r)</c>, its gradient and the duality gap share, after the checks of their inputs:
    /// <c>pi_r = SoftOptimal(r, 1)</c> with its soft value <c>V_r</c>.
    /// </summary>
    internal static SoftSolution SolveDual(TabularMdp mdp, StateActionTable reward, StateActionTable expertOccupancy, double beta,
        SolverSettings settings)
    {
        RequireDualInputs(mdp, reward, expertOccupancy, beta);
        return SoftOptimal(mdp, reward, 1.0, settings);
    }

    /// <summary><c>G(r)</c> from an already solved soft value <c>V_r</c> (no second solve; <c>V_0</c> first with a horizon).</summary>
    internal static double DualFromValue(TabularMdp mdp, ReadOnlySpan<double> value, StateActionTable reward, StateActionTable expertOccupancy, double beta)
    {
        var p0 = mdp.InitialSpan;
        double start = 0;
        for (int s = 0; s < mdp.States; s++) start += p0[s] * value[s];
        double scaled = mdp.IsFiniteHorizon ? start / mdp.DiscountedTime : (1 - mdp.Gamma) * start;
        return scaled + beta * LogExpectedExp(expertOccupancy.Span, reward.Span, -1.0 / beta);
    }

    /// <summary>Stable <c>log sum_i w_i exp(c * x_i)</c> over the entries with <c>w_i &gt; 0</c>.</summary>
    private static double LogExpectedExp(ReadOnlySpan<double> weights, ReadOnlySpan<double> x, double c)
    {
        double m = double.NegativeInfinity;
        for (int i = 0; i < x.Length; i++)
            if (weights[i] > 0) m = Math.Max(m, c * x[i]);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
            if (weights[i] > 0) sum += weights[i] * Math.Exp(c * x[i] - m);
        return m + Math.Log(sum);
    }

    /// <summary>
    /// The checks of the dual's inputs (<see cref="DualObjective"/>, <see cref="DualGradient"/>, <see cref="DualityGap"/>):
    /// <paramref name="reward"/> and <paramref name="expertOccupancy"/> are <c>S x A</c> tables of the MDP and
    /// <c>beta &gt; 0</c>.
    /// </summary>
    internal static void RequireDualInputs(TabularMdp mdp, StateActionTable reward, StateActionTable expertOccupancy, double beta)
    {
        RequireShape(mdp, reward, nameof(reward));
        RequireShape(mdp, expertOccupancy, nameof(expertOccupancy));
        Check.Positive(beta, nameof(beta));
    }
}
