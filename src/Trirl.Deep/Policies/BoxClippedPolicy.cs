namespace Trirl.Deep;

/// <summary>
/// A policy whose actions are clipped to the task's action box, <c>a' = min(max(a, low), high)</c> per dimension: what a
/// PPO learner with <see cref="PpoSettings.ClipActions"/> sends to the environment, so that its evaluation scores the
/// actions its rollouts take (Stable-Baselines3's <c>predict</c> clips likewise). Without it a Gaussian mean outside the box
/// pays the task's control cost on the raw action (halfcheetah charges <c>0.1 |a|^2</c>).
/// </summary>
public sealed class BoxClippedPolicy : IContinuousPolicy
{
    private readonly IContinuousPolicy inner;
    private readonly float[] low, high;

    /// <summary>Clips <paramref name="inner"/>'s actions to <c>[low, high]</c> (one bound per action dimension).</summary>
    public BoxClippedPolicy(IContinuousPolicy inner, IReadOnlyList<float> low, IReadOnlyList<float> high)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(low);
        ArgumentNullException.ThrowIfNull(high);
        if (low.Count != inner.ActionSize || high.Count != inner.ActionSize)
            throw new TrirlInputException("low", $"has {low.Count} bounds and high {high.Count} for {inner.ActionSize} action dimensions", "pass one bound per action dimension");
        for (int j = 0; j < low.Count; j++)
            if (!(low[j] <= high[j])) throw new TrirlInputException("low", $"[{j}] = {low[j]} is above high[{j}] = {high[j]}", "pass low <= high");
        this.inner = inner;
        this.low = [.. low];
        this.high = [.. high];
    }

    /// <inheritdoc/>
    public int ObservationSize => inner.ObservationSize;

    /// <inheritdoc/>
    public int ActionSize => inner.ActionSize;

    /// <inheritdoc/>
    public float[] Act(float[] observations, int count, Rng rng) => Clipped(inner.Act(observations, count, rng), low, high);

    /// <summary>
    /// A copy of <paramref name="actions"/> (copy-major, one row of <c>low.Length</c> entries per copy) with each entry
    /// clipped to its dimension's <c>[low_j, high_j]</c>; what both the evaluation and a PPO rollout with
    /// <see cref="PpoSettings.ClipActions"/> send to the environment.
    /// </summary>
    internal static float[] Clipped(ReadOnlySpan<float> actions, ReadOnlySpan<float> low, ReadOnlySpan<float> high)
    {
        int d = low.Length;
        var clipped = new float[actions.Length];
        for (int k = 0; k < actions.Length; k++) clipped[k] = Math.Clamp(actions[k], low[k % d], high[k % d]);
        return clipped;
    }
}
