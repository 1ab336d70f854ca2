using System.Text.Json.Nodes;
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

    /// <summary>The file in <c>rewards/</c> that keeps the snapshot interval, so that a resumed run goes on taking snapshots.</summary>
    public const string SnapshotIntervalFile = "every.json";

    /// <summary>
    /// The train run folder that <paramref name="rewardPath"/> names a reward of, with whether it is a snapshot:
    /// <c>RUN/reward</c> (the final reward) or <c>RUN/rewards/STEPS</c>; null for any other path. Only the path is read,
    /// so it answers for rewards that are not written yet.
    /// </summary>
    public static (string Run, bool IsSnapshot)? RunOfReward(string rewardPath)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rewardPath));
        string parent = Path.GetDirectoryName(full) ?? "";
        if (Path.GetFileName(full) == RewardDir) return (parent, false);
        if (Path.GetFileName(parent) == SnapshotsDir && long.TryParse(Path.GetFileName(full), out _))
            return (Path.GetDirectoryName(parent) ?? "", true);
        return null;
    }

    /// <summary>Keeps the snapshot interval <paramref name="every"/> in <c>rewards/every.json</c> (<c>{"every": N}</c>).</summary>
    public static void WriteSnapshotInterval(string dir, long every)
    {
        Directory.CreateDirectory(Path.Combine(dir, SnapshotsDir));
        AtomicFile.WriteAllText(Path.Combine(dir, SnapshotsDir, SnapshotIntervalFile), new JsonObject { ["every"] = every }.ToJsonString() + "\n");
    }

    /// <summary>
    /// The snapshot interval a run was started with (<c>rewards/every.json</c>), or null when it took no snapshots; a
    /// file that is not <c>{"every": N}</c> with N >= 1 is refused, naming the file.
    /// </summary>
    public static long? SnapshotInterval(string dir)
    {
        string path = Path.Combine(dir, SnapshotsDir, SnapshotIntervalFile);
        if (!File.Exists(path)) return null;
        long? every = null;
        try { every = JsonNode.Parse(File.ReadAllText(path))?["every"]?.GetValue<long>(); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException) { }
        return every is >= 1 ? every
            : throw new TrirlInputException("--resume", $"'{path}' is not {{\"every\": N}} with N >= 1", "delete it and pass --reward-every N");
    }

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
        AtomicFile.WriteAllText(Path.Combine(dir, OutputFiles.Summary), Summary(run, device));
        AtomicFile.WriteAllText(Path.Combine(dir, OutputFiles.Report), Report(dir, run, device, DateTime.UtcNow));
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
            root["eta_schedule"] = EnumNames.Name(s.EtaSchedule.Kind);
            root["reward_model"] = EnumNames.Name(s.RewardModel);
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
        ArgumentNullException.ThrowIfNull(run);
        var s = (ImitationSettings)run.Settings.Learner;
        var last = run.Rows.Count > 0 ? run.Rows[^1] : null;
        string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
        string imitation =
            $"imitation  eps {G(s.Eps)}, K = {s.BufferSize}, eta {EnumNames.Name(s.EtaSchedule.Kind)} from {G(s.EtaSchedule.Initial)}, reward model {EnumNames.Name(s.RewardModel)}, " +
            $"features {FeatureModes.Name(s.Features)}, alpha {G(s.Alpha)}\n" +
            $"           discriminator {s.Discriminator.Description}, policy {s.Ppo.Policy.Description}, {s.Ppo.Copies} copies x {s.Ppo.RolloutSteps} steps\n" +
            $"demos      {s.DemosSource}\n";
        string finalEta = last is null ? "" : $", eta {G(last["eta"])}, eps_tr {G(last["eps_tr"])}";
        ReportFact[] eta = last is null ? [] : [ReportFacts.Fact("final eta", ReportFacts.Number(last["eta"]))];
        return RlFolder.ReportPage(dir, run, device, "train", RlFolder.Facts(run, "train", written, eta), imitation, finalEta);
    }
}
