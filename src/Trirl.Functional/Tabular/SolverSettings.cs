namespace Trirl.Functional;

/// <summary>
/// Stopping rules of the two fixed-point solvers (soft value iteration and the occupancy solve).
/// </summary>
/// <param name="ValueTolerance">Soft value iteration stops when <c>max_s |V_new(s) - V(s)| / tau</c> falls
/// below this (math note: 1e-12). Dividing by the temperature keeps the accuracy of
/// <c>log pi = (Q - V) / tau</c> the same at every temperature.</param>
/// <param name="OccupancyTolerance">The occupancy solve stops when the L1 change of <c>d</c> falls below this.</param>
/// <param name="MaxIterations">Upper bound on sweeps of either solver; reaching it is an error.</param>
/// <param name="Parallel">Whether large MDPs are swept with <see cref="System.Threading.Tasks.Parallel"/>
/// (results are identical either way: each state is computed by one thread in a fixed order).</param>
public sealed record SolverSettings(
    double ValueTolerance = 1e-12,
    double OccupancyTolerance = 1e-13,
    int MaxIterations = 1_000_000,
    bool Parallel = true)
{
    /// <summary>The defaults of the math note: soft VI to 1e-12, occupancy to 1e-13.</summary>
    public static SolverSettings Default { get; } = new();

    /// <summary>
    /// Memory <c>m</c> of the Anderson acceleration of soft value iteration (<see cref="AndersonMixer"/>; 0: plain value
    /// iteration). The fixed point and the stopping rule are those of plain iteration; only the path (and so the number
    /// of sweeps) changes.
    /// </summary>
    public int AndersonDepth { get; init; } = 3;

    /// <summary>Copy with another Anderson memory (0 turns the acceleration off).</summary>
    public SolverSettings WithAndersonDepth(int depth) => this with { AndersonDepth = depth };

    /// <summary>Copy with another value tolerance.</summary>
    public SolverSettings WithValueTolerance(double tolerance) => this with { ValueTolerance = tolerance };

    /// <summary>Copy with another occupancy tolerance.</summary>
    public SolverSettings WithOccupancyTolerance(double tolerance) => this with { OccupancyTolerance = tolerance };

    internal void Validate()
    {
        Check.Positive(ValueTolerance, nameof(ValueTolerance));
        Check.Positive(OccupancyTolerance, nameof(OccupancyTolerance));
        Check.PositiveInt(MaxIterations, nameof(MaxIterations));
        if (AndersonDepth is < 0 or > 50)
            throw new TrirlInputException(nameof(AndersonDepth), $"must be in [0, 50], got {AndersonDepth}", "use 0 (off) or a small memory such as 5");
    }
}
