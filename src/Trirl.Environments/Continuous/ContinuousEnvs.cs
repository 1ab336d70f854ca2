namespace Trirl.Environments;

/// <summary>
/// The registry of continuous tasks: <c>pendulum</c> and <c>mountaincar</c> (Gymnasium's Pendulum-v1 and
/// MountainCarContinuous-v0, exactly), <c>pointmaze</c> (our U-maze) and their dynamics-shifted twins
/// <c>pendulum-shifted</c> (mass 1.3), <c>mountaincar-shifted</c> (power 0.0012) and <c>pointmaze-shifted</c> (the wall
/// moved to the other side); the MuJoCo locomotion tasks <c>hopper</c>, <c>walker2d</c>, <c>halfcheetah</c> and
/// <c>ant</c> (Gymnasium's v4 tasks, <see cref="LocomotionEnv"/>) and the paper's transfer twins
/// <c>halfcheetah-mars</c> (gravity 3.73 m/s^2), <c>halfcheetah-wind</c> (a 5 m/s head wind in air) and
/// <c>ant-disabled</c> (front legs shortened and switched off); docs/mujoco.md gives each figure's source.
/// </summary>
public static class ContinuousEnvs
{
    /// <summary>Every registered name, in the order of the help text.</summary>
    public static ImmutableArray<string> Names { get; } =
        ["pendulum", "pendulum-shifted", "mountaincar", "mountaincar-shifted", "pointmaze", "pointmaze-shifted",
         "hopper", "walker2d", "halfcheetah", "halfcheetah-mars", "halfcheetah-wind", "ant", "ant-disabled"];

    /// <summary>The MuJoCo locomotion tasks (they need libmujoco, <see cref="LocomotionEnv"/>).</summary>
    public static ImmutableArray<string> LocomotionNames { get; } =
        ["hopper", "walker2d", "halfcheetah", "halfcheetah-mars", "halfcheetah-wind", "ant", "ant-disabled"];

    /// <summary>
    /// The paper's Mars gravity for <c>halfcheetah-mars</c>: <c>opt.gravity = (0, 0, -3.73)</c>, the value of the
    /// authors' <c>half_cheetah_marsgrav.xml</c> (Mars' surface gravity is about 3.721 m/s^2).
    /// </summary>
    public static LocomotionShift MarsGravity { get; } = new() { GravityZ = -3.73 };

    /// <summary>
    /// The paper's wind for <c>halfcheetah-wind</c>: the authors' <c>half_cheetah_windy.xml</c> sets MuJoCo's medium to
    /// a wind of 5 m/s along -x (against the running direction) in air (density 1.2 kg/m^3, viscosity 2e-5 Pa s), so every
    /// body feels drag from its velocity relative to the wind.
    /// </summary>
    public static LocomotionShift HeadWind { get; } = new() { WindX = -5.0, Density = 1.2, Viscosity = 2e-5 };

    /// <summary>The paper's disabled ant: controls 2-5 (hip_1, ankle_1, hip_2, ankle_2, the front legs) switched off, on the shortened-leg model.</summary>
    public static LocomotionShift DisabledFrontLegs { get; } = new() { DisabledControls = [2, 3, 4, 5] };

    /// <summary>
    /// The task registered as <paramref name="name"/>; an unknown name is a <see cref="TrirlInputException"/> for
    /// <paramref name="field"/> that lists the valid names.
    /// </summary>
    public static ContinuousEnv Create(string name, string field = "env") => name switch
    {
        "pendulum" => new Pendulum(PendulumParameters.Default, name),
        "pendulum-shifted" => new Pendulum(PendulumParameters.Shifted, name),
        "mountaincar" => new MountainCar(MountainCarParameters.Default, name),
        "mountaincar-shifted" => new MountainCar(MountainCarParameters.Shifted, name),
        "pointmaze" => new PointMaze(PointMazeParameters.Default, name),
        "pointmaze-shifted" => new PointMaze(PointMazeParameters.Shifted, name),
        "hopper" => new Hopper(LocomotionParameters.Hopper, name),
        "walker2d" => new Walker2d(LocomotionParameters.Walker2d, name),
        "halfcheetah" => new HalfCheetah(LocomotionParameters.HalfCheetah, name),
        "halfcheetah-mars" => new HalfCheetah(LocomotionParameters.HalfCheetah.WithShift(MarsGravity), name),
        "halfcheetah-wind" => new HalfCheetah(LocomotionParameters.HalfCheetah.WithShift(HeadWind), name),
        "ant" => new Ant(LocomotionParameters.Ant, name),
        "ant-disabled" => new Ant(LocomotionParameters.Ant.WithModelFile("ant-disabled.xml").WithShift(DisabledFrontLegs), name),
        _ => throw new TrirlInputException(field,
            string.IsNullOrWhiteSpace(name) ? "is empty" : $"unknown continuous environment '{name}'",
            $"use one of {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// The training task a registered task shifts: <c>pendulum</c> for <c>pendulum-shifted</c>, <c>halfcheetah</c> for
    /// <c>halfcheetah-mars</c> and <c>halfcheetah-wind</c>, <c>ant</c> for <c>ant-disabled</c>; a training task is its own.
    /// A reward learned on a task can be retrained on the task and transferred to its twins (<see cref="Twins"/>).
    /// </summary>
    public static string TrainingTask(string name) => name switch
    {
        "halfcheetah-mars" or "halfcheetah-wind" => "halfcheetah",
        "ant-disabled" => "ant",
        _ when name.EndsWith("-shifted", StringComparison.Ordinal) => name[..^"-shifted".Length],
        _ => name,
    };

    /// <summary>The dynamics-shifted twins of training task <paramref name="name"/> (empty for hopper and walker2d).</summary>
    public static ImmutableArray<string> Twins(string name) =>
        [.. Names.Where(n => n != name && TrainingTask(n) == TrainingTask(name) && TrainingTask(name) == name)];

    /// <summary>
    /// The tasks a reward learned on <paramref name="name"/> can be optimised on: its training task first (retraining),
    /// then that task's twins (transfer).
    /// </summary>
    public static ImmutableArray<string> Family(string name) => [TrainingTask(name), .. Twins(TrainingTask(name))];

    /// <summary>
    /// Seed of copy <paramref name="index"/> in a batch reset with <paramref name="seed"/>
    /// (<see cref="ContinuousEnv.Reset(int, long)"/>): 64 bits of <c>Rng.Derive(seed, index)</c>. Pass it to
    /// <see cref="ContinuousEnv.ResetSeeds"/> to run that copy alone.
    /// </summary>
    public static long CopySeed(long seed, int index)
    {
        if (index < 0) throw new TrirlInputException(nameof(index), $"must be >= 0, got {index}", "pass a copy index");
        return unchecked((long)Rng.Derive(seed, index).NextUInt64());
    }
}
