using Trirl.Cli.Runs;
using Trirl.FSharp;

namespace Trirl.Cli.Output;

/// <summary>
/// The output folder of a run: <c>iterations.csv</c>, <c>summary.json</c>, <c>reward.json</c> and <c>report.html</c>.
/// Every file is rendered in memory first, then each is written atomically (temp file + rename), so a failed run
/// writes nothing and a reader never sees half a file.
/// </summary>
public static class RunFolder
{
    /// <summary>File name of the per-iteration CSV.</summary>
    public const string IterationsFile = "iterations.csv";

    /// <summary>File name of the learned reward.</summary>
    public const string RewardFile = "reward.json";

    /// <summary>Renders and writes every file of <paramref name="outcome"/> into its plan's folder (created if missing).</summary>
    public static void Write(TabularOutcome outcome)
    {
        var plan = outcome.Plan;
        var reward = new LearnedReward(plan.Env.Mdp.Name, plan.AlgoName, plan.Settings.Beta, outcome.Final.Iteration, outcome.Final.Reward);
        var files = new (string Name, string Content)[]
        {
            (IterationsFile, CsvWriter.Iterations(outcome.Trace)),
            (OutputFiles.Summary, SummaryJson.Serialize(outcome)),
            (RewardFile, RewardJson.Serialize(reward)),
            (OutputFiles.Report, Report.Html(outcome, DateTime.UtcNow)),
        };
        Directory.CreateDirectory(plan.OutDir);
        foreach (var (name, content) in files) AtomicFile.WriteAllText(Path.Combine(plan.OutDir, name), content);
    }
}
