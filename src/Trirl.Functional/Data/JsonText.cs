using System.Text;
using System.Text.Json;

namespace Trirl.Functional;

/// <summary>
/// The JSON files of the project (MDPs, rewards, summaries, settings, benchmarks) as text: one indented object written
/// by <see cref="Utf8JsonWriter"/>, UTF-8, in the writer's own number format (doubles in round-trip precision); and the
/// nested objects and arrays those files hold, written one way everywhere.
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

    /// <summary>Writes <c>"name": {...}</c>, the nested object whose properties <paramref name="properties"/> writes.</summary>
    public static void WriteObject(this Utf8JsonWriter writer, string name, Action<Utf8JsonWriter> properties)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(properties);
        writer.WriteStartObject(name);
        properties(writer);
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>"name": [values]</c>, doubles in round-trip precision.</summary>
    public static void WriteNumberArray(this Utf8JsonWriter writer, string name, IEnumerable<double> values) =>
        writer.WriteArray(name, values, static (w, v) => w.WriteNumberValue(v));

    /// <summary>
    /// Writes <c>"name": [values]</c>, floats in their own shortest round-trip form (<c>0.1f</c> as <c>0.1</c>, where
    /// widening to double first would write <c>0.10000000149011612</c>).
    /// </summary>
    public static void WriteNumberArray(this Utf8JsonWriter writer, string name, IEnumerable<float> values) =>
        writer.WriteArray(name, values, static (w, v) => w.WriteNumberValue(v));

    /// <summary>Writes <c>"name": [values]</c> of strings.</summary>
    public static void WriteStringArray(this Utf8JsonWriter writer, string name, IEnumerable<string> values) =>
        writer.WriteArray(name, values, static (w, v) => w.WriteStringValue(v));

    /// <summary>Writes <c>"name": [...]</c>: each item of <paramref name="values"/> as the element <paramref name="element"/> writes.</summary>
    public static void WriteArray<T>(this Utf8JsonWriter writer, string name, IEnumerable<T> values, Action<Utf8JsonWriter, T> element)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(element);
        writer.WriteStartArray(name);
        foreach (var v in values) element(writer, v);
        writer.WriteEndArray();
    }
}
