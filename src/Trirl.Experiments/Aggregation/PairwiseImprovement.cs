namespace Trirl.Experiments;

/// <summary>
/// Algorithm X against algorithm Y on the tasks both ran: the probability that X beats Y on a run of a shared task
/// (<see cref="ImprovementProbability"/>) and the ratio of their aggregate IQMs (<see cref="IqmRatio"/>).
/// </summary>
/// <param name="X">The first algorithm.</param>
/// <param name="Y">The second algorithm.</param>
/// <param name="Tasks">Shared tasks.</param>
/// <param name="Probability"><c>P(X &gt; Y)</c> with its interval.</param>
/// <param name="IqmRatio"><c>IQM(X) / IQM(Y)</c> over the shared tasks with its interval (NaN where Y's IQM is not positive).</param>
public sealed record PairwiseImprovement(string X, string Y, int Tasks, IntervalEstimate Probability, IntervalEstimate IqmRatio);
