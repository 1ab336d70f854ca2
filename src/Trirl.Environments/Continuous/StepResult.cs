using System.Runtime.InteropServices;

namespace Trirl.Environments;

/// <summary>
/// What one vectorised step returns: <c>(next state, observation, reward, terminated, truncated)</c> for each of the
/// <c>N</c> copies. A copy whose episode ended keeps its final state in <see cref="Next"/> and its final observation in
/// <see cref="Observations"/> (the <c>next_obs</c> of the transition); <see cref="ContinuousEnv.ResetDone"/> starts its
/// next episode.
/// </summary>
public sealed record StepResult
{
    private readonly float[] observations;
    private readonly double[] rewards;
    private readonly bool[] terminated;
    private readonly bool[] truncated;
    private readonly double[] info;

    internal StepResult(VecEnvState next, int observationSize, float[] observations, double[] rewards, bool[] terminated, bool[] truncated,
        int infoSize = 0, double[]? info = null)
    {
        InfoSize = infoSize;
        this.info = info ?? [];
        Next = next;
        ObservationSize = observationSize;
        this.observations = observations;
        this.rewards = rewards;
        this.terminated = terminated;
        this.truncated = truncated;
    }

    /// <summary>The state after the step (never reset: see <see cref="ContinuousEnv.ResetDone"/>).</summary>
    public VecEnvState Next { get; }

    /// <summary>Number of copies <c>N</c>.</summary>
    public int Count => rewards.Length;

    /// <summary>Observation size <c>obsDim</c> of one copy.</summary>
    public int ObservationSize { get; }

    /// <summary>Observations of <see cref="Next"/>, float32, copy-major: <c>Observations[i * obsDim + j]</c>.</summary>
    public ImmutableArray<float> Observations => ImmutableCollectionsMarshal.AsImmutableArray(observations);

    /// <summary>
    /// Rewards, float64: Gymnasium computes them in float64 (Python floats), so keeping float64 reproduces its values
    /// exactly and lets returns be summed without float32 rounding; datasets store them as float32.
    /// </summary>
    public ImmutableArray<double> Rewards => ImmutableCollectionsMarshal.AsImmutableArray(rewards);

    /// <summary>Whether the copy reached a terminal state of the task (the value of the next state is 0).</summary>
    public ImmutableArray<bool> Terminated => ImmutableCollectionsMarshal.AsImmutableArray(terminated);

    /// <summary>Whether the copy hit the time limit (its step counter reached <c>MaxSteps</c>); can hold together with <see cref="Terminated"/>.</summary>
    public ImmutableArray<bool> Truncated => ImmutableCollectionsMarshal.AsImmutableArray(truncated);

    /// <summary>Number of info values per copy (<see cref="ContinuousEnvSpec.InfoNames"/>).</summary>
    public int InfoSize { get; }

    /// <summary>
    /// The step's info values, float64, copy-major: <c>Info[i * infoSize + j]</c> is value <c>j</c> of
    /// <see cref="ContinuousEnvSpec.InfoNames"/> for copy <c>i</c> (empty when the task reports none).
    /// </summary>
    public ImmutableArray<double> Info => ImmutableCollectionsMarshal.AsImmutableArray(info);

    /// <summary>Whether copy <paramref name="copy"/>'s episode ended (terminated or truncated).</summary>
    public bool Done(int copy) => terminated[copy] || truncated[copy];

    /// <summary>Whether any copy's episode ended.</summary>
    public bool AnyDone
    {
        get
        {
            for (int i = 0; i < terminated.Length; i++)
                if (terminated[i] || truncated[i]) return true;
            return false;
        }
    }

    /// <summary>The observation of copy <paramref name="copy"/> (<c>obsDim</c> values).</summary>
    public ImmutableArray<float> ObservationOf(int copy)
    {
        if ((uint)copy >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(copy), copy, $"copy must be in [0, {Count})");
        return ImmutableArray.Create(observations, copy * ObservationSize, ObservationSize);
    }

    internal float[] RawObservations => observations;

    /// <summary>Value equality: the same next state, observations, rewards and flags.</summary>
    public bool Equals(StepResult? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Next.Equals(other.Next) && ObservationSize == other.ObservationSize
                && observations.AsSpan().SequenceEqual(other.observations) && rewards.AsSpan().SequenceEqual(other.rewards)
                && terminated.AsSpan().SequenceEqual(other.terminated) && truncated.AsSpan().SequenceEqual(other.truncated)
                && info.AsSpan().SequenceEqual(other.info)));

    /// <summary>Hash of the next state.</summary>
    public override int GetHashCode() => Next.GetHashCode();
}
