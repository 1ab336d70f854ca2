namespace Trirl.Deep;

/// <summary>
/// TorchSharp's native library could not be loaded (typically libstdc++ without <c>GLIBCXX_3.4.32</c> on Debian 12 or
/// Ubuntu 22.04). The message is one line that names the fix; the original failure is the inner exception.
/// </summary>
public sealed class TorchUnavailableException : Exception
{
    /// <summary>The error with its one-line <paramref name="message"/> and the native load failure it explains.</summary>
    public TorchUnavailableException(string message, Exception inner) : base(message, inner)
    {
    }
}
