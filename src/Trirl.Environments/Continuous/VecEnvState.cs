using System.Runtime.InteropServices;

namespace Trirl.Environments;

/// <summary>
/// The states of <c>N</c> copies of one continuous environment, stored struct-of-arrays:
/// <c>Components[c][i]</c> is state component <c>c</c> of copy <c>i</c> (for the pendulum <c>c = 0</c> is the angle
/// <c>theta</c> and <c>c = 1</c> the angular velocity), in float64. Each copy also carries its step counter within the
/// current episode, the index of that episode and its own seed: episode <c>e</c> of the copy with seed <c>s</c> starts
/// from a state drawn with <c>Rng.Derive(s, e)</c>, so a copy's trajectory depends only on its own seed and actions,
/// never on <c>N</c> or on the other copies.
/// </summary>
public sealed record VecEnvState
{
    private readonly double[][] components;
    private readonly int[] steps;
    private readonly int[] episodes;
    private readonly long[] seeds;

    /// <summary>
    /// A validated copy of the given arrays. <paramref name="components"/> holds one array per state component, each of
    /// length <c>N</c>; <paramref name="steps"/>, <paramref name="episodes"/> and <paramref name="seeds"/> one entry per copy.
    /// </summary>
    /// <param name="env">Name of the environment the state belongs to (see <see cref="ContinuousEnvs.Names"/>).</param>
    /// <param name="components">State components, struct-of-arrays, finite.</param>
    /// <param name="steps">Steps taken in the current episode, per copy, &gt;= 0.</param>
    /// <param name="episodes">Index of the current episode, per copy, &gt;= 0.</param>
    /// <param name="seeds">Seed of each copy.</param>
    public VecEnvState(string env, IReadOnlyList<double[]> components, IReadOnlyList<int> steps, IReadOnlyList<int> episodes,
        IReadOnlyList<long> seeds)
    {
        if (string.IsNullOrWhiteSpace(env)) throw new TrirlInputException(nameof(env), "is empty", "pass the environment's name");
        Check.NotNull(components, nameof(components));
        Check.NotNull(steps, nameof(steps));
        Check.NotNull(episodes, nameof(episodes));
        Check.NotNull(seeds, nameof(seeds));
        if (components.Count == 0) throw new TrirlInputException(nameof(components), "has no state component", "pass one array per state component");
        int n = steps.Count;
        if (n == 0) throw new TrirlInputException(nameof(steps), "is empty: a state needs at least one copy", "pass one entry per copy");
        if (episodes.Count != n) throw new TrirlInputException(nameof(episodes), $"has {episodes.Count} entries but steps has {n}", "pass one entry per copy");
        if (seeds.Count != n) throw new TrirlInputException(nameof(seeds), $"has {seeds.Count} entries but steps has {n}", "pass one entry per copy");
        this.components = new double[components.Count][];
        for (int c = 0; c < components.Count; c++)
        {
            var column = components[c];
            if (column is null || column.Length != n)
                throw new TrirlInputException($"components[{c}]", $"has {column?.Length ?? 0} entries but there are {n} copies", "pass one value per copy");
            for (int i = 0; i < n; i++) Check.Finite(column[i], $"components[{c}][{i}]");
            this.components[c] = (double[])column.Clone();
        }
        this.steps = new int[n];
        this.episodes = new int[n];
        this.seeds = new long[n];
        for (int i = 0; i < n; i++)
        {
            if (steps[i] < 0) throw new TrirlInputException($"steps[{i}]", $"must be >= 0, got {steps[i]}", "count steps from 0");
            if (episodes[i] < 0) throw new TrirlInputException($"episodes[{i}]", $"must be >= 0, got {episodes[i]}", "count episodes from 0");
            this.steps[i] = steps[i];
            this.episodes[i] = episodes[i];
            this.seeds[i] = seeds[i];
        }
        Env = env;
    }

    /// <summary>Takes ownership of the arrays without copying or validating (library-internal).</summary>
    private VecEnvState(string env, double[][] components, int[] steps, int[] episodes, long[] seeds, bool owned)
    {
        _ = owned;
        Env = env;
        this.components = components;
        this.steps = steps;
        this.episodes = episodes;
        this.seeds = seeds;
    }

