namespace Trirl.Experiments;

/// <summary>
/// A score a run reports in its <c>summary.json</c>: training (<c>normalized_return</c>, every run command), retraining
/// (<c>retrain_normalized_return</c>: the learned reward re-optimised from scratch) and transfer
/// (<c>transfer_normalized_return</c>: re-optimised on the shifted environment), the paper's three columns.
/// </summary>
/// <param name="Key">The key in <c>summary.json</c>.</param>
/// <param name="Title">The column title: Training, Retraining or Transfer.</param>
/// <param name="FileSuffix">Suffix of the metric's CSV file: <c>aggregate.csv</c> for training, else <c>aggregate-retrain.csv</c> and <c>aggregate-transfer.csv</c>.</param>
public sealed record ScoreMetric(string Key, string Title, string FileSuffix)
{
    /// <summary>The final normalised return of the run.</summary>
    public static readonly ScoreMetric Training = new("normalized_return", "Training", "");

    /// <summary>The normalised return of the learned reward re-optimised from scratch.</summary>
    public static readonly ScoreMetric Retraining = new("retrain_normalized_return", "Retraining", "-retrain");

    /// <summary>The normalised return of the learned reward re-optimised on the transfer environment.</summary>
    public static readonly ScoreMetric Transfer = new("transfer_normalized_return", "Transfer", "-transfer");

    /// <summary>The three metrics in the paper's order.</summary>
    public static readonly IReadOnlyList<ScoreMetric> All = [Training, Retraining, Transfer];

    /// <summary>The metric's CSV file name.</summary>
    public string CsvFile => $"aggregate{FileSuffix}.csv";
}
