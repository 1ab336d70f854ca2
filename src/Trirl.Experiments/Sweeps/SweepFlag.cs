namespace Trirl.Experiments;

/// <summary>
/// One flag of a run: its name as the command spells it without the leading dashes (<c>env</c>, <c>expert-beta</c>),
/// and its value as the command-line token (a JSON number keeps its text, e.g. <c>0.05</c>; a boolean is
/// <c>true</c> or <c>false</c>).
/// </summary>
/// <param name="Name">Flag name without dashes.</param>
/// <param name="Value">The value as it goes on the command line.</param>
public sealed record SweepFlag(string Name, string Value)
{
    /// <summary>The flag as written on the command line, e.g. <c>--env</c>.</summary>
    public string Option => "--" + Name;
}
