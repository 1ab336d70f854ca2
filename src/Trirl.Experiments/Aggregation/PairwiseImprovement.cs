namespace Trirl.Experiments;

/// <summary>The probability that algorithm X beats algorithm Y on a run of a shared task (<see cref="ImprovementProbability"/>).</summary>
/// <param name="X">The first algorithm.</param>
/// <param name="Y">The second algorithm.</param>
/// <param name="Tasks">Tasks both have.</param>
/// <param name="Probability"><c>P(X &gt; Y)</c> with its bootstrap interval (<c>P(Y &gt; X) = 1 - P(X &gt; Y)</c>).</param>
public sealed record PairwiseImprovement(string X, string Y, int Tasks, IntervalEstimate Probability);
