using System.Globalization;
using Trirl.Functional;

namespace Trirl.Environments;

/// <summary>Validation helpers shared by the environments and the data formats (library-internal).</summary>
internal static class Require
{
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static void Finite(double value, string field)
    {
        if (!double.IsFinite(value))
            throw new TrirlInputException(field, $"must be a finite number, got {Format(value)}", "pass a finite value");
    }

    public static void Positive(double value, string field)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new TrirlInputException(field, $"must be a finite number > 0, got {Format(value)}", "pass a positive value");
    }

    public static void NonNegative(double value, string field)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new TrirlInputException(field, $"must be a finite number >= 0, got {Format(value)}", "pass a value >= 0");
    }

    public static void PositiveInt(int value, string field)
    {
        if (value <= 0)
            throw new TrirlInputException(field, $"must be >= 1, got {value}", "pass a positive integer");
    }

    public static void NotNull(object? value, string field)
    {
        if (value is null) throw new TrirlInputException(field, "is null", "pass a value");
    }
}
