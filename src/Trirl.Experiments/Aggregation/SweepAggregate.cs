namespace Trirl.Experiments;

/// <summary>
/// The aggregate statistics of a sweep (Agarwal et al. 2021, rliable), per metric that at least one run reports
/// (<see cref="ScoreMetric.All"/>): per (env, algo) n, mean, median and IQM with a bootstrap interval; per algorithm
/// the aggregate IQM, mean and median over its tasks; for every pair of algorithms the probability of improvement and
/// the ratio of aggregate IQMs over their shared tasks; and
/// performance profiles over 101 thresholds from <c>min(0, lowest score)</c> to <c>max(1, highest score)</c>. Every
/// interval has its own bootstrap stream named after what it estimates (e.g. <c>normalized_return|iqm|cliff|trirl</c>),
/// so a result does not change when other runs are added.
/// </summary>
/// <param name="Bootstrap">The bootstrap settings used.</param>
/// <param name="Metrics">One entry per reported metric, in the paper's order.</param>
public sealed record SweepAggregate(BootstrapSettings Bootstrap, IReadOnlyList<MetricAggregate> Metrics)
{
    /// <summary>Computes the aggregate of <paramref name="runs"/> (in plan order) with <paramref name="bootstrap"/>.</summary>
    public static SweepAggregate Compute(IReadOnlyList<RunScore> runs, BootstrapSettings bootstrap)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(bootstrap);
        var metrics = new List<MetricAggregate>();
        foreach (var metric in ScoreMetric.All)
        {
            var scored = runs.Where(r => r.Scores.ContainsKey(metric.Key)).ToArray();
            if (scored.Length > 0) metrics.Add(Of(metric, scored, bootstrap));
        }
        return new SweepAggregate(bootstrap, metrics);
    }

    private static MetricAggregate Of(ScoreMetric metric, IReadOnlyList<RunScore> runs, BootstrapSettings bootstrap)
    {
        string key = metric.Key;
        var envs = runs.Select(r => r.Env).Distinct().ToArray();
        var algos = runs.Select(r => r.Algo).Distinct().ToArray();
        // scores[algo][env] in plan order; only cells with runs.
        var cells = algos.ToDictionary(a => a, a => envs
            .Select(e => (Env: e, Scores: runs.Where(r => r.Algo == a && r.Env == e).Select(r => r.Scores[key]).ToArray()))
            .Where(c => c.Scores.Length > 0)
            .ToArray());

        var groups = new List<GroupSummary>();
        foreach (var env in envs)
            foreach (var algo in algos)
                if (cells[algo].FirstOrDefault(c => c.Env == env).Scores is { } xs)
                {
                    var iqm = StratifiedBootstrap.Interval([xs], StratifiedBootstrap.PooledIqm, bootstrap, $"{key}|iqm|{env}|{algo}");
                    groups.Add(new GroupSummary(env, algo, xs.Length, PointEstimates.Mean(xs), PointEstimates.Median(xs), iqm));
                }

        var summaries = new List<AlgoSummary>();
        foreach (var algo in algos)
        {
            var strata = cells[algo].Select(c => (IReadOnlyList<double>)c.Scores).ToArray();
            var three = StratifiedBootstrap.Intervals(strata,
                s => [StratifiedBootstrap.PooledIqm(s), StratifiedBootstrap.PooledMean(s), StratifiedBootstrap.PooledMedian(s)],
                bootstrap, $"{key}|aggregate|{algo}");
            summaries.Add(new AlgoSummary(algo, strata.Length, strata.Sum(s => s.Count), three[0], three[1], three[2]));
        }

        var improvements = new List<PairwiseImprovement>();
        for (int i = 0; i < algos.Length; i++)
            for (int j = i + 1; j < algos.Length; j++)
            {
                var shared = cells[algos[i]].Select(c => c.Env).Intersect(cells[algos[j]].Select(c => c.Env)).ToArray();
                if (shared.Length == 0) continue;
                var x = shared.Select(e => (IReadOnlyList<double>)cells[algos[i]].First(c => c.Env == e).Scores).ToArray();
                var y = shared.Select(e => (IReadOnlyList<double>)cells[algos[j]].First(c => c.Env == e).Scores).ToArray();
                var p = ImprovementProbability.WithInterval(x, y, bootstrap, $"{key}|improvement|{algos[i]}|{algos[j]}");
                var ratio = IqmRatio.WithInterval(x, y, bootstrap, $"{key}|iqm-ratio|{algos[i]}|{algos[j]}");
                improvements.Add(new PairwiseImprovement(algos[i], algos[j], shared.Length, p, ratio));
            }

        var all = runs.Select(r => r.Scores[key]).ToArray();
        var thresholds = PerformanceProfile.Thresholds(Math.Min(0, all.Min()), Math.Max(1, all.Max()));
        var profiles = algos
            .Select(a => PerformanceProfile.Of(a, cells[a].Select(c => (IReadOnlyList<double>)c.Scores).ToArray(), thresholds, bootstrap, $"{key}|profile|{a}"))
            .ToArray();
        return new MetricAggregate(metric, groups, summaries, improvements, profiles);
    }
}
