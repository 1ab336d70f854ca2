namespace Trirl.Experiments;

/// <summary>
/// The tasks of a job that <c>squeue</c> still lists, by state: pending (waiting, held or requeued), running (also
/// configuring, completing, suspended) and other. A job that <c>squeue</c> no longer lists has ended.
/// </summary>
/// <param name="Pending">Tasks waiting to start.</param>
/// <param name="Running">Tasks started and not yet ended.</param>
/// <param name="Other">Tasks in another state (e.g. stopped).</param>
public sealed record QueueCounts(int Pending, int Running, int Other)
{
    /// <summary>Tasks still listed.</summary>
    public int Listed => Pending + Running + Other;

    /// <summary>
    /// Counts the lines <c>id|STATE</c> of <c>squeue -h -r -j JOB -o '%i|%T'</c>; an unexpanded array line such as
    /// <c>12_[4-9%2]|PENDING</c> counts its tasks (ranges and commas, ignoring the <c>%K</c> limit).
    /// </summary>
    public static QueueCounts Parse(string squeueOutput)
    {
        ArgumentNullException.ThrowIfNull(squeueOutput);
        int pending = 0, running = 0, other = 0;
        foreach (var raw in squeueOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int bar = raw.LastIndexOf('|');
            if (bar < 0) continue;
            string id = raw[..bar], state = raw[(bar + 1)..].ToUpperInvariant();
            int n = TaskCount(id);
            switch (state)
            {
                case "PENDING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "RESV_DEL_HOLD": pending += n; break;
                case "RUNNING" or "CONFIGURING" or "COMPLETING" or "SUSPENDED" or "RESIZING" or "SIGNALING" or "STAGE_OUT": running += n; break;
                default: other += n; break;
            }
        }
        return new QueueCounts(pending, running, other);
    }

    private static int TaskCount(string id)
    {
        int open = id.IndexOf('['), close = id.IndexOf(']');
        if (open < 0 || close < open) return 1;
        string inner = id[(open + 1)..close];
        int percent = inner.IndexOf('%');
        if (percent >= 0) inner = inner[..percent];
        int count = 0;
        foreach (var part in inner.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            count += range.Length == 2 && int.TryParse(range[0], out int a) && int.TryParse(range[1], out int b) && b >= a ? b - a + 1 : 1;
        }
        return Math.Max(count, 1);
    }
}
