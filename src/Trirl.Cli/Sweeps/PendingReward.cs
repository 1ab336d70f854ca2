using Trirl.Cli.Output;
using Trirl.Experiments;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// The final reward of a train run that a sweep has planned and not finished, <c>SWEEP/runs/&lt;id&gt;/reward</c> with
/// the run's <c>config.json</c> and no <c>summary.json</c>, or a snapshot of it not written yet (<c>rewards/STEPS</c>):
/// a retrain sweep may be planned on it before it exists, so that retraining queues behind training. The retrain checks
/// the reward itself when it starts (and refuses it, naming the train run, while that run has not finished).
/// </summary>
public static class PendingReward
{
    /// <summary>
    /// The task of the planned train run whose final reward or snapshot <paramref name="rewardPath"/> will be, or an
    /// empty list when the path is not such a reward (the run has finished, the snapshot exists, or no sweep plans it).
    /// </summary>
    public static IReadOnlyList<string> TaskOf(string rewardPath)
    {
        if (TrainFolder.RunOfReward(rewardPath) is not { } site || site.IsSnapshot && Directory.Exists(rewardPath)) return [];
        string run = site.Run;
        string runs = Path.GetDirectoryName(run) ?? "";
        string sweep = Path.GetDirectoryName(runs) ?? "";
        string config = Path.Combine(run, SweepFolder.ConfigFile);
        if (Path.GetFileName(runs) != SweepFolder.RunsFolder || !File.Exists(Path.Combine(sweep, SweepFolder.PlanFile))
            || !File.Exists(config) || File.Exists(Path.Combine(run, OutputFiles.Summary)))
            return [];
        var planned = RunConfig.Parse(File.ReadAllText(config), config).Run;
        var env = planned.Flags.Where(f => f.Name == "env").Select(f => f.Value).ToArray();
        if (planned.Command != "train" || env.Length != 1)
            throw new TrirlInputException("--reward", $"'{rewardPath}' belongs to run {planned.Id}, planned as trirl {planned.Command} without one --env",
                "pass the reward folder of a trirl train run");
        return env;
    }
}
