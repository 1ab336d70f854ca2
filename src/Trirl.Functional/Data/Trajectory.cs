using System.Collections.Immutable;

namespace Trirl.Functional;

/// <summary>
/// One episode in a tabular MDP: the visited states <c>s_0 .. s_{T-1}</c> and the actions taken in them.
/// </summary>
/// <param name="States">States <c>s_t</c>.</param>
/// <param name="Actions">Actions <c>a_t</c>, one per state.</param>
public sealed record Trajectory(ImmutableArray<int> States, ImmutableArray<int> Actions)
{
    /// <summary>Number of steps <c>T</c>.</summary>
    public int Length => States.Length;
}

/// <summary>Seeded sampling of trajectories (demonstrations and policy rollouts).</summary>
public static class Sampling
{
    /// <summary>
    /// Default horizon for a discount: the smallest <c>H</c> with <c>gamma^H &lt;= 1e-3</c>, so that the
    /// discounted weight beyond the horizon is below 0.1%. (A finite-horizon MDP samples its own <c>H</c> steps:
    /// <see cref="HorizonOf"/>.)
    /// </summary>
    public static int DefaultHorizon(double gamma)
    {
        if (double.IsNaN(gamma) || gamma <= 0 || gamma >= 1)
            throw new TrirlInputException(nameof(gamma), $"must lie in (0, 1), got {Check.Format(gamma)}", "pass the MDP's discount");
        return Math.Max(1, (int)Math.Ceiling(Math.Log(1e-3) / Math.Log(gamma)));
    }

    /// <summary>The length of sampled episodes on <paramref name="mdp"/>: its horizon, else <see cref="DefaultHorizon"/>.</summary>
    public static int HorizonOf(TabularMdp mdp) => mdp.Horizon ?? DefaultHorizon(mdp.Gamma);

    /// <summary>
    /// <paramref name="count"/> episodes of <paramref name="horizon"/> steps: <c>s_0 ~ p0</c>,
    /// <c>a_t ~ pi(.|s_t)</c>, <c>s_{t+1} ~ P(.|s_t, a_t)</c>, all drawn from one generator seeded with
    /// <paramref name="seed"/>. On a finite-horizon MDP step <c>t</c> acts with <c>pi_t</c>, and an episode has at most
    /// <c>H</c> steps.
    /// </summary>
    public static ImmutableArray<Trajectory> Rollouts(TabularMdp mdp, Policy policy, int count, int horizon, long seed)
    {
        policy = Irl.RequirePolicy(mdp, policy, nameof(policy));
        Check.PositiveInt(count, nameof(count));
        Check.PositiveInt(horizon, nameof(horizon));
        if (mdp.Horizon is { } h && horizon > h)
            throw new TrirlInputException(nameof(horizon), $"is {horizon}, longer than the MDP's horizon {h}",
                $"sample episodes of at most {h} steps (the MDP's horizon)");
        var rng = Rng.Derive(seed, 0x5A3D);
        var p0 = mdp.Initial.AsSpan();
        var rowStart = mdp.RowStart.AsSpan();
        var next = mdp.Next.AsSpan();
        var prob = mdp.Probability.AsSpan();
        var result = ImmutableArray.CreateBuilder<Trajectory>(count);
        var states = new int[horizon];
        var actions = new int[horizon];
        for (int e = 0; e < count; e++)
        {
            int s = rng.NextCategorical(p0);
            for (int t = 0; t < horizon; t++)
            {
                int a = rng.NextCategorical(policy.Probabilities.Row(mdp.IsFiniteHorizon ? t * mdp.States + s : s));
                states[t] = s;
                actions[t] = a;
                int i = s * mdp.Actions + a;
                int lo = rowStart[i], hi = rowStart[i + 1];
                s = next[lo + rng.NextCategorical(prob[lo..hi])];
            }
            result.Add(new Trajectory(ImmutableArray.Create(states), ImmutableArray.Create(actions)));
        }
        return result.MoveToImmutable();
    }
}
