using Trirl.MuJoCo.Native;

namespace Trirl.MuJoCo;

/// <summary>The native library itself: its version, and the warnings it has raised in this process.</summary>
public static class MuJoCoLibrary
{
    /// <summary>The apt command that installs the library (what a <see cref="MuJoCoUnavailableException"/> says).</summary>
    public const string Fix = MjNative.Fix;

    /// <summary>
    /// Loads libmujoco once (no-op afterwards); throws <see cref="MuJoCoUnavailableException"/> with the fix when it is
    /// missing or is not version 2.2.2.
    /// </summary>
    public static void Ensure() => _ = MjNative.Api;

    /// <summary><c>mj_version()</c>: 222 for MuJoCo 2.2.2.</summary>
    public static unsafe int Version => MjNative.Api.mj_version();

    /// <summary>Number of warnings MuJoCo raised in this process (counted instead of printed to the console and a log file).</summary>
    public static long Warnings => MjNative.Warnings;

    /// <summary>The text of the last warning ("" when none).</summary>
    public static string LastWarning => MjNative.LastWarning;
}
