namespace Trirl.Experiments;

/// <summary>A point estimate with its confidence interval, e.g. an IQM and its 95% stratified-bootstrap interval.</summary>
/// <param name="Point">The statistic on the data as observed.</param>
/// <param name="Low">Lower end of the interval.</param>
/// <param name="High">Upper end of the interval.</param>
public sealed record IntervalEstimate(double Point, double Low, double High);
