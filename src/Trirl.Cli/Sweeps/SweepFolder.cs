using Trirl.Cli.Output;
using Trirl.Experiments;
using Trirl.FSharp;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// The folder of a planned sweep: <c>spec.json</c> (the spec as given), <c>plan.csv</c>, <c>runs/&lt;id&gt;/</c> (each
/// run's <c>config.json</c>, its outputs, and <c>exit_code</c>, written by <c>trirl sweep run-one</c> when the run
/// ends), <c>logs/&lt;id&gt;.log</c> (output of local runs) and <c>slurm/</c> (the array script, the job id, the task logs).
/// Every file is written atomically.
/// </summary>
public static class SweepFolder
{
    /// <summary>The spec as given.</summary>
    public const string SpecFile = "spec.json";

    /// <summary>The plan: index, id, command and the grid's values.</summary>
    public const string PlanFile = "plan.csv";

    /// <summary>The folder of the runs' folders.</summary>
    public const string RunsFolder = "runs";

    /// <summary>The folder of the local runs' logs.</summary>
    public const string LogsFolder = "logs";

    /// <summary>A run's config.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>A run's exit marker: the exit code of its command, written when it ends.</summary>
    public const string ExitCodeFile = "exit_code";

    /// <summary>The file of the submitted Slurm job id.</summary>
    public const string JobIdFile = "job_id";

    /// <summary>The folder of run <paramref name="id"/>.</summary>
    public static string RunDir(string dir, string id) => Path.Combine(dir, RunsFolder, id);

    /// <summary>The log file of a local run.</summary>
    public static string LogFile(string dir, string id) => Path.Combine(dir, LogsFolder, id + ".log");

    /// <summary>Whether the run has finished (its <c>summary.json</c> exists).</summary>
    public static bool IsDone(string dir, string id) => File.Exists(Path.Combine(RunDir(dir, id), OutputFiles.Summary));

    /// <summary>The absolute sweep folder of the argument DIR; it must hold a plan.</summary>
    public static string Existing(string dir)
    {
        if (string.IsNullOrWhiteSpace(dir)) throw new TrirlInputException("DIR", "is empty", "pass the folder of a planned sweep");
        string full = Path.GetFullPath(dir);
        if (!File.Exists(Path.Combine(full, PlanFile)))
            throw new TrirlInputException("DIR", $"'{dir}' holds no {PlanFile}", "plan the sweep first: trirl sweep plan --spec FILE --out DIR");
        return full;
    }

    /// <summary>The run ids of the plan in <paramref name="dir"/>, index 0..n-1.</summary>
    public static IReadOnlyList<string> Ids(string dir)
    {
        string path = Path.Combine(dir, PlanFile);
        return PlanTable.Ids(File.ReadAllText(path), path);
    }

    /// <summary>The grid's flag names of the plan in <paramref name="dir"/>.</summary>
    public static IReadOnlyList<string> GridNames(string dir)
    {
        string path = Path.Combine(dir, PlanFile);
        return PlanTable.GridNames(File.ReadAllText(path), path);
    }

    /// <summary>The config of run <paramref name="id"/>.</summary>
    public static RunConfig LoadRun(string dir, string id)
    {
        string path = Path.Combine(RunDir(dir, id), ConfigFile);
        if (!File.Exists(path)) throw new TrirlInputException(path, "is missing", "plan the sweep again with trirl sweep plan");
        var config = RunConfig.Parse(File.ReadAllText(path), path);
        if (config.Run.Id != id) throw new TrirlInputException(path, $"is the config of run {config.Run.Id}, not {id}", "plan the sweep again");
        return config;
    }

    /// <summary>
    /// Writes a validated plan: each run's <c>config.json</c>, then <c>spec.json</c> and <c>plan.csv</c> (last, so a folder
    /// with a plan.csv has every config). Returns false, writing nothing, when the folder already holds exactly this plan;
    /// a folder with another plan, or with other files, is refused.
    /// </summary>
    public static bool Write(string dir, string specText, SweepPlan plan, IReadOnlyList<RunConfig> configs)
    {
        string planText = plan.ToCsv();
        string planPath = Path.Combine(dir, PlanFile);
        if (File.Exists(planPath))
        {
            if (File.ReadAllText(planPath) == planText && configs.All(c => File.Exists(Path.Combine(RunDir(dir, c.Run.Id), ConfigFile)))) return false;
            throw new TrirlInputException("--out", $"'{dir}' already holds another plan", "plan into a new folder, or delete the old one");
        }
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            throw new TrirlInputException("--out", $"'{dir}' is not empty and holds no plan", "plan into a new or empty folder");
        foreach (var config in configs)
        {
            string runDir = RunDir(dir, config.Run.Id);
            Directory.CreateDirectory(runDir);
            AtomicFile.WriteAllText(Path.Combine(runDir, ConfigFile), config.Serialize());
        }
        AtomicFile.WriteAllText(Path.Combine(dir, SpecFile), specText.EndsWith('\n') ? specText : specText + "\n");
        AtomicFile.WriteAllText(planPath, planText);
        return true;
    }

    /// <summary>The exit code a run's marker holds, or null when the run has not ended (or its marker is unreadable).</summary>
    public static int? ExitCode(string dir, string id)
    {
        string path = Path.Combine(RunDir(dir, id), ExitCodeFile);
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int code) ? code : null;
    }

    /// <summary>Writes a run's exit marker.</summary>
    public static void WriteExitCode(string dir, string id, int code)
    {
        string runDir = RunDir(dir, id);
        Directory.CreateDirectory(runDir);
        AtomicFile.WriteAllText(Path.Combine(runDir, ExitCodeFile), code.ToString(CultureInfo.InvariantCulture) + "\n");
    }

    /// <summary>Removes a run's exit marker (before the run starts again).</summary>
    public static void ClearExitCode(string dir, string id) => File.Delete(Path.Combine(RunDir(dir, id), ExitCodeFile));
}
