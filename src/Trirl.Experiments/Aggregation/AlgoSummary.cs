namespace Trirl.Experiments;

/// <summary>
/// One algorithm over all its tasks (runs x tasks pooled, resampled within each task): aggregate IQM, mean and median
/// with stratified-bootstrap intervals.
/// </summary>
/// <param name="Algo">The algorithm label.</param>
/// <param name="Tasks">Tasks with at least one run.</param>
/// <param name="Runs">Runs over all tasks.</param>
/// <param name="Iqm">Aggregate interquartile mean.</param>
/// <param name="Mean">Aggregate mean.</param>
/// <param name="Median">Aggregate median.</param>
public sealed record AlgoSummary(string Algo, int Tasks, int Runs, IntervalEstimate Iqm, IntervalEstimate Mean, IntervalEstimate Median);
