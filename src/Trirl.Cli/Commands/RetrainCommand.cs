using System.CommandLine;
using Trirl.Cli.Output;
using Trirl.Cli.Runs;
using Trirl.Cli.Terminal;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl retrain --reward DIR --env ENV --algo sac|ppo --steps N --seed S --out DIR2</c> (also <c>--resume</c>,
/// <c>--preset</c>, <c>--device</c>, <c>--threads</c>, <c>--anchors</c>, <c>--eval-episodes</c>, <c>--checkpoint-every</c>,
/// <c>--eval-every</c>, <c>--set</c>):
/// optimises the reward a train run learned (DIR, DIR/reward or reward.ckpt) from a fresh policy, on its own task
/// (retraining) or a dynamics-shifted twin of it (transfer), and scores it with the true reward. Writes what <c>trirl rl</c>
/// writes; <c>summary.json</c> adds the reward's origin and <c>retrain_normalized_return</c> or
/// <c>transfer_normalized_return</c>.
/// </summary>
public static class RetrainCommand
{
    /// <summary>The <c>retrain</c> command with its flags.</summary>
    public static Command Create() =>
        RunOptions.Create("retrain", "Optimise a learned reward from a fresh policy (SAC or PPO) on its task or the shifted twin; score it with the true reward.",
            new RunFlagHelp(
                Env: "Task: the reward's own (retraining) or a shifted twin of it (transfer: -shifted, halfcheetah-wind, halfcheetah-mars, ant-disabled)",
                Algo: "RL algorithm: sac or ppo.",
                Steps: "Total environment steps.",
                Resume: "Folder of an earlier retrain run to continue up to --steps.",
                Preset: "RL settings preset: default, paper, tiny, locomotion (PPO for the MuJoCo tasks) or halfcheetah (locomotion with the zoo's HalfCheetah PPO)."),
            ArgsOf, Execute,
            Flags.OptionalText("--reward", "The learned reward: the folder of a trirl train run, its reward/ folder, or reward.ckpt."),
            RunOptions.EvalEvery(), RunOptions.Set());

    /// <summary>The flags of a parsed <c>retrain</c> command line as <see cref="RetrainArgs"/> (the command and the sweep bind through here).</summary>
    public static RetrainArgs ArgsOf(ParseResult p) =>
        new(RunOptions.ArgsOf(p), p.GetValue<string?>("--reward"), p.GetValue<int?>("--eval-every"), p.GetValue<string[]?>("--set"));

    /// <summary>Validates, trains with progress, writes the folder and prints the final numbers.</summary>
    public static void Execute(RetrainArgs args)
    {
        using var plan = RetrainPlan.Create(args);
        var run = plan.Run;
        var reward = run.OptimisedReward!;
        bool transfer = reward.Env != run.Settings.Env;
        if (!RunLines.Resuming(run))
        {
            plan.KeepRewardSource();
            System.Console.Out.WriteLine($"{(transfer ? "transfer" : "retraining")}: {run.Settings.Algo} on {run.Settings.Env} optimising the {reward}");
        }
        RunLoop.Run(plan.Dir, run, plan.Steps, args.Shared.CheckpointEvery, RlFolder.WriteProgress,
            (dir, r) => WriteFinal(dir, r, args.Shared.Device, plan.RewardPath));
        RunLines.Finished(plan.Dir, run, transfer ? "transfer " : "retrain ", " under the true reward");
    }

    /// <summary>Every file of <see cref="RlFolder"/>, with a <c>summary.json</c> that also names the reward and the kind of score.</summary>
    public static void WriteFinal(string dir, RlRun run, string device, string rewardPath)
    {
        RlFolder.WriteFinal(dir, run, device);
        var reward = run.OptimisedReward!;
        bool transfer = reward.Env != run.Settings.Env;
        AtomicFile.WriteAllText(Path.Combine(dir, OutputFiles.Summary), RlFolder.ExtendedSummary(run, device, root =>
        {
            root["command"] = "retrain";
            root["reward"] = rewardPath;
            root["reward_env"] = reward.Env;
            root["reward_method"] = reward.Method;
            root["reward_model"] = reward.Model;
            root["transfer"] = transfer;
            root[transfer ? "transfer_normalized_return" : "retrain_normalized_return"] = root["normalized_return"]?.DeepClone();
        }));
    }
}
