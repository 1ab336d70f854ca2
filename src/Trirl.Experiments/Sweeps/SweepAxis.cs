namespace Trirl.Experiments;

/// <summary>
/// One axis of a sweep's grid, in spec order. A plain axis is a flag and its values (<c>"seed": [0, 1, 2]</c>); a
/// linked axis sets several flags together, one object per value with the same keys
/// (<c>"task": [{"env": "gridworld:5", "transfer-env": "gridworld:5:0.3"}, {"env": "cliff", "transfer-env": "cliff:0.2"}]</c>),
/// so that flags which belong together are not crossed.
/// </summary>
/// <param name="Name">The flag name of a plain axis; the label of a linked one.</param>
/// <param name="Linked">Whether the values are objects of flags.</param>
/// <param name="Values">Per value, the flags it sets (one flag for a plain axis), at least one value, no repeats.</param>
public sealed record SweepAxis(string Name, bool Linked, IReadOnlyList<IReadOnlyList<SweepFlag>> Values)
{
    /// <summary>The flags the axis sets, in order: its name for a plain axis, the objects' keys for a linked one.</summary>
    public IReadOnlyList<string> FlagNames => Values[0].Select(f => f.Name).ToArray();
}
