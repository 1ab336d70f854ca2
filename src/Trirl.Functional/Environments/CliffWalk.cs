namespace Trirl.Functional.Environments;

/// <summary>
/// The cliff walk of Sutton and Barto (example 6.6) as a tabular MDP: a 12 x 4 grid (row-major, 48 cells), start in
/// the bottom-left cell, goal in the bottom-right cell, the cliff between them. Actions as in <see cref="Gridworld"/>.
/// Every step costs -1; a move into the cliff costs -10 and returns to the start; the goal is absorbing with reward 0.
/// The fall costs -10 rather than the book's -100 so that soft experts at <c>beta &lt;= 10</c> keep every action
/// probability above double-precision underflow (their occupancies stay strictly positive).
/// </summary>
public static class CliffWalk
{
    /// <summary>Grid width.</summary>
    public const int Width = 12;

    /// <summary>Grid height.</summary>
    public const int Height = 4;

    /// <summary>Reward of a move into the cliff.</summary>
    public const double FallReward = -10;

    /// <summary>The cliff walk with slip probability <paramref name="slip"/> (0 in the book).</summary>
    public static TabularMdp Create(double slip = 0.0, double gamma = 0.9)
    {
        Gridworld.CheckSlip(slip);
        int cells = Width * Height;
        int start = (Height - 1) * Width, goal = cells - 1;
        bool IsCliff(int s) => s > start && s < goal;
        // A cliff cell is never occupied: landing there teleports to the start, and the cells keep the
        // start's dynamics so that the MDP stays well defined.
        var transitions = Gridworld.Moves(Width, Height, slip, (from, to) =>
            from == goal ? goal : IsCliff(to) ? start : to);
        var startRows = transitions[start];
        for (int s = start + 1; s < goal; s++) transitions[s] = startRows;
        var reward = new double[cells * 4];
        var probe = Gridworld.Moves(Width, Height, slip, (_, to) => to);
        for (int s = 0; s < cells; s++)
            for (int a = 0; a < 4; a++)
            {
                if (s == goal) continue;
                int from = IsCliff(s) ? start : s;
                double r = 0;
                foreach (var t in probe[from][a]) r += t.Probability * (IsCliff(t.Next) ? FallReward : -1);
                reward[s * 4 + a] = r;
            }
        var initial = new double[cells];
        initial[start] = 1;
        return TabularMdp.Create($"cliff-slip{Check.Format(slip)}", gamma, initial, transitions,
            StateActionTable.FromFlat(cells, 4, reward));
    }
}
