namespace Trirl.Functional.Environments;

/// <summary>
/// Slippery gridworlds: <c>size x size</c> cells numbered row-major (<c>s = row * size + col</c>), start in cell 0
/// (top-left), four actions <c>0 = up, 1 = down, 2 = left, 3 = right</c>. The intended move happens with
/// probability <c>1 - slip</c>, each of the three other moves with <c>slip / 3</c>; a move into the border stays.
/// The true reward is state-based: <c>+1</c> in the goal, <c>-1</c> in each trap, 0 elsewhere; nothing is absorbing,
/// so the expert learns to stay near the goal.
/// </summary>
public static class Gridworld
{
    /// <summary>Action names, by index.</summary>
    public static IReadOnlyList<string> ActionNames { get; } = ["up", "down", "left", "right"];

    /// <summary>
    /// A gridworld with its goal in <paramref name="goal"/> (-1: the bottom-right cell) and traps in
    /// <paramref name="traps"/> (<c>null</c>: <c>size * size / 8</c> traps placed by <paramref name="seed"/>, never on the
    /// start or the goal).
    /// </summary>
    /// <param name="size">Side length, at least 2.</param>
    /// <param name="slip">Probability of slipping to one of the other three moves, in [0, 1).</param>
    /// <param name="goal">Goal cell, or -1 for the bottom-right corner.</param>
    /// <param name="traps">Trap cells, or <c>null</c> to place them at random.</param>
    /// <param name="seed">Seed of the random trap placement.</param>
    /// <param name="gamma">Discount factor.</param>
    public static TabularMdp Create(int size, double slip = 0.1, int goal = -1, IReadOnlyList<int>? traps = null, long seed = 0, double gamma = 0.9)
    {
        if (size < 2) throw new TrirlInputException(nameof(size), $"must be >= 2, got {size}", "use a grid of at least 2 x 2");
        if (size > 2000) throw new TrirlInputException(nameof(size), $"must be <= 2000, got {size}", "use a smaller grid");
        CheckSlip(slip);
        int cells = size * size;
        if (goal == -1) goal = cells - 1;
        if ((uint)goal >= (uint)cells) throw new TrirlInputException(nameof(goal), $"cell {goal} is outside the {size} x {size} grid", $"use a cell in [0, {cells})");
        var trapList = traps?.ToArray() ?? RandomTraps(size, goal, seed);
        foreach (var t in trapList)
            if ((uint)t >= (uint)cells) throw new TrirlInputException(nameof(traps), $"cell {t} is outside the {size} x {size} grid", $"use cells in [0, {cells})");
        var cellReward = new double[cells];
        foreach (var t in trapList) cellReward[t] = -1;
        cellReward[goal] = 1;
        var transitions = Moves(size, size, slip, (_, target) => target);
        var initial = new double[cells];
        initial[0] = 1;
        var reward = StateActionTable.Create(cells, 4, (s, _) => cellReward[s]);
        string name = $"gridworld-{size}x{size}-slip{Check.Format(slip)}";
        return TabularMdp.Create(name, gamma, initial, transitions, reward);
    }

    internal static void CheckSlip(double slip)
    {
        if (double.IsNaN(slip) || slip < 0 || slip >= 1)
            throw new TrirlInputException(nameof(slip), $"must lie in [0, 1), got {Check.Format(slip)}", "use a slip probability such as 0.1");
    }

    private static int[] RandomTraps(int size, int goal, long seed)
    {
        int cells = size * size;
        int count = Math.Min(cells / 8, cells - 2);
        var rng = Rng.Derive(seed, 0x6121D);
        var chosen = new SortedSet<int>();
        while (chosen.Count < count)
        {
            int c = rng.NextInt(cells);
            if (c != 0 && c != goal) chosen.Add(c);
        }
        return chosen.ToArray();
    }

    /// <summary>
    /// Transition rows of a <paramref name="width"/> x <paramref name="height"/> grid with slip; <paramref name="redirect"/>
    /// maps (source cell, landing cell) to the state actually reached (teleports, absorbing cells).
    /// </summary>
    internal static IReadOnlyList<Transition>[][] Moves(int width, int height, double slip, Func<int, int, int> redirect)
    {
        int cells = width * height;
        var rows = new IReadOnlyList<Transition>[cells][];
        Span<int> landing = stackalloc int[4];
        for (int s = 0; s < cells; s++)
        {
            int r = s / width, c = s % width;
            landing[0] = r > 0 ? s - width : s;
            landing[1] = r < height - 1 ? s + width : s;
            landing[2] = c > 0 ? s - 1 : s;
            landing[3] = c < width - 1 ? s + 1 : s;
            rows[s] = new IReadOnlyList<Transition>[4];
            for (int a = 0; a < 4; a++)
            {
                var probs = new SortedDictionary<int, double>();
                for (int m = 0; m < 4; m++)
                {
                    double p = m == a ? 1 - slip : slip / 3;
                    if (p == 0) continue;
                    int target = redirect(s, landing[m]);
                    probs[target] = probs.GetValueOrDefault(target) + p;
                }
                rows[s][a] = probs.Select(kv => new Transition(kv.Key, kv.Value)).ToArray();
            }
        }
        return rows;
    }
}
