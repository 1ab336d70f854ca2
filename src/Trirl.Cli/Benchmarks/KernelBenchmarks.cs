using System.Diagnostics;

namespace Trirl.Cli.Benchmarks;

/// <summary>
/// Timing probes for <c>trirl bench tabular</c>: the soft Bellman sweep and its memory-read floor, measured on
/// the same MDP in the same run so that their ratio is meaningful on any machine.
/// </summary>
public static class KernelBenchmarks
{
    /// <summary>
    /// Seconds taken by <paramref name="sweeps"/> full soft Bellman sweeps
    /// <c>V(s) &lt;- logsumexp_a( r(s,a) + gamma * sum_s' P(s'|s,a) V(s') )</c> over a fixed random reward, exactly
    /// as <see cref="Irl.SoftOptimal"/> runs them (same kernel, same layout, parallel where it pays).
    /// </summary>
    public static double SoftSweeps(TabularMdp mdp, int sweeps)
    {
        Check.PositiveInt(sweeps, nameof(sweeps));
        var sweeper = SoftSweeper.Create(mdp, Uniform(mdp.States * mdp.Actions, 1.0), 1.0,
            Kernels.UseParallel(mdp, SolverSettings.Default), [], SweepPath.Auto);
        return Timed(sweeps, sweeper.Sweep);
    }

    /// <summary>
    /// Seconds taken by <paramref name="passes"/> passes of the memory-read floor: one pass reads and sums every CSR
    /// array a sweep reads (offsets, next-state indices, probabilities), blocked and parallelised like the sweep.
    /// </summary>
    /// <param name="mdp">The MDP whose CSR arrays are read.</param>
    /// <param name="passes">Timed passes, &gt;= 1.</param>
    /// <param name="parallel">Spread the blocks over threads where the sweep would (default), or read on the calling
    /// thread: for short passes thread hand-offs can cost more than they save, so a fair floor takes the faster.</param>
    public static double ReadFloor(TabularMdp mdp, int passes, bool parallel = true)
    {
        Check.PositiveInt(passes, nameof(passes));
        parallel = parallel && Kernels.UseParallel(mdp, SolverSettings.Default);
        return Timed(passes, () => Kernels.ReadFloorPass(mdp, parallel));
    }

    /// <summary>
    /// Seconds taken by <paramref name="passes"/> passes of the random reads of a sweep: every entry's next-state
    /// index and <c>V(next)</c>, summed (<c>sum_k V(next_k)</c>), blocked and parallelised like the sweep. Beside
    /// <see cref="ReadFloor"/> it shows how much of a sweep no transition layout can remove.
    /// </summary>
    /// <param name="mdp">The MDP whose next-state indices are followed.</param>
    /// <param name="passes">Timed passes, &gt;= 1.</param>
    public static double GatherFloor(TabularMdp mdp, int passes)
    {
        Check.PositiveInt(passes, nameof(passes));
        bool parallel = Kernels.UseParallel(mdp, SolverSettings.Default);
        var v = Uniform(mdp.States, 1.0);
        return Timed(passes, () => Kernels.GatherPass(mdp, v, parallel));
    }

    /// <summary>
    /// Seconds taken by <paramref name="passes"/> passes of the exponentials of a sweep: <c>exp(x)</c> for
    /// <c>S*A</c> values <c>x &lt;= 0</c> with the sweep's own exp kernel, blocked and parallelised like the sweep.
    /// </summary>
    /// <param name="mdp">The MDP whose <c>S x A</c> shape is exponentiated.</param>
    /// <param name="passes">Timed passes, &gt;= 1.</param>
    public static double ExpFloor(TabularMdp mdp, int passes)
    {
        Check.PositiveInt(passes, nameof(passes));
        bool parallel = Kernels.UseParallel(mdp, SolverSettings.Default);
        var x = Uniform(mdp.States * mdp.Actions, -5.0);
        var y = new double[x.Length];
        return Timed(passes, () =>
        {
            Kernels.ExpPass(x, y, mdp.States, mdp.Actions, parallel);
            return y[0];
        });
    }

    /// <summary><paramref name="count"/> values uniform in <c>[0, scale)</c> (or <c>(scale, 0]</c>), from a fixed seed.</summary>
    private static double[] Uniform(int count, double scale)
    {
        var rng = new Rng(12345);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = scale * rng.NextDouble();
        return values;
    }

    /// <summary>Seconds of <paramref name="passes"/> calls; their results are summed and kept so none is optimised away.</summary>
    private static double Timed(int passes, Func<double> pass)
    {
        double sink = 0;
        var watch = Stopwatch.StartNew();
        for (int k = 0; k < passes; k++) sink += pass();
        double seconds = watch.Elapsed.TotalSeconds;
        GC.KeepAlive(sink);
        return seconds;
    }
}
