using System.Globalization;
using System.Text;
using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// The runs of a spec: the grid's Cartesian product in spec order (the last axis varies fastest), each with the fixed
/// flags and a stable id. <see cref="ToCsv"/> is <c>plan.csv</c>: <c>index,id,command</c> and one column per axis.
/// </summary>
/// <param name="Command">The run command.</param>
/// <param name="GridNames">The flags the grid sets, in spec order (a linked axis contributes each of its flags).</param>
/// <param name="Runs">The runs, index 0..n-1.</param>
public sealed record SweepPlan(string Command, IReadOnlyList<string> GridNames, IReadOnlyList<SweepRun> Runs)
{
    /// <summary>Expands <paramref name="spec"/>; two runs with the same id (impossible for distinct flags) are refused.</summary>
    public static SweepPlan Expand(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var names = spec.Grid.SelectMany(a => a.FlagNames).ToArray();
        // The readable prefix names plain axes; a linked axis shows only the env, algo or seed it sets.
        var prefixNames = spec.Grid.Where(a => !a.Linked).Select(a => a.Name).ToArray();
        var runs = new List<SweepRun>(spec.RunCount);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var at = new int[spec.Grid.Count];
        for (int index = 0; index < spec.RunCount; index++)
        {
            // Mixed-radix counter over the axes, the last axis fastest.
            int rest = index;
            for (int k = spec.Grid.Count - 1; k >= 0; k--)
            {
                at[k] = rest % spec.Grid[k].Values.Count;
                rest /= spec.Grid[k].Values.Count;
            }
            var flags = new List<SweepFlag>(spec.Grid.Count + spec.Fixed.Count);
            for (int k = 0; k < spec.Grid.Count; k++) flags.AddRange(spec.Grid[k].Values[at[k]]);
            flags.AddRange(spec.Fixed);
            string id = RunIds.Of(spec.Command, flags, prefixNames);
            if (!seen.TryAdd(id, index))
                throw new TrirlInputException("spec.grid", $"runs {seen[id]} and {index} get the same id {id}", "make the runs' flags differ");
            runs.Add(new SweepRun(index, id, spec.Command, flags));
        }
        return new SweepPlan(spec.Command, names, runs);
    }

    /// <summary>The text of <c>plan.csv</c>: <c>index,id,command,&lt;axis&gt;...</c>, one row per run, <c>\n</c> line endings.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', new[] { "index", "id", "command" }.Concat(GridNames).Select(Csv.Escape)).Append('\n');
        foreach (var run in Runs)
        {
            sb.Append(run.Index.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Csv.Escape(run.Id)).Append(',').Append(Csv.Escape(run.Command));
            foreach (var name in GridNames) sb.Append(',').Append(Csv.Escape(run.Flag(name) ?? ""));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
