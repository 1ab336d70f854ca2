using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Trirl.Functional;

/// <summary>
/// The hot loops of the tabular solvers over the CSR arrays: the occupancy pull, the portable (row by row) soft
/// sweep that <c>LaneKernels</c> replaces where the machine has AVX2 and FMA, and the benchmark's probes.
/// States are cut into fixed blocks; each block is computed by one thread in a fixed order and reductions combine
/// per-block results in block order, so the numbers do not depend on the thread count or the scheduling.
/// </summary>
internal static class Kernels
{
    /// <summary>States per block: large enough to amortise scheduling, small enough to balance 2+ cores.</summary>
    internal const int BlockStates = 512;

    /// <summary>Below this many transition entries a sweep runs on the calling thread.</summary>
    internal const int ParallelThreshold = 40_000;

    internal static int BlockCount(int states) => (states + BlockStates - 1) / BlockStates;

    internal static void ForBlocks(int states, bool parallel, Action<int> body)
    {
        int blocks = BlockCount(states);
        if (parallel && blocks > 1) Parallel.For(0, blocks, body);
        else for (int b = 0; b < blocks; b++) body(b);
    }

    internal static bool UseParallel(TabularMdp mdp, SolverSettings settings) =>
        settings.Parallel && mdp.TransitionCount >= ParallelThreshold && Environment.ProcessorCount > 1;

    /// <summary>
    /// <c>q(s,a) = r(s,a) + gamma * sum_s' P(s'|s,a) v(s')</c> for the states of one block.
    /// </summary>
    internal static void Backup(TabularMdp mdp, ReadOnlySpan<double> reward, ReadOnlySpan<double> v, Span<double> q, int firstPair, int pairCount)
    {
        // Bounds checks are hoisted by hand (refs + Unsafe.Add): the CSR arrays were validated at construction,
        // so every next index is inside v and every offset inside the entry arrays.
        ref int rowStart = ref MemoryMarshal.GetReference(mdp.RowStartSpan);
        ref double qr = ref MemoryMarshal.GetReference(q[..pairCount]);
        for (int j = 0; j < pairCount; j++)
            Unsafe.Add(ref qr, j) = BackupPair(mdp, reward, v, ref rowStart, firstPair + j);
    }

    /// <summary>
    /// <c>r(i) + gamma * sum_k P_k v(next_k)</c> for pair <paramref name="i"/>, with two accumulators (even and odd
    /// entries) so that long rows are not one chain of dependent additions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double BackupPair(TabularMdp mdp, ReadOnlySpan<double> reward, ReadOnlySpan<double> v, ref int rowStart, int i)
    {
        ref int next = ref MemoryMarshal.GetReference(mdp.NextSpan);
        ref double prob = ref MemoryMarshal.GetReference(mdp.ProbabilitySpan);
        ref double vr = ref MemoryMarshal.GetReference(v);
        int k = Unsafe.Add(ref rowStart, i), hi = Unsafe.Add(ref rowStart, i + 1);
        double a0 = 0, a1 = 0;
        for (; k + 1 < hi; k += 2)
        {
            a0 += Unsafe.Add(ref prob, k) * Unsafe.Add(ref vr, Unsafe.Add(ref next, k));
            a1 += Unsafe.Add(ref prob, k + 1) * Unsafe.Add(ref vr, Unsafe.Add(ref next, k + 1));
        }
        if (k < hi) a0 += Unsafe.Add(ref prob, k) * Unsafe.Add(ref vr, Unsafe.Add(ref next, k));
        return Unsafe.Add(ref MemoryMarshal.GetReference(reward), i) + mdp.Gamma * (a0 + a1);
    }

    /// <summary>Scratch doubles one block of the soft sweep needs.</summary>
    internal static int SoftScratchLength(int actions) => BlockStates * actions * 2 + BlockStates;

    /// <summary>
    /// One soft Bellman sweep <c>v_new(s) = tau * logsumexp_a(q(s,a) / tau)</c> over all states, block by block (in
    /// parallel when asked); returns <c>max_s |v_new(s) - v(s)|</c>. When <paramref name="qOut"/> is given it receives
    /// <c>q(s,a)</c>.
    /// </summary>
    internal static double SoftSweep(TabularMdp mdp, double[] reward, double temperature, double[] v, double[] vNew,
        double[] blockDiff, bool parallel, double[]? qOut = null)
    {
        int length = SoftScratchLength(mdp.Actions);
        ForBlocks(mdp.States, parallel, b =>
        {
            var scratch = ArrayPool<double>.Shared.Rent(length);
            try { blockDiff[b] = SoftSweepBlock(mdp, reward, temperature, v, vNew, scratch, b, qOut); }
            finally { ArrayPool<double>.Shared.Return(scratch); }
        });
        double diff = 0;
        for (int b = 0; b < BlockCount(mdp.States); b++)
            if (blockDiff[b] > diff || double.IsNaN(blockDiff[b])) diff = blockDiff[b];
        return diff;
    }

