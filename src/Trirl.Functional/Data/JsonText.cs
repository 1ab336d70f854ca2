using System.Text;
using System.Text.Json;

namespace Trirl.Functional;

/// <summary>
/// The JSON files of the project (MDPs, rewards, summaries, settings, benchmarks) as text: one indented object written
/// by <see cref="Utf8JsonWriter"/>, UTF-8, in the writer's own number format (doubles in round-trip precision).
/// </summary>
public static class JsonText
{
    /// <summary>The indented text of one JSON object whose properties <paramref name="properties"/> writes.</summary>
    public static string Object(Action<Utf8JsonWriter> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            properties(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
