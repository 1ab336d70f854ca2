using System.CommandLine;
using System.Text;

namespace Trirl.Cli.Terminal;

/// <summary>
/// The one place where a library's field name becomes a flag name. The libraries raise <see cref="TrirlInputException"/>s
/// with their own field names (<c>eta_schedule</c>, <c>expertBeta</c>, <c>env</c>); when the command that failed has
/// the flag of that field's kebab-case name (<c>--eta-schedule</c>, <c>--expert-beta</c>, <c>--env</c>), the error is
/// reported under the flag, so the user reads the name they typed. Other fields (a file's inner field, a settings path)
/// keep their names.
/// </summary>
internal static class FieldFlags
{
    /// <summary>The flag for <paramref name="field"/> on <paramref name="command"/>, if it has one.</summary>
    public static string? FlagOf(string field, Command command)
    {
        if (string.IsNullOrEmpty(field) || field.StartsWith('-')) return null;
        string flag = "--" + Kebab(field);
        return command.Options.Any(o => o.Name == flag || o.Aliases.Contains(flag)) ? flag : null;
    }

    /// <summary><paramref name="error"/> under its flag's name when <paramref name="command"/> has one; else itself.</summary>
    public static TrirlInputException ForCommand(TrirlInputException error, Command command) =>
        FlagOf(error.Field, command) is { } flag ? new TrirlInputException(flag, error.Problem, error.Fix) : error;

    /// <summary><c>eta_schedule</c> and <c>etaSchedule</c> as <c>eta-schedule</c>.</summary>
    internal static string Kebab(string field)
    {
        var sb = new StringBuilder(field.Length + 4);
        foreach (char c in field)
        {
            if (c == '_') sb.Append('-');
            else if (char.IsUpper(c)) sb.Append(sb.Length > 0 ? "-" : "").Append(char.ToLowerInvariant(c));
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
