namespace Trirl.Functional;

/// <summary>One sparse transition entry: <c>P(next | s, a) = Probability</c>.</summary>
/// <param name="Next">Index of the next state.</param>
/// <param name="Probability">Its probability.</param>
public readonly record struct Transition(int Next, double Probability);
