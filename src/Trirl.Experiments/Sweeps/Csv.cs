using System.Globalization;
using System.Text;
using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>Small RFC 4180 helpers: quoting a cell, reading rows, and doubles in round-trip precision.</summary>
public static class Csv
{
    /// <summary>The cell as written: quoted (with doubled quotes) when it holds a comma, a quote or a line break.</summary>
    public static string Escape(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    /// <summary>A double in round-trip precision with the invariant culture (<c>NaN</c> stays <c>NaN</c>).</summary>
    public static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The rows of CSV text (quoted cells may hold commas, quotes and line breaks); a final line break ends the last row.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Rows(string text, string source)
    {
        var rows = new List<IReadOnlyList<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else quoted = false;
                continue;
            }
            switch (c)
            {
                case '"' when cell.Length == 0: quoted = true; any = true; break;
                case ',': row.Add(cell.ToString()); cell.Clear(); any = true; break;
                case '\r': break;
                case '\n':
                    row.Add(cell.ToString()); cell.Clear();
                    rows.Add(row); row = []; any = false;
                    break;
                default: cell.Append(c); any = true; break;
            }
        }
        if (quoted) throw new TrirlInputException(source, "ends inside a quoted cell", "rewrite the file (e.g. plan it again)");
        if (any || cell.Length > 0) { row.Add(cell.ToString()); rows.Add(row); }
        return rows;
    }
}
