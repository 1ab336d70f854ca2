using System.Runtime.InteropServices;

namespace Trirl.Deep;

/// <summary>
/// Transparent huge pages for libtorch's large CPU tensors. libtorch allocates each tensor of 2 MB or more afresh and
/// gives it back on release; with 4 KB pages every such tensor is faulted in page by page, which on this project's
/// virtual machines cost the paper preset's PPO update as much as its matrix products (docs/performance.md, "Huge
/// pages"). libtorch (c10's CPU allocator) advises the kernel to back those tensors with 2 MB pages when the process
/// environment has <c>THP_MEM_ALLOC_ENABLE=1</c>, read once, at its first allocation. Only where memory comes from
/// changes, not one operation: results are bit-identical with and without it (checked on training runs).
/// </summary>
internal static class HugePages
{
    /// <summary>The variable libtorch reads.</summary>
    public const string Variable = "THP_MEM_ALLOC_ENABLE";

    /// <summary>
    /// Sets <see cref="Variable"/> to 1 in the native environment, where libtorch reads it, unless it is set already (a
    /// user's <c>THP_MEM_ALLOC_ENABLE=0</c> keeps 4 KB pages). Call before libtorch's first allocation; Linux only (the
    /// setting is libtorch's Linux path). .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does
    /// not reach the native environment on Unix, hence libc's <c>setenv</c>.
    /// </summary>
    public static void Enable()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = setenv(Variable, "1", 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Without libc's setenv the allocator keeps 4 KB pages: slower, never wrong.
        }
    }

    /// <summary>The native environment's value of <see cref="Variable"/>, or null when unset (what libtorch sees).</summary>
    public static string? NativeValue() =>
        OperatingSystem.IsLinux() && getenv(Variable) is var p && p != IntPtr.Zero ? Marshal.PtrToStringAnsi(p) : null;

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern IntPtr getenv(string name);
}
