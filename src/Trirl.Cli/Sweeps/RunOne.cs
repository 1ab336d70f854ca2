namespace Trirl.Cli.Sweeps;

/// <summary>
/// <c>trirl sweep run-one DIR --index I</c>: runs one planned run in this process. A run whose <c>summary.json</c> exists
/// is skipped; an interrupted run resumes from its checkpoint where its command supports <c>--resume</c>, else starts
/// again; the run's exit code is written to <c>runs/&lt;id&gt;/exit_code</c> when it ends (the marker Slurm waiting reads).
/// While it runs the folder holds <see cref="RunLock"/>, so the same run started a second time fails instead of
/// writing the same files from two processes.
/// </summary>
public static class RunOne
{
    /// <summary>Runs run <paramref name="index"/> of the sweep in <paramref name="dir"/>; returns its exit code.</summary>
    public static int Execute(string dir, int index)
    {
        string full = SweepFolder.Existing(dir);
        var ids = SweepFolder.Ids(full);
        if (index < 0 || index >= ids.Count)
            throw new TrirlInputException("--index", $"is {index} but the plan has runs 0..{ids.Count - 1}", $"pass an index from 0 to {ids.Count - 1}");
        string id = ids[index];
        var config = SweepFolder.LoadRun(full, id);
        string runDir = SweepFolder.RunDir(full, id);
        if (SweepFolder.IsDone(full, id))
        {
            System.Console.Out.WriteLine($"run {index} {id}: done already (summary.json exists), skipped");
            SweepFolder.WriteExitCode(full, id, ExitCodes.Success);
            return ExitCodes.Success;
        }
        using var runLock = RunLock.Acquire(runDir, id);
        SweepFolder.ClearExitCode(full, id);
        var target = SweepTargets.Find(config.Run.Command);
        var resume = target.ResumeArgs(runDir, config.Args);
        string[] args = resume.Count > 0 ? [.. resume] : [.. config.Args, "--out", runDir];
        System.Console.Out.WriteLine($"run {index} {id}: trirl {string.Join(' ', args)}");
        int code = target.Run(args);
        SweepFolder.WriteExitCode(full, id, code);
        return code;
    }
}
