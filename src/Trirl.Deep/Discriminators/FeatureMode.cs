namespace Trirl.Deep;

/// <summary>What a discriminator sees of a transition besides the termination flag (math note, section 9).</summary>
public enum FeatureMode
{
    /// <summary><c>(s, a)</c>: the observation and the action (clipped to the action box, as the environment applies it).</summary>
    StateAction,

    /// <summary><c>(s, s')</c>: the observation and the next observation (observation-only imitation, <c>--obs-only</c>).</summary>
    StateNextState,

    /// <summary>
    /// <c>(s, a)</c> with the action as the policy drew it, not clipped to the box (the authors' code, whose
    /// <c>action_clipping_and_rescaling</c> is off). With clipped actions every draw past the box's edge is the edge, so
    /// a reward is flat in the policy's mean and spread there; with the raw draw the discriminators compare how far past
    /// the box the policy's draws go with how far the demonstrations' raw actions go (the shipped demonstrations are the
    /// experts' unclipped mean actions). The environment still applies the clipped action.
    /// <c>--set features=state_raw_action</c>.
    /// </summary>
    StateRawAction,
}

/// <summary>Names of <see cref="FeatureMode"/> values.</summary>
public static class FeatureModes
{
    // One table for both directions, so that a new mode cannot be printable and unparsable.
    private static readonly (FeatureMode Mode, string Name)[] Names =
        [(FeatureMode.StateAction, "state_action"), (FeatureMode.StateNextState, "state_next_state"), (FeatureMode.StateRawAction, "state_raw_action")];

    private static string Choices => $"use {string.Join(", ", Names[..^1].Select(n => n.Name))} or {Names[^1].Name}";

    /// <summary><c>state_action</c>, <c>state_next_state</c> or <c>state_raw_action</c>.</summary>
    public static string Name(FeatureMode mode) =>
        Array.FindIndex(Names, n => n.Mode == mode) is var i and >= 0 ? Names[i].Name
            : throw new TrirlInputException("features", $"unknown value {(int)mode}", Choices);

    /// <summary>The mode named <paramref name="name"/> (<see cref="Name"/>'s inverse); <paramref name="field"/> names the value in the error.</summary>
    public static FeatureMode Parse(string name, string field = "features") =>
        Array.FindIndex(Names, n => n.Name == name) is var i and >= 0 ? Names[i].Mode
            : throw new TrirlInputException(field, $"unknown value '{name}'", Choices);

    /// <summary>Whether the features hold the action (<c>(s, a)</c>, clipped or raw) rather than the next observation.</summary>
    public static bool HasAction(FeatureMode mode) => mode != FeatureMode.StateNextState;

    /// <summary>Number of feature entries (without the termination flag) for a task's observation and action sizes.</summary>
    public static int Size(FeatureMode mode, int observationSize, int actionSize) =>
        observationSize + (HasAction(mode) ? actionSize : observationSize);
}
