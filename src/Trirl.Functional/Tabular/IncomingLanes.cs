namespace Trirl.Functional;

/// <summary>
/// The incoming transitions of a <see cref="TabularMdp"/> re-laid for the vectorised occupancy pull (SELL-4, as
/// <see cref="LaneTransitions"/> for the soft sweep): target states are taken four at a time (a group), and the
/// <c>k</c>-th incoming entries <c>((s, a), P(s'|s,a))</c> of the four states sit side by side, so that one vector step
/// advances the four sums <c>sum_(s,a) w(s,a) P(s'|s,a)</c> of the pull. A state with fewer incoming entries than its
/// group's most is padded with probability 0 and pair index <see cref="PadSlot"/>, a slot of <c>w</c> that is always 0.
/// Entries keep the order of <see cref="IncomingTransitions"/> (increasing pair), so each state's sum has a fixed order.
/// Built once per MDP, lazily (<see cref="TabularMdp"/> caches it).
/// </summary>
internal sealed class IncomingLanes
{
    /// <summary>Target states per group: the lanes of one 256-bit vector of doubles.</summary>
    internal const int Width = LaneTransitions.Width;

    private IncomingLanes(int states, int actions, int groups, int[] start, int[] pair, double[] probability)
    {
        States = states;
        Actions = actions;
        Groups = groups;
        Start = start;
        Pair = pair;
        Probability = probability;
        // Pair indices run up to the pad slot S*A.
        NarrowPair = LaneTransitions.Narrow(pair, PadSlot);
    }

    /// <summary>Number of states <c>S</c>.</summary>
    internal int States { get; }

    /// <summary>Number of actions <c>A</c>.</summary>
    internal int Actions { get; }

    /// <summary>Number of groups, <c>ceil(S / 4)</c>; the last one may hold dummy lanes past <c>S</c>.</summary>
    internal int Groups { get; }

    /// <summary>First vector entry of group <c>g</c>; length <c>Groups + 1</c>.</summary>
    internal int[] Start { get; }

    /// <summary>Source pair indices <c>s*A + a</c> into <c>w</c>, four per vector entry (lane <c>l</c> at <c>4k + l</c>).</summary>
    internal int[] Pair { get; }

    /// <summary><see cref="Pair"/> narrowed to 16 bits when <c>S*A &lt;= 65535</c>, else null.</summary>
    internal ushort[]? NarrowPair { get; }

    /// <summary>Probabilities <c>P(s'|s,a)</c>, aligned with <see cref="Pair"/>.</summary>
    internal double[] Probability { get; }

    /// <summary>Index of the always-zero slot of <c>w</c> that padding points at: <c>S*A</c>.</summary>
    internal int PadSlot => States * Actions;

    /// <summary>Length of a <c>w</c> vector the pull reads: one slot per pair plus <see cref="PadSlot"/>.</summary>
    internal int PairLength => States * Actions + 1;

    /// <summary>Length of a state vector (<c>d</c>, <c>p0</c>) in lane order: <c>4 * Groups</c>, dummy lanes 0.</summary>
    internal int StateLength => Groups * Width;

    /// <summary>Re-lays <see cref="TabularMdp.Incoming"/> of <paramref name="mdp"/> (one "action" per target state).</summary>
    internal static IncomingLanes Build(TabularMdp mdp)
    {
        var incoming = mdp.Incoming;
        var (start, pair, probability) = LaneTransitions.Interleave(mdp.States, 1, incoming.Start, incoming.Pair, incoming.Probability,
            mdp.States * mdp.Actions);
        return new IncomingLanes(mdp.States, mdp.Actions, start.Length - 1, start, pair, probability);
    }
}
