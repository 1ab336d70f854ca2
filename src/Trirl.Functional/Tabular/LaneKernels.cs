#if NET9_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Trirl.Functional;

/// <summary>
/// The soft Bellman sweep over <see cref="LaneTransitions"/>: four states per 256-bit vector, every step vertical.
/// A block of groups is swept in three passes, each a run of independent vector operations (the out-of-order core
/// overlaps them; one fused pass per group would be bound by the latency of its gather, exp and log chains):
/// <list type="number">
/// <item>backup: <c>Q(., a) = r(., a) + gamma * sum_k P_k v(next_k)</c> for every group and action;</item>
/// <item>shift and exponentiate: <c>m = max_a Q(., a)</c>, <c>x_a = exp((Q(., a) - m) / tau)</c>;</item>
/// <item>log: <c>v_new = m + tau * log(sum_a x_a)</c> and the change <c>|v_new - v|</c>.</item>
/// </list>
/// Each state is computed by one thread with the same operations in the same order whatever the partition,
/// so results are bit-identical for any thread count.
/// </summary>
internal static class LaneKernels
{
    /// <summary>Groups per block: a block's Q table (<c>32 * A * 4</c> doubles) stays in L1 between the passes.</summary>
    internal const int BlockGroups = 32;

    /// <summary>Whether this machine runs the lane sweep natively (256-bit vectors with fused multiply-add).</summary>
    internal static bool Supported => Vector256.IsHardwareAccelerated && Fma.IsSupported;

    [ThreadStatic] private static double[]? scratch;

    /// <summary>
    /// One soft sweep over all groups, in parallel chunks when asked. <paramref name="v"/> and
    /// <paramref name="vNew"/> have <see cref="LaneTransitions.ValueLength"/> slots with the pad slot 0;
    /// <paramref name="reward"/> (and <paramref name="qOut"/>, when given) are in the transposed lane order.
    /// Returns <c>max_s |v_new(s) - v(s)|</c> over the real states (NaN if any change is NaN).
    /// </summary>
    internal static double Sweep(LaneTransitions lanes, double gamma, double[] reward, double temperature,
        double[] v, double[] vNew, bool parallel, double[]? qOut = null)
    {
        int blocks = (lanes.Groups + BlockGroups - 1) / BlockGroups;
        int chunks = parallel ? Math.Min(blocks, Environment.ProcessorCount * 4) : 1;
        if (chunks <= 1) return SweepBlocks(lanes, gamma, reward, temperature, v, vNew, 0, blocks, qOut);
        var chunkDiff = new double[chunks];
        Parallel.For(0, chunks, c =>
            chunkDiff[c] = SweepBlocks(lanes, gamma, reward, temperature, v, vNew,
                (int)((long)c * blocks / chunks), (int)((long)(c + 1) * blocks / chunks), qOut));
        double diff = 0;
        foreach (var d in chunkDiff)
            if (d > diff || double.IsNaN(d)) diff = d;
        return diff;
    }

    private static double SweepBlocks(LaneTransitions lanes, double gamma, double[] reward, double temperature,
        double[] v, double[] vNew, int firstBlock, int endBlock, double[]? qOut)
    {
        int length = BlockGroups * (lanes.Actions + 1) * LaneTransitions.Width;
        var buffer = scratch;
        if (buffer is null || buffer.Length < length) scratch = buffer = new double[length];
        double diff = 0;
        for (int b = firstBlock; b < endBlock; b++)
        {
            int g0 = b * BlockGroups;
            double d = SweepBlock(lanes, gamma, reward, temperature, v, vNew, buffer, g0, Math.Min(lanes.Groups, g0 + BlockGroups), qOut);
            if (d > diff || double.IsNaN(d)) diff = d;
        }
        return diff;
    }

