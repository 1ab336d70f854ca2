namespace Trirl.Cli.Output;

/// <summary>
/// The files that every output folder of <c>trirl</c> holds under the same name: a run's (<see cref="RunFolder"/>,
/// <see cref="RlFolder"/>, <see cref="TrainFolder"/>) and a sweep report's (<see cref="Sweeps.SweepAggregation"/>).
/// </summary>
public static class OutputFiles
{
    /// <summary>A run's final numbers and settings: what <c>trirl sweep</c> reads to tell a run done and to score it.</summary>
    public const string Summary = "summary.json";

    /// <summary>The HTML report: a header of facts and the charts (plotly.js embedded).</summary>
    public const string Report = "report.html";
}
