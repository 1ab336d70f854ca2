using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Trirl.Deep;

/// <summary>
/// One change to a learner's settings: the snake_case path of a field in their JSON (<see cref="SettingsJson"/>), dots
/// between levels (<c>initial_std</c>, <c>policy.hidden</c>, <c>ppo.learning_rate</c> inside imitation settings), and the
/// new value as JSON text (<c>0.135</c>, <c>[256, 256]</c>, <c>relu</c>, <c>true</c>; text that is not JSON is taken as a
/// string).
/// </summary>
/// <param name="Path">Dotted snake_case path of the field.</param>
/// <param name="Value">The value as JSON text.</param>
public sealed record SettingsPatch(string Path, string Value)
{
    /// <summary>A patch from <c>path=value</c> text; <paramref name="field"/> names the input in errors.</summary>
    public static SettingsPatch Parse(string text, string field)
    {
        int eq = (text ?? "").IndexOf('=');
        if (eq <= 0 || eq == text!.Length - 1)
            throw new TrirlInputException(field, $"'{text}' is not path=value", "write e.g. initial_std=0.135 or policy.hidden=[256,256]");
        return new SettingsPatch(text[..eq].Trim(), text[(eq + 1)..].Trim());
    }

    /// <summary>
    /// <paramref name="settings"/> with every patch applied in order, then validated. A path that names no field, or a
    /// value of the wrong type, is a <see cref="TrirlInputException"/> for <paramref name="field"/> naming the path.
    /// </summary>
    public static LearnerSettings Apply(LearnerSettings settings, IEnumerable<SettingsPatch> patches, string field)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(patches);
        var list = patches.ToList();
        if (list.Count == 0) return settings;
        var root = JsonNode.Parse(SettingsJson.Serialize(settings))!.AsObject();
        string fields = Fields(root);
        foreach (var p in list)
        {
            var keys = p.Path.Split('.');
            JsonObject node = root;
            for (int i = 0; i < keys.Length - 1; i++)
                node = node[keys[i]] as JsonObject
                    ?? throw new TrirlInputException(field, $"'{p.Path}': '{keys[i]}' is not a group of the {settings.Algo} settings", $"use one of {Fields(node)}");
            JsonNode? value;
            try
            {
                value = JsonNode.Parse(p.Value);
            }
            catch (JsonException)
            {
                value = JsonValue.Create(p.Value);
            }
            node[keys[^1]] = value;
        }
        try
        {
            var strict = new JsonSerializerOptions(SettingsJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
            return (root.Deserialize<LearnerSettings>(strict) ?? throw new JsonException("settings are null")).Validated();
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            throw new TrirlInputException(field, $"{string.Join(", ", list.Select(p => $"{p.Path}={p.Value}"))} does not fit the {settings.Algo} settings ({ex.Message})",
                $"name a field of {fields} and give a value of its type");
        }
    }

    private static string Fields(JsonObject node) => string.Join(", ", node.Select(kv => kv.Key).Where(k => k != "algo"));
}
