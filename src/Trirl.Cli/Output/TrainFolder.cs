using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;
using Trirl.FSharp;

namespace Trirl.Cli.Output;

/// <summary>
/// The output folder of <c>trirl train</c>: everything <see cref="RlFolder"/> writes (<c>metrics.csv</c>, deterministic and
/// byte-identical across resumes; <c>timings.csv</c> with the imitation phases' seconds; <c>policy.ckpt</c>;
/// <c>checkpoints/checkpoint.ckpt</c>; <c>tensorboard/</c>), the learned reward in <c>reward/</c>
/// (<c>reward.ckpt</c> and <c>reward.json</c>, <see cref="NeuralReward"/>; behaviour cloning learns none), and a
/// <c>summary.json</c> and <c>report.html</c> of their own.
/// </summary>
public static class TrainFolder
{
    /// <summary>The learned reward's folder, relative to the run's.</summary>
    public const string RewardDir = "reward";

    /// <summary>The folder of the reward snapshots (<c>--reward-every</c>), relative to the run's: <c>rewards/STEPS/</c>.</summary>
    public const string SnapshotsDir = "rewards";

    /// <summary>
    /// After a metrics row: when the row crossed a multiple of <paramref name="every"/> env steps (from
    /// <paramref name="before"/> to the run's steps), writes the reward as it is now to <c>rewards/STEPS/</c>, STEPS the
    /// run's env steps (the first row at or past the multiple).
    /// </summary>
    public static void WriteRewardSnapshot(string dir, RlRun run, long before, long every)
    {
        if (run.EnvSteps / every == before / every) return;
        using var reward = run.ExportReward();
        reward.Save(Path.Combine(dir, SnapshotsDir, run.EnvSteps.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Writes the checkpoint, the policy, both CSV files and the learned reward.</summary>
    public static void WriteProgress(string dir, RlRun run)
    {
        RlFolder.WriteProgress(dir, run);
        if (run.Settings.Learner is ImitationSettings { Method: not ImitationMethod.Bc } && run.Rows.Count > 0)
            using (var reward = run.ExportReward()) reward.Save(Path.Combine(dir, RewardDir));
    }

    /// <summary>Writes everything: progress files, <c>summary.json</c> and <c>report.html</c>.</summary>
    public static void WriteFinal(string dir, RlRun run, string device)
    {
        WriteProgress(dir, run);
        AtomicFile.WriteAllText(Path.Combine(dir, RlFolder.SummaryFile), Summary(run, device));
        AtomicFile.WriteAllText(Path.Combine(dir, RlFolder.ReportFile), Report(dir, run, device, DateTime.UtcNow));
    }

    /// <summary>
    /// <c>summary.json</c>: the fields of <see cref="RlFolder.Summary"/> (<c>normalized_return</c> = the mean over the last
    /// row's seeded evaluation episodes, normalised; <c>seconds</c>, <c>env_steps_per_second</c>, <c>algo</c>, <c>env</c>,
    /// <c>seed</c>, anchors, settings), then the imitation settings in brief, the demonstrations' source, the final
    /// eta and eps_tr, and the reward folder.
    /// </summary>
    public static string Summary(RlRun run, string device)
    {
        var s = (ImitationSettings)run.Settings.Learner;
        var last = run.Rows.Count > 0 ? run.Rows[^1] : null;
        return RlFolder.ExtendedSummary(run, device, root =>
        {
            root["command"] = "train";
            root["demos"] = s.DemosSource;
            root["features"] = FeatureModes.Name(s.Features);
            root["eps"] = s.Eps;
            root["buffer_size"] = s.BufferSize;
            root["eta_schedule"] = EtaSchedule.Name(s.EtaSchedule.Kind);
            root["reward_model"] = RewardModels.Name(s.RewardModel);
            root["final_eta"] = Finite(last?["eta"]);
            root["final_eps_tr"] = Finite(last?["eps_tr"]);
            root["reward"] = s.Method == ImitationMethod.Bc ? null : RewardDir;
        });
    }

    private static JsonNode? Finite(double? x) => x is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>
    /// <c>report.html</c>, written at <paramref name="written"/> (UTC): the header (<see cref="RlFolder.Facts"/> with the
    /// final eta; the settings and final numbers folded under it), then a chart per column of metrics.csv (the normalised
    /// return first) and of timings.csv (the phases) against env steps.
    /// </summary>
    public static string Report(string dir, RlRun run, string device, DateTime written)
    {
        var r = run.Settings;
        var s = (ImitationSettings)r.Learner;
        var last = run.Rows.Count > 0 ? run.Rows[^1] : null;
        string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
        var pre = new StringBuilder();
        pre.Append($"run        {r.Algo} on {r.Env}, seed {r.Seed}, preset {r.PresetName}, device {device}, {r.Threads} torch threads\n");
        pre.Append($"imitation  eps {G(s.Eps)}, K = {s.BufferSize}, eta {EtaSchedule.Name(s.EtaSchedule.Kind)} from {G(s.EtaSchedule.Initial)}, reward model {RewardModels.Name(s.RewardModel)}, " +
                   $"features {FeatureModes.Name(s.Features)}, alpha {G(s.Alpha)}\n");
        pre.Append($"           discriminator {s.Discriminator.Description}, policy {s.Ppo.Policy.Description}, {s.Ppo.Copies} copies x {s.Ppo.RolloutSteps} steps\n");
        pre.Append($"demos      {s.DemosSource}\n");
        pre.Append($"steps      {run.EnvSteps} env steps in {G(run.Seconds)} s ({G(run.Seconds > 0 ? run.EnvSteps / run.Seconds : double.NaN)} steps/s)");
        if (run.ResumedFrom > 0) pre.Append($", resumed at {run.ResumedFrom}");
        pre.Append('\n');
        if (last is not null)
            pre.Append($"final      normalized return {G(last["normalized_return"])}, eval return {G(last["eval_return"])} +/- {G(last["eval_return_std"])} over {r.EvalEpisodes} seeded episodes, " +
                       $"eta {G(last["eta"])}, eps_tr {G(last["eps_tr"])}\n");
        pre.Append($"anchors    random {G(r.Anchors.RandomReturn)}, expert {G(r.Anchors.ExpertReturn)} ({r.Anchors.Source})\n");
        var metrics = MetricsTableModule.load(Path.Combine(dir, RlFolder.MetricsFile));
        var timings = MetricsTableModule.load(Path.Combine(dir, RlFolder.TimingsFile));
        // One card per column (the normalised return first: it is metrics.csv's first column after env_steps).
        var charts = Charts.learningCurveCharts("env_steps", metrics).Concat(Charts.learningCurveCharts("env_steps", timings));
        ReportFact[] eta = last is null ? [] : [ReportFacts.Fact("final eta", ReportFacts.Number(last["eta"]))];
        return Charts.toReportPage($"trirl train: {r.Algo} on {r.Env}", RlFolder.Facts(run, "train", written, eta), pre.ToString(), charts);
    }
}
