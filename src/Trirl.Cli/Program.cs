using System.CommandLine;
using Trirl.Cli.Commands;
using Trirl.Cli.Terminal;

namespace Trirl.Cli;

/// <summary>
/// The <c>trirl</c> command line: <c>tabular</c>, <c>demo</c>, <c>bench tabular|deep|buffer</c>, <c>rl</c>, <c>rollout</c>,
/// <c>expert</c>, <c>train</c>, <c>retrain</c> and <c>sweep</c>. Exit codes are
/// <see cref="ExitCodes"/>: 0 on success, 2 on bad input (one <c>error:</c> line, nothing written), 1 on an
/// unexpected failure (one line with the exception type). <see cref="Run"/> is callable in-process by tests.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args) => Run(args);

    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("trirl: Trust Region Inverse Reinforcement Learning on tabular MDPs and continuous control.")
        {
            TabularCommand.Create(),
            DemoCommand.Create(),
            BenchCommand.Create(),
            RlCommand.Create(),
            RolloutCommand.Create(),
            ExpertCommand.Create(),
            TrainCommand.Create(),
            RetrainCommand.Create(),
            SweepCommand.Create(),
        };
        var parse = root.Parse(args);
        // A native build refuses what it cannot run before the flags are checked and before anything is read or written
        // (the command's help still shows).
        if (parse.Action is not System.CommandLine.Help.HelpAction
            && NativeBuild.Refusal(CommandPath(parse.CommandResult.Command), NativeBuild.IsCurrent) is { } refusal)
        {
            Messages.Error(refusal);
            return ExitCodes.BadInput;
        }
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            Messages.Error($"{string.Join("; ", parse.Errors.Select(e => e.Message).Distinct())} (see '{CommandPath(parse.CommandResult.Command)} --help')");
            return ExitCodes.BadInput;
        }
        int code = ExitCodes.Success;
        int outcome = Outcomes.Of(parse.CommandResult.Command, () => code = parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
        return outcome == ExitCodes.Success ? code : outcome;
    }

    /// <summary>The words that invoke <paramref name="command"/>, e.g. <c>trirl bench tabular</c>.</summary>
    private static string CommandPath(Command command)
    {
        var words = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            words.Insert(0, c is RootCommand ? "trirl" : c.Name);
        return string.Join(' ', words);
    }
}
