using System.Text.Json;

namespace Trirl.Cli.Output;

/// <summary>Arrays of JSON objects, one per item (a benchmark's cases, paths or timings).</summary>
public static class JsonObjects
{
    /// <summary>Writes <c>"name": [{...}, ...]</c>: one object per item of <paramref name="items"/>, whose properties <paramref name="properties"/> writes.</summary>
    public static void WriteObjects<T>(this Utf8JsonWriter writer, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        writer.WriteArray(name, items, (w, item) =>
        {
            w.WriteStartObject();
            properties(w, item);
            w.WriteEndObject();
        });
    }
}
