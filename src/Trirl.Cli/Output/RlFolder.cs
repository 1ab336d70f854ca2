using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plotly.NET;
using Trirl.FSharp;

namespace Trirl.Cli.Output;

/// <summary>
/// The output folder of <c>trirl rl</c> (and <c>trirl expert</c>): <c>metrics.csv</c> (deterministic: the same seed
/// gives the same bytes, and a resumed run continues them exactly), <c>timings.csv</c> (wall-clock seconds per phase),
/// <c>summary.json</c>, <c>report.html</c>, <c>policy.ckpt</c> (the policy alone), <c>checkpoints/checkpoint.ckpt</c>
/// (everything needed to resume) and <c>tensorboard/</c> (event files). Each file is written atomically.
/// </summary>
public static class RlFolder
{
    /// <summary>Per-row metrics.</summary>
    public const string MetricsFile = "metrics.csv";

    /// <summary>Per-row wall-clock times.</summary>
    public const string TimingsFile = "timings.csv";

    /// <summary>The resumable checkpoint, relative to the folder.</summary>
    public static readonly string CheckpointPath = Path.Combine("checkpoints", "checkpoint.ckpt");

    /// <summary>TensorBoard event folder.</summary>
    public const string TensorBoardDir = "tensorboard";

    /// <summary>The CSV text of rows with the given columns: header, then one line per row, doubles in round-trip precision.</summary>
    public static string Csv(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<double>> rows)
    {
        var sb = new StringBuilder().Append(string.Join(',', columns)).Append('\n');
        foreach (var row in rows)
        {
            for (int i = 0; i < row.Count; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(CsvWriter.Number(row[i]));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes the checkpoint, the policy and both CSV files (after each checkpoint interval and at the end).</summary>
    public static void WriteProgress(string dir, RlRun run)
    {
        run.Checkpoint().Save(Path.Combine(dir, CheckpointPath));
        run.ExportPolicy().Save(Path.Combine(dir, PolicyFile.FileName));
        AtomicFile.WriteAllText(Path.Combine(dir, MetricsFile), Csv(run.MetricsColumns, run.Rows.Select(r => (IReadOnlyList<double>)r.Values)));
        AtomicFile.WriteAllText(Path.Combine(dir, TimingsFile), Csv(run.TimingColumns, run.Timings.Select(t => (IReadOnlyList<double>)t.Values)));
    }

    /// <summary>Writes everything: progress files, <c>summary.json</c> and <c>report.html</c>.</summary>
    public static void WriteFinal(string dir, RlRun run, string device)
    {
        WriteProgress(dir, run);
        AtomicFile.WriteAllText(Path.Combine(dir, OutputFiles.Summary), Summary(run, device));
        AtomicFile.WriteAllText(Path.Combine(dir, OutputFiles.Report), Report(dir, run, device, DateTime.UtcNow));
    }

    /// <summary>
    /// <c>summary.json</c>: <c>normalized_return</c> (mean over the last row's seeded evaluation episodes, normalised),
    /// <c>eval_return</c>, <c>seconds</c>, <c>env_steps_per_second</c>, <c>algo</c>, <c>env</c>, <c>seed</c>, the device,
    /// the machine (<see cref="Machine"/>), where the run was resumed, the anchors and the full settings.
    /// </summary>
    public static string Summary(RlRun run, string device)
    {
        var s = run.Settings;
        var last = run.Rows.Count > 0 ? run.Rows[^1] : null;
        return JsonText.Object(w =>
        {
            w.WriteString("algo", s.Algo);
            w.WriteString("env", s.Env);
            w.WriteNumber("seed", s.Seed);
            w.WriteString("preset", s.PresetName);
            w.WriteString("device", device);
            w.WriteNumber("threads", s.Threads);
            Machine.Write(w);
            w.WriteNumber("env_steps", run.EnvSteps);
            w.WriteNumberOrNull("normalized_return", last?["normalized_return"] ?? double.NaN);
            w.WriteNumberOrNull("eval_return", last?["eval_return"] ?? double.NaN);
            w.WriteNumberOrNull("eval_return_std", last?["eval_return_std"] ?? double.NaN);
            w.WriteNumber("eval_episodes", s.EvalEpisodes);
            w.WriteNumberOrNull("seconds", run.Seconds);
            w.WriteNumberOrNull("env_steps_per_second", run.Seconds > 0 ? run.EnvSteps / run.Seconds : double.NaN);
            w.WriteNumber("resumed_from", run.ResumedFrom);
            w.WriteNumber("rows", run.Rows.Count);
            w.WritePropertyName("anchors");
            s.Anchors.WriteTo(w);
            w.WritePropertyName("settings");
            s.WriteTo(w);
        }) + "\n";
    }

    /// <summary>
    /// The <c>summary.json</c> of a command that adds to <see cref="Summary"/> (<c>train</c>, <c>retrain</c>): its
    /// fields, then those <paramref name="add"/> sets on the object (replacing a field of the same name).
    /// </summary>
    public static string ExtendedSummary(RlRun run, string device, Action<JsonObject> add)
    {
        ArgumentNullException.ThrowIfNull(add);
        var root = JsonNode.Parse(Summary(run, device))!.AsObject();
        add(root);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// <c>report.html</c> of <c>trirl rl</c> and <c>trirl retrain</c> (and <c>trirl expert</c>'s run), written at
    /// <paramref name="written"/> (UTC): the header (<see cref="Facts"/>; the settings and final numbers folded under it),
    /// then a chart per column of metrics.csv (the normalised return first) and of timings.csv against env steps.
    /// </summary>
    public static string Report(string dir, RlRun run, string device, DateTime written)
    {
        ArgumentNullException.ThrowIfNull(run);
        string learner = (run.OptimisedReward is { } reward ? $"reward     {reward}\n" : "") + $"learner    {SettingsJson.Serialize(run.Settings.Learner)}\n";
        string command = run.OptimisedReward is null ? "rl" : "retrain";
        return ReportPage(dir, run, device, command, Facts(run, command, written), learner, "");
    }

    /// <summary>
    /// The <c>report.html</c> of a run of <paramref name="command"/>: the header <paramref name="facts"/>, then the
    /// settings and final numbers folded under it (the run, <paramref name="learner"/>'s lines, the steps, the last row's
    /// returns followed by <paramref name="finalExtra"/>, the anchors), then a chart per column of metrics.csv (the
    /// normalised return first) and of timings.csv against env steps, both read from <paramref name="dir"/>.
    /// </summary>
    public static string ReportPage(string dir, RlRun run, string device, string command, IEnumerable<ReportFact> facts, string learner, string finalExtra)
    {
        ArgumentNullException.ThrowIfNull(run);
        var s = run.Settings;
        var last = run.Rows.Count > 0 ? run.Rows[^1] : null;
        string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
        var pre = new StringBuilder();
        pre.Append($"run        {s.Algo} on {s.Env}, seed {s.Seed}, preset {s.PresetName}, device {device}, {s.Threads} torch threads\n");
        pre.Append(learner);
        pre.Append($"steps      {run.EnvSteps} env steps in {G(run.Seconds)} s ({G(run.Seconds > 0 ? run.EnvSteps / run.Seconds : double.NaN)} steps/s)");
        if (run.ResumedFrom > 0) pre.Append($", resumed at {run.ResumedFrom}");
        pre.Append('\n');
        if (last is not null)
            pre.Append($"final      normalized return {G(last["normalized_return"])}, eval return {G(last["eval_return"])} +/- {G(last["eval_return_std"])} over {s.EvalEpisodes} seeded episodes{finalExtra}\n");
        pre.Append($"anchors    random {G(s.Anchors.RandomReturn)}, expert {G(s.Anchors.ExpertReturn)} ({s.Anchors.Source})\n");
        var metrics = MetricsTableModule.load(Path.Combine(dir, MetricsFile));
        var timings = MetricsTableModule.load(Path.Combine(dir, TimingsFile));
        // One card per column (the normalised return first: it is metrics.csv's first column after env_steps).
        var charts = Charts.learningCurveCharts("env_steps", metrics).Concat(Charts.learningCurveCharts("env_steps", timings));
        return Charts.toReportPage($"trirl {command}: {s.Algo} on {s.Env}", facts, pre.ToString(), charts);
    }

    /// <summary>
    /// The header of an RL or imitation run's report: the command, environment, algorithm, seed, env steps, the last row's
    /// normalised and evaluation returns, the wall time and when written; <paramref name="extra"/> (the imitation
    /// learner's final eta, say) after the returns.
    /// </summary>
    public static IEnumerable<ReportFact> Facts(RlRun run, string command, DateTime written, params IEnumerable<ReportFact> extra)
    {
        var s = run.Settings;
        var last = run.Rows.Count > 0 ? run.Rows[^1] : null;
        yield return ReportFacts.Command(command);
        yield return ReportFacts.Fact("environment", s.Env);
        yield return ReportFacts.Fact("algorithm", $"{s.Algo} (preset {s.PresetName})");
        yield return ReportFacts.Fact("seed", s.Seed.ToString(CultureInfo.InvariantCulture));
        yield return ReportFacts.Fact("env steps", run.ResumedFrom > 0
            ? $"{run.EnvSteps} (resumed at {run.ResumedFrom})"
            : run.EnvSteps.ToString(CultureInfo.InvariantCulture));
        if (last is not null)
        {
            yield return ReportFacts.Fact("normalized return", ReportFacts.Number(last["normalized_return"]));
            yield return ReportFacts.Fact("eval return", $"{ReportFacts.Number(last["eval_return"])} +/- {ReportFacts.Number(last["eval_return_std"])}");
        }
        foreach (var fact in extra) yield return fact;
        yield return ReportFacts.WallTime(run.Seconds);
        yield return ReportFacts.Written(written);
    }
}
