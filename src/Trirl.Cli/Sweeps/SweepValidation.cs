using System.CommandLine;
using System.Text.RegularExpressions;
using Trirl.Experiments;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// Checks a spec against its command before anything is written: every flag name must be one of the command's flags,
/// and every run's flags must parse (System.CommandLine with the command's own options) and pass the command's own
/// validation (<see cref="SweepTarget.Validate"/>, e.g. <c>TabularPlan.Create</c>) with its real output folder.
/// Errors name the run and the flag: <c>spec run 3 (cliff_trirl_s0_1a2b3c4d) --eps: must be in (0, 1] ...</c>.
/// </summary>
public static partial class SweepValidation
{
    /// <summary>Checks the flag names of <paramref name="spec"/> against <paramref name="target"/>'s options.</summary>
    public static void CheckFlagNames(SweepSpec spec, SweepTarget target)
    {
        var options = target.Create().Options;
        var names = options.Select(o => o.Name.TrimStart('-')).Where(n => !SweepSpec.ReservedFlags.Contains(n) && n is not ("help" or "h" or "?")).ToArray();
        Option Check(string name, string field) =>
            options.FirstOrDefault(o => o.Name == "--" + name || o.Aliases.Contains("--" + name))
            ?? throw new TrirlInputException(field, $"'{name}' is not a flag of trirl {target.Name}", $"use one of {string.Join(", ", names)}");
        foreach (var axis in spec.Grid)
            foreach (var flag in axis.FlagNames)
                Check(flag, axis.Linked ? $"spec.grid.{axis.Name}[0].{flag}" : $"spec.grid.{axis.Name}");
        foreach (var flag in spec.Fixed) Check(flag.Name, $"spec.fixed.{flag.Name}");
        foreach (var repeated in spec.Fixed.GroupBy(f => f.Name).Where(g => g.Count() > 1))
            if (!Check(repeated.Key, $"spec.fixed.{repeated.Key}").ValueType.IsArray)
                throw new TrirlInputException($"spec.fixed.{repeated.Key}", $"is a list of {repeated.Count()} values but trirl {target.Name} takes {repeated.Key} once",
                    "give one value; a list is only for a flag given several times, such as set");
    }

    /// <summary>
    /// Parses and validates <paramref name="run"/> with output folder <paramref name="runDir"/>; returns its config (the
    /// command's arguments without <c>--out</c>).
    /// </summary>
    public static RunConfig Validate(SweepRun run, SweepTarget target, string runDir)
    {
        var command = target.Create();
        var args = new List<string> { command.Name };
        foreach (var flag in run.Flags)
        {
            var option = command.Options.First(o => o.Name == flag.Option || o.Aliases.Contains(flag.Option));
            if (option.ValueType == typeof(bool))
            {
                // A switch: true writes the flag alone, false leaves it out.
                if (flag.Value == "true") args.Add(option.Name);
                else if (flag.Value != "false") throw Wrap(run, new TrirlInputException(option.Name, $"is a switch but got '{flag.Value}'", "give true or false"));
            }
            else args.AddRange([option.Name, flag.Value]);
        }
        var parse = new RootCommand { command }.Parse([.. args, "--out", runDir]);
        if (parse.Errors.Count > 0)
            throw Wrap(run, Split(parse.Errors[0].Message));
        try { target.Validate(parse); }
        catch (TrirlInputException ex) { throw Wrap(run, Terminal.FieldFlags.ForCommand(ex, command)); }
        return new RunConfig(run, args);
    }

    private static TrirlInputException Wrap(SweepRun run, TrirlInputException inner) =>
        new($"spec run {run.Index} ({run.Id}) {inner.Field}", inner.Problem, inner.Fix);

    /// <summary>A parse error as field, problem and fix: the CLI's own errors read <c>--flag: problem. Fix: fix</c>.</summary>
    private static TrirlInputException Split(string message)
    {
        var required = RequiredPattern().Match(message);
        if (required.Success)
            return new TrirlInputException(required.Groups["flag"].Value, "is required", $"set {required.Groups["flag"].Value.TrimStart('-')} in the spec's grid or fixed flags");
        var m = ErrorPattern().Match(message);
        return m.Success
            ? new TrirlInputException(m.Groups["field"].Value, m.Groups["problem"].Value, m.Groups["fix"].Value)
            : new TrirlInputException("flags", message.TrimEnd('.'), "correct the run's flags in the spec");
    }

    [GeneratedRegex(@"^(?<field>[^:]+): (?<problem>.*)\. Fix: (?<fix>.*)$", RegexOptions.Singleline)]
    private static partial Regex ErrorPattern();

    [GeneratedRegex(@"^Option '(?<flag>--[a-z0-9-]+)' is required\.?$")]
    private static partial Regex RequiredPattern();
}
