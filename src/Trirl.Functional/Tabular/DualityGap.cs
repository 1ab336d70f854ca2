namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The duality gap of a reward (math note, section 3): <c>G(r) - P(pi_r)</c> with <c>pi_r = SoftOptimal(r, 1)</c>.
    /// Non-negative by weak duality; zero exactly at the optimum, so it certifies how far a run is from it.
    /// </summary>
    public static double DualityGap(TabularMdp mdp, StateActionTable reward, StateActionTable expertOccupancy, double beta,
        SolverSettings? settings = null)
    {
        settings ??= SolverSettings.Default;
        var solution = SolveDual(mdp, reward, expertOccupancy, beta, settings);
        double dual = DualFromValue(mdp, solution.V.AsSpan(), reward, expertOccupancy, beta);
        var rho = SolveOccupancies(mdp, solution.Policy, settings);
        return dual - PrimalFromOccupancy(solution.Policy, rho, expertOccupancy, beta);
    }
}
