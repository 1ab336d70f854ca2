namespace Trirl.Deep;

/// <summary>Advantages and returns of a rollout (<see cref="Gae.Compute"/>), time-major <c>[t * copies + i]</c>.</summary>
/// <param name="Advantages">GAE advantages <c>A_t</c>.</param>
/// <param name="Returns">Critic targets <c>R_t = A_t + V(s_t)</c>.</param>
public sealed record GaeResult(ImmutableArray<float> Advantages, ImmutableArray<float> Returns);

/// <summary>
/// Generalised advantage estimation (Schulman et al. 2016) with terminations and truncations kept apart:
/// <code>
/// delta_t = r_t + gamma * (terminated_t ? 0 : V(s'_t)) - V(s_t)
/// A_t     = delta_t + gamma * lambda * (done_t ? 0 : A_{t+1}),   done_t = terminated_t or truncated_t
/// R_t     = A_t + V(s_t)
/// </code>
/// <c>s'_t</c> is the observation after step <c>t</c>: the next step's observation while the episode goes on, the
/// <em>final</em> observation of a truncated episode (so the value bootstraps through the time limit, never from the
/// next episode's reset observation), and after the last step of the rollout the observation the next rollout starts
/// from. The caller passes <c>V(s'_t)</c> as <c>nextValues</c>; it is ignored where <c>terminated_t</c>. Accumulated in
/// float64, stored as float32.
/// </summary>
public static class Gae
{
    /// <summary>
    /// GAE over <c>T = rewards.Count / copies</c> steps of <paramref name="copies"/> copies; every array is time-major
    /// <c>[t * copies + i]</c> with <c>T * copies</c> entries.
    /// </summary>
    public static GaeResult Compute(IReadOnlyList<double> rewards, IReadOnlyList<float> values, IReadOnlyList<float> nextValues,
        IReadOnlyList<bool> terminated, IReadOnlyList<bool> truncated, int copies, double gamma, double lambda)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(nextValues);
        ArgumentNullException.ThrowIfNull(terminated);
        ArgumentNullException.ThrowIfNull(truncated);
        Check.PositiveInt(copies, nameof(copies));
        int n = rewards.Count;
        if (n == 0 || n % copies != 0)
            throw new TrirlInputException(nameof(rewards), $"has {n} entries, not a positive multiple of copies {copies}", "pass T x copies entries, time-major");
        foreach (var (name, count) in new[] { (nameof(values), values.Count), (nameof(nextValues), nextValues.Count), (nameof(terminated), terminated.Count), (nameof(truncated), truncated.Count) })
            if (count != n) throw new TrirlInputException(name, $"has {count} entries but rewards has {n}", "pass one entry per step and copy");
        var adv = new float[n];
        var ret = new float[n];
        ComputeInto(rewards.ToArray(), values.ToArray(), nextValues.ToArray(), terminated.ToArray(), truncated.ToArray(), copies, gamma, lambda, adv, ret);
        return new GaeResult([.. adv], [.. ret]);
    }

    /// <summary>The same on arrays, writing into <paramref name="advantages"/> and <paramref name="returns"/>.</summary>
    internal static void ComputeInto(double[] rewards, float[] values, float[] nextValues, bool[] terminated, bool[] truncated,
        int copies, double gamma, double lambda, float[] advantages, float[] returns)
    {
        int steps = rewards.Length / copies;
        for (int i = 0; i < copies; i++)
        {
            double next = 0;
            for (int t = steps - 1; t >= 0; t--)
            {
                int k = t * copies + i;
                double bootstrap = terminated[k] ? 0.0 : nextValues[k];
                double delta = rewards[k] + gamma * bootstrap - values[k];
                bool done = terminated[k] || truncated[k];
                double a = delta + (done ? 0.0 : gamma * lambda * next);
                advantages[k] = (float)a;
                returns[k] = (float)(a + values[k]);
                next = a;
            }
        }
    }
}
