using Trirl.FSharp;

namespace Trirl.Cli.Output;

/// <summary>
/// The header items that every <c>report.html</c> shares (<see cref="Charts.toReportPage"/>): the command, numbers in the
/// reports' format, the wall time, and when the report was written (the clock is read by the caller, at the edge that
/// writes the file; the report is not byte-identical across reruns anyway: it holds wall times).
/// </summary>
public static class ReportFacts
{
    /// <summary>A header item.</summary>
    public static ReportFact Fact(string label, string value) => new(label, value);

    /// <summary>The command that made the report, e.g. <c>trirl tabular</c>.</summary>
    public static ReportFact Command(string name) => Fact("command", $"trirl {name}");

    /// <summary>The run's wall time in seconds (three significant decimals).</summary>
    public static ReportFact WallTime(double seconds) => Fact("wall time", $"{seconds.ToString("0.###", CultureInfo.InvariantCulture)} s");

    /// <summary>When the report was written, in UTC to the minute.</summary>
    public static ReportFact Written(DateTime utc) => Fact("written", utc.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));

    /// <summary>A number as the reports print it: six significant digits, <c>n/a</c> for NaN.</summary>
    public static string Number(double x) => double.IsNaN(x) ? "n/a" : x.ToString("G6", CultureInfo.InvariantCulture);
}
