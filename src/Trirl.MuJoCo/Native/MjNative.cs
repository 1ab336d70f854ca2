using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Trirl.MuJoCo.Native;

/// <summary>
/// The entry points of <c>libmujoco.so.2.2.2</c>, resolved once per process by name
/// (<see cref="NativeLibrary.GetExport"/>) into unmanaged function pointers: no marshalling stubs on the step path.
/// <see cref="Api"/> loads the library on first use and throws <see cref="MuJoCoUnavailableException"/> with the apt
/// command when it is missing or is another version than the one <see cref="MjLayout"/> describes. Loading also
/// installs a warning handler, so MuJoCo's warnings (e.g. an unstable simulation reset by <c>mj_checkAcc</c>) are
/// counted instead of printed and appended to a <c>MUJOCO_LOG.TXT</c> in the working directory.
/// </summary>
internal static unsafe class MjNative
{
    /// <summary>What to do when libmujoco is missing.</summary>
    public const string Fix = "install Debian 12's MuJoCo 2.2.2: 'apt-get install libmujoco2.2.2' (as root; prefix sudo otherwise)";

    /// <summary>File names tried, in order: the versioned name the runtime package installs, then the -dev symlink.</summary>
    private static readonly string[] LibraryNames = ["libmujoco.so.2.2.2", "libmujoco.so", "mujoco"];

    private static readonly Lazy<Functions> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static long warnings;
    private static string lastWarning = "";

    /// <summary>The resolved functions (loads the library on first use).</summary>
    public static Functions Api => Loaded.Value;

    /// <summary>Number of MuJoCo warnings seen in this process.</summary>
    public static long Warnings => Interlocked.Read(ref warnings);

    /// <summary>The text of the last MuJoCo warning ("" when none).</summary>
    public static string LastWarning => Volatile.Read(ref lastWarning);

    /// <summary>The function pointers of the C API used by this layer (names as in <c>mujoco.h</c>).</summary>
    internal sealed class Functions
    {
        public delegate* unmanaged<int> mj_version;
        public delegate* unmanaged<void*, void> mj_defaultVFS;
        public delegate* unmanaged<void*, byte*, int, int> mj_makeEmptyFileVFS;
        public delegate* unmanaged<void*, byte*, int> mj_findFileVFS;
        public delegate* unmanaged<void*, void> mj_deleteVFS;
        public delegate* unmanaged<byte*, void*, byte*, int, nint> mj_loadXML;
        public delegate* unmanaged<nint, void> mj_deleteModel;
        public delegate* unmanaged<nint, nint> mj_makeData;
        public delegate* unmanaged<nint, void> mj_deleteData;
        public delegate* unmanaged<nint, nint, void> mj_resetData;
        public delegate* unmanaged<nint, nint, void> mj_step;
        public delegate* unmanaged<nint, nint, void> mj_forward;
        public delegate* unmanaged<nint, int, byte*, int> mj_name2id;
    }

    /// <summary>Environment variable naming the library file to load instead of the system's (e.g. a MuJoCo 2.2.2 built elsewhere).</summary>
    public const string LibraryVariable = "TRIRL_MUJOCO_LIBRARY";

    private static Functions Load()
    {
        nint handle = 0;
        string? custom = Environment.GetEnvironmentVariable(LibraryVariable);
        string[] names = string.IsNullOrEmpty(custom) ? LibraryNames : [custom];
        foreach (var name in names)
            if (NativeLibrary.TryLoad(name, out handle)) break;
        if (handle == 0)
            throw new MuJoCoUnavailableException(string.IsNullOrEmpty(custom)
                ? $"MuJoCo's native library (libmujoco.so.2.2.2) is not installed. Fix: {Fix}"
                : $"MuJoCo's native library could not be loaded from {LibraryVariable}={custom}. Fix: point {LibraryVariable} at a libmujoco.so of MuJoCo 2.2.2, or unset it and {Fix}");
        nint Export(string name) =>
            NativeLibrary.TryGetExport(handle, name, out var address)
                ? address
                : throw new MuJoCoUnavailableException($"the loaded libmujoco has no '{name}': it is not MuJoCo 2.2.2. Fix: {Fix}");
        var f = new Functions
        {
            mj_version = (delegate* unmanaged<int>)Export("mj_version"),
            mj_defaultVFS = (delegate* unmanaged<void*, void>)Export("mj_defaultVFS"),
            mj_makeEmptyFileVFS = (delegate* unmanaged<void*, byte*, int, int>)Export("mj_makeEmptyFileVFS"),
            mj_findFileVFS = (delegate* unmanaged<void*, byte*, int>)Export("mj_findFileVFS"),
            mj_deleteVFS = (delegate* unmanaged<void*, void>)Export("mj_deleteVFS"),
            mj_loadXML = (delegate* unmanaged<byte*, void*, byte*, int, nint>)Export("mj_loadXML"),
            mj_deleteModel = (delegate* unmanaged<nint, void>)Export("mj_deleteModel"),
            mj_makeData = (delegate* unmanaged<nint, nint>)Export("mj_makeData"),
            mj_deleteData = (delegate* unmanaged<nint, void>)Export("mj_deleteData"),
            mj_resetData = (delegate* unmanaged<nint, nint, void>)Export("mj_resetData"),
            mj_step = (delegate* unmanaged<nint, nint, void>)Export("mj_step"),
            mj_forward = (delegate* unmanaged<nint, nint, void>)Export("mj_forward"),
            mj_name2id = (delegate* unmanaged<nint, int, byte*, int>)Export("mj_name2id"),
        };
        int version = f.mj_version();
        if (version != MjLayout.Version)
            throw new MuJoCoUnavailableException(
                $"libmujoco reports version {version / 100}.{version / 10 % 10}.{version % 10}, but this layer reads MuJoCo 2.2.2's structs. Fix: {Fix}");
        // mju_user_warning is a global function pointer (mujoco.h): ours counts instead of printing and writing a log file.
        *(delegate* unmanaged<byte*, void>*)Export("mju_user_warning") = &OnWarning;
        return f;
    }

    [UnmanagedCallersOnly]
    private static void OnWarning(byte* message)
    {
        Interlocked.Increment(ref warnings);
        Volatile.Write(ref lastWarning, Marshal.PtrToStringUTF8((nint)message) ?? "");
    }

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="text"/>.</summary>
    public static byte[] Utf8z(string text)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        System.Text.Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>The <c>T</c> at <paramref name="offset"/> bytes into the struct at <paramref name="basePointer"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T Field<T>(nint basePointer, int offset) where T : unmanaged => ref *(T*)(basePointer + offset);
}
