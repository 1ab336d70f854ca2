using System.Text;

namespace Trirl.Functional;

/// <summary>
/// The one way this project writes a file: to a temporary file in the same folder (created if missing), flushed to disk,
/// then renamed over the target, so a reader never sees half a file and a failed write leaves the old file in place.
/// Every writer uses it: the CLI's outputs, the F# layer's <c>writeAtomic</c>, npz archives, checkpoints, rewards.
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