    internal static VecEnvState Own(string env, double[][] components, int[] steps, int[] episodes, long[] seeds) =>
        new(env, components, steps, episodes, seeds, owned: true);

    /// <summary>Name of the environment this state belongs to.</summary>
    public string Env { get; }

    /// <summary>Number of copies <c>N</c>.</summary>
    public int Count => steps.Length;

    /// <summary>Number of state components per copy.</summary>
    public int StateSize => components.Length;

    /// <summary>State components, struct-of-arrays: <c>Components[c][i]</c> is component <c>c</c> of copy <c>i</c>.</summary>
    public ImmutableArray<ImmutableArray<double>> Components =>
        components.Select(ImmutableCollectionsMarshal.AsImmutableArray).ToImmutableArray();

    /// <summary>Component <paramref name="component"/> of every copy (a read-only view, no copy).</summary>
    public ImmutableArray<double> Component(int component) => ImmutableCollectionsMarshal.AsImmutableArray(components[component]);

    /// <summary>The state vector of copy <paramref name="copy"/> (its components in order).</summary>
    public ImmutableArray<double> StateOf(int copy)
    {
        if ((uint)copy >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(copy), copy, $"copy must be in [0, {Count})");
        var v = new double[components.Length];
        for (int c = 0; c < v.Length; c++) v[c] = components[c][copy];
        return ImmutableCollectionsMarshal.AsImmutableArray(v);
    }

    /// <summary>Steps taken in the current episode, per copy (truncation comes at the environment's <c>MaxSteps</c>).</summary>
    public ImmutableArray<int> Steps => ImmutableCollectionsMarshal.AsImmutableArray(steps);

    /// <summary>Index of the current episode, per copy (0 after a reset, +1 at each <see cref="ContinuousEnv.ResetDone"/>).</summary>
    public ImmutableArray<int> Episodes => ImmutableCollectionsMarshal.AsImmutableArray(episodes);

    /// <summary>Seed of each copy: episode <c>e</c> starts from a state drawn with <c>Rng.Derive(seed, e)</c>.</summary>
    public ImmutableArray<long> Seeds => ImmutableCollectionsMarshal.AsImmutableArray(seeds);

    internal double[][] RawComponents => components;
    internal int[] RawSteps => steps;
    internal int[] RawEpisodes => episodes;
    internal long[] RawSeeds => seeds;

    /// <summary>Copy with other step counters (e.g. to test truncation); F# cannot use C#'s <c>with</c>.</summary>
    public VecEnvState WithSteps(IReadOnlyList<int> steps) =>
        new(Env, components, steps, episodes, seeds);

    /// <summary>The copies at <paramref name="copies"/>, in that order, as a state of their own.</summary>
    public VecEnvState Select(IReadOnlyList<int> copies)
    {
        Check.NotNull(copies, nameof(copies));
        if (copies.Count == 0) throw new TrirlInputException(nameof(copies), "is empty", "select at least one copy");
        int m = copies.Count;
        var comps = new double[components.Length][];
        for (int c = 0; c < comps.Length; c++) comps[c] = new double[m];
        var st = new int[m];
        var ep = new int[m];
        var sd = new long[m];
        for (int j = 0; j < m; j++)
        {
            int i = copies[j];
            if ((uint)i >= (uint)Count) throw new TrirlInputException($"copies[{j}]", $"is {i}, outside [0, {Count})", "select existing copies");
            for (int c = 0; c < comps.Length; c++) comps[c][j] = components[c][i];
            st[j] = steps[i];
            ep[j] = episodes[i];
            sd[j] = seeds[i];
        }
        return Own(Env, comps, st, ep, sd);
    }

    /// <summary>Value equality: the same environment, component values, counters and seeds.</summary>
    public bool Equals(VecEnvState? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (Env != other.Env || components.Length != other.components.Length) return false;
        for (int c = 0; c < components.Length; c++)
            if (!components[c].AsSpan().SequenceEqual(other.components[c])) return false;
        return steps.AsSpan().SequenceEqual(other.steps) && episodes.AsSpan().SequenceEqual(other.episodes)
            && seeds.AsSpan().SequenceEqual(other.seeds);
    }

    /// <summary>Hash of the environment, the size and the first copy.</summary>
    public override int GetHashCode() =>
        HashCode.Combine(Env, Count, components.Length, components[0][0], steps[0], seeds[0]);
}
