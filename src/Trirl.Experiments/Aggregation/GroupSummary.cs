namespace Trirl.Experiments;

/// <summary>One (env, algo) cell of a metric: its runs' count, mean, median and IQM with its bootstrap interval.</summary>
/// <param name="Env">The task.</param>
/// <param name="Algo">The algorithm label.</param>
/// <param name="N">Runs with a score.</param>
/// <param name="Mean">Mean score.</param>
/// <param name="Median">Median score.</param>
/// <param name="Iqm">Interquartile mean with its 95% (or as set) bootstrap interval.</param>
public sealed record GroupSummary(string Env, string Algo, int N, double Mean, double Median, IntervalEstimate Iqm);
