using System.Globalization;
using System.Text;
using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// The scores of finished runs as a CSV table, one row per run in pooling order:
/// <c>env,algo,run,normalized_return,retrain_normalized_return,transfer_normalized_return</c>, an empty cell where a run
/// does not report a metric, doubles in round-trip precision. <c>trirl sweep aggregate</c> writes it beside its tables
/// and reads it back in place of a sweep folder, so a committed table reproduces an aggregate without the run folders
/// (which hold checkpoints and are never committed).
/// </summary>
public static class RunScoreTable
{
    /// <summary>The table's file name in an aggregate report.</summary>
    public const string FileName = "scores.csv";

    private static readonly string[] Identity = ["env", "algo", "run"];

    /// <summary>The header: the run's identity, then every <see cref="ScoreMetric.Key"/>.</summary>
    public static string Header => string.Join(',', Identity.Concat(ScoreMetric.All.Select(m => m.Key)));

    /// <summary>The CSV text of <paramref name="runs"/> (header, then one row per run, in order).</summary>
    public static string ToCsv(IReadOnlyList<RunScore> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var text = new StringBuilder(Header).Append('\n');
        foreach (var r in runs)
        {
            var cells = new[] { r.Env, r.Algo, r.RunId }.Select(Csv.Escape)
                .Concat(ScoreMetric.All.Select(m => r.Scores.TryGetValue(m.Key, out double x) ? Csv.Number(x) : ""));
            text.Append(string.Join(',', cells)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// The runs of a table written by <see cref="ToCsv"/> (or by hand: the score columns may be any subset of the keys,
    /// in any order). Errors name <paramref name="source"/>, the row and the column: a missing identity column, an
    /// unknown column, a row of another width, an empty env, algo or run, a score that is not a finite number, a row
    /// without any score, a run named twice for the same env and algo, a table without rows.
    /// </summary>
    public static IReadOnlyList<RunScore> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rows = Csv.Rows(text, source);
        if (rows.Count == 0) throw new TrirlInputException(source, "is empty", $"write the header {Header} and one row per run");
        var header = rows[0];
        for (int i = 0; i < Identity.Length; i++)
            if (header.Count <= i || header[i] != Identity[i])
                throw new TrirlInputException(source, $"column {i + 1} of the header must be '{Identity[i]}'", $"start the header with {string.Join(',', Identity)}");
        var metrics = header.Skip(Identity.Length).Select(name =>
            ScoreMetric.All.FirstOrDefault(m => m.Key == name)
            ?? throw new TrirlInputException(source, $"column '{name}' is not a score", $"use {string.Join(", ", ScoreMetric.All.Select(m => m.Key))}")).ToArray();
        if (metrics.Select(m => m.Key).Distinct().Count() != metrics.Length)
            throw new TrirlInputException(source, "names a score column twice", "keep one column per score");
        var runs = new List<RunScore>();
        var seen = new HashSet<(string, string, string)>();
        for (int r = 1; r < rows.Count; r++)
        {
            var row = rows[r];
            string where = $"{source}, row {r + 1}";
            if (row.Count == 1 && row[0].Length == 0) continue;   // a blank line
            if (row.Count != header.Count)
                throw new TrirlInputException(where, $"has {row.Count} cells, the header {header.Count}", "give every row one cell per column (empty for a missing score)");
            for (int i = 0; i < Identity.Length; i++)
                if (string.IsNullOrWhiteSpace(row[i])) throw new TrirlInputException($"{where}, column {Identity[i]}", "is empty", "name the run's env, algo and id");
            var scores = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int j = 0; j < metrics.Length; j++)
            {
                string cell = row[Identity.Length + j];
                if (cell.Length == 0) continue;
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
                    throw new TrirlInputException($"{where}, column {metrics[j].Key}", $"'{cell}' is not a finite number", "write the score with a decimal point, or leave the cell empty");
                scores[metrics[j].Key] = x;
            }
            if (scores.Count == 0) throw new TrirlInputException(where, "has no score", "give the run a score or remove the row");
            if (!seen.Add((row[0], row[1], row[2])))
                throw new TrirlInputException(where, $"names run '{row[2]}' of {row[1]} on {row[0]} a second time", "keep one row per run");
            runs.Add(new RunScore(row[0], row[1], row[2], scores));
        }
        if (runs.Count == 0) throw new TrirlInputException(source, "holds no run", "add one row per finished run under the header");
        return runs;
    }
}
