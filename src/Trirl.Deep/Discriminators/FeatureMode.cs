namespace Trirl.Deep;

/// <summary>What a discriminator sees of a transition besides the termination flag (math note, section 9).</summary>
public enum FeatureMode
{
    /// <summary><c>(s, a)</c>: the observation and the action (clipped to the action box, as the environment applies it).</summary>
    StateAction,

    /// <summary><c>(s, s')</c>: the observation and the next observation (observation-only imitation, <c>--obs-only</c>).</summary>
    StateNextState,
}

/// <summary>Names of <see cref="FeatureMode"/> values.</summary>
public static class FeatureModes
{
    /// <summary><c>state_action</c> or <c>state_next_state</c>.</summary>
    public static string Name(FeatureMode mode) => mode switch
    {
        FeatureMode.StateAction => "state_action",
        FeatureMode.StateNextState => "state_next_state",
        _ => throw new TrirlInputException("features", $"unknown value {(int)mode}", "use state_action or state_next_state"),
    };

    /// <summary>Number of feature entries (without the termination flag) for a task's observation and action sizes.</summary>
    public static int Size(FeatureMode mode, int observationSize, int actionSize) =>
        observationSize + (mode == FeatureMode.StateAction ? actionSize : observationSize);
}
