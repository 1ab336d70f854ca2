using System.Text.RegularExpressions;
using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// The sbatch options of a sweep's job array. An empty text or 0 means "the cluster's default" (the option is not
/// written). Values are checked against Slurm's syntax here, so a typo fails before anything is submitted.
/// </summary>
public sealed partial record SlurmSettings
{
    /// <summary>Checks and creates the settings.</summary>
    /// <param name="jobName">Job name (letters, digits, '.', '_', '-').</param>
    /// <param name="partition">Partition (or comma-separated partitions), or empty.</param>
    /// <param name="time">Time limit per task: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED, or empty.</param>
    /// <param name="cpusPerTask">CPUs per task, or 0.</param>
    /// <param name="memory">Memory per node, e.g. 4G or 500M, or empty.</param>
    /// <param name="maxParallel">At most this many tasks at once (<c>%K</c> of <c>--array</c>), or 0 for no limit.</param>
    public SlurmSettings(string jobName, string partition = "", string time = "", int cpusPerTask = 0, string memory = "", int maxParallel = 0)
    {
        ArgumentNullException.ThrowIfNull(jobName);
        if (!NamePattern().IsMatch(jobName))
            throw new TrirlInputException("job_name", $"'{jobName}' is not a job name", "use letters, digits, '.', '_' and '-'");
        if (partition.Length > 0 && !PartitionPattern().IsMatch(partition))
            throw new TrirlInputException("partition", $"'{partition}' is not a partition name", "pass a partition as sinfo lists it, e.g. gpu");
        if (time.Length > 0 && !TimePattern().IsMatch(time))
            throw new TrirlInputException("time", $"'{time}' is not a Slurm time limit", "write minutes, HH:MM:SS or D-HH:MM:SS, e.g. 02:00:00");
        if (cpusPerTask < 0)
            throw new TrirlInputException("cpus_per_task", $"must be >= 1, got {cpusPerTask}", "pass a positive CPU count, e.g. 4");
        if (memory.Length > 0 && !MemoryPattern().IsMatch(memory))
            throw new TrirlInputException("mem", $"'{memory}' is not a Slurm memory size", "write a size such as 4G or 500M");
        if (maxParallel < 0)
            throw new TrirlInputException("max_parallel", $"must be >= 1, got {maxParallel}", "pass how many tasks may run at once, e.g. 8");
        (JobName, Partition, Time, CpusPerTask, Memory, MaxParallel) = (jobName, partition, time, cpusPerTask, memory, maxParallel);
    }

    /// <summary>Job name.</summary>
    public string JobName { get; }

    /// <summary>Partition, or empty for the default.</summary>
    public string Partition { get; }

    /// <summary>Time limit per task, or empty for the partition's.</summary>
    public string Time { get; }

    /// <summary>CPUs per task, or 0 for the default.</summary>
    public int CpusPerTask { get; }

    /// <summary>Memory per node, or empty for the default.</summary>
    public string Memory { get; }

    /// <summary>Most tasks at once, or 0 for no limit.</summary>
    public int MaxParallel { get; }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$")]
    private static partial Regex PartitionPattern();

    [GeneratedRegex(@"^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+(:\d{1,2}(:\d{1,2})?)?|UNLIMITED|INFINITE)$", RegexOptions.IgnoreCase)]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^\d+[KMGT]?$", RegexOptions.IgnoreCase)]
    private static partial Regex MemoryPattern();
}
