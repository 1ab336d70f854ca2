namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The gradient of the dual (math note, section 3):
    /// <code>dG/dr(s,a) = rho_{pi_r}(s,a) - rho_E(s,a) exp(-r(s,a)/beta) / Z,   Z = sum rho_E exp(-r/beta)</code>
    /// Both terms are distributions, so the gradient sums to zero (the dual is flat along constants).
    /// </summary>
    public static StateActionTable DualGradient(TabularMdp mdp, StateActionTable reward, StateActionTable expertOccupancy, double beta,
        SolverSettings? settings = null)
    {
        settings ??= SolverSettings.Default;
        var rho = SolveOccupancy(mdp, SolveDual(mdp, reward, expertOccupancy, beta, settings).Policy, settings).Span;
        var e = expertOccupancy.Span;
        var r = reward.Span;
        double m = double.NegativeInfinity;
        for (int i = 0; i < r.Length; i++) if (e[i] > 0) m = Math.Max(m, -r[i] / beta);
        var tilted = new double[r.Length];
        double z = 0;
        for (int i = 0; i < r.Length; i++)
        {
            tilted[i] = e[i] > 0 ? e[i] * Math.Exp(-r[i] / beta - m) : 0;
            z += tilted[i];
        }
        var g = new double[r.Length];
        for (int i = 0; i < g.Length; i++) g[i] = rho[i] - tilted[i] / z;
        return StateActionTable.Own(mdp.States, mdp.Actions, g);
    }
}
