using System.CommandLine;

namespace Trirl.Cli.Commands;

/// <summary>
/// The subcommands of <c>trirl bench</c> (<c>tabular</c>, <c>deep</c>, <c>buffer</c>, <c>trirl</c>, <c>mujoco</c>) take
/// <c>--out FILE</c> (the JSON of the results, <c>runs/bench-NAME.json</c> by default) after their own flags, the torch
/// ones <c>--device</c> before it: one place declares them, checks the output path and builds the subcommand, so the
/// five stay alike.
/// </summary>
public static class BenchSubcommand
{
    /// <summary>
    /// The subcommand <paramref name="name"/> with <paramref name="flags"/>, then <c>--out</c> (<c>runs/bench-NAME.json</c>
    /// by default); its action is <paramref name="execute"/> of the parse and the absolute path of the output file, which
    /// is checked first (<see cref="Flags.OutputFile"/>).
    /// </summary>
    public static Command Create(string name, string description, IReadOnlyList<Option> flags, Func<ParseResult, string, int> execute)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(execute);
        string file = $"bench-{name}.json";
        var output = Flags.JsonOut($"runs/{file}");
        var command = new Command(name, description);
        foreach (var flag in flags) command.Options.Add(flag);
        command.Options.Add(output);
        command.SetAction(parse => execute(parse, Flags.OutputFile(parse.GetRequiredValue(output), file)));
        return command;
    }

    /// <summary>
    /// A torch benchmark: the subcommand <paramref name="name"/> with <paramref name="flags"/>, then <c>--device</c> and
    /// <c>--out</c>, as above; its action is <paramref name="execute"/> of the parse, the device name and the output file.
    /// </summary>
    public static Command Create(string name, string description, IReadOnlyList<Option> flags, Func<ParseResult, string, string, int> execute)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(execute);
        var device = Flags.Device();
        return Create(name, description, [.. flags, device], (parse, output) => execute(parse, parse.GetRequiredValue(device), output));
    }
}
