namespace Trirl.Functional;

/// <summary>
/// The transposed transition structure: for each next state <c>s'</c>, the pairs <c>(s,a)</c> that
/// reach it and their probabilities. Lets the occupancy solve pull (one writer per state, so it
/// parallelises deterministically) instead of scattering.
/// </summary>
internal sealed class IncomingTransitions
{
    public required int[] Start { get; init; }
    public required int[] Pair { get; init; }
    public required double[] Probability { get; init; }

    public static IncomingTransitions Build(TabularMdp mdp)
    {
        var rowStart = mdp.RowStartArray;
        var next = mdp.NextArray;
        var prob = mdp.ProbabilityArray;
        var count = new int[mdp.States + 1];
        foreach (var n in next) count[n + 1]++;
        for (int s = 0; s < mdp.States; s++) count[s + 1] += count[s];
        var fill = (int[])count.Clone();
        var pair = new int[next.Length];
        var p = new double[next.Length];
        int pairs = mdp.States * mdp.Actions;
        // Pairs are visited in increasing order, so each state's incoming list is sorted: the pull sums
        // in a fixed order, whatever the thread count.
        for (int i = 0; i < pairs; i++)
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++)
            {
                int slot = fill[next[k]]++;
                pair[slot] = i;
                p[slot] = prob[k];
            }
        return new IncomingTransitions { Start = count, Pair = pair, Probability = p };
    }
}
