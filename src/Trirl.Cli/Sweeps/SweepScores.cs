using System.Text.Json;
using Trirl.Cli.Output;
using Trirl.Experiments;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// The scores of a sweep's finished runs, in plan order: each run's env and algo come from its flags (the algo label
/// also names the other swept flags that vary within an env, except the seed, e.g. <c>trirl beta=3</c>, so different
/// settings are never pooled),
/// its scores from its <c>summary.json</c> (<see cref="ScoreMetric.All"/>, finite numbers only).
/// </summary>
/// <param name="Runs">The finished runs' scores.</param>
/// <param name="Notes">What was left out and why, e.g. runs without a summary.json yet.</param>
public sealed record SweepScores(IReadOnlyList<RunScore> Runs, IReadOnlyList<string> Notes)
{
    /// <summary>Reads the plan and the summaries of the sweep in <paramref name="dir"/> (absolute).</summary>
    public static SweepScores Load(string dir) => Load([dir]);

    /// <summary>
    /// Reads the plans and summaries of the sweeps in <paramref name="dirs"/> (absolute), their runs pooled in the order
    /// given. A <c>retrain</c> run counts for the reward it optimised: its env and algo are the reward's task and method
    /// (<c>reward_env</c>, <c>reward_method</c> of its summary), and only its retraining or transfer score is read, so a
    /// <c>train</c> sweep and the <c>retrain</c> sweep of its rewards aggregate into one table.
    /// </summary>
    public static SweepScores Load(IReadOnlyList<string> dirs)
    {
        var runs = new List<RunScore>();
        var missing = new List<string>();
        var noScore = new List<string>();
        foreach (var dir in dirs)
        {
            var ids = SweepFolder.Ids(dir);
            var grid = SweepFolder.GridNames(dir);
            var configs = ids.Select(id => SweepFolder.LoadRun(dir, id).Run).ToArray();
            // Swept flags besides env, algo and seed that take several values within one env (a flag linked to the env, such
            // as its transfer env, does not) name the setting in the algo label. A retrain run's reward folder names the
            // run it came from, not a setting.
            var settings = grid
                .Where(g => g is not ("env" or "algo" or "seed" or "reward"))
                .Where(g => configs.GroupBy(r => r.Flag("env")).Any(e => e.Select(r => r.Flag(g)).Distinct().Count() > 1))
                .ToArray();
            foreach (var run in configs)
            {
                string id = run.Id;
                string summary = Path.Combine(SweepFolder.RunDir(dir, id), OutputFiles.Summary);
                if (!File.Exists(summary)) { missing.Add(id); continue; }
                bool retrain = run.Command == "retrain";
                var scores = new Dictionary<string, double>(StringComparer.Ordinal);
                string env = run.Flag("env") ?? "-", algo = run.Flag("algo") ?? run.Command;
                using (var doc = JsonDocument.Parse(File.ReadAllText(summary)))
                {
                    var root = doc.RootElement;
                    foreach (var metric in ScoreMetric.All)
                        if (!(retrain && metric == ScoreMetric.Training)
                            && root.TryGetProperty(metric.Key, out var v) && v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble()))
                            scores[metric.Key] = v.GetDouble();
                    if (retrain)
                    {
                        if (root.TryGetProperty("reward_env", out var e) && e.ValueKind == JsonValueKind.String) env = e.GetString()!;
                        if (root.TryGetProperty("reward_method", out var m) && m.ValueKind == JsonValueKind.String) algo = m.GetString()!;
                    }
                }
                if (scores.Count == 0) noScore.Add(id);
                var extra = settings.Select(g => $"{g}={run.Flag(g)}");
                runs.Add(new RunScore(env, string.Join(' ', new[] { algo }.Concat(extra)), id, scores));
            }
        }
        int total = runs.Count + missing.Count;
        var notes = new List<string>();
        if (missing.Count > 0) notes.Add($"{missing.Count} of {total} runs have no summary.json yet (not run, running or failed): {List(missing)}");
        if (noScore.Count > 0) notes.Add($"{noScore.Count} runs have no finite score: {List(noScore)}");
        return new SweepScores(runs.Where(r => r.Scores.Count > 0).ToArray(), notes);
    }

    private static string List(IReadOnlyList<string> ids) => string.Join(", ", ids.Take(10)) + (ids.Count > 10 ? $" and {ids.Count - 10} more" : "");
}
