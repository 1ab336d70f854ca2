using System.Globalization;
using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// Settings of a percentile bootstrap: the number of resamples, the confidence level of the two-sided interval and the
/// seed (the same seed gives the same intervals, bit for bit).
/// </summary>
public sealed record BootstrapSettings
{
    /// <summary>Default number of resamples (the issue's minimum; rliable's examples use 2,000 to 50,000).</summary>
    public const int DefaultResamples = 2000;

    /// <summary>Default confidence level.</summary>
    public const double DefaultConfidence = 0.95;

    /// <summary>Checks and creates the settings.</summary>
    /// <param name="resamples">Bootstrap resamples, >= 1.</param>
    /// <param name="confidence">Confidence level in (0, 1).</param>
    /// <param name="seed">Seed of the resampling.</param>
    public BootstrapSettings(int resamples = DefaultResamples, double confidence = DefaultConfidence, long seed = 0)
    {
        if (resamples < 1)
            throw new TrirlInputException("resamples", $"must be >= 1, got {resamples}", $"use e.g. {DefaultResamples} resamples");
        if (!(confidence > 0 && confidence < 1))
            throw new TrirlInputException("confidence", $"must be in (0, 1), got {confidence.ToString("R", CultureInfo.InvariantCulture)}", "use e.g. 0.95");
        Resamples = resamples;
        Confidence = confidence;
        Seed = seed;
    }

    /// <summary>Bootstrap resamples.</summary>
    public int Resamples { get; }

    /// <summary>Confidence level of the two-sided interval (0.95: the 2.5th and 97.5th percentiles).</summary>
    public double Confidence { get; }

    /// <summary>Seed of the resampling.</summary>
    public long Seed { get; }
}
