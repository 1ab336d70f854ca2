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
public sealed record SweepTarget(
    string Name,
    Func<Command> Create,
    Action<ParseResult> Validate,
    Func<string, IReadOnlyList<string>, IReadOnlyList<string>> ResumeArgs);
