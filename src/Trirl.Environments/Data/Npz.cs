using System.IO.Compression;

namespace Trirl.Environments.Data;

/// <summary>How the <c>.npy</c> entries of an <c>.npz</c> archive are stored.</summary>
public enum NpzCompression
{
    /// <summary>Uncompressed zip entries, as <c>numpy.savez</c> writes.</summary>
    Stored,

    /// <summary>Deflate-compressed zip entries, as <c>numpy.savez_compressed</c> writes.</summary>
    Deflated,
}

/// <summary>One named array of an <c>.npz</c> archive (stored as the zip entry <c>Name + ".npy"</c>).</summary>
/// <param name="Name">The key <c>numpy.load(...)[Name]</c>.</param>
/// <param name="Array">The array.</param>
public sealed record NpzEntry(string Name, NpyArray Array);

/// <summary>The named arrays of an <c>.npz</c> file, in archive order, with unique names.</summary>
public sealed record NpzArchive
{
    /// <summary>An archive of <paramref name="entries"/>; names must be unique, non-empty and free of path separators.</summary>
    public NpzArchive(IReadOnlyList<NpzEntry> entries)
    {
        Check.NotNull(entries, nameof(entries));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int k = 0; k < entries.Count; k++)
        {
            var e = entries[k];
            string field = $"entries[{k}]";
            if (e is null || e.Array is null) throw new TrirlInputException(field, "is null", "pass a name and an array");
            if (string.IsNullOrEmpty(e.Name) || e.Name.IndexOfAny(['/', '\\']) >= 0 || e.Name.Any(char.IsControl))
                throw new TrirlInputException(field, $"has the name '{e.Name}', not usable as a zip entry", "use a plain name such as obs");
            if (!seen.Add(e.Name)) throw new TrirlInputException(field, $"repeats the name '{e.Name}'", "give every array its own name");
        }
        Entries = entries.ToImmutableArray();
    }

    /// <summary>The entries in archive order.</summary>
    public ImmutableArray<NpzEntry> Entries { get; }

    /// <summary>The names in archive order.</summary>
    public ImmutableArray<string> Names => Entries.Select(e => e.Name).ToImmutableArray();

    /// <summary>Whether an array is named <paramref name="name"/>.</summary>
    public bool Contains(string name) => Entries.Any(e => e.Name == name);

    /// <summary>The array named <paramref name="name"/>; a <see cref="TrirlInputException"/> when there is none.</summary>
    public NpyArray this[string name] =>
        Entries.FirstOrDefault(e => e.Name == name)?.Array
        ?? throw new TrirlInputException(name, $"is not in the archive (it holds {(Entries.Length == 0 ? "nothing" : string.Join(", ", Names))})",
            $"save an array named {name}");

    /// <summary>Value equality: the same entries in the same order.</summary>
    public bool Equals(NpzArchive? other) => other is not null && Entries.SequenceEqual(other.Entries);

    /// <summary>Hash of the entry count.</summary>
    public override int GetHashCode() => Entries.Length;
}

/// <summary>
/// numpy's <c>.npz</c> format: a zip archive (System.IO.Compression) whose entry <c>NAME.npy</c> holds the array
/// <c>NAME</c> in the <see cref="Npy"/> format, stored (<c>numpy.savez</c>) or deflated (<c>numpy.savez_compressed</c>).
/// Both are read; both are written. On reading, every entry's size and CRC-32 are checked against the zip directory
/// (as Python's zipfile does); entries whose names do not end in <c>.npy</c> are skipped, as are directories. Written entries carry the fixed timestamp 1980-01-01 so that equal arrays give equal files.
/// </summary>
public static class Npz
{
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The bytes of the <c>.npz</c> file of <paramref name="archive"/>.</summary>
    public static byte[] Write(NpzArchive archive, NpzCompression compression = NpzCompression.Stored)
    {
        Check.NotNull(archive, nameof(archive));
        using var buffer = new MemoryStream();
        Write(buffer, archive, compression);
        return buffer.ToArray();
    }

