namespace Trirl.Environments;

/// <summary>
/// A solid axis-aligned rectangle of the point maze: its open interior <c>(XMin, XMax) x (YMin, YMax)</c> is forbidden,
/// its boundary may be touched.
/// </summary>
/// <param name="XMin">Left edge.</param>
/// <param name="YMin">Bottom edge.</param>
/// <param name="XMax">Right edge.</param>
/// <param name="YMax">Top edge.</param>
public sealed record Wall(double XMin, double YMin, double XMax, double YMax)
{
    /// <summary>Whether <c>(x, y)</c> lies in the open interior.</summary>
    public bool Contains(double x, double y) => x > XMin && x < XMax && y > YMin && y < YMax;
}

/// <summary>
/// Geometry and dynamics of <see cref="PointMaze"/> (equations in its documentation and in <c>docs/pointmaze.md</c>).
/// <see cref="Default"/> is the <c>pointmaze</c> task, <see cref="Shifted"/> the <c>pointmaze-shifted</c> twin whose wall
/// leaves the gap on the other side.
/// </summary>
/// <param name="Width">Arena width: positions lie in <c>[0, Width] x [0, Height]</c>.</param>
/// <param name="Height">Arena height.</param>
/// <param name="Walls">Inner walls (the arena's border is always solid).</param>
/// <param name="StartX">Centre of the start box, x.</param>
/// <param name="StartY">Centre of the start box, y.</param>
/// <param name="StartNoise">Half-width of the start box: <c>p0 ~ start + U[-noise, noise]^2</c>.</param>
/// <param name="GoalX">Goal, x.</param>
/// <param name="GoalY">Goal, y.</param>
/// <param name="GoalRadius">An episode terminates when the point is within this distance of the goal.</param>
/// <param name="Dt">Time step.</param>
/// <param name="Damping">Velocity damping coefficient <c>c</c>.</param>
/// <param name="Gain">Force gain <c>k</c> (acceleration per unit action).</param>
/// <param name="MaxSpeed">Limit of each velocity component.</param>
/// <param name="ControlCost">Weight of the action cost <c>|u|^2</c> in the reward.</param>
/// <param name="MaxSteps">Time limit.</param>
public sealed record PointMazeParameters(
    double Width, double Height, ImmutableArray<Wall> Walls,
    double StartX, double StartY, double StartNoise,
    double GoalX, double GoalY, double GoalRadius,
    double Dt, double Damping, double Gain, double MaxSpeed, double ControlCost, int MaxSteps)
{
    /// <summary>
    /// The <c>pointmaze</c> task: a 3 x 3 arena split by a wall <c>[-1, 2] x [1.4, 1.6]</c> that leaves a gap on the
    /// right, start around (1.5, 0.5), goal (1.5, 2.5) with radius 0.25; <c>dt = 0.1</c>, damping 4, gain 4, max speed 1,
    /// control cost 0.01, 200 steps. The wall reaches into the left border so that no seam lets the point slip past it.
    /// </summary>
    public static PointMazeParameters Default { get; } = new(
        3.0, 3.0, [new Wall(-1.0, 1.4, 2.0, 1.6)],
        1.5, 0.5, 0.1,
        1.5, 2.5, 0.25,
        0.1, 4.0, 4.0, 1.0, 0.01, 200);

    /// <summary>The <c>pointmaze-shifted</c> twin: the wall moved to <c>[1, 4] x [1.4, 1.6]</c>, the gap on the left.</summary>
    public static PointMazeParameters Shifted { get; } = Default with { Walls = [new Wall(1.0, 1.4, 4.0, 1.6)] };

    /// <summary>Copy with other inner walls (F# cannot use C#'s <c>with</c>).</summary>
    public PointMazeParameters WithWalls(IReadOnlyList<Wall> walls) => this with { Walls = walls.ToImmutableArray() };
}

