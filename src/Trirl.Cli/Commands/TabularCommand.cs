using System.CommandLine;
using Trirl.Cli.Output;
using Trirl.Cli.Runs;
using Trirl.Cli.Terminal;
using Trirl.Functional.Environments;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl tabular --env ENV --algo trirl|mce|adversarial [--beta B] [--eps E] [--delta D] [--iterations N] [--seed S]
/// --out DIR [--expert-beta B] [--demos N [--rollouts M]] [--demos-file PATH [--rollouts M]] [--horizon H] [--eta E] [--state-rewards] [--transfer-env ENV]</c>:
/// one run of the learner on a tabular environment, written to DIR.
/// </summary>
public static class TabularCommand
{
    /// <summary>The <c>tabular</c> command with its flags.</summary>
    public static Command Create()
    {
        var env = Flags.Text("--env", $"Environment: {TabularEnvs.Forms}.");
        var algo = Flags.Text("--algo", "Algorithm: trirl, mce or adversarial.");
        var beta = Flags.Real("--beta", "Weight of the matching term (inverse entropy coefficient), > 0.", TabularArgs.DefaultBeta);
        var eps = Flags.Real("--eps", "Step size of the reward update, in (0, 1] (adversarial uses 1).", TabularArgs.DefaultEps);
        var delta = Flags.Real("--delta", "Trust-region radius, > 0 (mce uses a full solve).", TabularArgs.DefaultDelta);
        var iterations = Flags.Whole("--iterations", "Iterations to run, >= 1.", TabularArgs.DefaultIterations);
        var seed = Flags.Seed("--seed", "Seed of the environment's random parts and of sampling.");
        var output = Flags.Text("--out", "Output folder (created if missing).");
        var expertBeta = Flags.OptionalReal("--expert-beta", "Inverse temperature of the expert SoftOptimal(b * r_true, 1) (default: --beta).");
        var demos = Flags.OptionalWhole("--demos", "Expert demonstrations: switches to the sample-based learner.");
        var rollouts = Flags.OptionalWhole("--rollouts", "Policy rollouts per iteration of the sample-based learner (default: --demos).");
        var transferEnv = Flags.OptionalText("--transfer-env", "Environment of the same shape to re-optimise the learned reward on.");
        var horizon = Flags.OptionalWhole("--horizon", "Finite horizon H (time-indexed policies; overrides a JSON file's \"horizon\").");
        var demosFile = Flags.OptionalText("--demos-file", "Recorded demonstrations: .json or .npz with integer obs, acts, dones (imitation's names).");
        var eta = Flags.OptionalReal("--eta", "A fixed trust-region multiplier eta >= 0 instead of the search for --delta (trirl, adversarial).");
        var stateRewards = Flags.Switch("--state-rewards", "Learn a state-only reward r(s) (D between state occupancies).");

        var command = new Command("tabular", "Run TRIRL, MCE-IRL or adversarial imitation on a tabular environment; write iterations.csv, summary.json, reward.json and report.html.")
        {
            env, algo, beta, eps, delta, iterations, seed, output, expertBeta, demos, rollouts, transferEnv, horizon, demosFile, eta, stateRewards,
        };
        command.SetAction(parse =>
        {
            Execute(ArgsOf(parse));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The flags of a parsed <c>tabular</c> command line (also read by the sweep's validation).</summary>
    public static TabularArgs ArgsOf(ParseResult p) =>
        new(p.GetRequiredValue<string>("--env"), p.GetRequiredValue<string>("--algo"), p.GetValue<double>("--beta"), p.GetValue<double>("--eps"),
            p.GetValue<double>("--delta"), p.GetValue<int>("--iterations"), p.GetValue<long>("--seed"), p.GetRequiredValue<string>("--out"),
            p.GetValue<double?>("--expert-beta"), p.GetValue<int?>("--demos"), p.GetValue<int?>("--rollouts"), p.GetValue<string?>("--transfer-env"),
            p.GetValue<int?>("--horizon"), p.GetValue<string?>("--demos-file"), p.GetValue<double?>("--eta"), p.GetValue<bool>("--state-rewards"));

    /// <summary>
    /// The whole run, shared by <c>tabular</c> and <c>demo</c>: validate everything, print the settings' warnings,
    /// learn with progress, write the folder, print where it went and the final numbers.
    /// </summary>
    public static TabularOutcome Execute(TabularArgs args)
    {
        var plan = TabularPlan.Create(args);
        foreach (var warning in plan.Settings.Warnings) Messages.Warning(warning);
        var outcome = Progress.Track($"{plan.AlgoName} {plan.Env.Spec}", args.Iterations, progress => TabularRun.Execute(plan, progress));
        RunFolder.Write(outcome);
        var last = outcome.Final;
        System.Console.Out.WriteLine($"wrote {plan.OutDir}");
        System.Console.Out.WriteLine(
            $"final gap {Progress.Gap(last.Gap)}, normalized return {Progress.Return(last.NormalizedReturn)}" +
            $" ({args.Iterations} iterations in {outcome.Seconds.ToString("0.##", CultureInfo.InvariantCulture)} s)");
        return outcome;
    }
}
