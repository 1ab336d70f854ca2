using System.Globalization;
using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>Reading <c>plan.csv</c> back: the runs' indices and ids, in order (the flags are in each run's <c>config.json</c>).</summary>
public static class PlanTable
{
    /// <summary>The run ids of <c>plan.csv</c> text, index 0..n-1; <paramref name="source"/> names the file in errors.</summary>
    public static IReadOnlyList<string> Ids(string text, string source)
    {
        var rows = Csv.Rows(text, source);
        if (rows.Count == 0 || rows[0].Count < 3 || rows[0][0] != "index" || rows[0][1] != "id")
            throw new TrirlInputException(source, "is not a plan.csv (its header is not index,id,command,...)", "plan the sweep with trirl sweep plan --spec FILE --out DIR");
        var ids = new List<string>(rows.Count - 1);
        for (int r = 1; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Count < 2 || !int.TryParse(row[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index != r - 1 || row[1].Length == 0)
                throw new TrirlInputException($"{source} (line {r + 1})", "is not a row 'index,id,...' with the next index", "plan the sweep again");
            ids.Add(row[1]);
        }
        if (ids.Count == 0) throw new TrirlInputException(source, "has no runs", "plan the sweep again");
        return ids;
    }

    /// <summary>The grid's flag names: the columns after <c>index,id,command</c>.</summary>
    public static IReadOnlyList<string> GridNames(string text, string source)
    {
        var rows = Csv.Rows(text, source);
        if (rows.Count == 0 || rows[0].Count < 3 || rows[0][0] != "index" || rows[0][1] != "id")
            throw new TrirlInputException(source, "is not a plan.csv (its header is not index,id,command,...)", "plan the sweep with trirl sweep plan --spec FILE --out DIR");
        return rows[0].Skip(3).ToArray();
    }
}
