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
    public float[] Act(float[] observations, int count, Rng rng)
    {
        var a = inner.Act(observations, count, rng);
        int d = low.Length;
        for (int k = 0; k < a.Length; k++) a[k] = Math.Clamp(a[k], low[k % d], high[k % d]);
        return a;
    }
}