/// <summary>
/// A point mass in a U-shaped maze: our own design, the Point Maze task of the paper in spirit (see
/// <c>docs/pointmaze.md</c>). The state is <c>(x, y, vx, vy)</c> in float64, the action a force <c>a</c> in
/// <c>[-1, 1]^2</c>. A step:
/// <code>
/// u  = clip(a, -1, 1)                                     (per component)
/// v' = clip(v + dt (k u - c v), -max_speed, max_speed)    (per component; k = Gain, c = Damping)
/// p' = p + v' dt, swept against the walls: the point stops exactly on the first face it meets, the velocity
///      component normal to that face becomes 0, and the rest of the displacement slides along the face
/// d  = |p' - goal|;  terminated = d &lt;= goal_radius
/// reward = -d - control_cost |u|^2;  observation = (x', y', vx', vy') as float32
/// </code>
/// Walls are solid open rectangles (the arena's border included); the sweep is exact, so no speed tunnels through a
/// wall, however thin. Truncated after <c>MaxSteps</c> steps. Reset: <c>p ~ start + U[-noise, noise]^2</c>, <c>v = 0</c>.
/// </summary>
public sealed class PointMaze : ContinuousEnv
{
    private readonly Wall[] solids;

    /// <summary>The maze with the given geometry and dynamics, registered under <paramref name="name"/>.</summary>
    public PointMaze(PointMazeParameters parameters, string name = "pointmaze")
        : base(MakeSpec(parameters, name))
    {
        Parameters = parameters;
        double w = parameters.Width, h = parameters.Height;
        // The border as four solid slabs that overlap at the corners, then the inner walls.
        solids =
        [
            new Wall(-1.0, -1.0, 0.0, h + 1.0),
            new Wall(w, -1.0, w + 1.0, h + 1.0),
            new Wall(-1.0, -1.0, w + 1.0, 0.0),
            new Wall(-1.0, h, w + 1.0, h + 1.0),
            .. parameters.Walls,
        ];
        CheckGeometry(parameters);
    }

    /// <summary>Geometry and dynamics.</summary>
    public PointMazeParameters Parameters { get; }

    /// <summary>Whether <c>(x, y)</c> is a free position: inside the arena and in no wall's interior.</summary>
    public bool IsFree(double x, double y)
    {
        if (!(x >= 0 && x <= Parameters.Width && y >= 0 && y <= Parameters.Height)) return false;
        foreach (var wall in solids)
            if (wall.Contains(x, y)) return false;
        return true;
    }

    private static ContinuousEnvSpec MakeSpec(PointMazeParameters p, string name)
    {
        Check.NotNull(p, "parameters");
        Check.Positive(p.Width, nameof(p.Width));
        Check.Positive(p.Height, nameof(p.Height));
        if (p.Walls.IsDefault) throw new TrirlInputException(nameof(p.Walls), "is a default ImmutableArray", "pass a (possibly empty) list of walls");
        for (int k = 0; k < p.Walls.Length; k++)
        {
            var wall = p.Walls[k];
            string field = $"Walls[{k}]";
            if (wall is null) throw new TrirlInputException(field, "is null", "pass a wall");
            Check.Finite(wall.XMin, field + ".XMin");
            Check.Finite(wall.YMin, field + ".YMin");
            Check.Finite(wall.XMax, field + ".XMax");
            Check.Finite(wall.YMax, field + ".YMax");
            if (!(wall.XMin < wall.XMax && wall.YMin < wall.YMax))
                throw new TrirlInputException(field, $"is empty: {wall}", "pass XMin < XMax and YMin < YMax");
        }
        Check.Finite(p.StartX, nameof(p.StartX));
        Check.Finite(p.StartY, nameof(p.StartY));
        Check.NonNegative(p.StartNoise, nameof(p.StartNoise));
        Check.Finite(p.GoalX, nameof(p.GoalX));
        Check.Finite(p.GoalY, nameof(p.GoalY));
        Check.Positive(p.GoalRadius, nameof(p.GoalRadius));
        Check.Positive(p.Dt, nameof(p.Dt));
        Check.NonNegative(p.Damping, nameof(p.Damping));
        Check.Positive(p.Gain, nameof(p.Gain));
        Check.Positive(p.MaxSpeed, nameof(p.MaxSpeed));
        Check.NonNegative(p.ControlCost, nameof(p.ControlCost));
        Check.PositiveInt(p.MaxSteps, nameof(p.MaxSteps));
        return new ContinuousEnvSpec(name, ["x", "y", "vx", "vy"], ["x", "y", "vx", "vy"], [-1f, -1f], [1f, 1f], p.MaxSteps);
    }

