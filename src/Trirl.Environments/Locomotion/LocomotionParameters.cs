namespace Trirl.Environments;

/// <summary>An interval <c>(Low, High)</c> of a healthy range; whether its ends count is the task's rule.</summary>
/// <param name="Low">Lower end.</param>
/// <param name="High">Upper end (may be +infinity).</param>
public readonly record struct Interval(double Low, double High)
{
    /// <summary>Whether <c>Low &lt; x &lt; High</c> (Gymnasium's Hopper and Walker2d).</summary>
    public bool ContainsOpen(double x) => Low < x && x < High;

    /// <summary>Whether <c>Low &lt;= x &lt;= High</c> (Gymnasium's Ant).</summary>
    public bool ContainsClosed(double x) => Low <= x && x <= High;
}

/// <summary>
/// The constants of a locomotion task: Gymnasium's <c>*-v4</c> keyword arguments (reward weights, healthy ranges, reset
/// noise), the model file, the frame skip and the physics shift of a transfer twin. Each task reads the fields it
/// defines (HalfCheetah has no healthy terms). <see cref="Hopper"/>, <see cref="Walker2d"/>,
/// <see cref="HalfCheetah"/> and <see cref="Ant"/> hold Gymnasium's defaults; the twins are these with a
/// <see cref="LocomotionShift"/>.
/// </summary>
/// <param name="ModelFile">The embedded MJCF model (<c>hopper.xml</c>, ...), see docs/mujoco.md.</param>
/// <param name="FrameSkip">MuJoCo steps per environment step (Gymnasium's <c>frame_skip</c>).</param>
/// <param name="ForwardRewardWeight">Weight of the forward velocity in the reward.</param>
/// <param name="CtrlCostWeight">Weight of the control cost <c>sum a^2</c>.</param>
/// <param name="HealthyReward">Reward per step while healthy (every step when episodes terminate on falling).</param>
/// <param name="TerminateWhenUnhealthy">Whether leaving the healthy ranges terminates the episode.</param>
/// <param name="HealthyZRange">Healthy torso heights <c>qpos[z]</c>.</param>
/// <param name="HealthyAngleRange">Healthy torso pitch angles (Hopper, Walker2d).</param>
/// <param name="HealthyStateRange">Healthy range of every state entry after the first two (Hopper).</param>
/// <param name="ResetNoiseScale">Scale of the reset noise on <c>qpos0</c> and on the zero velocity.</param>
/// <param name="MaxSteps">Time limit (1,000 steps).</param>
/// <param name="Shift">The physics shift of a transfer twin (<see cref="LocomotionShift.None"/> for the base tasks).</param>
public sealed record LocomotionParameters(
    string ModelFile, int FrameSkip, double ForwardRewardWeight, double CtrlCostWeight, double HealthyReward,
    bool TerminateWhenUnhealthy, Interval HealthyZRange, Interval HealthyAngleRange, Interval HealthyStateRange,
    double ResetNoiseScale, int MaxSteps, LocomotionShift Shift)
{
    private static readonly Interval Everything = new(double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>Gymnasium's Hopper-v4: frame skip 4, ctrl cost 1e-3, healthy reward 1, z in (0.7, inf), angle in (-0.2, 0.2), state in (-100, 100), noise 5e-3.</summary>
    public static LocomotionParameters Hopper { get; } = new("hopper.xml", 4, 1.0, 1e-3, 1.0, true,
        new(0.7, double.PositiveInfinity), new(-0.2, 0.2), new(-100.0, 100.0), 5e-3, 1000, LocomotionShift.None);

    /// <summary>Gymnasium's Walker2d-v4: frame skip 4, ctrl cost 1e-3, healthy reward 1, z in (0.8, 2), angle in (-1, 1), noise 5e-3.</summary>
    public static LocomotionParameters Walker2d { get; } = new("walker2d.xml", 4, 1.0, 1e-3, 1.0, true,
        new(0.8, 2.0), new(-1.0, 1.0), Everything, 5e-3, 1000, LocomotionShift.None);

    /// <summary>Gymnasium's HalfCheetah-v4: frame skip 5, ctrl cost 0.1, no healthy terms, never terminates, noise 0.1.</summary>
    public static LocomotionParameters HalfCheetah { get; } = new("halfcheetah.xml", 5, 1.0, 0.1, 0.0, false,
        Everything, Everything, Everything, 0.1, 1000, LocomotionShift.None);

    /// <summary>Gymnasium's Ant-v4 (no contact forces, its default): frame skip 5, ctrl cost 0.5, healthy reward 1, z in [0.2, 1], noise 0.1.</summary>
    public static LocomotionParameters Ant { get; } = new("ant.xml", 5, 1.0, 0.5, 1.0, true,
        new(0.2, 1.0), Everything, Everything, 0.1, 1000, LocomotionShift.None);

    /// <summary>Copy with another physics shift (F# cannot use C#'s <c>with</c>).</summary>
    public LocomotionParameters WithShift(LocomotionShift shift) => this with { Shift = shift };

    /// <summary>Copy with another model file.</summary>
    public LocomotionParameters WithModelFile(string modelFile) => this with { ModelFile = modelFile };

    /// <summary>Throws a <see cref="TrirlInputException"/> naming the field when a value is unusable.</summary>
    public LocomotionParameters Validated()
    {
        if (string.IsNullOrWhiteSpace(ModelFile)) throw new TrirlInputException("ModelFile", "is empty", "name an embedded model, e.g. hopper.xml");
        Check.PositiveInt(FrameSkip, nameof(FrameSkip));
        Check.Finite(ForwardRewardWeight, nameof(ForwardRewardWeight));
        Check.NonNegative(CtrlCostWeight, nameof(CtrlCostWeight));
        Check.Finite(HealthyReward, nameof(HealthyReward));
        Check.NonNegative(ResetNoiseScale, nameof(ResetNoiseScale));
        Check.PositiveInt(MaxSteps, nameof(MaxSteps));
        Check.NotNull(Shift, nameof(Shift));
        foreach (var (range, name) in new[] { (HealthyZRange, nameof(HealthyZRange)), (HealthyAngleRange, nameof(HealthyAngleRange)), (HealthyStateRange, nameof(HealthyStateRange)) })
            if (double.IsNaN(range.Low) || double.IsNaN(range.High) || range.Low > range.High)
                throw new TrirlInputException(name, $"is ({range.Low}, {range.High})", "pass Low <= High");
        Shift.Validate();
        return this;
    }
}

/// <summary>
/// A documented change of a locomotion task's physics, the paper's transfer shifts (docs/mujoco.md): another vertical
/// gravity (Mars), a medium with wind (MuJoCo's <c>opt.wind</c>, <c>opt.density</c>, <c>opt.viscosity</c>), or
/// disabled actuators (their controls are replaced by 0 before the step, so they give no torque and cost nothing).
/// </summary>
public sealed record LocomotionShift
{
    /// <summary>No shift: the base task.</summary>
    public static LocomotionShift None { get; } = new();

    /// <summary>The vertical gravity <c>opt.gravity[2]</c> in m/s^2 (negative: down); null keeps the model's.</summary>
    public double? GravityZ { get; init; }

    /// <summary>The medium's velocity along x, <c>opt.wind[0]</c> (m/s; negative blows against the running direction).</summary>
    public double WindX { get; init; }

    /// <summary>The medium's density <c>opt.density</c> (kg/m^3; 0 = vacuum, the models' default).</summary>
    public double Density { get; init; }

    /// <summary>The medium's viscosity <c>opt.viscosity</c> (Pa s; 0 by default).</summary>
    public double Viscosity { get; init; }

    /// <summary>Indices of the controls that are switched off (replaced by 0).</summary>
    public ImmutableArray<int> DisabledControls { get; init; } = [];

    /// <summary>Whether the shift changes the compiled model (gravity or medium), not only the controls.</summary>
    internal bool ChangesModel => GravityZ is not null || WindX != 0 || Density != 0 || Viscosity != 0;

    internal void Validate()
    {
        if (GravityZ is { } g) Check.Finite(g, nameof(GravityZ));
        Check.Finite(WindX, nameof(WindX));
        Check.NonNegative(Density, nameof(Density));
        Check.NonNegative(Viscosity, nameof(Viscosity));
        foreach (var c in DisabledControls)
            if (c < 0) throw new TrirlInputException(nameof(DisabledControls), $"holds {c}", "pass control indices >= 0");
    }

    /// <summary>Value equality (the disabled controls compared element by element).</summary>
    public bool Equals(LocomotionShift? other) =>
        other is not null && GravityZ == other.GravityZ && WindX == other.WindX && Density == other.Density
        && Viscosity == other.Viscosity && DisabledControls.SequenceEqual(other.DisabledControls);

    /// <summary>Hash of the physical quantities.</summary>
    public override int GetHashCode() => HashCode.Combine(GravityZ, WindX, Density, Viscosity, DisabledControls.Length);
}
