namespace Trirl.Deep;

/// <summary>
/// A policy for a continuous task, batched: actions for <c>count</c> observations at once (copy-major arrays), in the
/// environment's action units. Stochastic policies draw their noise from the <see cref="Rng"/> they are given, so a
/// rollout is a function of its seed; deterministic ones ignore it.
/// </summary>
public interface IContinuousPolicy
{
    /// <summary>Observation size <c>obsDim</c>.</summary>
    int ObservationSize { get; }

    /// <summary>Action size <c>actDim</c>.</summary>
    int ActionSize { get; }

    /// <summary>
    /// Actions <c>[count * actDim]</c> for observations <c>[count * obsDim]</c> (copy-major), drawing any randomness
    /// from <paramref name="rng"/>.
    /// </summary>
    float[] Act(float[] observations, int count, Rng rng);
}
