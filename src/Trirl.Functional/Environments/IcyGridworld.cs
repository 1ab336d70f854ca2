namespace Trirl.Functional.Environments;

/// <summary>
/// The "icy" gridworld of the TRIRL paper's discrete experiment (facts from the authors' code, public fork
/// santhosh-gnse/trust-region-irl, <c>trust_region_irl_discrete/</c>: <c>config.yaml</c>, <c>gridworld.py</c>,
/// <c>experiment.py</c>): a <c>size x size</c> grid numbered row-major, start in cell 0, an absorbing goal in the last
/// cell, four actions as in <see cref="Gridworld"/> (0 up, 1 down, 2 left, 3 right). On ice an action makes its
/// intended move with probability <c>1 - slip</c>, and with probability <c>slip</c> a move drawn uniformly from all four
/// (the intended one included), so the intended move has <c>1 - slip + slip/4</c> and each other <c>slip/4</c>; a move
/// into the border stays. Reward: -1 per step, 0 in the goal, and 0 for the move into the goal from its two neighbours
/// (the paper's <c>r_default = -1</c>, <c>r_abs = r_goal = 0</c>); discount 0.99, slip 0.2 by default.
/// </summary>
public static class IcyGridworld
{
    /// <summary>The paper's grid side.</summary>
    public const int PaperSize = 5;

    /// <summary>The paper's slip probability.</summary>
    public const double PaperSlip = 0.2;

    /// <summary>The paper's discount.</summary>
    public const double PaperGamma = 0.99;

    /// <summary>The icy gridworld of side <paramref name="size"/> (at least 2) with slip <paramref name="slip"/> in [0, 1).</summary>
    public static TabularMdp Create(int size = PaperSize, double slip = PaperSlip, double gamma = PaperGamma)
    {
        if (size < 2) throw new TrirlInputException(nameof(size), $"must be >= 2, got {size}", "use a grid of at least 2 x 2");
        if (size > 2000) throw new TrirlInputException(nameof(size), $"must be <= 2000, got {size}", "use a smaller grid");
        Gridworld.CheckSlip(slip);
        int cells = size * size, goal = cells - 1;
        // A uniform slip over all four moves is the gridworld's "slip to one of the three others" with 3/4 of it.
        var transitions = Gridworld.Moves(size, size, 0.75 * slip, (from, to) => from == goal ? goal : to);
        var reward = new double[cells * 4];
        for (int s = 0; s < cells; s++)
        {
            if (s == goal) continue;
            for (int a = 0; a < 4; a++) reward[s * 4 + a] = IntendedMove(s, a, size) == goal ? 0 : -1;
        }
        var initial = new double[cells];
        initial[0] = 1;
        return TabularMdp.Create($"icy-{size}x{size}-slip{Check.Format(slip)}", gamma, initial, transitions,
            StateActionTable.FromFlat(cells, 4, reward));
    }

    /// <summary>The cell that action <paramref name="a"/> aims at from <paramref name="s"/> (itself at the border).</summary>
    private static int IntendedMove(int s, int a, int size)
    {
        int r = s / size, c = s % size;
        return a switch
        {
            0 => r > 0 ? s - size : s,
            1 => r < size - 1 ? s + size : s,
            2 => c > 0 ? s - 1 : s,
            _ => c < size - 1 ? s + 1 : s,
        };
    }
}
