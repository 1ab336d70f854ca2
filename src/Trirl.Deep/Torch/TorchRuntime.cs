namespace Trirl.Deep;

/// <summary>
/// The one door to libtorch. <see cref="Ensure"/> is called before the first torch call of every entry point of this
/// library: it loads the native backend once and turns a load failure into a <see cref="TorchUnavailableException"/>
/// whose one-line message names the fix. <see cref="Configure"/> fixes the intra-op thread count and seeds torch's
/// global generator, so a run's floating-point results are reproducible: libtorch's CPU kernels partition work by
/// thread count, so the same seed and the same thread count give bit-identical results; a different thread count may
/// change the last bits of reductions.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool loaded;

    /// <summary>
    /// The fix printed when libtorch does not load: TorchSharp 0.107 needs libstdc++ with <c>GLIBCXX_3.4.32</c> (GCC 13+).
    /// </summary>
    public const string Fix =
        "TorchSharp 0.107 needs libstdc++ with GLIBCXX_3.4.32 (GCC 13 or newer); on Debian 12 / Ubuntu 22.04 run " +
        "'sudo bash scripts/ensure-libstdcxx.sh' (Debian: installs trixie's libstdc++6; Ubuntu 22.04: install libstdc++6 " +
        "from the ubuntu-toolchain-r/test PPA), then rerun";

    /// <summary>
    /// The fix printed when TorchSharp bound to a libtorch other than the packaged one (one loaded before this library
    /// could load its own, e.g. by another package in the same script or notebook).
    /// </summary>
    public const string ForeignFix =
        "load Trirl.Deep (or call TorchRuntime.Ensure()) before anything else touches TorchSharp in the script or notebook, " +
        "so that the packaged libtorch is loaded first; or remove the system libtorch (apt-get remove libtorch1.13)";

    /// <summary>
    /// Default intra-op thread count of a run: 1. A run's results are then independent of the machine's core count,
    /// the default and tiny presets' small networks gain nothing from more threads (their matrices are too small to
    /// split), and runs started side by side (tests, sweeps) do not oversubscribe the cores, where libtorch's OpenMP
    /// threads spin-wait and slow every process down many times over. Pass more threads (<c>--threads</c>) for the
    /// paper preset's 512-wide networks on 4,000 copies. Runs record their count and a resumed run uses it again.
    /// </summary>
    public const int DefaultThreads = 1;

    /// <summary>
    /// Loads libtorch (once per process). Throws <see cref="TorchUnavailableException"/> with a one-line message naming
    /// the fix when the native library cannot be loaded.
    /// </summary>
    public static void Ensure()
    {
        if (Volatile.Read(ref loaded)) return;
        lock (Gate)
        {
            if (loaded) return;
            try
            {
                // The packaged libtorch first, by path: a system libtorch found by name would be bound instead.
                PackagedLibtorch.Preload();
                torch.InitializeDeviceType(DeviceType.CPU);
                using var probe = torch.zeros(1);
            }
            catch (Exception ex) when (Explain(ex) is { } message)
            {
                throw new TorchUnavailableException(message, ex);
            }
            Volatile.Write(ref loaded, true);
        }
    }

    /// <summary>
    /// The one-line explanation of a native load failure, or null when <paramref name="error"/> is something else. A
    /// load failure is an exception chain (through <see cref="Exception.InnerException"/>, e.g. a
    /// <see cref="TypeInitializationException"/> around it) holding a <see cref="DllNotFoundException"/>,
    /// <see cref="BadImageFormatException"/> or <see cref="EntryPointNotFoundException"/>, or a message that mentions
    /// LibTorchSharp, libtorch or GLIBCXX (TorchSharp reports a failed load as a <see cref="NotSupportedException"/>).
    /// </summary>
    public static string? Explain(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        bool native = false;
        string? glibcxx = null;
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            string text = e.Message ?? "";
            if (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException || Mentions(text)) native = true;
            int at = text.IndexOf("GLIBCXX_", StringComparison.Ordinal);
            if (at >= 0 && glibcxx is null)
            {
                int end = at;
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '_' or '.')) end++;
                glibcxx = text[at..end].TrimEnd('.');
            }
        }
        if (!native) return null;
        if (glibcxx is not null) return $"TorchSharp's native library could not be loaded: this libstdc++ lacks {glibcxx}. Fix: {Fix}";
        string foreign = PackagedLibtorch.Foreign();
        if (foreign.Length > 0)
            return $"TorchSharp's native library could not be loaded: it bound to another libtorch, {foreign} (a system package such as " +
                $"Debian's python3-torch / libtorch1.13), not the packaged one. Fix: {ForeignFix}";
        return $"TorchSharp's native library (libLibTorchSharp / libtorch) could not be loaded. Fix: {Fix}";
    }

    private static bool Mentions(string text) =>
        text.Contains("LibTorchSharp", StringComparison.OrdinalIgnoreCase)
        || text.Contains("libtorch", StringComparison.OrdinalIgnoreCase)
        || text.Contains("GLIBCXX", StringComparison.Ordinal);

    /// <summary>
    /// Loads libtorch, sets the intra-op thread count to <paramref name="threads"/> (process-wide, as libtorch's setting
    /// is) and seeds torch's global generator with <paramref name="seed"/>. The learners of this library draw every
    /// random number from <see cref="Trirl.Functional.Rng"/> streams, never from torch's generator; the seed only makes
    /// any other torch draw in the process reproducible.
    /// </summary>
    public static void Configure(int threads, long seed)
    {
        Check.PositiveInt(threads, "threads", "pass a positive thread count");
        Ensure();
        if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
        torch.manual_seed(seed);
    }
}
