using System.CommandLine;
using Trirl.Cli.Output;
using Trirl.Cli.Runs;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl demo [--out DIR]</c>: TRIRL on a 5 x 5 slippery gridworld (slip 0.1, beta 3, eps 0.05, delta 0.01,
/// 120 iterations, seed 0; <c>eps * beta = 0.15</c> is in the monotone regime), written like <c>tabular</c>.
/// </summary>
public static class DemoCommand
{
    /// <summary>Default output folder, relative to the working directory.</summary>
    public const string DefaultOut = "runs/demo";

    /// <summary>The demo's settings, writing to <paramref name="outDir"/>.</summary>
    public static TabularArgs Settings(string outDir) =>
        new("gridworld:5:0.1", "trirl", Beta: 3, Eps: 0.05, Delta: 0.01, Iterations: 120, Seed: 0, Out: outDir);

    /// <summary>The <c>demo</c> command.</summary>
    public static Command Create()
    {
        var output = Flags.Text("--out", "Output folder.", DefaultOut);
        var command = new Command("demo", "Run TRIRL on a small gridworld and print the path of its report.html.") { output };
        command.SetAction(parse =>
        {
            var outcome = TabularCommand.Execute(Settings(parse.GetRequiredValue(output)));
            System.Console.Out.WriteLine($"report: {Path.Combine(outcome.Plan.OutDir, OutputFiles.Report)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
