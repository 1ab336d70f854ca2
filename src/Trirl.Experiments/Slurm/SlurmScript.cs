using System.Globalization;
using System.Text;
using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// <c>DIR/slurm/array.sbatch</c>: one array task per run (<c>--array=0-(n-1)</c>, <c>%K</c> with a parallel limit), each
/// calling <c>trirl sweep run-one DIR --index $SLURM_ARRAY_TASK_ID</c> with absolute paths; <c>--requeue</c> so a
/// preempted task runs again (and resumes from its checkpoint where its command supports <c>--resume</c>);
/// <c>--open-mode=append</c> so a requeued task's log continues; logs at <c>DIR/slurm/%A_%a.out</c> (job id, task).
/// </summary>
public static class SlurmScript
{
    /// <summary>The folder under the sweep folder that holds the script, the job id and the task logs.</summary>
    public const string Folder = "slurm";

    /// <summary>The script's file name.</summary>
    public const string FileName = "array.sbatch";

    /// <summary>
    /// The script for <paramref name="tasks"/> runs of the sweep in <paramref name="sweepDir"/> (absolute), run with the
    /// command <paramref name="trirl"/> (absolute paths, e.g. <c>["/usr/bin/dotnet", "/opt/trirl/trirl.dll"]</c>).
    /// </summary>
    public static string Render(SlurmSettings settings, int tasks, string sweepDir, IReadOnlyList<string> trirl)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sweepDir);
        ArgumentNullException.ThrowIfNull(trirl);
        if (tasks < 1) throw new TrirlInputException("tasks", $"must be >= 1, got {tasks}", "plan at least one run");
        if (!Path.IsPathFullyQualified(sweepDir)) throw new TrirlInputException("DIR", $"'{sweepDir}' is not an absolute path", "pass the folder's absolute path");
        if (sweepDir.Any(c => char.IsWhiteSpace(c) || c is '%' or '\\' or '"' or '\''))
            throw new TrirlInputException("DIR", $"'{sweepDir}' holds a space, a quote, '\\' or '%' (sbatch's #SBATCH --output cannot take it)",
                "plan the sweep into a folder whose path has none of them");
        if (trirl.Count == 0) throw new TrirlInputException("trirl", "is empty", "pass the trirl executable");
        string I(int x) => x.ToString(CultureInfo.InvariantCulture);
        string logs = Path.Combine(sweepDir, Folder);
        var sb = new StringBuilder();
        sb.Append("#!/bin/bash\n");
        sb.Append($"# trirl sweep {sweepDir}: one array task per run of plan.csv (written by trirl sweep slurm).\n");
        sb.Append("# A task skips a run whose summary.json exists, resumes from a checkpoint where its command supports --resume,\n");
        sb.Append("# and writes runs/<id>/exit_code.\n");
        sb.Append($"#SBATCH --job-name={settings.JobName}\n");
        sb.Append($"#SBATCH --array=0-{I(tasks - 1)}{(settings.MaxParallel > 0 ? "%" + I(settings.MaxParallel) : "")}\n");
        sb.Append("#SBATCH --requeue\n");
        sb.Append("#SBATCH --open-mode=append\n");
        sb.Append($"#SBATCH --output={logs}/%A_%a.out\n");
        if (settings.Partition.Length > 0) sb.Append($"#SBATCH --partition={settings.Partition}\n");
        if (settings.Time.Length > 0) sb.Append($"#SBATCH --time={settings.Time}\n");
        if (settings.CpusPerTask > 0) sb.Append($"#SBATCH --cpus-per-task={I(settings.CpusPerTask)}\n");
        if (settings.Memory.Length > 0) sb.Append($"#SBATCH --mem={settings.Memory}\n");
        sb.Append("set -euo pipefail\n");
        sb.Append("exec ").AppendJoin(' ', trirl.Select(Quote)).Append(" sweep run-one ").Append(Quote(sweepDir)).Append(" --index \"$SLURM_ARRAY_TASK_ID\"\n");
        return sb.ToString();
    }

    /// <summary>A token single-quoted for bash.</summary>
    public static string Quote(string token) => "'" + token.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
