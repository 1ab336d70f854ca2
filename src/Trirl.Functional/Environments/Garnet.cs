namespace Trirl.Functional.Environments;

/// <summary>
/// Garnet MDPs (Archibald et al. 1995): random MDPs for property tests and benchmarks. Each pair <c>(s,a)</c> moves to
/// <c>branching</c> distinct next states chosen uniformly, with probabilities from a uniform random partition of
/// [0, 1] (Dirichlet(1, ..., 1)); <c>p0</c> is uniform and the true reward is uniform in [-1, 1] per pair.
/// </summary>
public static class Garnet
{
    /// <summary>A Garnet MDP drawn with <paramref name="seed"/>.</summary>
    public static TabularMdp Create(int states, int actions, int branching, long seed, double gamma = 0.9)
    {
        Check.PositiveInt(states, nameof(states));
        Check.PositiveInt(actions, nameof(actions));
        Check.PositiveInt(branching, nameof(branching));
        if (branching > states)
            throw new TrirlInputException(nameof(branching), $"is {branching}, more than the {states} states", "use branching <= states");
        var rng = Rng.Derive(seed, 0x6A27E7);
        int pairs = states * actions;
        var rowStart = new int[pairs + 1];
        var next = new int[pairs * branching];
        var prob = new double[pairs * branching];
        var cuts = new double[branching + 1];
        var chosen = new HashSet<int>();
        var targets = new int[branching];
        for (int i = 0; i < pairs; i++)
        {
            // Floyd's algorithm: branching distinct states without a shuffle of all states.
            chosen.Clear();
            for (int j = states - branching; j < states; j++)
            {
                int t = rng.NextInt(j + 1);
                chosen.Add(chosen.Contains(t) ? j : t);
            }
            chosen.CopyTo(targets);
            Array.Sort(targets);
            cuts[0] = 0;
            cuts[branching] = 1;
            for (int k = 1; k < branching; k++) cuts[k] = rng.NextDouble();
            Array.Sort(cuts, 1, branching - 1);
            for (int k = 0; k < branching; k++)
            {
                next[i * branching + k] = targets[k];
                prob[i * branching + k] = cuts[k + 1] - cuts[k];
            }
            rowStart[i + 1] = (i + 1) * branching;
        }
        var reward = new double[pairs];
        for (int i = 0; i < pairs; i++) reward[i] = 2 * rng.NextDouble() - 1;
        var initial = Enumerable.Repeat(1.0 / states, states).ToArray();
        return TabularMdp.FromCsr($"garnet-{states}-{actions}-{branching}-seed{seed}", states, actions, gamma, initial, rowStart, next, prob,
            StateActionTable.FromFlat(states, actions, reward));
    }
}