    /// <summary>Writes the <c>.npz</c> file of <paramref name="archive"/> to <paramref name="stream"/> (left open).</summary>
    public static void Write(Stream stream, NpzArchive archive, NpzCompression compression = NpzCompression.Stored)
    {
        Check.NotNull(stream, nameof(stream));
        Check.NotNull(archive, nameof(archive));
        var level = compression == NpzCompression.Deflated ? CompressionLevel.Optimal : CompressionLevel.NoCompression;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in archive.Entries)
        {
            var zipEntry = zip.CreateEntry(entry.Name + ".npy", level);
            zipEntry.LastWriteTime = FixedTime;
            using var s = zipEntry.Open();
            s.Write(Npy.Write(entry.Array));
        }
    }

    /// <summary>
    /// Writes <paramref name="archive"/> to <paramref name="path"/> atomically: to a temporary file in the same
    /// directory (created if missing), then renamed over <paramref name="path"/>.
    /// </summary>
    public static void Save(string path, NpzArchive archive, NpzCompression compression = NpzCompression.Stored)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new TrirlInputException(nameof(path), "is empty", "pass a file path");
        AtomicFile.WriteAllBytes(path, Write(archive, compression));
    }

    /// <summary>Reads the <c>.npz</c> file at <paramref name="path"/>; every problem is a <see cref="TrirlInputException"/> naming the file.</summary>
    public static NpzArchive Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new TrirlInputException(nameof(path), "is empty", "pass the path of an .npz file");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TrirlInputException(path, "does not exist", "check the path");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TrirlInputException(path, $"cannot be read ({ex.Message})", "check the path and its permissions");
        }
        return Read(bytes, path);
    }

    /// <summary>Reads the <c>.npz</c> file in <paramref name="bytes"/>; <paramref name="source"/> names it in errors.</summary>
    public static NpzArchive Read(byte[] bytes, string source = "archive.npz")
    {
        Check.NotNull(bytes, nameof(bytes));
        using var stream = new MemoryStream(bytes, writable: false);
        return Read(stream, source);
    }

    /// <summary>
    /// Reads an <c>.npz</c> file from <paramref name="stream"/> (e.g. an embedded resource; left open); every problem —
    /// not a zip, a truncated or corrupt entry, a malformed <c>.npy</c> — is a <see cref="TrirlInputException"/> whose
    /// field is <c>"source: entry"</c>.
    /// </summary>
    public static NpzArchive Read(Stream stream, string source = "archive.npz")
    {
        Check.NotNull(stream, nameof(stream));
        string where = source;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var entries = new List<NpzEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var zipEntry in zip.Entries)
            {
                string fullName = zipEntry.FullName;
                if (fullName.EndsWith('/') || !fullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                where = $"{source}: {fullName}";
                string name = fullName[..^4];
                if (!seen.Add(name))
                    throw new TrirlInputException(where, "appears twice in the archive", "write each array once");
                byte[] payload = ReadEntry(zipEntry, where);
                entries.Add(new NpzEntry(name, Npy.Read(payload, where)));
            }
            return new NpzArchive(entries);
        }
        catch (TrirlInputException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or NotSupportedException or ArgumentException
                                       or OverflowException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            throw new TrirlInputException(where, $"is not a readable .npz (zip) file: {ex.Message}",
                "write it with numpy.savez / numpy.savez_compressed (or this library), and check that it was copied completely");
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string where)
    {
        using var s = entry.Open();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = s.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > Array.MaxLength)
                throw new TrirlInputException(where, "expands beyond the largest array .NET can hold", "split the data into smaller arrays");
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length != entry.Length)
            throw new TrirlInputException(where, $"is truncated: the zip directory declares {entry.Length} bytes, the entry holds {buffer.Length}",
                "copy the file again completely");
        var payload = buffer.ToArray();
        uint crc = Crc32(payload);
        if (crc != entry.Crc32)
            throw new TrirlInputException(where, $"is corrupt: its CRC-32 is {crc:x8} but the zip directory records {entry.Crc32:x8}",
                "copy the file again, or write it anew");
        return payload;
    }

    private static readonly uint[] CrcTable = MakeCrcTable();

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>The zip format's CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as Python's zipfile checks it on reading.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
