namespace Trirl.Cli.Terminal;

/// <summary>One-line messages on stderr: <c>error: ...</c> and <c>warning: ...</c> (never a stack trace).</summary>
public static class Messages
{
    /// <summary>Writes <c>error: message</c> on one line.</summary>
    public static void Error(string message) => System.Console.Error.WriteLine($"error: {OneLine(message)}");

    /// <summary>Writes <c>warning: message</c> on one line.</summary>
    public static void Warning(string message) => System.Console.Error.WriteLine($"warning: {OneLine(message)}");

    /// <summary>Joins the lines of <paramref name="message"/> with "; ".</summary>
    public static string OneLine(string message) =>
        string.Join("; ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
