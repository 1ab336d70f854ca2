#if NET9_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Trirl.Functional;

/// <summary>
/// The occupancy pull over <see cref="IncomingLanes"/>, four target states per 256-bit vector:
/// <code>d_new(s') = (1-gamma) p0(s') + gamma * sum_(s,a) w(s,a) P(s'|s,a),   w(s,a) = d(s) pi(a|s)</code>
/// The row kernel (<see cref="Kernels.OccupancyPullBlock"/>) sums each state's entries in one scalar chain and is
/// bound by the latency of its additions; here one vector step advances four independent sums (serial pulls of the
/// 100x100 gridworld 0.114 -> 0.047 ms, of Garnet(10000, 8, 10) 0.90 -> 0.63 ms). The same pass writes the next
/// sweep's <c>w</c> for the states it has just finished, so a sweep is one parallel pass. Each state is computed by
/// the same operations whatever the partition, and the L1 change is summed per fixed block in block order, so
/// results are bit-identical for any thread count.
/// </summary>
internal static class LaneOccupancy
{
    /// <summary>Groups per block (512 states, as the row kernel's blocks): the unit of the change's partial sums.</summary>
    internal const int BlockGroups = 128;

    /// <summary>
    /// One pull: <paramref name="dNew"/> from <paramref name="w"/> (<see cref="IncomingLanes.PairLength"/> slots, the
    /// pad slot 0), and <paramref name="wNext"/><c>(s,a) = d_new(s) pi(a|s)</c> for the next one.
    /// <paramref name="source"/> holds <c>(1-gamma) p0</c>; it, <paramref name="d"/> and <paramref name="dNew"/> have
    /// <see cref="IncomingLanes.StateLength"/> slots (dummy lanes 0). Returns the L1 change <c>sum_s |d_new(s) - d(s)|</c>.
    /// </summary>
    internal static double Pull(IncomingLanes lanes, double gamma, double[] source, double[] pi, double[] w, double[] wNext,
        double[] d, double[] dNew, bool parallel)
    {
        int blocks = (lanes.Groups + BlockGroups - 1) / BlockGroups;
        var partial = new double[blocks];
        LaneKernels.ForChunks(blocks, LaneKernels.ChunkCount(blocks, parallel), (_, first, end) =>
            PullBlocks(lanes, gamma, source, pi, w, wNext, d, dNew, partial, first, end));
        double change = 0;
        foreach (var x in partial) change += x;
        return change;
    }

    private static void PullBlocks(IncomingLanes lanes, double gamma, double[] source, double[] pi, double[] w, double[] wNext,
        double[] d, double[] dNew, double[] partial, int firstBlock, int endBlock)
    {
        if (lanes.NarrowPair is not null)
            PullBlocks<LaneKernels.NarrowIndices>(lanes, gamma, source, pi, w, wNext, d, dNew, partial, firstBlock, endBlock);
        else
            PullBlocks<LaneKernels.WideIndices>(lanes, gamma, source, pi, w, wNext, d, dNew, partial, firstBlock, endBlock);
    }

    private static void PullBlocks<TIndices>(IncomingLanes lanes, double gamma, double[] source, double[] pi, double[] w,
        double[] wNext, double[] d, double[] dNew, double[] partial, int firstBlock, int endBlock)
        where TIndices : struct, LaneKernels.ILaneIndices
    {
        const int W = IncomingLanes.Width;
        int states = lanes.States, actions = lanes.Actions;
        // Every index below was checked when the layout was built (Start is monotone inside Pair/Probability, every
        // pair index is < PairLength) or lies inside the state vectors: refs skip the bounds checks.
        ref int start = ref MemoryMarshal.GetArrayDataReference(lanes.Start);
        ref byte pairs = ref TIndices.Narrow
            ? ref Unsafe.As<ushort, byte>(ref MemoryMarshal.GetArrayDataReference(lanes.NarrowPair!))
            : ref Unsafe.As<int, byte>(ref MemoryMarshal.GetArrayDataReference(lanes.Pair));
        ref double prob = ref MemoryMarshal.GetArrayDataReference(lanes.Probability);
        ref double wr = ref MemoryMarshal.GetArrayDataReference(w);
        var gammaV = Vector256.Create(gamma);
        for (int b = firstBlock; b < endBlock; b++)
        {
            var change = Vector256<double>.Zero;
            int g1 = Math.Min(lanes.Groups, (b + 1) * BlockGroups);
            for (int g = b * BlockGroups; g < g1; g++)
            {
                nuint k = (uint)Unsafe.Add(ref start, g), hi = (uint)Unsafe.Add(ref start, g + 1);
                var acc = Vector256<double>.Zero;
                for (; k < hi; k++)
                    acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref prob, W * k), TIndices.Values(ref wr, ref pairs, k), acc);
                var value = Vector256.FusedMultiplyAdd(gammaV, acc, Vector256.LoadUnsafe(ref source[0], (nuint)(W * g)));
                change += Vector256.Abs(value - Vector256.LoadUnsafe(ref d[0], (nuint)(W * g)));
                value.StoreUnsafe(ref dNew[0], (nuint)(W * g));
                for (int l = 0, s = W * g; l < W && s < states; l++, s++)
                    for (int a = 0, i = s * actions; a < actions; a++, i++) wNext[i] = value[l] * pi[i];
            }
            partial[b] = (change[0] + change[1]) + (change[2] + change[3]);
        }
    }
}
#endif
