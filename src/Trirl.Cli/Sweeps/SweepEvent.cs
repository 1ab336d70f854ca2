namespace Trirl.Cli.Sweeps;

/// <summary>A run started or finished.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Finished">True when the run ended, false when it started.</param>
/// <param name="Succeeded">Whether it ended with exit code 0 and a summary.json.</param>
/// <param name="Seconds">Its wall time.</param>
/// <param name="Detail">Why it failed, or empty.</param>
/// <param name="Running">Runs running now.</param>
/// <param name="Failed">Runs failed so far.</param>
public sealed record SweepEvent(string RunId, bool Finished, bool Succeeded, double Seconds, string Detail, int Running, int Failed);
