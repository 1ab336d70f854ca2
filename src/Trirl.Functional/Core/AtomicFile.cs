using System.Runtime.InteropServices;
using System.Text;

namespace Trirl.Functional;

/// <summary>
/// The one way this project writes a file: to a temporary file in the same folder (created if missing), flushed to disk,
/// then renamed over the target, so a reader never sees half a file and a failed write leaves the old file in place.
/// Every writer uses it: the CLI's outputs, the F# layer's <c>writeAtomic</c>, npz archives, checkpoints, rewards.
/// A target that exists and is not a regular file (a device such as <c>/dev/null</c>, a FIFO) is written in place:
/// renaming over it would replace the device with a plain file (as root, <c>--out /dev/null</c> did exactly that).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes what <paramref name="write"/> puts into the stream to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new TrirlInputException(nameof(path), "is empty", "pass a file path");
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        if (IsSpecialFile(full))
        {
            using var device = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            write(device);
            device.Flush();
            return;
        }
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> names an existing file that is neither a regular file nor a directory (a device, a
    /// FIFO, a socket), by Linux's <c>statx</c> (its <c>stx_mode</c> sits at byte 28 on every architecture). Elsewhere,
    /// or when the call is unavailable, false: the usual temporary file and rename.
    /// </summary>
    internal static bool IsSpecialFile(string path)
    {
        if (!OperatingSystem.IsLinux()) return false;
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return false; // missing: a new file, written as usual
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
        int type = BitConverter.ToUInt16(buffer, 28) & 0xF000;
        return type is not (0x8000 or 0x4000);                          // S_IFREG, S_IFDIR
    }

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int Statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, s => s.Write(bytes));
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));
    }
}
