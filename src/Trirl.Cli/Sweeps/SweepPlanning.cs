using Trirl.Experiments;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// <c>trirl sweep plan --spec FILE --out DIR</c>: parses the spec, checks its flag names against the command, expands
/// the grid, validates every run with the command's own validation, and only then writes the folder
/// (<see cref="SweepFolder.Write"/>). Planning the same spec into the same folder again changes nothing.
/// </summary>
public static class SweepPlanning
{
    /// <summary>Plans the sweep; returns the plan.</summary>
    public static SweepPlan Execute(string specFile, string outDir)
    {
        if (string.IsNullOrWhiteSpace(specFile)) throw new TrirlInputException("--spec", "is empty", "pass the sweep spec, a JSON file");
        if (!File.Exists(specFile)) throw new TrirlInputException("--spec", $"'{specFile}' does not exist", "pass the path of a sweep spec (JSON)");
        string dir = Commands.Flags.OutputFolder(outDir, "pass a folder for the sweep, e.g. runs/sweep");

        string text = File.ReadAllText(specFile);
        var spec = SweepSpec.Parse(text);
        var target = SweepTargets.Find(spec.Command);
        SweepValidation.CheckFlagNames(spec, target);
        var plan = SweepPlan.Expand(spec);
        var configs = plan.Runs.Select(run => SweepValidation.Validate(run, target, SweepFolder.RunDir(dir, run.Id))).ToArray();
        bool written = SweepFolder.Write(dir, text, plan, configs);
        System.Console.Out.WriteLine(written
            ? $"planned {plan.Runs.Count} runs of trirl {plan.Command} into {dir} ({SweepFolder.PlanFile}, {SweepFolder.RunsFolder}/<id>/{SweepFolder.ConfigFile})"
            : $"{dir} already holds this plan ({plan.Runs.Count} runs of trirl {plan.Command}): nothing to do");
        return plan;
    }
}
