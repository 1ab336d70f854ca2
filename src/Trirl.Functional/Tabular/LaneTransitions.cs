using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Trirl.Functional;

/// <summary>
/// The transitions of a <see cref="TabularMdp"/> re-laid for the vectorised soft sweep (a SELL-4 layout with one
/// state per vector lane): states are taken four at a time (a <em>group</em>); for each group and action the
/// <c>k</c>-th entries of the four states' rows sit side by side, so that one vector step advances four
/// independent row sums <c>sum_k P_k v(next_k)</c>, and <c>Q(., a)</c> of four states comes out as one vector.
/// The logsumexp over actions is then a vertical operation over <c>A</c> vectors, with no horizontal sums.
/// A row shorter than its group's longest is padded with probability 0 and next state <see cref="PadSlot"/>, a
/// value slot that is always 0 (so padding adds an exact <c>0 * 0</c>, even when some <c>v(s) = -infinity</c>).
/// Built once per MDP, lazily (<see cref="TabularMdp"/> caches it); it holds the same entries as the CSR arrays
/// plus the padding.
/// </summary>
internal sealed class LaneTransitions
{
    /// <summary>States per group: the lanes of one 256-bit vector of doubles.</summary>
    internal const int Width = 4;

    private LaneTransitions(int states, int actions, int groups, int[] start, int[] next, double[] probability)
    {
        States = states;
        Actions = actions;
        Groups = groups;
        Start = start;
        Next = next;
        Probability = probability;
        // Every index, the pad slot included, is at most 4 * Groups.
        NarrowNext = Narrow(next, PadSlot);
        ConsecutiveRuns = new byte[groups * actions];
        // The index pairs as the sweep reads them: entry k's lanes (0, 1) in pairs[2k] and (2, 3) in pairs[2k + 1].
        var pairs = MemoryMarshal.Cast<int, long>(next.AsSpan());
        for (int run = 0; run < ConsecutiveRuns.Length; run++)
        {
            bool all = start[run + 1] > start[run];
            for (int k = start[run]; all && k < start[run + 1]; k++)
                all = Consecutive(pairs[2 * k], pairs[2 * k + 1]);
            ConsecutiveRuns[run] = all ? (byte)1 : (byte)0;
            HasConsecutiveRuns |= all;
        }
    }

    /// <summary>Number of states <c>S</c>.</summary>
    internal int States { get; }

    /// <summary>Number of actions <c>A</c>.</summary>
    internal int Actions { get; }

    /// <summary>Number of groups, <c>ceil(S / 4)</c>; the last one may hold dummy lanes past <c>S</c>.</summary>
    internal int Groups { get; }

    /// <summary>First vector entry of pair <c>(group g, action a)</c> at <c>g*A + a</c>; length <c>Groups*A + 1</c>.</summary>
    internal int[] Start { get; }

    /// <summary>Next-state indices, four per vector entry (lane <c>l</c> at <c>4k + l</c>).</summary>
    internal int[] Next { get; }

    /// <summary>
    /// <see cref="Next"/> narrowed to 16 bits when every index fits (<c>4 * Groups &lt;= 65535</c>, i.e. up to 65532
    /// states), else null. The sweep reads this copy when it exists (Garnet(10000, 8, 10) sweeps 5-7% faster).
    /// </summary>
    internal ushort[]? NarrowNext { get; }

    /// <summary>Probabilities, four per vector entry, aligned with <see cref="Next"/>.</summary>
    internal double[] Probability { get; }

    /// <summary>
    /// 1 for the runs (pair <c>(group g, action a)</c> at <c>g*A + a</c>) whose every vector entry has four consecutive
    /// next states <c>n, n+1, n+2, n+3</c>, as most of a grid's have: the sweep loads their values with one vector
    /// load each (serial sweeps of the 100x100 gridworld 0.115 -> 0.095-0.103 ms); 0 for the others.
    /// </summary>
    internal byte[] ConsecutiveRuns { get; }

    /// <summary>Whether any run is consecutive (if none, the sweep compiles without looking).</summary>
    internal bool HasConsecutiveRuns { get; }

    /// <summary>
    /// Whether the lanes' next states <c>n0..n3</c>, given as <c>n01 = n0 | n1 &lt;&lt; 32</c> and <c>n23 = n2 | n3 &lt;&lt; 32</c>,
    /// are consecutive. Indices are non-negative ints, so <c>n23 - n01 = 2 + 2^33</c> holds exactly when
    /// <c>n2 = n0 + 2</c> and <c>n3 = n1 + 2</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Consecutive(long n01, long n23) => n23 - n01 == 0x0000000200000002L && (n01 >>> 32) - (uint)n01 == 1;

