using System.Runtime.InteropServices;

namespace Trirl.Environments;

/// <summary>
/// A continuous-control task stepped as <c>N</c> copies at once. Every method is a pure function of its arguments: the
/// environment object holds only constant parameters, states are immutable <see cref="VecEnvState"/> records.
/// <list type="bullet">
/// <item><see cref="Step"/> is <c>(state, actions) -&gt; (next state, observation, reward, terminated, truncated)</c>.</item>
/// <item><see cref="Reset(int, long)"/>, <see cref="ResetSeeds"/> and <see cref="ResetFrom"/> start episodes from a seed or
/// from given states.</item>
/// <item>Auto-reset is explicit: <see cref="Step"/> never resets, so a finished copy's final observation is in the
/// step's result; <see cref="ResetDone"/> then starts the next episode of exactly the copies that finished, drawing the
/// new initial state from the copy's own seed and its next episode index.</item>
/// </list>
/// A copy's trajectory depends only on its seed and its actions: copy <c>k</c> of a batch of <c>N</c> follows the same
/// states, bit for bit, as a batch of one with the same seed.
/// </summary>
public abstract class ContinuousEnv
{
    private protected ContinuousEnv(ContinuousEnvSpec spec) => Spec = spec;

    /// <summary>Name, state and observation layout, action box and time limit.</summary>
    public ContinuousEnvSpec Spec { get; }

    /// <summary>Registry name (<see cref="ContinuousEnvSpec.Name"/>).</summary>
    public string Name => Spec.Name;

    /// <summary>The name.</summary>
    public override string ToString() => Name;

    /// <summary>
    /// <paramref name="count"/> copies in the first episode (index 0), copy <c>i</c> with seed
    /// <c>ContinuousEnvs.CopySeed(seed, i)</c>.
    /// </summary>
    public VecEnvState Reset(int count, long seed)
    {
        Check.PositiveInt(count, nameof(count));
        var seeds = new long[count];
        for (int i = 0; i < count; i++) seeds[i] = ContinuousEnvs.CopySeed(seed, i);
        return ResetSeeds(seeds);
    }

    /// <summary>One copy per seed in the first episode (index 0), its initial state drawn with <c>Rng.Derive(seed, 0)</c>.</summary>
    public VecEnvState ResetSeeds(IReadOnlyList<long> seeds)
    {
        Check.NotNull(seeds, nameof(seeds));
        if (seeds.Count == 0) throw new TrirlInputException(nameof(seeds), "is empty", "pass one seed per copy");
        int n = seeds.Count;
        var comps = NewComponents(n);
        var scratch = new double[Spec.StateSize];
        var own = new long[n];
        for (int i = 0; i < n; i++)
        {
            own[i] = seeds[i];
            Sample(Rng.Derive(own[i], 0), scratch);
            for (int c = 0; c < scratch.Length; c++) comps[c][i] = scratch[c];
        }
        return VecEnvState.Own(Name, comps, new int[n], new int[n], own);
    }

    /// <summary>
    /// Copies starting from the given states (one state vector per copy, components in the order of
    /// <see cref="ContinuousEnvSpec.StateComponents"/>), in episode 0 with step counter 0; copy <c>i</c> gets the seed
    /// <c>ContinuousEnvs.CopySeed(seed, i)</c> for its later resets.
    /// </summary>
    public VecEnvState ResetFrom(IReadOnlyList<double[]> states, long seed)
    {
        Check.NotNull(states, nameof(states));
        if (states.Count == 0) throw new TrirlInputException(nameof(states), "is empty", "pass one state vector per copy");
        int n = states.Count;
        var comps = NewComponents(n);
        var seeds = new long[n];
        for (int i = 0; i < n; i++)
        {
            string field = $"states[{i}]";
            var s = states[i];
            if (s is null || s.Length != Spec.StateSize)
                throw new TrirlInputException(field, $"has {s?.Length ?? 0} values but {Name} has {Spec.StateSize} state components ({string.Join(", ", Spec.StateComponents)})",
                    "pass one value per state component");
            for (int c = 0; c < s.Length; c++) Check.Finite(s[c], $"{field}[{c}] ({Spec.StateComponents[c]})");
            CheckState(s, field);
            for (int c = 0; c < s.Length; c++) comps[c][i] = s[c];
            seeds[i] = ContinuousEnvs.CopySeed(seed, i);
        }
        return VecEnvState.Own(Name, comps, new int[n], new int[n], seeds);
    }

    /// <summary>
    /// The state of <paramref name="result"/> with every finished copy (terminated or truncated) reset: its episode index
    /// goes up by one, its step counter back to 0, and its new initial state is drawn with <c>Rng.Derive(seed, episode)</c>.
    /// The other copies are unchanged. Returns <c>result.Next</c> itself when no copy finished.
    /// </summary>
    public VecEnvState ResetDone(StepResult result)
    {
        Check.NotNull(result, nameof(result));
        var state = result.Next;
        CheckEnv(state, nameof(result));
        if (!result.AnyDone) return state;
        int n = state.Count;
        var comps = new double[Spec.StateSize][];
        for (int c = 0; c < comps.Length; c++) comps[c] = (double[])state.RawComponents[c].Clone();
        var steps = (int[])state.RawSteps.Clone();
        var episodes = (int[])state.RawEpisodes.Clone();
        var seeds = state.RawSeeds;
        var scratch = new double[Spec.StateSize];
        for (int i = 0; i < n; i++)
        {
            if (!result.Done(i)) continue;
            episodes[i] = checked(episodes[i] + 1);
            steps[i] = 0;
            Sample(Rng.Derive(seeds[i], episodes[i]), scratch);
            for (int c = 0; c < scratch.Length; c++) comps[c][i] = scratch[c];
        }
        return VecEnvState.Own(Name, comps, steps, episodes, seeds);
    }

