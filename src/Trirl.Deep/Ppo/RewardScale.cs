namespace Trirl.Deep;

/// <summary>
/// PPO's reward scaling (<see cref="PpoSettings.NormalizeRewards"/>): each copy's discounted return
/// <c>R_t = gamma R_{t-1} + r_t</c> (reset to 0 after an episode ends) feeds running statistics of count, mean and
/// variance, and every reward is replaced by <c>clip(r_t / sqrt(Var[R] + 1e-8), -10, 10)</c>, Stable-Baselines3's
/// <c>VecNormalize</c> rule, applied step by step in rollout order so the result does not depend on batching. The
/// state (returns, statistics) is part of a checkpoint.
/// </summary>
internal sealed class RewardScale
{
    private readonly double[] returns;
    private double count = 1e-4, mean, variance = 1.0;

    public RewardScale(int copies) => returns = new double[copies];

    private RewardScale(double[] returns, double count, double mean, double variance)
    {
        this.returns = returns;
        this.count = count;
        this.mean = mean;
        this.variance = variance;
    }

    /// <summary>Scales a rollout's rewards (<c>[t * n + i]</c>) in place.</summary>
    public void Apply(double[] rewards, bool[] terminated, bool[] truncated, int copies, double gamma)
    {
        int steps = rewards.Length / copies;
        for (int t = 0; t < steps; t++)
        {
            // Statistics first (one batch of n returns, as VecNormalize updates per vectorised step), then the scale.
            double s = 0;
            for (int i = 0; i < copies; i++) s += returns[i] = returns[i] * gamma + rewards[t * copies + i];
            double bm = s / copies, ss = 0;
            for (int i = 0; i < copies; i++) ss += (returns[i] - bm) * (returns[i] - bm);
            double n = count + copies, delta = bm - mean;
            double m2 = variance * count + ss + delta * delta * count * copies / n;
            mean += delta * copies / n;
            variance = m2 / n;
            count = n;
            double scale = 1.0 / Math.Sqrt(variance + 1e-8);
            for (int i = 0; i < copies; i++)
            {
                int k = t * copies + i;
                rewards[k] = Math.Clamp(rewards[k] * scale, -10.0, 10.0);
                if (terminated[k] || truncated[k]) returns[i] = 0;
            }
        }
    }

    public void Write(BinaryWriter w)
    {
        w.Tag("reward-scale");
        w.WriteArray(returns);
        w.Write(count);
        w.Write(mean);
        w.Write(variance);
    }

    public static RewardScale Read(BinaryReader r)
    {
        r.ExpectTag("reward-scale");
        var returns = r.ReadDoubles();
        return new RewardScale(returns, r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
    }
}