    /// <summary>The three passes over groups <c>[g0, g1)</c>; returns their largest change.</summary>
    private static double SweepBlock(LaneTransitions lanes, double gamma, double[] reward, double temperature,
        double[] v, double[] vNew, double[] buffer, int g0, int g1, double[]? qOut)
    {
        const int W = LaneTransitions.Width;
        int actions = lanes.Actions;
        int count = (g1 - g0) * actions;
        // Every index below was validated when the layout was built: Start is monotone inside Next/Probability,
        // every next index is < ValueLength, and the block's slices are inside the buffer; refs skip bounds checks.
        ref double q = ref MemoryMarshal.GetArrayDataReference(buffer);
        ref double shifts = ref Unsafe.Add(ref q, BlockGroups * actions * W);
        ref int start = ref MemoryMarshal.GetArrayDataReference(lanes.Start);
        ref long nextPairs = ref Unsafe.As<int, long>(ref MemoryMarshal.GetArrayDataReference(lanes.Next));
        ref double prob = ref MemoryMarshal.GetArrayDataReference(lanes.Probability);
        ref double r = ref MemoryMarshal.GetArrayDataReference(reward);
        ref double vr = ref MemoryMarshal.GetArrayDataReference(v);

        // Pass 1: the backup. The four lanes' values are loaded as scalars (the indices two at a time): on the
        // CPUs measured this beats the AVX2 gather instruction, and it needs no unsafe code.
        var gammaV = Vector256.Create(gamma);
        int firstPair = g0 * actions;
        for (int j = 0; j < count; j++)
        {
            int k = Unsafe.Add(ref start, firstPair + j), hi = Unsafe.Add(ref start, firstPair + j + 1);
            var acc = Vector256<double>.Zero;
            for (; k < hi; k++)
            {
                long n01 = Unsafe.Add(ref nextPairs, 2 * k), n23 = Unsafe.Add(ref nextPairs, 2 * k + 1);
                var values = Vector256.Create(
                    Vector128.Create(Unsafe.Add(ref vr, (int)n01), Unsafe.Add(ref vr, (int)(n01 >>> 32))),
                    Vector128.Create(Unsafe.Add(ref vr, (int)n23), Unsafe.Add(ref vr, (int)(n23 >>> 32))));
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref prob, (nuint)(W * k)), values, acc);
            }
            Vector256.FusedMultiplyAdd(gammaV, acc, Vector256.LoadUnsafe(ref r, (nuint)(W * (firstPair + j))))
                .StoreUnsafe(ref q, (nuint)(W * j));
        }
        if (qOut is not null) MemoryMarshal.CreateReadOnlySpan(ref q, count * W).CopyTo(qOut.AsSpan(firstPair * W, count * W));

        // Pass 2: shift by the row max and exponentiate in place. An all -infinity row (every action excluded)
        // is shifted by 0, so its exponentials are 0 and its value stays -infinity instead of NaN.
        var invT = Vector256.Create(1.0 / temperature);
        int groups = g1 - g0;
        for (int j = 0; j < groups; j++)
        {
            ref double row = ref Unsafe.Add(ref q, j * actions * W);
            var m = Vector256.LoadUnsafe(ref row);
            for (int a = 1; a < actions; a++) m = Vector256.Max(m, Vector256.LoadUnsafe(ref row, (nuint)(a * W)));
            var shift = m & Vector256.Equals(m - m, Vector256<double>.Zero);
            shift.StoreUnsafe(ref shifts, (nuint)(j * W));
            for (int a = 0; a < actions; a++)
                SimdMath.ExpNonPositive((Vector256.LoadUnsafe(ref row, (nuint)(a * W)) - shift) * invT)
                    .StoreUnsafe(ref row, (nuint)(a * W));
        }

        // Pass 3: v_new = shift + tau * log(sum_a x_a), and the change. Dummy lanes past S take part in the
        // arithmetic (their rows are empty) but not in the change.
        var tau = Vector256.Create(temperature);
        var diff = Vector256<double>.Zero;
        var nan = Vector256<double>.Zero;
        ref double vn = ref MemoryMarshal.GetArrayDataReference(vNew);
        for (int j = 0; j < groups; j++)
        {
            ref double row = ref Unsafe.Add(ref q, j * actions * W);
            var sum = Vector256.LoadUnsafe(ref row);
            for (int a = 1; a < actions; a++) sum += Vector256.LoadUnsafe(ref row, (nuint)(a * W));
            var value = Vector256.FusedMultiplyAdd(tau, SimdMath.Log(sum), Vector256.LoadUnsafe(ref shifts, (nuint)(j * W)));
            nuint at = (nuint)((g0 + j) * W);
            var old = Vector256.LoadUnsafe(ref vr, at);
            // Equal values (including a state that stays at -infinity) change by 0, not by inf - inf = NaN.
            var change = Vector256.AndNot(Vector256.Abs(value - old), Vector256.Equals(value, old));
            if (g0 + j == lanes.Groups - 1) change &= RealLanes(lanes.States - (g0 + j) * W);
            diff = Vector256.Max(diff, change);
            nan |= ~Vector256.Equals(change, change);
            value.StoreUnsafe(ref vn, at);
        }
        if (nan != Vector256<double>.Zero) return double.NaN;
        return Math.Max(Math.Max(diff[0], diff[1]), Math.Max(diff[2], diff[3]));
    }

    /// <summary>All-ones in the first <paramref name="real"/> lanes (1..4), zeros after.</summary>
    private static Vector256<double> RealLanes(int real) =>
        Vector256.LessThan(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)real)).AsDouble();
}
#endif