    /// <summary>
    /// One block of the soft Bellman sweep: <c>v_new(s) = tau * logsumexp_a(q(s,a) / tau)</c>, with the
    /// exponentials of the whole block in one vectorised call. Returns <c>max_s |v_new(s) - v(s)|</c>.
    /// </summary>
    internal static double SoftSweepBlock(TabularMdp mdp, double[] reward, double temperature,
        double[] v, double[] vNew, double[] buffer, int block, double[]? qOut)
    {
        var q = buffer.AsSpan(0, BlockStates * mdp.Actions);
        var scratch = buffer.AsSpan(BlockStates * mdp.Actions);
        int actions = mdp.Actions;
        int s0 = block * BlockStates;
        int s1 = Math.Min(mdp.States, s0 + BlockStates);
        int count = s1 - s0;
        int n = count * actions;
        var qb = q[..n];
        Backup(mdp, reward, v, qb, s0 * actions, n);
        if (qOut is not null) qb.CopyTo(qOut.AsSpan(s0 * actions, n));
        var maxes = scratch[..count];
        var x = scratch.Slice(BlockStates, n);
        double invT = 1.0 / temperature;
        // Scalar max and shift per row (rows are short: a library call per row costs more than the work),
        // then one vectorised Exp and one vectorised Log over the whole block. Refs skip bounds checks; every
        // index below is inside the block's slices.
        ref double qr = ref MemoryMarshal.GetReference(qb);
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double mr = ref MemoryMarshal.GetReference(maxes);
        for (int s = 0; s < count; s++)
        {
            ref double row = ref Unsafe.Add(ref qr, s * actions);
            double m = row;
            for (int a = 1; a < actions; a++)
            {
                double qa = Unsafe.Add(ref row, a);
                if (qa > m) m = qa;
            }
            // An all -infinity row (every action excluded) keeps its -infinity value instead of NaN.
            double shift = double.IsFinite(m) ? m : 0;
            Unsafe.Add(ref mr, s) = m;
            ref double xrow = ref Unsafe.Add(ref xr, s * actions);
            for (int a = 0; a < actions; a++) Unsafe.Add(ref xrow, a) = (Unsafe.Add(ref row, a) - shift) * invT;
        }
        TensorPrimitives.Exp<double>(x, x);
        for (int s = 0; s < count; s++)
        {
            ref double xrow = ref Unsafe.Add(ref xr, s * actions);
            double sum = 0;
            for (int a = 0; a < actions; a++) sum += Unsafe.Add(ref xrow, a);
            // Row s's exponentials start at s * A >= s, so writing slot s never clobbers a row still to be summed.
            Unsafe.Add(ref xr, s) = sum;
        }
        var logs = x[..count];
        TensorPrimitives.Log<double>(logs, logs);
        double diff = 0;
        for (int s = 0; s < count; s++)
        {
            double m = maxes[s];
            double value = (double.IsFinite(m) ? m : 0) + temperature * logs[s];
            // Equal values (including a state that stays at -infinity) change by 0, not by inf - inf = NaN.
            double d = value == v[s0 + s] ? 0 : Math.Abs(value - v[s0 + s]);
            if (d > diff || double.IsNaN(d)) diff = d;
            vNew[s0 + s] = value;
        }
        return diff;
    }

    /// <summary>
    /// One block of the occupancy pull: <c>d_new(s') = (1-gamma) p0(s') + gamma * sum_{(s,a) -> s'} w(s,a) P(s'|s,a)</c>
    /// with <c>w(s,a) = d(s) pi(a|s)</c>. Returns the L1 change of the block.
    /// </summary>
    internal static double OccupancyPullBlock(TabularMdp mdp, ReadOnlySpan<double> w, ReadOnlySpan<double> d, Span<double> dNew, int block)
    {
        var incoming = mdp.Incoming;
        var start = incoming.Start.AsSpan();
        var pair = incoming.Pair.AsSpan();
        var prob = incoming.Probability.AsSpan();
        var p0 = mdp.InitialSpan;
        double gamma = mdp.Gamma;
        int s0 = block * BlockStates;
        int s1 = Math.Min(mdp.States, s0 + BlockStates);
        double diff = 0;
        for (int s = s0; s < s1; s++)
        {
            double acc = 0;
            for (int k = start[s]; k < start[s + 1]; k++) acc += w[pair[k]] * prob[k];
            double value = (1 - gamma) * p0[s] + gamma * acc;
            diff += Math.Abs(value - d[s]);
            dNew[s] = value;
        }
        return diff;
    }

