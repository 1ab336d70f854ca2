namespace Trirl.Functional;

/// <summary>
/// The mathematics of TRIRL as pure functions, one per file, named as in the math note
/// (<c>docs/trirl-math.md</c>): <see cref="SoftOptimal"/>, <see cref="Occupancy"/>, <see cref="DualObjective"/>,
/// <see cref="PrimalObjective"/>, <see cref="DualityGap"/>, <see cref="DualGradient"/>, <see cref="LogRatio"/>,
/// <see cref="ProposeReward"/>, <see cref="CausalKl"/>, <see cref="TrustRegionStep"/> and <see cref="CorrectReward"/>.
/// From F#, <c>open type Trirl.Functional.Irl</c> brings them into scope as plain functions.
/// </summary>
public static partial class Irl
{
}
