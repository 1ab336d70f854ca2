using System.Text;
using System.Text.Json;

namespace Trirl.Deep;

/// <summary>
/// The JSON header of a run checkpoint (kind <c>run</c>): what the run is (algorithm, task, seed, settings, columns) and
/// how far it got, readable without the payload. <see cref="RlRun.Checkpoint"/> writes it; <see cref="RlRun.Resume"/>
/// and the CLI's checks read it.
/// </summary>
internal static class RunCheckpointHeader
{
    /// <summary>The header of a run at <paramref name="envSteps"/> with <paramref name="rows"/> metrics rows.</summary>
    public static string Write(RlRunSettings settings, long envSteps, int rows, bool learnedReward, IEnumerable<string> columns)
    {
        using var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            w.WriteString("kind", "run");
            w.WriteString("algo", settings.Algo);
            w.WriteString("env", settings.Env);
            w.WriteNumber("seed", settings.Seed);
            w.WriteNumber("env_steps", envSteps);
            w.WriteNumber("rows", rows);
            if (learnedReward) w.WriteBoolean("learned_reward", true);
            w.WriteString("torchsharp", typeof(torch).Assembly.GetName().Version?.ToString() ?? "");
            w.WritePropertyName("settings");
            settings.WriteTo(w);
            w.WriteStringArray("columns", columns);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(header.ToArray());
    }

    /// <summary>The settings stored in a run checkpoint's header, checked; <paramref name="source"/> names the file.</summary>
    public static RlRunSettings ReadSettings(CheckpointFile file, string source)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var doc = file.ParseHeader();
        var h = doc.RootElement;
        string kind = h.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
        if (kind != "run")
            throw new TrirlInputException(source, kind.Length == 0 ? "is not a run checkpoint" : $"is a '{kind}' file, not a run checkpoint",
                "pass the folder of an earlier trirl rl run");
        if (!h.TryGetProperty("settings", out var settings))
            throw new TrirlInputException(source, "has no settings in its header", "pass a checkpoint written by trirl rl");
        return RlRunSettings.Read(settings, source);
    }

    /// <summary>Whether the run optimises a learned reward that its payload carries.</summary>
    public static bool HasLearnedReward(CheckpointFile file)
    {
        using var doc = file.ParseHeader();
        return doc.RootElement.TryGetProperty("learned_reward", out var lr) && lr.ValueKind == JsonValueKind.True;
    }
}
