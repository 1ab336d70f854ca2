namespace Trirl.MuJoCo;

/// <summary>
/// MuJoCo's native library could not be used: it is not installed, or it is not version 2.2.2. The one-line message
/// names the fix (the apt command), as <c>Trirl.Deep.TorchUnavailableException</c> does for libtorch.
/// </summary>
public sealed class MuJoCoUnavailableException : Exception
{
    /// <summary>The error with its one-line message.</summary>
    public MuJoCoUnavailableException(string message) : base(message) { }
}
