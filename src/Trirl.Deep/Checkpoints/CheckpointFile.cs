using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Trirl.Deep;

/// <summary>
/// The container of every file this library saves (run checkpoints and policies): a fixed magic, a format version, a
/// UTF-8 JSON header (what the file holds: its kind, algorithm, environment, settings, step count), a binary payload
/// (weights, optimiser states, buffers, generator counters, environment states) and a SHA-256 of everything before it.
/// <code>
/// "TRIRLCKP" | uint32 version | int32 header length | header JSON | int64 payload length | payload | SHA-256 (32 bytes)
/// </code>
/// Integers are little-endian. <see cref="Save"/> writes atomically (a temporary file in the same folder, then a rename),
/// so a reader never sees half a file; <see cref="Load"/> refuses a truncated, corrupt or foreign file with a
/// <see cref="TrirlInputException"/> that names the file.
/// </summary>
public sealed record CheckpointFile
{
    /// <summary>The 8 magic bytes <c>TRIRLCKP</c>.</summary>
    public static ReadOnlySpan<byte> Magic => "TRIRLCKP"u8;

    /// <summary>The format version this library writes and reads.</summary>
    public const uint Version = 1;

    private readonly byte[] payload;

    /// <summary>A file with the given header (a JSON object) and payload.</summary>
    public CheckpointFile(string headerJson, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(headerJson);
        ArgumentNullException.ThrowIfNull(payload);
        HeaderJson = headerJson;
        this.payload = payload;
    }

    /// <summary>The header, a JSON object.</summary>
    public string HeaderJson { get; }

    /// <summary>The binary payload (read-only view).</summary>
    public ReadOnlyMemory<byte> Payload => payload;

    /// <summary>The header parsed (dispose it).</summary>
    public JsonDocument ParseHeader() => JsonDocument.Parse(HeaderJson);

    /// <summary>The bytes of the file.</summary>
    public byte[] ToBytes()
    {
        var header = Encoding.UTF8.GetBytes(HeaderJson);
        var bytes = new byte[8 + 4 + 4 + header.Length + 8 + payload.Length + 32];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], header.Length);
        header.CopyTo(span[16..]);
        int at = 16 + header.Length;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], payload.Length);
        payload.CopyTo(span[(at + 8)..]);
        int hashAt = at + 8 + payload.Length;
        SHA256.HashData(span[..hashAt], span[hashAt..]);
        return bytes;
    }

    /// <summary>Writes the file to <paramref name="path"/> atomically (temporary file, flush, rename).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.WriteAllBytes(path, ToBytes());
    }

    /// <summary>The file at <paramref name="path"/>, checked (see <see cref="Read"/>).</summary>
    public static CheckpointFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new TrirlInputException(path, "does not exist", "pass the folder of an earlier run (it holds checkpoints/checkpoint.ckpt) or a policy file");
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// The file in <paramref name="bytes"/>; <paramref name="source"/> names it in errors. A missing magic, another
    /// version, lengths that do not fit, a hash mismatch or a header that is not a JSON object is a
    /// <see cref="TrirlInputException"/>.
    /// </summary>
    public static CheckpointFile Read(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        const string rewrite = "the file is damaged or not a trirl checkpoint: use another checkpoint, or start the run again from scratch";
        var span = bytes.AsSpan();
        if (span.Length < 16 + 8 + 32 || !span[..8].SequenceEqual(Magic))
            throw new TrirlInputException(source, "is not a trirl checkpoint (no TRIRLCKP magic)", rewrite);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        if (version != Version)
            throw new TrirlInputException(source, $"has checkpoint format version {version}, this build reads version {Version}", "resume it with the trirl version that wrote it");
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(span[12..]);
        if (headerLength < 2 || 16L + headerLength + 8 + 32 > span.Length)
            throw new TrirlInputException(source, $"is truncated or corrupt (header length {headerLength}, file {span.Length} bytes)", rewrite);
        int at = 16 + headerLength;
        long payloadLength = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
        if (payloadLength < 0 || at + 8 + payloadLength + 32 != span.Length)
            throw new TrirlInputException(source, $"is truncated or corrupt (payload length {payloadLength}, file {span.Length} bytes)", rewrite);
        int hashAt = at + 8 + (int)payloadLength;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(span[..hashAt], hash);
        if (!hash.SequenceEqual(span[hashAt..]))
            throw new TrirlInputException(source, "is corrupt (its SHA-256 does not match its content)", rewrite);
        string header;
        try
        {
            header = new UTF8Encoding(false, true).GetString(span.Slice(16, headerLength));
            using var doc = JsonDocument.Parse(header);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("the header is not an object");
        }
        catch (Exception ex) when (ex is JsonException or DecoderFallbackException)
        {
            throw new TrirlInputException(source, $"has an unreadable header ({ex.Message})", rewrite);
        }
        return new CheckpointFile(header, span.Slice(at + 8, (int)payloadLength).ToArray());
    }

    /// <summary>Value equality: the same header text and payload bytes.</summary>
    public bool Equals(CheckpointFile? other) =>
        other is not null && HeaderJson == other.HeaderJson && payload.AsSpan().SequenceEqual(other.payload);

    /// <summary>Hash of the header and the payload length.</summary>
    public override int GetHashCode() => HashCode.Combine(HeaderJson, payload.Length);
}
