using System.Runtime.InteropServices;
using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>Episodes recorded by <see cref="Rollouts.Record"/>: the transitions and each episode's return and length.</summary>
/// <param name="Dataset">The transitions, episode after episode.</param>
/// <param name="Returns">Undiscounted return of each episode (rewards summed in float64).</param>
/// <param name="Lengths">Number of steps of each episode.</param>
public sealed record RolloutResult(TransitionDataset Dataset, ImmutableArray<double> Returns, ImmutableArray<int> Lengths)
{
    /// <summary>Mean of <see cref="Returns"/>.</summary>
    public double MeanReturn => Returns.Average();

    /// <summary>Per transition: whether the step reached a terminal state.</summary>
    public ImmutableArray<bool> Terminated { get; init; } = [];

    /// <summary>Per transition: whether the step hit the time limit.</summary>
    public ImmutableArray<bool> Truncated { get; init; } = [];

    /// <summary>Names of the task's info values (<see cref="ContinuousEnvSpec.InfoNames"/>).</summary>
    public ImmutableArray<string> InfoNames { get; init; } = [];

    /// <summary>Per transition, the step's info values, row-major (<c>[k * InfoNames.Length + j]</c>).</summary>
    public ImmutableArray<double> Info { get; init; } = [];

    /// <summary>Names of the state components (<see cref="ContinuousEnvSpec.StateComponents"/>).</summary>
    public ImmutableArray<string> StateNames { get; init; } = [];

    /// <summary>Per transition, the full float64 state before the step, row-major (<c>[k * StateNames.Length + c]</c>).</summary>
    public ImmutableArray<double> States { get; init; } = [];