    /// <summary>The float32 observations of <paramref name="state"/>, copy-major: <c>[i * obsDim + j]</c>.</summary>
    public ImmutableArray<float> Observe(VecEnvState state)
    {
        CheckEnv(state, nameof(state));
        var obs = new float[state.Count * Spec.ObservationSize];
        ObserveInto(state.RawComponents, obs);
        return ImmutableCollectionsMarshal.AsImmutableArray(obs);
    }

    /// <summary>
    /// One step of every copy: <paramref name="actions"/> holds <c>N * actDim</c> finite float32 values, copy-major
    /// (<c>[i * actDim + j]</c>); values outside the action box are clipped by the dynamics (the task's documentation
    /// says where the raw value still counts). The step counter of every copy goes up by one; a copy whose counter
    /// reaches <see cref="ContinuousEnvSpec.MaxSteps"/> is truncated. Nothing is reset here.
    /// </summary>
    public StepResult Step(VecEnvState state, IReadOnlyList<float> actions)
    {
        CheckEnv(state, nameof(state));
        Check.NotNull(actions, nameof(actions));
        int n = state.Count, actDim = Spec.ActionSize;
        if (actions.Count != n * actDim)
            throw new TrirlInputException(nameof(actions), $"has {actions.Count} values but {n} copies of {Name} need {n} x {actDim} = {n * actDim}",
                "pass actDim values per copy, copy-major");
        var a = actions as float[] ?? actions.ToArray();
        for (int k = 0; k < a.Length; k++)
            if (!float.IsFinite(a[k]))
                throw new TrirlInputException($"actions[{k}]", $"is {a[k].ToString("R", System.Globalization.CultureInfo.InvariantCulture)} (copy {k / actDim})",
                    "pass finite actions");
        var cur = state.RawComponents;
        if (HasStateConstraints)
            for (int i = 0; i < n; i++) CheckState(cur, i);
        var next = NewComponents(n);
        var rewards = new double[n];
        var terminated = new bool[n];
        var info = new double[n * Spec.InfoSize];
        Dynamics(cur, a, next, rewards, terminated, info);
        var steps = new int[n];
        var truncated = new bool[n];
        var oldSteps = state.RawSteps;
        for (int i = 0; i < n; i++)
        {
            steps[i] = checked(oldSteps[i] + 1);
            truncated[i] = steps[i] >= Spec.MaxSteps;
        }
        var nextState = VecEnvState.Own(Name, next, steps, (int[])state.RawEpisodes.Clone(), state.RawSeeds);
        var obs = new float[n * Spec.ObservationSize];
        ObserveInto(next, obs);
        return new StepResult(nextState, Spec.ObservationSize, obs, rewards, terminated, truncated, Spec.InfoSize, info);
    }

    private double[][] NewComponents(int n)
    {
        var comps = new double[Spec.StateSize][];
        for (int c = 0; c < comps.Length; c++) comps[c] = new double[n];
        return comps;
    }

    private void CheckEnv(VecEnvState state, string field)
    {
        Check.NotNull(state, field);
        if (state.Env != Name)
            throw new TrirlInputException(field, $"belongs to environment '{state.Env}', not '{Name}'",
                $"step it with ContinuousEnvs.Create(\"{state.Env}\"), or start {Name} from its components with ResetFrom");
        if (state.StateSize != Spec.StateSize)
            throw new TrirlInputException(field, $"has {state.StateSize} state components but {Name} has {Spec.StateSize}", "pass a state of this environment");
    }

    private void CheckState(double[][] comps, int copy)
    {
        Span<double> s = stackalloc double[comps.Length];
        for (int c = 0; c < s.Length; c++) s[c] = comps[c][copy];
        CheckState(s, $"state of copy {copy}");
    }

    /// <summary>Draws one copy's initial state into <paramref name="state"/>.</summary>
    private protected abstract void Sample(Rng rng, Span<double> state);

    /// <summary>Whether <see cref="CheckState(ReadOnlySpan{double}, string)"/> can reject a finite state (checked on every step).</summary>
    private protected virtual bool HasStateConstraints => false;

    /// <summary>Throws a <see cref="TrirlInputException"/> when a finite state vector is not a state of the task.</summary>
    private protected virtual void CheckState(ReadOnlySpan<double> state, string field) { }

    /// <summary>
    /// Writes the next state, reward, termination flag and info values (copy-major, <see cref="ContinuousEnvSpec.InfoSize"/>
    /// per copy) of every copy (struct-of-arrays, no allocation).
    /// </summary>
    private protected abstract void Dynamics(double[][] state, float[] actions, double[][] next, double[] rewards, bool[] terminated, double[] info);

    /// <summary>Writes the observations of every copy, copy-major.</summary>
    private protected abstract void ObserveInto(double[][] state, float[] observations);
}
