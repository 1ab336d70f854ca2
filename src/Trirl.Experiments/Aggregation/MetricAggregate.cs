namespace Trirl.Experiments;

/// <summary>Every statistic of one metric over a sweep.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Groups">Per (env, algo), in the order the plan first lists them.</param>
/// <param name="Algos">Per algorithm over its tasks.</param>
/// <param name="Improvements">Per pair of algorithms (each unordered pair once, in plan order) sharing a task.</param>
/// <param name="Profiles">Per algorithm, over common thresholds.</param>
public sealed record MetricAggregate(
    ScoreMetric Metric,
    IReadOnlyList<GroupSummary> Groups,
    IReadOnlyList<AlgoSummary> Algos,
    IReadOnlyList<PairwiseImprovement> Improvements,
    IReadOnlyList<ProfileCurve> Profiles);
