namespace Trirl.Experiments;

/// <summary>
/// The final scores of one finished run: its task (env), its algorithm label and the finite scores its summary holds,
/// keyed by <see cref="ScoreMetric.Key"/> (a metric the run does not report is absent).
/// </summary>
/// <param name="Env">The task, e.g. gridworld:5.</param>
/// <param name="Algo">The algorithm label, e.g. trirl (with the other swept flags, e.g. <c>trirl beta=3</c>).</param>
/// <param name="RunId">The run's id.</param>
/// <param name="Scores">Score by metric key.</param>
public sealed record RunScore(string Env, string Algo, string RunId, IReadOnlyDictionary<string, double> Scores);
