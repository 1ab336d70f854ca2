using Spectre.Console;

namespace Trirl.Cli.Terminal;

/// <summary>
/// Spectre.Console consoles bound to the current <see cref="System.Console.Out"/> (created per use, so a test that
/// redirects the console in-process sees the output). Redirected output gets no colours and a wide line, so tables
/// in logs do not wrap at 80 columns.
/// </summary>
public static class Ansi
{
    /// <summary>Line width used when stdout is not a terminal.</summary>
    public const int RedirectedWidth = 160;

    /// <summary>A console writing to stdout.</summary>
    public static IAnsiConsole Stdout()
    {
        bool redirected = System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected) console.Profile.Width = RedirectedWidth;
        return console;
    }
}