    /// <summary>Index of the always-zero value slot that padding points at: <c>4 * Groups</c>.</summary>
    internal int PadSlot => Groups * Width;

    /// <summary>Length of a value vector this layout sweeps: one slot per lane plus <see cref="PadSlot"/>.</summary>
    internal int ValueLength => Groups * Width + 1;

    /// <summary>Length of an <c>S x A</c> table in the transposed lane order <c>(g*A + a)*4 + l</c>.</summary>
    internal int PairLength => Groups * Actions * Width;

    /// <summary>Index of pair <c>(s, a)</c> in the transposed lane order.</summary>
    internal int PairIndex(int s, int a) => ((s / Width) * Actions + a) * Width + s % Width;

    /// <summary>Re-lays the CSR arrays of <paramref name="mdp"/>; entries keep their CSR order inside each row.</summary>
    internal static LaneTransitions Build(TabularMdp mdp)
    {
        int groups = (mdp.States + Width - 1) / Width;
        var (start, next, probability) = Interleave(mdp.States, mdp.Actions, mdp.RowStartSpan, mdp.NextSpan, mdp.ProbabilitySpan, groups * Width);
        return new LaneTransitions(mdp.States, mdp.Actions, groups, start, next, probability);
    }

    /// <summary>
    /// The SELL-4 re-layout shared by the sweep's and the occupancy pull's layouts. CSR row <c>s*A + a</c> of
    /// <paramref name="rows"/> rows (<paramref name="actions"/> per lane state) becomes lane <c>s % 4</c> of run
    /// <c>(s / 4)*A + a</c>; a run is as long as its longest row, and the shorter rows are padded with index
    /// <paramref name="padSlot"/> and probability 0. Entries keep their CSR order inside each row.
    /// Returns the runs' first vector entries (length <c>groups*A + 1</c>) and the interleaved indices and probabilities.
    /// </summary>
    internal static (int[] Start, int[] Index, double[] Probability) Interleave(int rows, int actions, ReadOnlySpan<int> rowStart,
        ReadOnlySpan<int> index, ReadOnlySpan<double> probability, int padSlot)
    {
        int groups = (rows + Width - 1) / Width;
        var start = new int[groups * actions + 1];
        long total = 0;
        for (int g = 0; g < groups; g++)
            for (int a = 0; a < actions; a++)
            {
                int longest = 0;
                for (int l = 0; l < Width && g * Width + l < rows; l++)
                {
                    int i = (g * Width + l) * actions + a;
                    longest = Math.Max(longest, rowStart[i + 1] - rowStart[i]);
                }
                start[g * actions + a] = checked((int)total);
                total += longest;
            }
        start[groups * actions] = checked((int)total);
        int entries = checked((int)(total * Width));
        var laneIndex = new int[entries];
        var laneProbability = new double[entries];
        Array.Fill(laneIndex, padSlot);
        for (int s = 0; s < rows; s++)
        {
            int g = s / Width, l = s % Width;
            for (int a = 0; a < actions; a++)
            {
                int i = s * actions + a;
                int first = start[g * actions + a];
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++)
                {
                    int e = (first + k - rowStart[i]) * Width + l;
                    laneIndex[e] = index[k];
                    laneProbability[e] = probability[k];
                }
            }
        }
        return (start, laneIndex, laneProbability);
    }

    /// <summary>
    /// A 16-bit copy of <paramref name="index"/> when every index, <paramref name="padSlot"/> the largest, fits (one
    /// 64-bit read then gives a vector entry's four indices, and 2 bytes per entry less are streamed), else null.
    /// </summary>
    internal static ushort[]? Narrow(int[] index, int padSlot) =>
        padSlot <= ushort.MaxValue ? Array.ConvertAll(index, n => (ushort)n) : null;

    /// <summary>Copies an <c>S x A</c> row-major table into the transposed lane order (dummy lanes get 0).</summary>
    internal double[] ToLanes(ReadOnlySpan<double> table)
    {
        var lanes = new double[PairLength];
        for (int s = 0; s < States; s++)
            for (int a = 0; a < Actions; a++)
                lanes[PairIndex(s, a)] = table[s * Actions + a];
        return lanes;
    }

    /// <summary>Copies a table in the transposed lane order back to <c>S x A</c> row-major.</summary>
    internal double[] FromLanes(ReadOnlySpan<double> lanes)
    {
        var table = new double[States * Actions];
        for (int s = 0; s < States; s++)
            for (int a = 0; a < Actions; a++)
                table[s * Actions + a] = lanes[PairIndex(s, a)];
        return table;
    }
}