    /// <summary>
    /// The recording of the episodes numbered <paramref name="episodes"/> only, in that order (each episode's transitions,
    /// flags, info values and states kept together). An index out of range, or none, is a <see cref="TrirlInputException"/>.
    /// </summary>
    public RolloutResult Episodes(IReadOnlyList<int> episodes)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        if (episodes.Count == 0) throw new TrirlInputException(nameof(episodes), "is empty", "keep at least one episode");
        var ranges = Dataset.EpisodeRanges;
        int obsDim = Dataset.ObservationSize, actDim = Dataset.ActionSize, infoSize = InfoNames.Length, stateSize = StateNames.Length;
        var obs = new List<float>();
        var acts = new List<float>();
        var next = new List<float>();
        var rews = new List<float>();
        var dones = new List<bool>();
        var terminated = new List<bool>();
        var truncated = new List<bool>();
        var info = new List<double>();
        var states = new List<double>();
        foreach (int e in episodes)
        {
            if (e < 0 || e >= ranges.Length)
                throw new TrirlInputException(nameof(episodes), $"names episode {e} of a recording of {ranges.Length}", $"pick episodes 0 to {ranges.Length - 1}");
            var (from, n) = ranges[e];
            obs.AddRange(Dataset.Obs.AsSpan(from * obsDim, n * obsDim));
            acts.AddRange(Dataset.Acts.AsSpan(from * actDim, n * actDim));
            next.AddRange(Dataset.NextObs.AsSpan(from * obsDim, n * obsDim));
            rews.AddRange(Dataset.Rews.AsSpan(from, n));
            dones.AddRange(Dataset.Dones.AsSpan(from, n));
            if (!Terminated.IsEmpty) terminated.AddRange(Terminated.AsSpan(from, n));
            if (!Truncated.IsEmpty) truncated.AddRange(Truncated.AsSpan(from, n));
            if (!Info.IsEmpty) info.AddRange(Info.AsSpan(from * infoSize, n * infoSize));
            if (!States.IsEmpty) states.AddRange(States.AsSpan(from * stateSize, n * stateSize));
        }
        return new RolloutResult(new TransitionDataset(obsDim, actDim, obs, acts, next, rews, dones),
            [.. episodes.Select(e => Returns[e])], [.. episodes.Select(e => Lengths[e])])
        {
            Terminated = [.. terminated], Truncated = [.. truncated], InfoNames = InfoNames, Info = [.. info], StateNames = StateNames, States = [.. states],
        };
    }
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
        return new RolloutResult(run.Dataset!, [.. run.Returns], [.. run.Lengths])
        {
            Terminated = [.. run.Extra!.Terminated],
            Truncated = [.. run.Extra.Truncated],
            InfoNames = env.Spec.InfoNames,
            Info = [.. run.Extra.Info],
            StateNames = env.Spec.StateComponents,
            States = [.. run.Extra.States],
        };
    }

    /// <summary>
    /// The first <paramref name="episodes"/> of <paramref name="candidates"/> seeded episodes (<see cref="Record"/> of
    /// <paramref name="candidates"/>) whose return is at least <paramref name="minReturn"/>, in episode order: demonstrations
    /// of an expert without its failed episodes (the shipped halfcheetah expert flips onto its back in about one episode of
    /// five). Too few qualifying episodes is a <see cref="TrirlInputException"/> naming how many did.
    /// </summary>
    public static RolloutResult RecordSuccessful(ContinuousEnv env, IContinuousPolicy policy, int episodes, long seed, double minReturn, int candidates)
    {
        Check.PositiveInt(episodes, "episodes", "keep at least one episode");
        if (candidates < episodes)
            throw new TrirlInputException("candidates", $"is {candidates}, fewer than the {episodes} episodes to keep", "record at least as many candidates as episodes");
        if (!double.IsFinite(minReturn)) throw new TrirlInputException("minReturn", $"is {minReturn}", "give a finite return");
        var all = Record(env, policy, candidates, seed);
        var kept = Enumerable.Range(0, candidates).Where(k => all.Returns[k] >= minReturn).Take(episodes).ToArray();
        if (kept.Length < episodes)
            throw new TrirlInputException("minReturn", $"is reached by {kept.Length} of {candidates} candidate episodes, fewer than the {episodes} asked",
                "record more candidates, or lower the minimum return");
        return all.Episodes(kept);
    }

    /// <summary>
    /// The recording as an <c>.npz</c> archive: the dataset's <c>obs</c>, <c>acts</c>, <c>next_obs</c>, <c>rews</c>,
    /// <c>dones</c>, then <c>terminated</c> and <c>truncated</c> (bool), each info value as a float64 array of its name
    /// (<c>x_position</c>, <c>x_velocity</c>, ...), and the state before each step: for a MuJoCo task <c>qpos</c>
    /// <c>[n, nq]</c> and <c>qvel</c> <c>[n, nv]</c> (float64, what any MuJoCo tool can replay), for the others
    /// <c>state</c> <c>[n, components]</c>.
    /// </summary>
    public static NpzArchive ToNpz(RolloutResult result, ContinuousEnv env)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(env);
        int n = result.Dataset.Count, stateSize = result.StateNames.Length, infoSize = result.InfoNames.Length;
        var entries = new List<NpzEntry>(result.Dataset.ToNpz().Entries)
        {
            new("terminated", NpyArray.FromBool([n], result.Terminated)),
            new("truncated", NpyArray.FromBool([n], result.Truncated)),
        };
        for (int j = 0; j < infoSize; j++)
        {
            var column = new double[n];
            for (int k = 0; k < n; k++) column[k] = result.Info[k * infoSize + j];
            entries.Add(new(result.InfoNames[j], NpyArray.FromFloat64([n], column)));
        }
        double[] Columns(int from, int count)
        {
            var block = new double[n * count];
            for (int k = 0; k < n; k++)
                for (int c = 0; c < count; c++) block[k * count + c] = result.States[k * stateSize + from + c];
            return block;
        }
        if (env is LocomotionEnv loco)
        {
            entries.Add(new("qpos", NpyArray.FromFloat64([n, loco.Nq], Columns(0, loco.Nq))));
            entries.Add(new("qvel", NpyArray.FromFloat64([n, loco.Nv], Columns(loco.Nq, loco.Nv))));
        }
        else
        {
            entries.Add(new("state", NpyArray.FromFloat64([n, stateSize], Columns(0, stateSize))));
        }
        return new NpzArchive(entries);
    }

    /// <summary>The returns of <paramref name="episodes"/> seeded episodes (as <see cref="Record"/>, without the transitions).</summary>
    public static ImmutableArray<double> Returns(ContinuousEnv env, IContinuousPolicy policy, int episodes, long seed) =>
        [.. Run(env, policy, episodes, seed, record: false).Returns];

    private sealed record Outcome(double[] Returns, int[] Lengths, TransitionDataset? Dataset, EpisodeBuffer? Extra);

    private static Outcome Run(ContinuousEnv env, IContinuousPolicy policy, int episodes, long seed, bool record)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(policy);
        Check.PositiveInt(episodes, "episodes", "record at least one episode");
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
            var before = state;
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
                    e.Terminated.Add(result.Terminated[k]);
                    e.Truncated.Add(result.Truncated[k]);
                    for (int j = 0; j < result.InfoSize; j++) e.Info.Add(result.Info[k * result.InfoSize + j]);
                    for (int c = 0; c < before.StateSize; c++) e.States.Add(before.Component(c)[k]);
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
        EpisodeBuffer? extra = null;
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
                all.Terminated.AddRange(e.Terminated);
                all.Truncated.AddRange(e.Truncated);
                all.Info.AddRange(e.Info);
                all.States.AddRange(e.States);
            }
            dataset = new TransitionDataset(obsDim, actDim, all.Obs, all.Acts, all.NextObs, all.Rews, all.Dones);
            extra = all;
        }
        return new Outcome(returns, lengths, dataset, extra);
    }

    private sealed class EpisodeBuffer
    {
        public List<float> Obs { get; } = [];
        public List<float> Acts { get; } = [];
        public List<float> NextObs { get; } = [];
        public List<float> Rews { get; } = [];
        public List<bool> Dones { get; } = [];
        public List<bool> Terminated { get; } = [];
        public List<bool> Truncated { get; } = [];
        public List<double> Info { get; } = [];
        public List<double> States { get; } = [];
    }
}
