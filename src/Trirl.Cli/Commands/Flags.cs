using System.CommandLine;
using System.CommandLine.Parsing;
using System.Numerics;

namespace Trirl.Cli.Commands;

/// <summary>
/// Options whose values are parsed with the invariant culture and whose parse errors read like every other input
/// error of the CLI: <c>--flag: problem. Fix: fix</c>.
/// </summary>
public static class Flags
{
    /// <summary>A decimal option such as <c>--beta 3</c>, with a default.</summary>
    public static Option<double> Real(string name, string description, double defaultValue) =>
        WithDefault(name, description, defaultValue, ParseReal);

    /// <summary>An optional decimal option (null when absent).</summary>
    public static Option<double?> OptionalReal(string name, string description) =>
        new(name) { Description = description, CustomParser = ParseReal };

    /// <summary>A whole-number option such as <c>--iterations 60</c>, with a default.</summary>
    public static Option<int> Whole(string name, string description, int defaultValue) =>
        WithDefault(name, description, defaultValue, ParseWhole);

    /// <summary>An optional whole-number option (null when absent).</summary>
    public static Option<int?> OptionalWhole(string name, string description) =>
        new(name) { Description = description, CustomParser = ParseWhole };

    /// <summary>A seed: a 64-bit whole number, default 0.</summary>
    public static Option<long> Seed(string name, string description) =>
        WithDefault(name, description, 0L,
            result => ParseNumber<long>(result, NumberStyles.Integer, "not a whole number", "the seed as an integer such as 0"));

    /// <summary>An optional seed (null when absent): a 64-bit whole number.</summary>
    public static Option<long?> OptionalSeed(string name, string description) =>
        new(name) { Description = description, CustomParser = ParseLong };

    /// <summary>An optional 64-bit whole-number option such as <c>--steps 30000</c> (null when absent).</summary>
    public static Option<long?> OptionalLong(string name, string description) =>
        new(name) { Description = description, CustomParser = ParseLong };

    /// <summary>A boolean switch such as <c>--sample</c> (false when absent).</summary>
    public static Option<bool> Switch(string name, string description) => new(name) { Description = description };

    /// <summary>A text option; <paramref name="defaultValue"/> null makes it required.</summary>
    public static Option<string> Text(string name, string description, string? defaultValue = null)
    {
        var option = new Option<string>(name) { Description = description };
        if (defaultValue is null) option.Required = true;
        else option.DefaultValueFactory = _ => defaultValue;
        return option;
    }

    /// <summary>The <c>--device</c> option of the commands that run torch: cpu (default) or cuda.</summary>
    public static Option<string> Device() => Text("--device", "Device: cpu or cuda.", "cpu");

    /// <summary>The <c>--out</c> option of a benchmark: the JSON file of its results, <paramref name="defaultOut"/> by default.</summary>
    public static Option<string> JsonOut(string defaultOut) => Text("--out", "JSON file for the results.", defaultOut);

    /// <summary>An optional text option (null when absent).</summary>
    public static Option<string?> OptionalText(string name, string description) => new(name) { Description = description };

    /// <summary>
    /// The absolute path of the file an <c>--out</c> flag names: refuses an empty path and a folder (the fix suggests
    /// <paramref name="example"/>).
    /// </summary>
    public static string OutputFile(string outFile, string example)
    {
        string fix = $"pass a file path such as {example}";
        if (string.IsNullOrWhiteSpace(outFile)) throw new TrirlInputException("--out", "is empty", fix);
        string path = Path.GetFullPath(outFile);
        if (Directory.Exists(path)) throw new TrirlInputException("--out", $"'{outFile}' is a folder", fix);
        return path;
    }

    // An option with a default whose one token parse reads (0 after a parse error, which parse reports).
    private static Option<T> WithDefault<T>(string name, string description, T defaultValue, Func<ArgumentResult, T?> parse)
        where T : struct =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => parse(result) ?? default,
        };

    /// <summary>
    /// The absolute path of the folder an <c>--out</c> flag names (it need not exist yet): refuses an empty or invalid
    /// path, whose <paramref name="fix"/> says what to pass instead, and a file.
    /// </summary>
    public static string OutputFolder(string outDir, string fix)
    {
        if (string.IsNullOrWhiteSpace(outDir)) throw new TrirlInputException("--out", "is empty", fix);
        string full;
        try { full = Path.GetFullPath(outDir); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new TrirlInputException("--out", $"'{outDir}' is not a valid path", fix);
        }
        if (File.Exists(full)) throw new TrirlInputException("--out", $"'{outDir}' is a file", "pass a folder (it is created if missing)");
        return full;
    }

    private static double? ParseReal(ArgumentResult result) =>
        ParseNumber<double>(result, NumberStyles.Float, "not a number", "a decimal number such as 0.05");

    private static int? ParseWhole(ArgumentResult result) =>
        ParseNumber<int>(result, NumberStyles.Integer, "not a whole number", "an integer such as 60");

    private static long? ParseLong(ArgumentResult result) =>
        ParseNumber<long>(result, NumberStyles.Integer, "not a whole number", "an integer such as 30000");

    // The option's one token as a number in the invariant culture; otherwise a parse error "'text' is <problem>", whose
    // fix says to write <example>, and null.
    private static T? ParseNumber<T>(ArgumentResult result, NumberStyles style, string problem, string example)
        where T : struct, INumberBase<T>
    {
        if (Token(result) is not { } text) return null;
        if (T.TryParse(text, style, CultureInfo.InvariantCulture, out T v)) return v;
        result.AddError(Problem(result, $"'{text}' is {problem}", $"write {example}"));
        return null;
    }

    private static string? Token(ArgumentResult result)
    {
        if (result.Tokens.Count == 1) return result.Tokens[0].Value;
        result.AddError(Problem(result, "expects exactly one value", "write the flag followed by one value"));
        return null;
    }

    private static string Problem(ArgumentResult result, string problem, string fix)
    {
        string flag = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        return new TrirlInputException(flag, problem, fix).Message;
    }
}
