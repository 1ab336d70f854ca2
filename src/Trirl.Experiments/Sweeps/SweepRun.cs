namespace Trirl.Experiments;

/// <summary>
/// One run of a plan: its position, its stable id (<see cref="RunIds"/>), the command and every flag it gets (the
/// grid's values, then the fixed flags; the output folder is added when the run starts).
/// </summary>
/// <param name="Index">Position in the plan, 0-based (the Slurm array task id).</param>
/// <param name="Id">Stable id, also the run's folder name under <c>DIR/runs/</c>.</param>
/// <param name="Command">The run command (e.g. tabular).</param>
/// <param name="Flags">The run's flags: grid values in grid order, then the fixed flags.</param>
public sealed record SweepRun(int Index, string Id, string Command, IReadOnlyList<SweepFlag> Flags)
{
    /// <summary>The value of flag <paramref name="name"/>, or null when the run does not set it.</summary>
    public string? Flag(string name) => Flags.FirstOrDefault(f => f.Name == name)?.Value;
}
