using System.Collections.Immutable;
using Trirl.Functional;

namespace Trirl.Environments;

/// <summary>
/// The registry of continuous tasks: <c>pendulum</c> and <c>mountaincar</c> (Gymnasium's Pendulum-v1 and
/// MountainCarContinuous-v0, exactly), <c>pointmaze</c> (our U-maze) and their dynamics-shifted twins
/// <c>pendulum-shifted</c> (mass 1.3), <c>mountaincar-shifted</c> (power 0.0012) and <c>pointmaze-shifted</c> (the wall
/// moved to the other side).
/// </summary>
public static class ContinuousEnvs
{
    /// <summary>Every registered name, in the order of the help text.</summary>
    public static ImmutableArray<string> Names { get; } =
        ["pendulum", "pendulum-shifted", "mountaincar", "mountaincar-shifted", "pointmaze", "pointmaze-shifted"];

    /// <summary>
    /// The task registered as <paramref name="name"/>; an unknown name is a <see cref="TrirlInputException"/> for
    /// <paramref name="field"/> that lists the valid names.
    /// </summary>
    public static ContinuousEnv Create(string name, string field = "--env") => name switch
    {
        "pendulum" => new Pendulum(PendulumParameters.Default, name),
        "pendulum-shifted" => new Pendulum(PendulumParameters.Shifted, name),
        "mountaincar" => new MountainCar(MountainCarParameters.Default, name),
        "mountaincar-shifted" => new MountainCar(MountainCarParameters.Shifted, name),
        "pointmaze" => new PointMaze(PointMazeParameters.Default, name),
        "pointmaze-shifted" => new PointMaze(PointMazeParameters.Shifted, name),
        _ => throw new TrirlInputException(field,
            string.IsNullOrWhiteSpace(name) ? "is empty" : $"unknown continuous environment '{name}'",
            $"use one of {string.Join(", ", Names)}"),
    };

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
