using System.CommandLine;
using Trirl.Cli.Runs;
using Trirl.Cli.Terminal;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl rl --env ENV --algo ppo|sac --steps N [--seed S] --out DIR [--preset default|paper|tiny] [--device cpu]
/// [--threads T] [--anchors FILE] [--eval-episodes E] [--checkpoint-every K] [--noise white|pink|red]</c>, or <c>trirl rl --resume DIR --steps N</c>:
/// RL on the true reward of a continuous task, written to DIR (see <see cref="Output.RlFolder"/>).
/// </summary>
public static class RlCommand
{
    /// <summary>The <c>rl</c> command with its flags.</summary>
    public static Command Create() =>
        RunOptions.Create("rl", "Train PPO or SAC on a continuous task; write metrics.csv, timings.csv, summary.json, report.html, policy.ckpt, checkpoints/ and tensorboard/.",
            new RunFlagHelp(
                Env: "Environment",
                Algo: "Algorithm: ppo or sac.",
                Steps: "Total environment steps (rounded up to whole metrics rows: a PPO iteration, SAC's log interval).",
                Resume: "Folder of an earlier run to continue, with its own settings, up to --steps.",
                Preset: "Settings preset: default (fast on a CPU), paper (the paper's networks and the reference defaults), tiny (tests), locomotion (PPO for the MuJoCo tasks) or halfcheetah (locomotion with the zoo's HalfCheetah PPO, the halfcheetah experts' settings)."),
            ArgsOf, Execute, RunOptions.EvalEvery(), NoiseFlag(), RunOptions.Set());

    /// <summary>The flags of a parsed <c>rl</c> command line as <see cref="RlArgs"/> (the command and the sweep validator bind through here).</summary>
    public static RlArgs ArgsOf(ParseResult p) =>
        new(RunOptions.ArgsOf(p), p.GetValue<string?>("--noise"), p.GetValue<int?>("--eval-every"), p.GetValue<string[]?>("--set"));

    /// <summary>The <c>--noise</c> flag of <c>rl</c> and <c>expert</c> (SAC's exploration-noise colour).</summary>
    public static Option<string?> NoiseFlag() =>
        Flags.OptionalText("--noise", "SAC exploration noise: white (default: i.i.d., plain SAC), pink or red (temporally correlated, one sequence per episode; Eberhard et al. 2023), or a spectrum exponent in [0, 4].");

    /// <summary>Validates, trains with progress, writes the folder and prints the final numbers.</summary>
    public static void Execute(RlArgs args)
    {
        using var plan = RlPlan.Create(args);
        Execute(plan);
    }

    /// <summary>Trains a validated plan and prints where the outputs went and the final numbers.</summary>
    public static void Execute(RlPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var run = plan.Run;
        RunLines.Resuming(run);
        if (double.IsNaN(run.Settings.Anchors.ExpertReturn))
            Messages.Warning($"{run.Settings.Env} has no published expert return: normalized_return is NaN (pass --anchors with the anchors.json of trirl expert)");
        RlTraining.Run(plan);
        RunLines.Finished(plan.Dir, run);
    }
}
