namespace Trirl.Environments;

/// <summary>
/// A registered continuous task, as a type rather than a string (<see cref="ContinuousEnvs.Names"/>): F# and C# write
/// <c>ContinuousTask.Pendulum</c>; a name from a command line or a file becomes one through <see cref="Parse"/>, the only
/// place a task name is checked.
/// </summary>
public sealed record ContinuousTask
{
    private ContinuousTask(string name) => Name = name;

    /// <summary>The registered name (<c>pendulum</c>, <c>hopper</c>, ...).</summary>
    public string Name { get; }

    /// <summary>The task named <paramref name="name"/>; an unknown name is a <see cref="TrirlInputException"/> for <paramref name="field"/> listing the names.</summary>
    public static ContinuousTask Parse(string name, string field = "env")
    {
        string n = (name ?? "").Trim().ToLowerInvariant();
        if (!ContinuousEnvs.Names.Contains(n))
            throw new TrirlInputException(field, string.IsNullOrWhiteSpace(name) ? "is empty" : $"unknown continuous environment '{name}'",
                $"use one of {string.Join(", ", ContinuousEnvs.Names)}");
        return new ContinuousTask(n);
    }

    /// <summary>A fresh environment of the task.</summary>
    public ContinuousEnv Create() => ContinuousEnvs.Create(Name, "task");

    /// <summary>The swing-up pendulum.</summary>
    public static ContinuousTask Pendulum { get; } = new("pendulum");

    /// <summary>The pendulum with changed dynamics (transfer).</summary>
    public static ContinuousTask PendulumShifted { get; } = new("pendulum-shifted");

    /// <summary>The continuous mountain car.</summary>
    public static ContinuousTask MountainCar { get; } = new("mountaincar");

    /// <summary>The mountain car with changed dynamics.</summary>
    public static ContinuousTask MountainCarShifted { get; } = new("mountaincar-shifted");

    /// <summary>The point maze.</summary>
    public static ContinuousTask PointMaze { get; } = new("pointmaze");

    /// <summary>The point maze with changed dynamics.</summary>
    public static ContinuousTask PointMazeShifted { get; } = new("pointmaze-shifted");

    /// <summary>MuJoCo's hopper (needs libmujoco).</summary>
    public static ContinuousTask Hopper { get; } = new("hopper");

    /// <summary>MuJoCo's walker2d.</summary>
    public static ContinuousTask Walker2d { get; } = new("walker2d");

    /// <summary>MuJoCo's half-cheetah.</summary>
    public static ContinuousTask HalfCheetah { get; } = new("halfcheetah");

    /// <summary>MuJoCo's ant.</summary>
    public static ContinuousTask Ant { get; } = new("ant");

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
