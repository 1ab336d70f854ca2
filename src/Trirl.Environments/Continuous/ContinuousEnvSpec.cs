namespace Trirl.Environments;

/// <summary>
/// What a learner needs to know about a continuous task: its name, the meaning of the state components and of the
/// observation entries, the action box and the time limit.
/// </summary>
/// <param name="Name">Registry name, e.g. <c>pendulum</c> (see <see cref="ContinuousEnvs.Names"/>).</param>
/// <param name="StateComponents">Names of the float64 state components, in the order of <see cref="VecEnvState.Components"/>.</param>
/// <param name="ObservationNames">Names of the float32 observation entries, in order.</param>
/// <param name="ActionLow">Lower bound of each action entry (actions outside the box are clipped by the dynamics).</param>
/// <param name="ActionHigh">Upper bound of each action entry.</param>
/// <param name="MaxSteps">Time limit: a step that brings the episode's step counter to this value is truncated.</param>
public sealed record ContinuousEnvSpec(
    string Name,
    ImmutableArray<string> StateComponents,
    ImmutableArray<string> ObservationNames,
    ImmutableArray<float> ActionLow,
    ImmutableArray<float> ActionHigh,
    int MaxSteps)
{
    /// <summary>Registry name (not blank: every task's constructor gets its name checked here).</summary>
    public string Name { get; init; } = Check.NotBlank(Name, "name", "name the environment");

    /// <summary>Number of float64 state components per copy.</summary>
    public int StateSize => StateComponents.Length;

    /// <summary>Observation size <c>obsDim</c>.</summary>
    public int ObservationSize => ObservationNames.Length;

    /// <summary>Action size <c>actDim</c>.</summary>
    public int ActionSize => ActionLow.Length;

    /// <summary>
    /// Names of the float64 values a step reports besides the reward (Gymnasium's <c>info</c>), e.g.
    /// <c>x_position</c> and <c>x_velocity</c> of the locomotion tasks; empty for the classic tasks.
    /// </summary>
    public ImmutableArray<string> InfoNames { get; init; } = [];

    /// <summary>Number of info values per copy.</summary>
    public int InfoSize => InfoNames.Length;
}
