namespace Trirl.Experiments;

/// <summary>A performance profile of one algorithm: at each threshold, the fraction of runs above it with its interval.</summary>
/// <param name="Name">The algorithm.</param>
/// <param name="Thresholds">The thresholds <c>tau</c>, increasing.</param>
/// <param name="Fractions">At each threshold, the fraction of runs with a score above it, with its bootstrap interval.</param>
public sealed record ProfileCurve(string Name, IReadOnlyList<double> Thresholds, IReadOnlyList<IntervalEstimate> Fractions);
