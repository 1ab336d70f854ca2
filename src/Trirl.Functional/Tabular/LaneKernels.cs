#if NET9_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Trirl.Functional;

/// <summary>
/// The soft Bellman sweep over <see cref="LaneTransitions"/>: four states per 256-bit vector, every step vertical.
/// Three kinds of work per block of groups, each a run of independent vector operations:
/// <list type="number">
/// <item>backup: <c>Q(., a) = r(., a) + gamma * sum_k P_k v(next_k)</c> for every group and action (load-bound);</item>
/// <item>exponentiate: <c>x_a = exp((Q(., a) - m) / tau)</c> with <c>m = max_a Q(., a)</c> (arithmetic-bound);</item>
/// <item>log: <c>v_new = m + tau * log(sum_a x_a)</c> and the change <c>|v_new - v|</c>.</item>
/// </list>
/// They are software-pipelined: the loop that backs up block <c>b</c> also exponentiates block <c>b - 1</c>, whose
/// Q is complete, so the core overlaps the loads of one with the arithmetic of the other (16% faster on the
/// Garnet benchmark, 5% on the gridworld, than three separate passes; one fused pass per group is slower still, bound
/// by the latency of its gather, exp and log chains). Each state is computed by one thread with the same operations
/// in the same order whatever the partition, so results are bit-identical for any thread count.
/// </summary>
internal static class LaneKernels
{
    /// <summary>Groups per block: two blocks' Q tables (<c>2 * 16 * A * 4</c> doubles) stay in L1.</summary>
    internal const int BlockGroups = 16;

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
        var chunkDiff = new double[ChunkCount(blocks, parallel)];
        ForChunks(blocks, chunkDiff.Length, (c, first, end) =>
            chunkDiff[c] = SweepBlocks(lanes, gamma, reward, temperature, v, vNew, first, end, qOut));
        double diff = 0;
        foreach (var d in chunkDiff)
            if (d > diff || double.IsNaN(d)) diff = d;
        return diff;
    }

    /// <summary>Chunks of blocks a lane kernel runs as: four per processor when parallel (to balance), else one.</summary>
    internal static int ChunkCount(int blocks, bool parallel) => parallel ? Math.Min(blocks, Environment.ProcessorCount * 4) : 1;

    /// <summary>
    /// <c>body(chunk, firstBlock, endBlock)</c> over <paramref name="chunks"/> contiguous ranges of
    /// <paramref name="blocks"/> blocks: on the calling thread when there is one chunk, else in parallel.
    /// </summary>
    internal static void ForChunks(int blocks, int chunks, Action<int, int, int> body)
    {
        if (chunks <= 1) body(0, 0, blocks);
        else Parallel.For(0, chunks, c => body(c, (int)((long)c * blocks / chunks), (int)((long)(c + 1) * blocks / chunks)));
    }

    /// <summary>
    /// Blocks <c>[firstBlock, endBlock)</c>, pipelined: step <c>b</c> backs up block <c>b</c> while it exponentiates
    /// block <c>b - 1</c>, then takes the row maxima of block <c>b</c> and the logs of block <c>b - 1</c>; one step past
    /// the end drains the last block. Two Q tables (and two shift rows) alternate in the thread's scratch.
    /// </summary>
    private static double SweepBlocks(LaneTransitions lanes, double gamma, double[] reward, double temperature,
        double[] v, double[] vNew, int firstBlock, int endBlock, double[]? qOut) =>
        (lanes.HasConsecutiveRuns, lanes.NarrowNext is not null) switch
        {
            (true, true) => SweepBlocks<WithConsecutiveRuns, NarrowIndices>(lanes, gamma, reward, temperature, v, vNew, firstBlock, endBlock, qOut),
            (true, false) => SweepBlocks<WithConsecutiveRuns, WideIndices>(lanes, gamma, reward, temperature, v, vNew, firstBlock, endBlock, qOut),
            (false, true) => SweepBlocks<WithoutConsecutiveRuns, NarrowIndices>(lanes, gamma, reward, temperature, v, vNew, firstBlock, endBlock, qOut),
            (false, false) => SweepBlocks<WithoutConsecutiveRuns, WideIndices>(lanes, gamma, reward, temperature, v, vNew, firstBlock, endBlock, qOut),
        };

    private static double SweepBlocks<TRuns, TIndices>(LaneTransitions lanes, double gamma, double[] reward, double temperature,
        double[] v, double[] vNew, int firstBlock, int endBlock, double[]? qOut)
        where TRuns : struct, IConsecutiveRuns
        where TIndices : struct, ILaneIndices
    {
        const int W = LaneTransitions.Width;
        int actions = lanes.Actions;
        int tableLength = BlockGroups * actions * W, shiftLength = BlockGroups * W;
        var buffer = scratch;
        if (buffer is null || buffer.Length < 2 * (tableLength + shiftLength)) scratch = buffer = new double[2 * (tableLength + shiftLength)];
        // Every index below was checked when the layout was built (Start is monotone inside Next/Probability, every
        // next index is < ValueLength) or lies inside the scratch: refs skip the bounds checks.
        ref double scratchStart = ref MemoryMarshal.GetArrayDataReference(buffer);
        ref int start = ref MemoryMarshal.GetArrayDataReference(lanes.Start);
        ref byte next = ref TIndices.Narrow
            ? ref Unsafe.As<ushort, byte>(ref MemoryMarshal.GetArrayDataReference(lanes.NarrowNext!))
            : ref Unsafe.As<int, byte>(ref MemoryMarshal.GetArrayDataReference(lanes.Next));
        ref byte consecutive = ref MemoryMarshal.GetArrayDataReference(lanes.ConsecutiveRuns);
        ref double prob = ref MemoryMarshal.GetArrayDataReference(lanes.Probability);
        ref double r = ref MemoryMarshal.GetArrayDataReference(reward);
        ref double vr = ref MemoryMarshal.GetArrayDataReference(v);
        ref double vn = ref MemoryMarshal.GetArrayDataReference(vNew);
        var gammaV = Vector256.Create(gamma);
        var invT = Vector256.Create(1.0 / temperature);
        var invTLog2E = Vector256.Create(1.0 / temperature * SimdMath.Log2E);
        var tau = Vector256.Create(temperature);
        var diff = Vector256<double>.Zero;
        var nan = Vector256<double>.Zero;
        int previousGroups = 0, previousGroup = 0;
        for (int b = firstBlock; b <= endBlock; b++)
        {
            ref double q = ref Unsafe.Add(ref scratchStart, (b & 1) * tableLength);
            ref double shifts = ref Unsafe.Add(ref scratchStart, 2 * tableLength + (b & 1) * shiftLength);
            ref double previousQ = ref Unsafe.Add(ref scratchStart, (~b & 1) * tableLength);
            ref double previousShifts = ref Unsafe.Add(ref scratchStart, 2 * tableLength + (~b & 1) * shiftLength);
            int g0 = b * BlockGroups;
            int groups = b < endBlock ? Math.Min(lanes.Groups, g0 + BlockGroups) - g0 : 0;
            int pairs = groups * actions;
            int firstPair = g0 * actions;

            // Backup of block b, exponentials of block b - 1 (all of its rows' maxima are known), group by group:
            // a group's shift is loaded once for its actions.
            int g = 0;
            for (int both = Math.Min(groups, previousGroups); g < both; g++)
            {
                var shift = Vector256.LoadUnsafe(ref previousShifts, (nuint)(g * W));
                for (int j = g * actions; j < (g + 1) * actions; j++)
                {
                    Backup<TRuns, TIndices>(ref q, ref start, ref next, ref consecutive, ref prob, ref r, ref vr, gammaV, firstPair + j, j);
                    Exponentiate(ref previousQ, shift, invT, invTLog2E, j);
                }
            }
            for (; g < groups; g++)
                for (int j = g * actions; j < (g + 1) * actions; j++)
                    Backup<TRuns, TIndices>(ref q, ref start, ref next, ref consecutive, ref prob, ref r, ref vr, gammaV, firstPair + j, j);
            for (; g < previousGroups; g++)
            {
                var shift = Vector256.LoadUnsafe(ref previousShifts, (nuint)(g * W));
                for (int j = g * actions; j < (g + 1) * actions; j++) Exponentiate(ref previousQ, shift, invT, invTLog2E, j);
            }
            if (qOut is not null && pairs > 0)
                MemoryMarshal.CreateReadOnlySpan(ref q, pairs * W).CopyTo(qOut.AsSpan(firstPair * W, pairs * W));

            // Row maxima of block b. An all -infinity row (every action excluded) is shifted by 0, so that its
            // exponentials are 0 and its value stays -infinity instead of NaN.
            for (g = 0; g < groups; g++)
            {
                ref double row = ref Unsafe.Add(ref q, g * actions * W);
                var m = Vector256.LoadUnsafe(ref row);
                for (int a = 1; a < actions; a++) m = Vector256.Max(m, Vector256.LoadUnsafe(ref row, (nuint)(a * W)));
                (m & Vector256.Equals(m - m, Vector256<double>.Zero)).StoreUnsafe(ref shifts, (nuint)(g * W));
            }

            // Logs of block b - 1 and their changes. Dummy lanes past S take part in the arithmetic (their rows are
            // empty) but not in the change; equal values (a state staying at -infinity) change by 0, not NaN.
            for (g = 0; g < previousGroups; g++)
            {
                ref double row = ref Unsafe.Add(ref previousQ, g * actions * W);
                var sum = Vector256.LoadUnsafe(ref row);
                for (int a = 1; a < actions; a++) sum += Vector256.LoadUnsafe(ref row, (nuint)(a * W));
                var value = Vector256.FusedMultiplyAdd(tau, SimdMath.Log(sum), Vector256.LoadUnsafe(ref previousShifts, (nuint)(g * W)));
                int group = previousGroup + g;
                nuint at = (nuint)(group * W);
                var old = Vector256.LoadUnsafe(ref vr, at);
                var change = Vector256.AndNot(Vector256.Abs(value - old), Vector256.Equals(value, old));
                if (group == lanes.Groups - 1) change &= RealLanes(lanes.States - group * W);
                diff = Vector256.Max(diff, change);
                nan |= ~Vector256.Equals(change, change);
                value.StoreUnsafe(ref vn, at);
            }
            previousGroups = groups;
            previousGroup = g0;
        }
        if (nan != Vector256<double>.Zero) return double.NaN;
        return Math.Max(Math.Max(diff[0], diff[1]), Math.Max(diff[2], diff[3]));
    }

    /// <summary>
    /// <c>q[j] = r(pair) + gamma * sum_k P_k v(next_k)</c> for run <paramref name="run"/> (pair <c>(g, a)</c>), four lanes
    /// at once. The lanes' values are loaded as scalars (<typeparamref name="TIndices"/> reads their indices; on the
    /// CPUs measured this beats the AVX2 gather instruction, and it needs no unsafe code), or, in a run of consecutive
    /// next states (<see cref="LaneTransitions.ConsecutiveRuns"/>, looked at only when <typeparamref name="TRuns"/> says
    /// the layout has some), with one vector load per entry. The struct type arguments make the JIT compile a backup
    /// for each layout kind, without the per-run test where there is no such run (a Garnet's: the test cost it 10%).
    /// Offsets are unsigned native integers, so that no index needs a sign extension.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Backup<TRuns, TIndices>(ref double q, ref int start, ref byte next, ref byte consecutive, ref double prob, ref double r,
        ref double vr, Vector256<double> gamma, int run, int j)
        where TRuns : struct, IConsecutiveRuns
        where TIndices : struct, ILaneIndices
    {
        const int W = LaneTransitions.Width;
        nuint k = (uint)Unsafe.Add(ref start, run), hi = (uint)Unsafe.Add(ref start, run + 1);
        var acc = Vector256<double>.Zero;
        if (TRuns.Present && Unsafe.Add(ref consecutive, run) != 0)
            for (; k < hi; k++)
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref prob, W * k),
                    Vector256.LoadUnsafe(ref vr, TIndices.FirstLane(ref next, k)), acc);
        else
            for (; k < hi; k++)
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref prob, W * k), TIndices.Values(ref vr, ref next, k), acc);
        Vector256.FusedMultiplyAdd(gamma, acc, Vector256.LoadUnsafe(ref r, (nuint)(W * run)))
            .StoreUnsafe(ref q, (nuint)(W * j));
    }

    /// <summary>How the sweep reads the next-state indices of a vector entry: 32-bit or 16-bit, as a struct type.</summary>
    internal interface ILaneIndices
    {
        /// <summary>True for <see cref="LaneTransitions.NarrowNext"/>, false for <see cref="LaneTransitions.Next"/>.</summary>
        static abstract bool Narrow { get; }

        /// <summary>The four lanes' <c>v(next)</c> of vector entry <paramref name="k"/>.</summary>
        static abstract Vector256<double> Values(ref double v, ref byte next, nuint k);

        /// <summary>Lane 0's next index of vector entry <paramref name="k"/>.</summary>
        static abstract nuint FirstLane(ref byte next, nuint k);
    }

    /// <summary>32-bit indices, read two at a time.</summary>
    internal readonly struct WideIndices : ILaneIndices
    {
        /// <inheritdoc/>
        public static bool Narrow => false;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Values(ref double v, ref byte next, nuint k)
        {
            ref ulong pairs = ref Unsafe.As<byte, ulong>(ref next);
            ulong n01 = Unsafe.Add(ref pairs, 2 * k), n23 = Unsafe.Add(ref pairs, 2 * k + 1);
            return Vector256.Create(
                Vector128.Create(Unsafe.Add(ref v, (nuint)(uint)n01), Unsafe.Add(ref v, (nuint)(n01 >>> 32))),
                Vector128.Create(Unsafe.Add(ref v, (nuint)(uint)n23), Unsafe.Add(ref v, (nuint)(n23 >>> 32))));
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static nuint FirstLane(ref byte next, nuint k) => Unsafe.Add(ref Unsafe.As<byte, uint>(ref next), LaneTransitions.Width * k);
    }

    /// <summary>16-bit indices, all four read at once.</summary>
    internal readonly struct NarrowIndices : ILaneIndices
    {
        /// <inheritdoc/>
        public static bool Narrow => true;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Values(ref double v, ref byte next, nuint k)
        {
            ulong n = Unsafe.Add(ref Unsafe.As<byte, ulong>(ref next), k);
            return Vector256.Create(
                Vector128.Create(Unsafe.Add(ref v, (nuint)(ushort)n), Unsafe.Add(ref v, (nuint)(ushort)(n >>> 16))),
                Vector128.Create(Unsafe.Add(ref v, (nuint)(ushort)(n >>> 32)), Unsafe.Add(ref v, (nuint)(n >>> 48))));
        }

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static nuint FirstLane(ref byte next, nuint k) => Unsafe.Add(ref Unsafe.As<byte, ushort>(ref next), LaneTransitions.Width * k);
    }

    /// <summary>Whether a layout has runs of consecutive next states, as a compile-time constant of a struct type.</summary>
    internal interface IConsecutiveRuns
    {
        /// <summary>True when the backup should look at <see cref="LaneTransitions.ConsecutiveRuns"/>.</summary>
        static abstract bool Present { get; }
    }

    /// <summary>A layout with consecutive runs (a grid's).</summary>
    internal readonly struct WithConsecutiveRuns : IConsecutiveRuns
    {
        /// <inheritdoc/>
        public static bool Present => true;
    }

    /// <summary>A layout without any (a Garnet's).</summary>
    internal readonly struct WithoutConsecutiveRuns : IConsecutiveRuns
    {
        /// <inheritdoc/>
        public static bool Present => false;
    }

    /// <summary><c>q[j] = exp((q[j] - shift) / tau)</c> in place, with <paramref name="shift"/> the maximum of j's group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Exponentiate(ref double q, Vector256<double> shift, Vector256<double> invT, Vector256<double> invTLog2E, int j)
    {
        const int W = LaneTransitions.Width;
        SimdMath.ExpScaled(Vector256.LoadUnsafe(ref q, (nuint)(W * j)) - shift, invT, invTLog2E).StoreUnsafe(ref q, (nuint)(W * j));
    }

    /// <summary>All-ones in the first <paramref name="real"/> lanes (1..4), zeros after.</summary>
    private static Vector256<double> RealLanes(int real) =>
        Vector256.LessThan(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)real)).AsDouble();
}
#endif
