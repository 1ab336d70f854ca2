using System.Text.Json;

namespace Trirl.Cli.Output;

/// <summary>JSON numbers that may be NaN or infinite (JSON has neither): they are written as <c>null</c>.</summary>
public static class JsonNumbers
{
    /// <summary>Writes <c>"name": value</c> in round-trip precision, or <c>"name": null</c> when not finite.</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }

    /// <summary>Writes an array element in round-trip precision, or <c>null</c> when not finite.</summary>
    public static void WriteNumberOrNullValue(this Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }

    /// <summary>Writes <c>"name": [values]</c>, each in round-trip precision or <c>null</c> when not finite.</summary>
    public static void WriteNumberArrayOrNulls(this Utf8JsonWriter writer, string name, IEnumerable<double> values) =>
        writer.WriteArray(name, values, static (w, x) => w.WriteNumberOrNullValue(x));
}
