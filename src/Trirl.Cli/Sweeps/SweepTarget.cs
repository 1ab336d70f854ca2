using System.CommandLine;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// A command a sweep can run: its parser (the command's own <see cref="Command"/>, so flags are parsed exactly as on
/// the command line), the command's own validation of a parsed run (which builds and discards the run without writing
/// anything), and, for a command with <c>--resume</c>, the arguments that continue an interrupted run.
/// </summary>
/// <param name="Name">The command name, e.g. tabular.</param>
/// <param name="Create">Creates the command with its flags.</param>
/// <param name="Validate">Validates a parsed run the way the command does before writing (throws TrirlInputException).</param>
/// <param name="ResumeArgs">
/// Given the run's folder and its planned arguments (without <c>--out</c>), the arguments that resume it from its
/// checkpoint, or an empty list when it has none (or the command cannot resume): then the run starts afresh.
/// </param>
/// <param name="Execute">Runs a parsed run in this process: the command's own binding (<c>ArgsOf</c>) and execution.</param>
public sealed record SweepTarget(
    string Name,
    Func<Command> Create,
    Action<ParseResult> Validate,
    Func<string, IReadOnlyList<string>, IReadOnlyList<string>> ResumeArgs,
    Action<ParseResult> Execute)
{
    /// <summary>
    /// Parses <paramref name="args"/> (the command's name first) with the command's own flags and runs it in this process,
    /// through the same binding and execution as the command line; the exit code as <see cref="Outcomes.Of"/> reports it.
    /// </summary>
    public int Run(IReadOnlyList<string> args)
    {
        var command = Create();
        var parse = new RootCommand { command }.Parse([.. args]);
        return Outcomes.Of(command, () =>
        {
            if (parse.Errors.Count > 0)
                throw new Trirl.Functional.TrirlInputException(Name, string.Join("; ", parse.Errors.Select(e => e.Message).Distinct()), $"see 'trirl {Name} --help'");
            Execute(parse);
        });
    }
}
