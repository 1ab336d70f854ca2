namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The function-space reward update (math note, section 4):
    /// <code>U_eps(r) = (1 - eps) * r + eps * beta * D</code>
    /// Classical MCE-IRL keeps <c>U_eps(r_i)</c>; TRIRL proposes it, takes a trust-region step on it, then
    /// keeps the corrected <see cref="CorrectReward"/>.
    /// </summary>
    public static StateActionTable ProposeReward(StateActionTable reward, StateActionTable logRatio, double eps, double beta)
    {
        StateActionTable.RequireSameShape(reward, logRatio, nameof(logRatio));
        CheckEps(eps, nameof(eps));
        Check.Positive(beta, nameof(beta));
        return StateActionTable.Affine(1 - eps, reward, eps * beta, logRatio);
    }

    internal static void CheckEps(double eps, string field)
    {
        if (double.IsNaN(eps) || eps <= 0 || eps > 1)
            throw new TrirlInputException(field, $"must lie in (0, 1], got {Check.Format(eps)}", "use a step size such as 0.05 or 0.1");
    }
}
