using System.CommandLine;
using System.Globalization;
using Trirl.Cli.Output;
using Trirl.Cli.Runs;
using Trirl.Cli.Terminal;
using Trirl.Deep;
using Trirl.Environments;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl train --env pendulum|mountaincar|pointmaze --algo trirl|gail|airl|bc --steps N --seed S --out DIR [--resume DIR]
/// [--preset paper] [--obs-only] [--eta-schedule anneal|constant|adaptive] [--reward-model buffer|compressed|recursive]
/// [--demos FILE.npz] [--device cpu]</c> (also <c>--threads</c>, <c>--anchors</c>, <c>--eval-episodes</c>,
/// <c>--checkpoint-every</c>): imitation from expert demonstrations (math note, section 9), written to DIR
/// (<see cref="TrainFolder"/>). Demonstrations default to the task's shipped expert data.
/// </summary>
public static class TrainCommand
{
    /// <summary>The <c>train</c> command with its flags.</summary>
    public static Command Create()
    {
        var env = Flags.OptionalText("--env", $"Environment: {string.Join(", ", ContinuousEnvs.Names)}.");
        var algo = Flags.OptionalText("--algo", "Algorithm: trirl, gail, airl or bc.");
        var steps = Flags.OptionalLong("--steps", "Total environment steps (rounded up to whole PPO iterations).");
        steps.Required = true;
        var seed = Flags.OptionalSeed("--seed", "Run seed (default 0).");
        var output = Flags.OptionalText("--out", "Output folder (created if missing).");
        var resume = Flags.OptionalText("--resume", "Folder of an earlier train run to continue, with its own settings, up to --steps.");
        var preset = Flags.OptionalText("--preset", "Settings preset: default (fast on a CPU), paper (the reference's settings and networks) or tiny (tests).");
        var obsOnly = Flags.Switch("--obs-only", "Discriminators on (s, s') instead of (s, a): imitation from observations.");
        var etaSchedule = Flags.OptionalText("--eta-schedule", "trirl's KL weight: anneal (the preset's start to 0), constant, or adaptive (dual ascent to a target KL).");
        var rewardModel = Flags.OptionalText("--reward-model", "trirl's reward: buffer (the last K discriminators, exact; default), compressed or recursive (one reward network).");
        var demos = Flags.OptionalText("--demos", "Expert transitions (.npz: obs, acts, next_obs, rews, dones); default: the task's shipped demonstrations.");
        var device = Flags.Text("--device", "Device: cpu or cuda.", "cpu");
        var threads = Flags.OptionalWhole("--threads", "Torch intra-op threads (default 1; results are reproducible for a fixed count).");
        var anchors = Flags.OptionalText("--anchors", "anchors.json (from trirl expert) replacing the default normalisation anchors.");
        var evalEpisodes = Flags.OptionalWhole("--eval-episodes", $"Seeded evaluation episodes per metrics row (default {RlRunSettings.DefaultEvalEpisodes}).");
        var checkpointEvery = Flags.Whole("--checkpoint-every", "Metrics rows between checkpoints (the run also checkpoints at its end).", RlArgs.DefaultCheckpointEvery);
        var command = new Command("train", "Learn a reward and a policy from expert demonstrations (TRIRL, GAIL, AIRL or BC); write metrics.csv, timings.csv, summary.json, report.html, reward/, policy.ckpt, checkpoints/ and tensorboard/.")
        {
            env, algo, steps, seed, output, resume, preset, obsOnly, etaSchedule, rewardModel, demos, device, threads, anchors, evalEpisodes, checkpointEvery,
        };
        command.SetAction(parse =>
        {
            Execute(new TrainArgs(parse.GetValue(env), parse.GetValue(algo), parse.GetValue(steps), parse.GetValue(seed), parse.GetValue(output),
                parse.GetValue(resume), parse.GetValue(preset), parse.GetValue(obsOnly), parse.GetValue(etaSchedule), parse.GetValue(rewardModel),
                parse.GetValue(demos), parse.GetRequiredValue(device), parse.GetValue(threads), parse.GetValue(anchors), parse.GetValue(evalEpisodes),
                parse.GetValue(checkpointEvery)));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Validates, trains with progress, writes the folder and prints the final numbers.</summary>
    public static void Execute(TrainArgs args)
    {
        using var plan = TrainPlan.Create(args);
        var run = plan.Run;
        var s = plan.Settings;
        if (run.ResumedFrom > 0) System.Console.Out.WriteLine($"resuming {run.Settings.Algo} on {run.Settings.Env} at {run.ResumedFrom} env steps");
        else System.Console.Out.WriteLine($"{run.Settings.Algo} on {run.Settings.Env}: demonstrations {s.DemosSource}, preset {run.Settings.Preset}, " +
                                          $"reward model {RewardModels.Name(s.RewardModel)}, eta {EtaSchedule.Name(s.EtaSchedule.Kind)}");
        if (double.IsNaN(run.Settings.Anchors.ExpertReturn))
            Messages.Warning($"{run.Settings.Env} has no expert return: normalized_return is NaN (pass --anchors with the anchors.json of trirl expert)");
        RunLoop.Run(plan.Dir, run, plan.Steps, args.CheckpointEvery, TrainFolder.WriteProgress, (dir, r) => TrainFolder.WriteFinal(dir, r, args.Device));
        System.Console.Out.WriteLine($"wrote {plan.Dir}");
        if (run.Rows.Count > 0)
        {
            var last = run.Rows[^1];
            System.Console.Out.WriteLine(
                $"normalized return {last["normalized_return"].ToString("0.####", CultureInfo.InvariantCulture)}" +
                $" (eval return {last["eval_return"].ToString("0.##", CultureInfo.InvariantCulture)} over {run.Settings.EvalEpisodes} episodes)" +
                $" after {run.EnvSteps} env steps, {run.Seconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
        }
    }
}