    private void CheckGeometry(PointMazeParameters p)
    {
        double x0 = p.StartX - p.StartNoise, x1 = p.StartX + p.StartNoise;
        double y0 = p.StartY - p.StartNoise, y1 = p.StartY + p.StartNoise;
        if (!(x0 >= 0 && x1 <= p.Width && y0 >= 0 && y1 <= p.Height))
            throw new TrirlInputException(nameof(p.StartX), $"the start box [{Check.Format(x0)}, {Check.Format(x1)}] x [{Check.Format(y0)}, {Check.Format(y1)}] leaves the arena",
                "move the start or shrink StartNoise");
        foreach (var wall in p.Walls)
            if (x0 < wall.XMax && x1 > wall.XMin && y0 < wall.YMax && y1 > wall.YMin)
                throw new TrirlInputException(nameof(p.Walls), $"{wall} overlaps the start box", "move the wall or the start");
        if (!IsFree(p.GoalX, p.GoalY))
            throw new TrirlInputException(nameof(p.GoalX), $"the goal ({Check.Format(p.GoalX)}, {Check.Format(p.GoalY)}) is not a free position", "put the goal inside the arena, outside the walls");
    }

    private protected override bool HasStateConstraints => true;

    private protected override void CheckState(ReadOnlySpan<double> state, string field)
    {
        if (!IsFree(state[0], state[1]))
            throw new TrirlInputException(field, $"position ({Check.Format(state[0])}, {Check.Format(state[1])}) is outside the arena or inside a wall",
                $"pass a position in [0, {Check.Format(Parameters.Width)}] x [0, {Check.Format(Parameters.Height)}] outside the walls");
    }

    private protected override void Sample(Rng rng, Span<double> state)
    {
        var p = Parameters;
        state[0] = p.StartX - p.StartNoise + 2 * p.StartNoise * rng.NextDouble();
        state[1] = p.StartY - p.StartNoise + 2 * p.StartNoise * rng.NextDouble();
        state[2] = 0.0;
        state[3] = 0.0;
    }

    private protected override void Dynamics(double[][] state, float[] actions, double[][] next, double[] rewards, bool[] terminated, double[] info)
    {
        var p = Parameters;
        for (int i = 0; i < rewards.Length; i++)
        {
            double x = state[0][i], y = state[1][i], vx = state[2][i], vy = state[3][i];
            double ux = Math.Clamp((double)actions[2 * i], -1.0, 1.0);
            double uy = Math.Clamp((double)actions[2 * i + 1], -1.0, 1.0);
            vx = Math.Clamp(vx + p.Dt * (p.Gain * ux - p.Damping * vx), -p.MaxSpeed, p.MaxSpeed);
            vy = Math.Clamp(vy + p.Dt * (p.Gain * uy - p.Damping * vy), -p.MaxSpeed, p.MaxSpeed);
            Move(ref x, ref y, ref vx, ref vy, vx * p.Dt, vy * p.Dt);
            double gx = x - p.GoalX, gy = y - p.GoalY;
            double d = Math.Sqrt(gx * gx + gy * gy);
            terminated[i] = d <= p.GoalRadius;
            rewards[i] = -d - p.ControlCost * (ux * ux + uy * uy);
            next[0][i] = x;
            next[1][i] = y;
            next[2][i] = vx;
            next[3][i] = vy;
        }
    }

    /// <summary>The times <c>[Enter, Exit]</c> during which a moving point is inside one axis's interval of a wall.</summary>
    private readonly record struct Slab(double Enter, double Exit);

    /// <summary>
    /// The times <c>[enter, exit]</c> at which <c>p + t d</c> lies inside the open interval <c>(min, max)</c> of one axis (the
    /// slab method): all times when <c>d = 0</c> and <c>p</c> is inside, none (no slab) when it is outside.
    /// </summary>
    private static Slab? SlabOf(double p, double d, double min, double max)
    {
        if (d == 0) return p > min && p < max ? new Slab(double.NegativeInfinity, double.PositiveInfinity) : null;
        double t1 = (min - p) / d, t2 = (max - p) / d;
        return new Slab(Math.Min(t1, t2), Math.Max(t1, t2));
    }

