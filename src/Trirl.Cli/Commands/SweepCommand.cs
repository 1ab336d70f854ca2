using System.CommandLine;
using Trirl.Cli.Sweeps;
using Trirl.Experiments;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl sweep plan|run|run-one|slurm|aggregate</c>: a grid of runs as one command, locally or as a Slurm job array,
/// and its robust aggregate statistics (IQM, stratified-bootstrap intervals, probability of improvement, performance
/// profiles).
/// </summary>
public static class SweepCommand
{
    /// <summary>The <c>sweep</c> command with its subcommands.</summary>
    public static Command Create() =>
        new("sweep", "Plan a grid of runs, run it locally or on Slurm, and aggregate the results.")
        {
            Plan(), Run(), RunOne(), Slurm(), Aggregate(),
        };

    private static Argument<string> Dir() => new("DIR") { Description = "Folder of a planned sweep (from trirl sweep plan)." };

    private static Command Plan()
    {
        var spec = Flags.Text("--spec", "Sweep spec (JSON): {\"command\": ..., \"grid\": {flag: [values]}, \"fixed\": {flag: value}}.");
        var output = Flags.Text("--out", "Folder for the sweep: plan.csv and runs/<id>/config.json (created if missing).");
        var command = new Command("plan", "Expand a sweep spec into one folder per run, validating every run first.") { spec, output };
        command.SetAction(parse =>
        {
            SweepPlanning.Execute(parse.GetRequiredValue(spec), parse.GetRequiredValue(output));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Run()
    {
        var dir = Dir();
        var jobs = Flags.Whole("--jobs", "Runs at a time (child processes of this trirl), >= 1.", 1);
        var command = new Command("run", "Run a planned sweep on this machine, skipping finished runs.") { dir, jobs };
        command.SetAction(parse => LocalSweep.Execute(parse.GetRequiredValue(dir), parse.GetValue(jobs)));
        return command;
    }

    private static Command RunOne()
    {
        var dir = Dir();
        var index = Flags.OptionalWhole("--index", "Index of the run in plan.csv (0-based; a Slurm array task id).");
        index.Required = true;
        var command = new Command("run-one", "Run one run of a planned sweep in this process (skip it when done, resume it where supported).") { dir, index };
        command.SetAction(parse => Sweeps.RunOne.Execute(parse.GetRequiredValue(dir), parse.GetValue(index) ?? 0));
        return command;
    }

    private static Command Slurm()
    {
        var dir = Dir();
        var partition = Flags.Text("--partition", "Slurm partition (default: the cluster's).", "");
        var time = Flags.Text("--time", "Time limit per task, e.g. 02:00:00 (default: the partition's).", "");
        var cpus = Flags.OptionalWhole("--cpus-per-task", "CPUs per task, >= 1 (default: the cluster's).");
        var mem = Flags.Text("--mem", "Memory per task, e.g. 4G (default: the cluster's).", "");
        var maxParallel = Flags.OptionalWhole("--max-parallel", "At most this many tasks at once, >= 1 (--array=0-(n-1)%K; default: no limit).");
        var dryRun = Flags.Switch("--dry-run", "Print the sbatch script and submit nothing.");
        var wait = Flags.Switch("--wait", "Wait until every task has ended; exit 1 naming the failed ones.");
        var command = new Command("slurm", "Submit a planned sweep as a Slurm job array (one task per run).")
        {
            dir, partition, time, cpus, mem, maxParallel, dryRun, wait,
        };
        command.SetAction(parse =>
        {
            string folder = parse.GetRequiredValue(dir);
            int? c = parse.GetValue(cpus), k = parse.GetValue(maxParallel);
            Check.PositiveInt(c, "--cpus-per-task", "pass a positive CPU count, e.g. --cpus-per-task 4");
            Check.PositiveInt(k, "--max-parallel", "pass how many tasks may run at once, e.g. --max-parallel 8");
            var settings = new SlurmSettings(JobName(folder), parse.GetRequiredValue(partition), parse.GetRequiredValue(time),
                c ?? 0, parse.GetRequiredValue(mem), k ?? 0);
            return SlurmSweep.Execute(folder, settings, parse.GetValue(dryRun), parse.GetValue(wait));
        });
        return command;
    }

    private static Command Aggregate()
    {
        var dir = new Argument<string[]>("DIR")
        {
            Description = "Folders of planned sweeps, or score tables (.csv, e.g. a report's scores.csv), pooled in order (e.g. a train sweep and the retrain sweep of its rewards).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = Flags.Text("--out", "Report folder: aggregate.csv, scores.csv, aggregate.md, report.html (created if missing).");
        var seed = Flags.Seed("--seed", "Seed of the bootstrap.");
        var resamples = Flags.Whole("--resamples", $"Bootstrap resamples, >= {BootstrapSettings.DefaultResamples}.", BootstrapSettings.DefaultResamples);
        var tasks = Flags.OptionalText("--tasks", "Only these tasks, comma-separated (e.g. hopper,walker2d,halfcheetah), so that every method pools over the same tasks; default: every task.");
        var command = new Command("aggregate", "Aggregate a sweep's results: per task and per algorithm IQM with stratified-bootstrap CIs, probability of improvement, performance profiles.")
        {
            dir, output, seed, resamples, tasks,
        };
        command.SetAction(parse =>
        {
            int b = parse.GetValue(resamples);
            if (b < BootstrapSettings.DefaultResamples)
                throw new TrirlInputException("--resamples", $"must be >= {BootstrapSettings.DefaultResamples}, got {b}", $"use {BootstrapSettings.DefaultResamples} or more resamples");
            return SweepAggregation.Execute(parse.GetRequiredValue(dir), parse.GetRequiredValue(output), new BootstrapSettings(b, BootstrapSettings.DefaultConfidence, parse.GetValue(seed)),
                TaskList(parse.GetValue(tasks)));
        });
        return command;
    }

    // "--tasks a,b" as a list; absent means every task. An empty entry ("a,,b", a trailing comma) or a name given twice
    // is a typo, not a task.
    private static IReadOnlyList<string> TaskList(string? tasks)
    {
        if (tasks is null) return [];
        var names = tasks.Split(',').Select(t => t.Trim()).ToArray();
        if (names.Any(t => t.Length == 0))
            throw new TrirlInputException("--tasks", $"has an empty name in '{tasks}'", "separate task names by single commas, e.g. --tasks hopper,walker2d");
        var twice = names.GroupBy(t => t).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new TrirlInputException("--tasks", $"names '{twice.Key}' twice in '{tasks}'", "name each task once");
        return names;
    }

    /// <summary><c>trirl-&lt;folder name&gt;</c> with characters Slurm job names should not hold replaced by '-'.</summary>
    private static string JobName(string dir)
    {
        string name = Path.GetFileName(Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar));
        var clean = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray());
        return ("trirl-" + clean)[..Math.Min(64, 6 + clean.Length)];
    }
}
