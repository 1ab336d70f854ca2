using System.Runtime.InteropServices;

namespace Trirl.Deep;

/// <summary>
/// How long libtorch's OpenMP worker threads spin before they sleep. libgomp (the OpenMP runtime packaged with libtorch)
/// lets an idle worker spin about 300,000 times (a few milliseconds) and then sleep on a futex; on the 2-core VMs this
/// project is measured on, waking a sleeping worker for the next operation made the paper preset's PPO update take
/// 17-19 s per iteration instead of 8-11 s, by chance, iteration by iteration (docs/performance.md, "Two speeds").
/// <see cref="Enable"/> sets libgomp's <c>GOMP_SPINCOUNT</c> to <see cref="Spins"/> (about 0.1 s by libgomp's own
/// estimate of 100,000 spins per millisecond): long enough to bridge the gaps between one training step's operations,
/// short enough that a worker left idle (a single-threaded phase, the process's end) soon sleeps. Only how a worker
/// waits changes, never an operation: results are bit-identical. With one intra-op thread there is no worker to spin.
/// </summary>
internal static class WorkerSpin
{
    /// <summary>The variable libgomp reads when it loads.</summary>
    public const string Variable = "GOMP_SPINCOUNT";

    /// <summary>The spin count set: 10^7.</summary>
    public const string Spins = "10000000";

    /// <summary>
    /// Sets <see cref="Variable"/> to <see cref="Spins"/> in the native environment unless it is set already (a user's own
    /// value, or <c>OMP_WAIT_POLICY</c>'s, wins). Call before libtorch (and with it libgomp) loads; Linux only. .NET's
    /// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach the native environment on Unix,
    /// hence libc's <c>setenv</c>.
    /// </summary>
    public static void Enable()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null) return;
        try
        {
            _ = setenv(Variable, Spins, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Without libc's setenv the workers keep libgomp's default: slower at times, never wrong.
        }
    }

    /// <summary>The native environment's value of <see cref="Variable"/>, or null when unset (what libgomp reads).</summary>
    public static string? NativeValue() =>
        OperatingSystem.IsLinux() && getenv(Variable) is var p && p != IntPtr.Zero ? Marshal.PtrToStringAnsi(p) : null;

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern IntPtr getenv(string name);
}