    /// <summary>
    /// Moves <c>(x, y)</c> by <c>(dx, dy)</c>, swept against the solid rectangles. Each pass finds the earliest time
    /// <c>t</c> in <c>[0, 1)</c> at which the segment enters a wall's open interior (slab method), puts the point on the
    /// face it meets (the blocked coordinate set exactly to the face, the other advanced by <c>t</c>), zeroes the
    /// blocked velocity component and keeps the remaining <c>(1 - t)</c> of the displacement along the free axis. A
    /// corner met head-on blocks both axes. Every pass blocks an axis, so three passes finish the move.
    /// </summary>
    internal void Move(ref double x, ref double y, ref double vx, ref double vy, double dx, double dy)
    {
        for (int pass = 0; pass < 3 && (dx != 0 || dy != 0); pass++)
        {
            double tHit = double.PositiveInfinity, faceX = 0, faceY = 0;
            bool hitX = false, hitY = false;
            foreach (var b in solids)
            {
                if (SlabOf(x, dx, b.XMin, b.XMax) is not (var enterX, var exitX) || SlabOf(y, dy, b.YMin, b.YMax) is not (var enterY, var exitY)) continue;
                double enter = Math.Max(enterX, enterY), exit = Math.Min(exitX, exitY);
                // The open interior is entered iff the entry comes strictly before the exit, inside the step.
                if (!(enter < exit && exit > 0 && enter < 1)) continue;
                double t = Math.Max(enter, 0.0);
                bool bx = enterX >= enterY, by = enterY >= enterX;
                if (t < tHit)
                {
                    tHit = t;
                    hitX = bx;
                    hitY = by;
                    if (bx) faceX = dx > 0 ? b.XMin : b.XMax;
                    if (by) faceY = dy > 0 ? b.YMin : b.YMax;
                }
                else if (t == tHit)
                {
                    if (bx && !hitX) { hitX = true; faceX = dx > 0 ? b.XMin : b.XMax; }
                    if (by && !hitY) { hitY = true; faceY = dy > 0 ? b.YMin : b.YMax; }
                }
            }
            if (double.IsPositiveInfinity(tHit))
            {
                x += dx;
                y += dy;
                break;
            }
            x = hitX ? faceX : x + tHit * dx;
            y = hitY ? faceY : y + tHit * dy;
            double rest = 1.0 - tHit;
            if (hitX) { vx = 0; dx = 0; } else dx *= rest;
            if (hitY) { vy = 0; dy = 0; } else dy *= rest;
        }
        PushOut(ref x, ref y, ref vx, ref vy);
    }

    /// <summary>
    /// Rounding guard: a point that floating-point rounding left inside a wall (by an ulp, where a segment ends exactly on
    /// a face) goes onto the nearest face of that wall, and the velocity component normal to it becomes 0.
    /// </summary>
    private void PushOut(ref double x, ref double y, ref double vx, ref double vy)
    {
        for (int pass = 0; pass < solids.Length; pass++)
        {
            bool moved = false;
            foreach (var b in solids)
            {
                if (!b.Contains(x, y)) continue;
                double left = x - b.XMin, right = b.XMax - x, below = y - b.YMin, above = b.YMax - y;
                double m = Math.Min(Math.Min(left, right), Math.Min(below, above));
                if (m == left) { x = b.XMin; vx = 0; }
                else if (m == right) { x = b.XMax; vx = 0; }
                else if (m == below) { y = b.YMin; vy = 0; }
                else { y = b.YMax; vy = 0; }
                moved = true;
            }
            if (!moved) return;
        }
    }

    private protected override void ObserveInto(double[][] state, float[] observations)
    {
        for (int i = 0; i < state[0].Length; i++)
            for (int c = 0; c < 4; c++)
                observations[4 * i + c] = (float)state[c][i];
    }
}
