using System.CommandLine;

namespace Trirl.Cli.Commands;

/// <summary>
/// The subcommands of <c>trirl bench</c> (<c>tabular</c>, <c>deep</c>, <c>buffer</c>, <c>trirl</c>, <c>mujoco</c>) take
/// <c>--out FILE</c> (the JSON of the results) after their own flags, the torch ones <c>--device</c> before it: one place
/// declares them and builds the subcommand, so the five stay alike.
/// </summary>
public static class BenchSubcommand
{
    /// <summary>
    /// The subcommand <paramref name="name"/> with <paramref name="flags"/>, then <c>--out</c>
    /// (<paramref name="defaultOut"/> by default); its action is <paramref name="execute"/> of the parse and the output file.
    /// </summary>
    public static Command Create(string name, string description, string defaultOut, IReadOnlyList<Option> flags,
        Func<ParseResult, string, int> execute)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(execute);
        var output = Flags.JsonOut(defaultOut);
        var command = new Command(name, description);
        foreach (var flag in flags) command.Options.Add(flag);
        command.Options.Add(output);
        command.SetAction(parse => execute(parse, parse.GetRequiredValue(output)));
        return command;
    }

    /// <summary>
    /// A torch benchmark: the subcommand <paramref name="name"/> with <paramref name="flags"/>, then <c>--device</c> and
    /// <c>--out</c> (<paramref name="defaultOut"/> by default); its action is <paramref name="execute"/> of the parse, the
    /// device name and the output file.
    /// </summary>
    public static Command Create(string name, string description, string defaultOut, IReadOnlyList<Option> flags,
        Func<ParseResult, string, string, int> execute)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(execute);
        var device = Flags.Device();
        return Create(name, description, defaultOut, [.. flags, device], (parse, output) => execute(parse, parse.GetRequiredValue(device), output));
    }
}