    /// <summary>
    /// The random-read part of a sweep: one pass that reads every entry's next-state index and the value it points
    /// at, <c>sum_k v(next_k)</c>, blocked and parallelised like the sweep. No layout avoids these reads; where
    /// <c>v</c> does not fit the first-level cache, each one may move a whole cache line.
    /// </summary>
    internal static double GatherPass(TabularMdp mdp, double[] v, bool parallel)
    {
        int blocks = BlockCount(mdp.States);
        var partial = new double[blocks];
        int actions = mdp.Actions;
        ForBlocks(mdp.States, parallel, b =>
        {
            var rowStart = mdp.RowStartSpan;
            int lo = rowStart[b * BlockStates * actions];
            int hi = rowStart[Math.Min(mdp.States, (b + 1) * BlockStates) * actions];
            ref int next = ref MemoryMarshal.GetReference(mdp.NextSpan);
            ref double vr = ref MemoryMarshal.GetArrayDataReference(v);
            // Eight accumulators: an addition takes 3 cycles, so fewer chains would bound the pass by their latency
            // (four did: about 1.3 entries per cycle) instead of by the reads it is meant to time.
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
            int k = lo;
            for (; k + 7 < hi; k += 8)
            {
                a0 += Unsafe.Add(ref vr, Unsafe.Add(ref next, k));
                a1 += Unsafe.Add(ref vr, Unsafe.Add(ref next, k + 1));
                a2 += Unsafe.Add(ref vr, Unsafe.Add(ref next, k + 2));
                a3 += Unsafe.Add(ref vr, Unsafe.Add(ref next, k + 3));
                a4 += Unsafe.Add(ref vr, Unsafe.Add(ref next, k + 4));
                a5 += Unsafe.Add(ref vr, Unsafe.Add(ref next, k + 5));
                a6 += Unsafe.Add(ref vr, Unsafe.Add(ref next, k + 6));
                a7 += Unsafe.Add(ref vr, Unsafe.Add(ref next, k + 7));
            }
            for (; k < hi; k++) a0 += Unsafe.Add(ref vr, Unsafe.Add(ref next, k));
            partial[b] = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
        });
        double total = 0;
        foreach (var x in partial) total += x;
        return total;
    }

    /// <summary>
    /// The exponentials of a sweep: <c>y = exp(x)</c> for <c>S*A</c> non-positive values, with the kernel the sweep
    /// uses, blocked and parallelised like the sweep.
    /// </summary>
    internal static void ExpPass(double[] x, double[] y, int states, int actions, bool parallel)
    {
        ForBlocks(states, parallel, b =>
        {
            int lo = b * BlockStates * actions, hi = Math.Min(states, (b + 1) * BlockStates) * actions;
#if NET9_0_OR_GREATER
            if (LaneKernels.Supported)
            {
                SimdMath.ExpNonPositive(x.AsSpan(lo, hi - lo), y.AsSpan(lo, hi - lo));
                return;
            }
#endif
            TensorPrimitives.Exp<double>(x.AsSpan(lo, hi - lo), y.AsSpan(lo, hi - lo));
        });
    }

    /// <summary>
    /// The memory-read floor of a sweep: one pass that reads every CSR array a sweep reads (offsets,
    /// next-state indices, probabilities), blocked and parallelised like the sweep, summing them.
    /// </summary>
    internal static double ReadFloorPass(TabularMdp mdp, bool parallel)
    {
        int blocks = BlockCount(mdp.States);
        var partial = new double[blocks];
        int actions = mdp.Actions;
        ForBlocks(mdp.States, parallel, b =>
        {
            var rowStart = mdp.RowStartSpan;
            var next = mdp.NextSpan;
            var prob = mdp.ProbabilitySpan;
            int lo = rowStart[b * BlockStates * actions];
            int hi = rowStart[Math.Min(mdp.States, (b + 1) * BlockStates) * actions];
            // Sum<int> may wrap around: the value is a checksum that keeps the reads alive, not a number to use.
            partial[b] = TensorPrimitives.Sum<double>(prob[lo..hi]) + TensorPrimitives.Sum<int>(next[lo..hi])
                + TensorPrimitives.Sum<int>(rowStart.Slice(b * BlockStates * actions, (Math.Min(mdp.States, (b + 1) * BlockStates) - b * BlockStates) * actions));
        });
        double total = 0;
        foreach (var x in partial) total += x;
        return total;
    }
}
