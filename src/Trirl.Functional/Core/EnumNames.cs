namespace Trirl.Functional;

/// <summary>
/// The lower-case names of an enum's values as settings files, reports and flags spell them (<c>Trirl</c> is
/// <c>trirl</c>), and the one parser of those names: trimmed, case-insensitive, with an error that names the field and
/// lists the values in declaration order.
/// </summary>
public static class EnumNames
{
    /// <summary>
    /// The lower-case name of <paramref name="value"/>; an undeclared value is an error of <paramref name="field"/>
    /// (default: the enum's type name), so a settings record validates its enum fields by naming them.
    /// </summary>
    public static string Name<TEnum>(TEnum value, string? field = null)
        where TEnum : struct, Enum
    {
        int i = Array.IndexOf(Table<TEnum>.Values, value);
        return i >= 0 ? Table<TEnum>.Names[i] : throw new TrirlInputException(field ?? typeof(TEnum).Name, $"unknown value {Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)}", $"use {Listed<TEnum>()}");
    }

    /// <summary>The value named <paramref name="name"/> (case-insensitive); an empty or unknown name (a <paramref name="what"/>) is an error of <paramref name="field"/>.</summary>
    public static TEnum Parse<TEnum>(string name, string field, string what)
        where TEnum : struct, Enum
    {
        int i = Array.IndexOf(Table<TEnum>.Names, (name ?? "").Trim().ToLowerInvariant());
        return i >= 0 ? Table<TEnum>.Values[i]
            : throw new TrirlInputException(field, string.IsNullOrWhiteSpace(name) ? "is empty" : $"unknown {what} '{name}'", $"use {Listed<TEnum>()}");
    }

    /// <summary>The names in declaration order as a fix spells them: <c>a, b or c</c>.</summary>
    public static string Listed<TEnum>()
        where TEnum : struct, Enum => Table<TEnum>.Listed;

    private static class Table<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly TEnum[] Values = Enum.GetValues<TEnum>();
        public static readonly string[] Names = Values.Select(v => v.ToString().ToLowerInvariant()).ToArray();
        public static readonly string Listed = Names.Length == 1 ? Names[0] : string.Join(", ", Names[..^1]) + " or " + Names[^1];
    }
}
