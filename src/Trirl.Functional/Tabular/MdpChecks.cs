namespace Trirl.Functional;

/// <summary>
/// The checks of an MDP's fields at the boundary (<see cref="TabularMdp.Create"/>, <see cref="TabularMdp.WithHorizon"/>,
/// the soft-optimal solve's reward): each error names the field and the fix.
/// </summary>
internal static class MdpChecks
{
    /// <summary>
    /// Checks <c>gamma</c> against the horizon: in (0, 1) without one, in [0, 1] with one; a horizon must be &gt;= 1.
    /// </summary>
    public static void Discount(double gamma, int? horizon)
    {
        if (horizon is < 1)
            throw new TrirlInputException("horizon", $"must be a positive integer, got {horizon}",
                "give the number of time steps, e.g. \"horizon\": 20, or leave it out for the discounted infinite-horizon problem");
        if (horizon is null)
        {
            if (gamma == 1)
                throw new TrirlInputException("gamma", "is 1, outside (0, 1), and the MDP has no horizon: an undiscounted infinite sum diverges",
                    "give a horizon (\"horizon\": H in JSON, --horizon H on the command line) or a discount below 1");
            if (double.IsNaN(gamma) || gamma <= 0 || gamma >= 1)
                throw new TrirlInputException("gamma", $"must lie in (0, 1), got {Check.Format(gamma)}", "use a discount such as 0.9 or 0.99");
        }
        else if (double.IsNaN(gamma) || gamma < 0 || gamma > 1)
            throw new TrirlInputException("gamma", $"must lie in [0, 1] with a horizon, got {Check.Format(gamma)}", "use a discount such as 0.99 or 1");
    }

    /// <summary>Checks that <c>p0</c> is a distribution: entries in [0, 1] summing to 1 (tolerance <see cref="TabularMdp.SumTolerance"/>).</summary>
    public static void Initial(IReadOnlyList<double> initial)
    {
        double sum = 0;
        for (int s = 0; s < initial.Count; s++)
        {
            double p = initial[s];
            if (double.IsNaN(p) || p < 0 || double.IsInfinity(p))
                throw new TrirlInputException($"initial[{s}]", $"is {Check.Format(p)}, not a probability", "use values in [0, 1]");
            sum += p;
        }
        if (Math.Abs(sum - 1) > TabularMdp.SumTolerance)
            throw new TrirlInputException("initial", $"sums to {Check.Format(sum)}, not 1 (tolerance {TabularMdp.SumTolerance:G})",
                "make p0 a distribution over states");
    }

    /// <summary>Checks a true reward: shape <c>S x A</c> and finite entries.</summary>
    public static void Reward(StateActionTable reward, int states, int actions, string field)
    {
        if (reward.States != states || reward.Actions != actions)
            throw new TrirlInputException(field, $"is {reward.States} x {reward.Actions}, expected {states} x {actions}",
                "give one reward per (state, action)");
        RewardEntries(reward.Span, actions, field, allowExcluded: false);
    }

    /// <summary>
    /// Fails with an error naming <c>field[s][a]</c> at the first entry that is NaN or infinite; with
    /// <paramref name="allowExcluded"/>, <c>-infinity</c> (an excluded action) is accepted.
    /// </summary>
    public static void RewardEntries(ReadOnlySpan<double> rewards, int actions, string field, bool allowExcluded)
    {
        for (int i = 0; i < rewards.Length; i++)
            if (!double.IsFinite(rewards[i]) && !(allowExcluded && double.IsNegativeInfinity(rewards[i])))
                throw new TrirlInputException($"{field}[{i / actions}][{i % actions}]", $"is {Check.Format(rewards[i])}",
                    allowExcluded ? "use finite rewards, or -infinity to exclude an action" : "use finite rewards");
    }
}
