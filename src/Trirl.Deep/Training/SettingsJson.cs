using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trirl.Deep;

/// <summary>
/// JSON of the settings records (<see cref="LearnerSettings"/>, <see cref="MlpSpec"/>) as they appear in checkpoints and
/// <c>summary.json</c>: snake_case names, enums as lower-case strings, doubles in round-trip precision.
/// </summary>
public static class SettingsJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>The JSON text of <paramref name="settings"/> (with its <c>algo</c> discriminator).</summary>
    public static string Serialize(LearnerSettings settings) => JsonSerializer.Serialize(settings, Options);

    /// <summary>Writes <paramref name="settings"/> as a JSON value.</summary>
    public static void Write(Utf8JsonWriter w, LearnerSettings settings) => JsonSerializer.Serialize(w, settings, Options);

    /// <summary>Writes <paramref name="spec"/> as a JSON value.</summary>
    public static void Write(Utf8JsonWriter w, MlpSpec spec) => JsonSerializer.Serialize(w, spec, Options);

    /// <summary>The settings in a JSON element written by <see cref="Write(Utf8JsonWriter, LearnerSettings)"/>.</summary>
    public static LearnerSettings ReadSettings(JsonElement e) =>
        e.Deserialize<LearnerSettings>(Options) ?? throw new JsonException("settings are null");

    /// <summary>The network spec in a JSON element.</summary>
    public static MlpSpec ReadSpec(JsonElement e) => e.Deserialize<MlpSpec>(Options) ?? throw new JsonException("network is null");
}
