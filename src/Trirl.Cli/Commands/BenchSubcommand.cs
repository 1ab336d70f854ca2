using System.CommandLine;

namespace Trirl.Cli.Commands;

/// <summary>
/// The torch benchmarks of <c>trirl bench</c> (<c>deep</c>, <c>buffer</c>, <c>trirl</c>) take the same two flags after
/// their own, <c>--device</c> and <c>--out FILE</c> (the JSON of the results): one place declares them and builds the
/// subcommand, so the three stay alike.
/// </summary>
public static class BenchSubcommand
{
    /// <summary>
    /// The subcommand <paramref name="name"/> with <paramref name="flags"/>, then <c>--device</c> and <c>--out</c>
    /// (<paramref name="defaultOut"/> by default); its action is <paramref name="execute"/> of the parse, the device
    /// name and the output file.
    /// </summary>
    public static Command Create(string name, string description, string defaultOut, IReadOnlyList<Option> flags,
        Func<ParseResult, string, string, int> execute)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(execute);
        var device = Flags.Device();
        var output = Flags.JsonOut(defaultOut);
        var command = new Command(name, description);
        foreach (var flag in flags) command.Options.Add(flag);
        command.Options.Add(device);
        command.Options.Add(output);
        command.SetAction(parse => execute(parse, parse.GetRequiredValue(device), parse.GetRequiredValue(output)));
        return command;
    }
}
