namespace Trirl.Deep;

/// <summary>
/// TensorBoard event files of a run, written with TorchSharp's <c>torch.utils.tensorboard.SummaryWriter</c>: one scalar
/// per metrics and timing column at each row, tagged <c>metrics/NAME</c> and <c>timings/NAME</c>, with the environment
/// step as the global step. A resumed run adds a new event file to the same folder; TensorBoard merges them.
/// </summary>
public sealed class TensorBoardLog
{
    private readonly TorchSharp.Modules.SummaryWriter writer;

    /// <summary>A writer for the folder <paramref name="logDir"/> (created if missing).</summary>
    public TensorBoardLog(string logDir)
    {
        TorchRuntime.Ensure();
        writer = torch.utils.tensorboard.SummaryWriter(logDir);
        LogDir = logDir;
    }

    /// <summary>The event folder.</summary>
    public string LogDir { get; }

    /// <summary>Writes the scalars of one row (non-finite values are skipped).</summary>
    public void Write(RlProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        int step = (int)Math.Min(int.MaxValue, progress.Metrics.EnvSteps);
        var m = progress.Metrics;
        for (int i = 1; i < m.Columns.Length; i++)
            if (double.IsFinite(m.Values[i])) writer.add_scalar($"metrics/{m.Columns[i]}", (float)m.Values[i], step);
        var t = progress.Timing.Values;
        for (int i = 1; i < t.Length; i++)
            if (double.IsFinite(t[i])) writer.add_scalar($"timings/{progress.Timing.Names[i]}", (float)t[i], step);
    }
}
