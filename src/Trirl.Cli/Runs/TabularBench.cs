using System.Diagnostics;
using Trirl.Functional.Environments;

using Trirl.Cli.Benchmarks;

namespace Trirl.Cli.Runs;

/// <summary>
/// The tabular benchmark: soft value iteration throughput against the memory-read floor on the same MDP (with two
/// parts of a sweep timed alone beside it: the random reads of <c>V(next)</c> and the exponentials), and the
/// wall time of one full TRIRL iteration, on a 100 x 100 gridworld and a 10000-state Garnet. Every measurement
/// is warmed up untimed first (JIT, tiered compilation, caches).
/// </summary>
public static class TabularBench
{
    /// <summary>Timed TRIRL iterations per MDP (the median is reported).</summary>
    public const int IterationSamples = 3;

    /// <summary>Timed rounds of every probe; the fastest round counts.</summary>
    public const int Rounds = 5;

    /// <summary>Untimed warm-up of a probe: at least this many seconds of repeated runs.</summary>
    public const double WarmUpSeconds = 0.5;

    /// <summary>The benchmark MDPs: a 100 x 100 gridworld (slip 0.1) and Garnet(10000, 8, 10, seed 0).</summary>
    public static IReadOnlyList<TabularMdp> Mdps() => [Gridworld.Create(100, 0.1), Garnet.Create(10000, 8, 10, 0)];

    /// <summary>Measures <paramref name="mdp"/> with <paramref name="repeats"/> sweeps and floor passes.</summary>
    public static BenchCase Measure(TabularMdp mdp, int repeats)
    {
        var probes = new Func<double>[]
        {
            () => KernelBenchmarks.SoftSweeps(mdp, repeats),
            () => Math.Min(KernelBenchmarks.ReadFloor(mdp, repeats, parallel: true), KernelBenchmarks.ReadFloor(mdp, repeats, parallel: false)),
            () => KernelBenchmarks.GatherFloor(mdp, repeats),
            () => KernelBenchmarks.ExpFloor(mdp, repeats),
        };
        foreach (var probe in probes) WarmUp(probe);
        // Rounds interleave the probes so that a slow spell of the machine hits them alike; each keeps its fastest
        // round. The floor is the faster of a parallel and a serial pass, so a ratio is never flattered by a floor
        // that lost time to thread hand-offs.
        var best = Enumerable.Repeat(double.PositiveInfinity, probes.Length).ToArray();
        for (int round = 0; round < Rounds; round++)
            for (int p = 0; p < probes.Length; p++)
                best[p] = Math.Min(best[p], probes[p]());
        double sweeps = best[0], floor = best[1], gather = best[2], exps = best[3];

        var problem = TrirlProblem.FromTrueReward(mdp, 3);
        var settings = TrirlSettings.Trirl(3, 0.05, 0.01);
        var start = Learner.Start(problem, settings);
        Learner.Step(problem, settings, start);
        var samples = new double[IterationSamples];
        for (int k = 0; k < samples.Length; k++)
        {
            var watch = Stopwatch.StartNew();
            Learner.Step(problem, settings, start);
            samples[k] = watch.Elapsed.TotalSeconds;
        }
        return new BenchCase(mdp.Name, mdp.States, mdp.Actions, mdp.TransitionCount, repeats, sweeps, floor, gather, exps, samples);
    }

    /// <summary>
    /// Runs <paramref name="probe"/> (which returns its own elapsed seconds) untimed until <see cref="WarmUpSeconds"/>
    /// have passed: one call is not enough, because tiered compilation replaces the first, unoptimised code of a hot
    /// kernel only after it has been called for a while.
    /// </summary>
    private static void WarmUp(Func<double> probe)
    {
        double spent = 0;
        do spent += probe(); while (spent < WarmUpSeconds);
    }
}
