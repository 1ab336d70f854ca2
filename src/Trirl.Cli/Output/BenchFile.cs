using System.Text.Json;

namespace Trirl.Cli.Output;

/// <summary>
/// The results file of a <c>trirl bench</c> subcommand: one indented JSON object and a final newline, written atomically,
/// then <c>wrote PATH</c> on stdout.
/// </summary>
public static class BenchFile
{
    /// <summary>The file's text: the indented JSON object whose properties <paramref name="properties"/> writes, and a newline.</summary>
    public static string Text(Action<Utf8JsonWriter> properties) => JsonText.Object(properties) + "\n";

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically, prints <c>wrote PATH</c> and returns the success exit code.</summary>
    public static int Write(string path, string text)
    {
        AtomicFile.WriteAllText(path, text);
        System.Console.Out.WriteLine($"wrote {path}");
        return ExitCodes.Success;
    }
}
