namespace Trirl.Cli;

/// <summary>The process exit codes of <c>trirl</c>: a script can tell bad input from a crash.</summary>
public static class ExitCodes
{
    /// <summary>The command ran and wrote its outputs.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure (a bug or an I/O error); the message names the exception type.</summary>
    public const int Failure = 1;

    /// <summary>Bad input (flags, numbers, environment specs, files); nothing was written.</summary>
    public const int BadInput = 2;
}
