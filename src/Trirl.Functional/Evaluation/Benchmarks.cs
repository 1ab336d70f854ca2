using System.Diagnostics;

namespace Trirl.Functional;

/// <summary>
/// Timing probes for <c>trirl bench tabular</c>: the soft Bellman sweep and its memory-read floor, measured on
/// the same MDP in the same run so that their ratio is meaningful on any machine.
/// </summary>
public static class Benchmarks
{
    /// <summary>
    /// Seconds taken by <paramref name="sweeps"/> full soft Bellman sweeps
    /// <c>V(s) &lt;- logsumexp_a( r(s,a) + gamma * sum_s' P(s'|s,a) V(s') )</c> over a fixed random reward, exactly
    /// as <see cref="Irl.SoftOptimal"/> runs them (same kernel, same layout, parallel where it pays).
    /// </summary>
    public static double SoftSweeps(TabularMdp mdp, int sweeps)
    {
        Check.PositiveInt(sweeps, nameof(sweeps));
        var rng = new Rng(12345);
        var reward = new double[mdp.States * mdp.Actions];
        for (int i = 0; i < reward.Length; i++) reward[i] = rng.NextDouble();
        var sweeper = SoftSweeper.Create(mdp, reward, 1.0, Kernels.UseParallel(mdp, SolverSettings.Default), [], SweepPath.Auto);
        var watch = Stopwatch.StartNew();
        for (int k = 0; k < sweeps; k++) sweeper.Sweep();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Seconds taken by <paramref name="passes"/> passes of the memory-read floor: one pass reads and sums every CSR
    /// array a sweep reads (offsets, next-state indices, probabilities), blocked and parallelised like the sweep.
    /// </summary>
    public static double ReadFloor(TabularMdp mdp, int passes)
    {
        Check.PositiveInt(passes, nameof(passes));
        bool parallel = Kernels.UseParallel(mdp, SolverSettings.Default);
        double sink = 0;
        var watch = Stopwatch.StartNew();
        for (int k = 0; k < passes; k++) sink += Kernels.ReadFloorPass(mdp, parallel);
        double seconds = watch.Elapsed.TotalSeconds;
        GC.KeepAlive(sink);
        return seconds;
    }
}
