using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Trirl.Environments;
using Trirl.Environments.Data;
using Trirl.Functional;

namespace Trirl.Deep;

/// <summary>Episodes recorded by <see cref="Rollouts.Record"/>: the transitions and each episode's return and length.</summary>
/// <param name="Dataset">The transitions, episode after episode.</param>
/// <param name="Returns">Undiscounted return of each episode (rewards summed in float64).</param>
/// <param name="Lengths">Number of steps of each episode.</param>
public sealed record RolloutResult(TransitionDataset Dataset, ImmutableArray<double> Returns, ImmutableArray<int> Lengths)
{
    /// <summary>Mean of <see cref="Returns"/>.</summary>
    public double MeanReturn => Returns.Average();
}

/// <summary>
/// Seeded episodes of a policy: episode <c>k</c> runs on environment copy <c>k</c> of <c>env.Reset(episodes, seed)</c>
/// (so its initial state depends only on <c>seed</c> and <c>k</c>), all copies stepped together until each has
/// finished one episode; the noise of step <c>t</c> comes from <c>Rng.Derive(actionSeed, t)</c> with <c>actionSeed</c>
/// derived from <c>seed</c>. The last transition of an episode, truncated or terminated, has the final observation in
/// <c>next_obs</c> (never the next episode's reset observation) and <c>dones = true</c>; <c>acts</c> holds the actions as
/// the policy emitted them (the environment clips them to its box).
/// </summary>
public static class Rollouts
{
    /// <summary>Records <paramref name="episodes"/> episodes of <paramref name="policy"/> on <paramref name="env"/>.</summary>
    public static RolloutResult Record(ContinuousEnv env, IContinuousPolicy policy, int episodes, long seed)
    {
        var run = Run(env, policy, episodes, seed, record: true);
        return new RolloutResult(run.Dataset!, [.. run.Returns], [.. run.Lengths]);
    }

    /// <summary>The returns of <paramref name="episodes"/> seeded episodes (as <see cref="Record"/>, without the transitions).</summary>
    public static ImmutableArray<double> Returns(ContinuousEnv env, IContinuousPolicy policy, int episodes, long seed) =>
        [.. Run(env, policy, episodes, seed, record: false).Returns];

    private sealed record Outcome(double[] Returns, int[] Lengths, TransitionDataset? Dataset);

    private static Outcome Run(ContinuousEnv env, IContinuousPolicy policy, int episodes, long seed, bool record)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(policy);
        if (episodes < 1) throw new TrirlInputException("episodes", $"must be >= 1, got {episodes}", "record at least one episode");
        var spec = env.Spec;
        int obsDim = spec.ObservationSize, actDim = spec.ActionSize;
        if (policy.ObservationSize != obsDim || policy.ActionSize != actDim)
            throw new TrirlInputException("policy", $"maps {policy.ObservationSize} observations to {policy.ActionSize} actions but {env.Name} has {obsDim} and {actDim}",
                $"use a policy trained on a task with the shape of {env.Name}");
        long actionSeed = unchecked((long)Rng.Derive(seed, 0x524F4C4C).NextUInt64());
        var state = env.Reset(episodes, seed);
        var obs = env.Observe(state).ToArray();
        var done = new bool[episodes];
        var returns = new double[episodes];
        var lengths = new int[episodes];
        var perEpisode = record ? new EpisodeBuffer[episodes] : null;
        if (perEpisode is not null)
            for (int k = 0; k < episodes; k++) perEpisode[k] = new EpisodeBuffer();
        int remaining = episodes;
        for (long t = 0; remaining > 0; t++)
        {
            var actions = policy.Act(obs, episodes, Rng.Derive(actionSeed, t));
            var result = env.Step(state, actions);
            var next = ImmutableCollectionsMarshal.AsArray(result.Observations)!;
            for (int k = 0; k < episodes; k++)
            {
                if (done[k]) continue;
                double r = result.Rewards[k];
                bool finished = result.Done(k);
                returns[k] += r;
                lengths[k]++;
                if (perEpisode is not null)
                {
                    var e = perEpisode[k];
                    e.Obs.AddRange(obs.AsSpan(k * obsDim, obsDim));
                    e.Acts.AddRange(actions.AsSpan(k * actDim, actDim));
                    e.NextObs.AddRange(next.AsSpan(k * obsDim, obsDim));
                    e.Rews.Add((float)r);
                    e.Dones.Add(finished);
                }
                if (finished)
                {
                    done[k] = true;
                    remaining--;
                }
            }
            state = result.Next;
            obs = next;
        }
        TransitionDataset? dataset = null;
        if (perEpisode is not null)
        {
            var all = new EpisodeBuffer();
            foreach (var e in perEpisode)
            {
                all.Obs.AddRange(e.Obs);
                all.Acts.AddRange(e.Acts);
                all.NextObs.AddRange(e.NextObs);
                all.Rews.AddRange(e.Rews);
                all.Dones.AddRange(e.Dones);
            }
            dataset = new TransitionDataset(obsDim, actDim, all.Obs, all.Acts, all.NextObs, all.Rews, all.Dones);
        }
        return new Outcome(returns, lengths, dataset);
    }

    private sealed class EpisodeBuffer
    {
        public List<float> Obs { get; } = [];
        public List<float> Acts { get; } = [];
        public List<float> NextObs { get; } = [];
        public List<float> Rews { get; } = [];
        public List<bool> Dones { get; } = [];
    }
}
