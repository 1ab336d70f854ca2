namespace Trirl.Functional;

/// <summary>
/// Bad input at a boundary (a constructor, a parser, a command-line flag). The message names the
/// offending field and the fix, so the edge can print it as one line.
/// </summary>
/// <param name="field">The field (parameter, JSON path or flag) that holds the bad value.</param>
/// <param name="problem">What is wrong with the value.</param>
/// <param name="fix">What the caller should do instead.</param>
public sealed class TrirlInputException(string field, string problem, string fix) : ArgumentException($"{field}: {problem}. Fix: {fix}", field)
{
    /// <summary>The field (parameter, JSON path or flag) that holds the bad value.</summary>
    public string Field { get; } = field;

    /// <summary>What is wrong with the value.</summary>
    public string Problem { get; } = problem;

    /// <summary>What the caller should do instead.</summary>
    public string Fix { get; } = fix;

    /// <summary>The one-line message without the <see cref="ArgumentException"/> parameter suffix.</summary>
    public override string Message => $"{Field}: {Problem}. Fix: {Fix}";
}

/// <summary>Small validation helpers shared by the constructors of the public records (also used by the
/// environment and deep assemblies, through InternalsVisibleTo).</summary>
internal static class Check
{
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

    public static void UnitInterval(double value, string field, bool closedRight)
    {
        bool ok = value >= 0 && (closedRight ? value <= 1 : value < 1);
        string range = $"[0, 1{(closedRight ? "]" : ")")}";
        if (!ok) throw new TrirlInputException(field, $"must be in {range}, got {Format(value)}", $"pass a value in {range}");
    }

    public static void NotNull(object? value, string field)
    {
        if (value is null) throw new TrirlInputException(field, "is null", "pass a value");
    }

    public static string NotBlank(string value, string field, string fix) =>
        string.IsNullOrWhiteSpace(value) ? throw new TrirlInputException(field, "is empty", fix) : value;

    // A whole number below 1 is refused (an absent optional one passes); the fix defaults to the generic one.
    public static void PositiveInt(long? value, string field, string fix = "pass a positive integer")
    {
        if (value < 1)
            throw new TrirlInputException(field, $"must be >= 1, got {value}", fix);
    }

    public static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
