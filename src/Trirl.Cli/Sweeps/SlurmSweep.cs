using Trirl.Cli.Terminal;
using Trirl.Experiments;
using Trirl.FSharp;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// <c>trirl sweep slurm DIR</c>: writes <c>DIR/slurm/array.sbatch</c> (<see cref="SlurmScript"/>), submits it with
/// <c>sbatch --parsable</c>, prints the job id (also in <c>DIR/slurm/job_id</c>) and, with <c>--wait</c>, polls
/// <c>squeue</c> until no task of the job is listed, then reads every run's exit marker (<c>runs/&lt;id&gt;/exit_code</c>,
/// written by <c>run-one</c>; a task killed before writing it has none): exit code 1 naming the failed tasks. This
/// works without Slurm accounting (<c>sacct</c>). A missing <c>sbatch</c> (exit 2), a refused submission or a failed
/// task (exit 1) is one error line.
/// </summary>
public static class SlurmSweep
{
    /// <summary>Seconds between two <c>squeue</c> polls.</summary>
    public const double PollSeconds = 2;

    /// <summary>Submits (or with <paramref name="dryRun"/> prints) the job array; waits when asked.</summary>
    public static int Execute(string dir, SlurmSettings settings, bool dryRun, bool wait)
    {
        string full = SweepFolder.Existing(dir);
        var ids = SweepFolder.Ids(full);
        string script = SlurmScript.Render(settings, ids.Count, full, TrirlExecutable.Command());
        if (dryRun)
        {
            System.Console.Out.Write(script);
            return ExitCodes.Success;
        }
        string sbatch = TrirlExecutable.OnPath("sbatch")
            ?? throw new TrirlInputException("sbatch", "is not on PATH (this machine has no Slurm client)",
                "submit from a Slurm login node, or run the sweep here with trirl sweep run DIR --jobs N");
        string slurmDir = Path.Combine(full, SlurmScript.Folder);
        Directory.CreateDirectory(slurmDir);
        string scriptPath = Path.Combine(slurmDir, SlurmScript.FileName);
        AtomicFile.WriteAllText(scriptPath, script);
        // Markers of an earlier submission would read as this job's results; run-one rewrites them.
        foreach (var id in ids) SweepFolder.ClearExitCode(full, id);

        var submitted = ProcessOutput.Run(sbatch, "--parsable", scriptPath);
        if (submitted.ExitCode != 0)
        {
            Messages.Error($"sbatch refused the job (exit code {submitted.ExitCode}): {submitted.Message}");
            return ExitCodes.Failure;
        }
        string job = submitted.Stdout.Trim().Split(';')[0];
        AtomicFile.WriteAllText(Path.Combine(slurmDir, SweepFolder.JobIdFile), job + "\n");
        System.Console.Out.WriteLine(
            $"submitted slurm job {job}: {ids.Count} array tasks{(settings.MaxParallel > 0 ? $", at most {settings.MaxParallel} at a time" : "")}; logs in {slurmDir}");
        return wait ? Wait(full, job, ids) : ExitCodes.Success;
    }

    /// <summary>Polls squeue until job <paramref name="job"/> has no task listed, then checks every task's exit marker.</summary>
    public static int Wait(string dir, string job, IReadOnlyList<string> ids)
    {
        string squeue = TrirlExecutable.OnPath("squeue")
            ?? throw new TrirlInputException("squeue", "is not on PATH (this machine has no Slurm client)", "wait on a Slurm login node");
        string last = "";
        while (true)
        {
            var q = ProcessOutput.Run(squeue, "-h", "-r", "-j", job, "-o", "%i|%T");
            QueueCounts counts;
            if (q.ExitCode == 0) counts = QueueCounts.Parse(q.Stdout);
            else if (q.Stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) counts = new QueueCounts(0, 0, 0);
            else
            {
                Messages.Error($"squeue failed while waiting for slurm job {job} (exit code {q.ExitCode}): {q.Message}");
                return ExitCodes.Failure;
            }
            string line = $"slurm job {job}: {counts.Pending} pending, {counts.Running} running, {Math.Max(0, ids.Count - counts.Listed)} ended";
            if (line != last) System.Console.Out.WriteLine(line);
            last = line;
            if (counts.Listed == 0) break;
            Thread.Sleep(TimeSpan.FromSeconds(PollSeconds));
        }

        var failed = new List<string>();
        for (int i = 0; i < ids.Count; i++)
        {
            string reason = SweepFolder.ExitCode(dir, ids[i]) switch
            {
                null => "no exit marker: killed, timed out or cancelled",
                0 when !SweepFolder.IsDone(dir, ids[i]) => "exit code 0 but no summary.json",
                0 => "",
                int code => $"exit code {code}",
            };
            if (reason.Length > 0) failed.Add($"task {i} {ids[i]} ({reason}, log {job}_{i.ToString(CultureInfo.InvariantCulture)}.out)");
        }
        if (failed.Count == 0)
        {
            System.Console.Out.WriteLine($"slurm job {job}: all {ids.Count} tasks succeeded");
            return ExitCodes.Success;
        }
        Messages.Error($"slurm job {job}: {failed.Count} of {ids.Count} tasks failed: {string.Join(", ", failed.Take(5))}" +
            $"{(failed.Count > 5 ? $" and {failed.Count - 5} more" : "")}; logs in {Path.Combine(dir, SlurmScript.Folder)}");
        return ExitCodes.Failure;
    }
}
