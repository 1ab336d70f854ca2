namespace Trirl.Deep;

/// <summary>
/// Terminations as absorbing states (math note, section 9): an episode that terminates enters a state it never leaves,
/// whose reward <c>r_abs</c> the discriminators score like any other (the termination flag is one of their inputs) and
/// where the max-ent policy is uniform on the action box, with entropy <c>H_terminal = sum_j log(high_j - low_j)</c>.
/// Its discounted value, <c>gamma / (1 - gamma) * (r_abs + alpha * H_terminal)</c>, is added to the TD target of the
/// transition that terminated (instead of a value of 0). A truncation (time limit) is not a termination: it bootstraps.
/// </summary>
public static class AbsorbingStates
{
    /// <summary>The entropy of the uniform distribution on the task's action box, <c>sum_j log(high_j - low_j)</c>.</summary>
    public static double UniformEntropy(ContinuousEnvSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        double h = 0;
        for (int j = 0; j < spec.ActionSize; j++) h += Math.Log((double)spec.ActionHigh[j] - spec.ActionLow[j]);
        return h;
    }

    /// <summary>The absorbing state's discounted value <c>gamma / (1 - gamma) * (r_abs + alpha * H_terminal)</c>.</summary>
    public static double TerminalTail(double absorbingReward, double gamma, double alpha, double terminalEntropy)
    {
        Check.UnitInterval(gamma, "gamma", closedRight: false);
        return gamma / (1 - gamma) * (absorbingReward + alpha * terminalEntropy);
    }

    /// <summary>
    /// The absorbing rewards capped at the batch's lowest reward, <c>r_abs,k' = min(r_abs,k, min_i r_i)</c>: with the cap a
    /// termination is worth no more than staying, forever, at the worst transition the batch saw, so a frozen reward
    /// cannot pay a fresh policy for falling (<see cref="PpoSettings.AbsorbingFloor"/>). For tasks whose terminations are
    /// failures (the locomotion tasks' falls), never for a task that terminates on success. A new array.
    /// </summary>
    public static double[] Floored(IReadOnlyList<double> absorbingRewards, IReadOnlyList<double> rewards)
    {
        ArgumentNullException.ThrowIfNull(absorbingRewards);
        ArgumentNullException.ThrowIfNull(rewards);
        if (absorbingRewards.Count == 0) return [];
        if (rewards.Count == 0)
            throw new TrirlInputException(nameof(rewards), "is empty while there are absorbing rewards to cap", "pass the rewards of the batch the terminations belong to");
        double floor = rewards.Min();
        return [.. absorbingRewards.Select(a => Math.Min(a, floor))];
    }

    /// <summary>
    /// The rewards a TD target or GAE takes: <c>r_i</c>, plus <see cref="TerminalTail"/> of the next absorbing reward in
    /// <paramref name="absorbingRewards"/> (one per terminated transition, in order) where <c>terminated_i</c>. Since a
    /// terminated transition's target is its reward alone, this is the math note's target
    /// <c>r + gamma / (1 - gamma) * (r_abs + alpha * H_terminal)</c>.
    /// </summary>
    public static double[] TdRewards(IReadOnlyList<double> rewards, IReadOnlyList<bool> terminated, IReadOnlyList<double> absorbingRewards,
        double gamma, double alpha, double terminalEntropy)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentNullException.ThrowIfNull(terminated);
        ArgumentNullException.ThrowIfNull(absorbingRewards);
        if (terminated.Count != rewards.Count)
            throw new TrirlInputException(nameof(terminated), $"has {terminated.Count} entries but rewards has {rewards.Count}", "pass one flag per transition");
        int terminal = terminated.Count(t => t);
        if (absorbingRewards.Count != terminal)
            throw new TrirlInputException(nameof(absorbingRewards), $"has {absorbingRewards.Count} entries for {terminal} terminations", "pass one absorbing reward per terminated transition");
        var td = new double[rewards.Count];
        int k = 0;
        for (int i = 0; i < td.Length; i++)
            td[i] = rewards[i] + (terminated[i] ? TerminalTail(absorbingRewards[k++], gamma, alpha, terminalEntropy) : 0.0);
        return td;
    }
}
