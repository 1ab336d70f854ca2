using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Trirl.Environments.Data;

/// <summary>
/// numpy's <c>.npy</c> format (numpy.lib.format), byte-compatible with <c>numpy.save</c>:
/// <code>
/// "\x93NUMPY"  major minor  HEADER_LEN (uint16 LE for 1.0; uint32 LE for 2.0 and 3.0)
/// header: the repr of a dict with the keys sorted, e.g. {'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 2), }
///         followed by 21 - len(repr(shape[0])) spaces of room to grow (none for a 0-d array), then spaces and a
///         final '\n' so that magic + length + header is a multiple of 64 bytes (1 to 64 spaces, as numpy pads)
/// data:   the elements in C order, little-endian
/// </code>
/// Version 1.0 is written (2.0 when the header would not fit a uint16, which never happens for the dtypes here);
/// 1.0, 2.0 (uint32 length) and 3.0 (UTF-8 header) are read, in C or Fortran order (the latter is reordered to C).
/// </summary>
public static class Npy
{
    /// <summary>The six magic bytes <c>\x93NUMPY</c>.</summary>
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>numpy's alignment of the data start (<c>ARRAY_ALIGN</c>).</summary>
    public const int ArrayAlign = 64;

    /// <summary>numpy's room for the growth axis in the header (<c>GROWTH_AXIS_MAX_DIGITS</c>).</summary>
    public const int GrowthAxisMaxDigits = 21;

    /// <summary>The header dict as numpy writes it before padding, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 2), }</c>.</summary>
    public static string HeaderDict(NpyArray array)
    {
        Check.NotNull(array, nameof(array));
        return $"{{'descr': '{NpyArray.Descr(array.Dtype)}', 'fortran_order': False, 'shape': {array.ShapeText}, }}";
    }

    /// <summary>The bytes of the <c>.npy</c> file of <paramref name="array"/>, exactly as <c>numpy.save</c> writes them.</summary>
    public static byte[] Write(NpyArray array)
    {
        string header = HeaderDict(array);
        if (array.Shape.Length > 0)
            header += new string(' ', Math.Max(0, GrowthAxisMaxDigits - array.Shape[0].ToString(CultureInfo.InvariantCulture).Length));
        var text = Encoding.Latin1.GetBytes(header);
        // numpy: hlen = len(header) + 1 (the '\n'); padlen = ARRAY_ALIGN - ((MAGIC_LEN + len(fmt) + hlen) % ARRAY_ALIGN).
        int hlen = text.Length + 1;
        int major = 1, lengthBytes = 2;
        int padlen = ArrayAlign - ((Magic.Length + 2 + lengthBytes + hlen) % ArrayAlign);
        if (hlen + padlen > ushort.MaxValue)
        {
            major = 2;
            lengthBytes = 4;
            padlen = ArrayAlign - ((Magic.Length + 2 + lengthBytes + hlen) % ArrayAlign);
        }
        int headerTotal = hlen + padlen;
        int prefix = Magic.Length + 2 + lengthBytes;
        var data = array.Bytes;
        var result = new byte[prefix + headerTotal + data.Length];
        Magic.CopyTo(result);
        result[6] = (byte)major;
        result[7] = 0;
        if (lengthBytes == 2) BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)headerTotal);
        else BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)headerTotal);
        text.CopyTo(result, prefix);
        result.AsSpan(prefix + text.Length, padlen).Fill((byte)' ');
        result[prefix + headerTotal - 1] = (byte)'\n';
        data.CopyTo(result.AsSpan(prefix + headerTotal));
        return result;
    }

    /// <summary>
    /// Parses the <c>.npy</c> file in <paramref name="bytes"/>. Anything that is not a well-formed array of a supported
    /// dtype with exactly the bytes its shape needs is a <see cref="TrirlInputException"/> for <paramref name="source"/>
    /// (e.g. <c>"data.npz: obs.npy"</c>).
    /// </summary>
    public static NpyArray Read(byte[] bytes, string source = "array.npy")
    {
        Check.NotNull(bytes, nameof(bytes));
        return Read(bytes.AsSpan(), source);
    }

    internal static NpyArray Read(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw Bad(source, bytes.Length < 6 ? $"is {bytes.Length} bytes long, too short for a .npy file" : "does not start with the .npy magic bytes \\x93NUMPY");
        int major = bytes[6], minor = bytes[7];
        if (minor != 0 || major is < 1 or > 3)
            throw Bad(source, $"has .npy format version {major}.{minor}; versions 1.0, 2.0 and 3.0 are supported");
        int lengthBytes = major == 1 ? 2 : 4;
        int prefix = 8 + lengthBytes;
        if (bytes.Length < prefix) throw Bad(source, "is truncated inside the header length");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (bytes.Length - prefix < headerLength)
            throw Bad(source, $"is truncated inside the header ({bytes.Length - prefix} of {headerLength} header bytes present)");
        var headerBytes = bytes.Slice(prefix, (int)headerLength);
        string header;
        try
        {
            header = major == 3
                ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes)
                : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException)
        {
            throw Bad(source, "has a version 3.0 header that is not valid UTF-8");
        }
        var (dtype, fortran, shape) = ParseHeader(header, source);
        long count = NpyArray.Count(shape);
        int size = NpyArray.ItemSize(dtype);
        if (count < 0 || count > Array.MaxLength / size)
            throw Bad(source, $"declares shape {FormatShape(shape)}, too large for one array");
        var data = bytes[(prefix + (int)headerLength)..];
        long need = count * size;
        if (data.Length != need)
            throw Bad(source, data.Length < need
                ? $"is truncated: shape {FormatShape(shape)} of {NpyArray.Descr(dtype)} needs {need} data bytes, the file has {data.Length}"
                : $"has {data.Length} data bytes but shape {FormatShape(shape)} of {NpyArray.Descr(dtype)} needs {need}: the header does not describe the data");
        var dims = shape.Select(d => (int)d).ToArray();
        var copy = fortran && dims.Length > 1 ? FortranToC(data, dims, size) : data.ToArray();
        if (dtype == NpyDtype.Bool)
            for (int i = 0; i < copy.Length; i++)
                if (copy[i] > 1) throw Bad(source, $"holds byte {copy[i]} at element {i} of a bool array (only 0 and 1 are bools)");
        return NpyArray.Own(dtype, dims, copy);
    }

    private static TrirlInputException Bad(string source, string problem) =>
        new(source, problem, "write the file with numpy.save / numpy.savez (or this library), and check that it was copied completely");

    private static string FormatShape(IReadOnlyList<long> shape) => shape.Count switch
    {
        0 => "()",
        1 => $"({shape[0]},)",
        _ => "(" + string.Join(", ", shape) + ")",
    };

    private static byte[] FortranToC(ReadOnlySpan<byte> data, int[] dims, int size)
    {
        var result = new byte[data.Length];
        int n = data.Length / size, k = dims.Length;
        var index = new int[k];
        // Walk the elements in C order; the Fortran offset is sum_j index[j] * prod_{l<j} dims[l].
        for (int c = 0; c < n; c++)
        {
            long f = 0, stride = 1;
            for (int j = 0; j < k; j++)
            {
                f += index[j] * stride;
                stride *= dims[j];
            }
            data.Slice((int)f * size, size).CopyTo(result.AsSpan(c * size, size));
            for (int j = k - 1; j >= 0; j--)
            {
                if (++index[j] < dims[j]) break;
                index[j] = 0;
            }
        }
        return result;
    }

    // ------------------------------------------------------------------ the header: a Python dict literal

    private static (NpyDtype Dtype, bool Fortran, long[] Shape) ParseHeader(string header, string source)
    {
        object? value;
        try
        {
            value = new PythonLiteralParser(header).ParseTop();
        }
        catch (FormatException ex)
        {
            throw Bad(source, $"has a header that is not a Python literal ({ex.Message}): {Quote(header)}");
        }
        if (value is not Dictionary<string, object> dict)
            throw Bad(source, $"has a header that is not a dict: {Quote(header)}");
        string[] expected = ["descr", "fortran_order", "shape"];
        foreach (string key in expected)
            if (!dict.ContainsKey(key)) throw Bad(source, $"has a header without the key '{key}': {Quote(header)}");
        foreach (string key in dict.Keys)
            if (Array.IndexOf(expected, key) < 0) throw Bad(source, $"has a header with the unexpected key '{key}': {Quote(header)}");
        if (dict["fortran_order"] is not bool fortran)
            throw Bad(source, $"has a header whose 'fortran_order' is not True or False: {Quote(header)}");
        if (dict["shape"] is not PythonLiteralParser.Tuple shapeTuple || shapeTuple.Items.Any(d => d is not long))
            throw Bad(source, $"has a header whose 'shape' is not a tuple of integers: {Quote(header)}");
        var shape = shapeTuple.Items.Cast<long>().ToArray();
        if (shape.Any(d => d < 0)) throw Bad(source, $"has a negative dimension in shape {FormatShape(shape)}");
        if (dict["descr"] is not string descr)
            throw Bad(source, $"has a structured or non-string dtype descriptor, only <f4, <f8, |b1, <i4 and <i8 are supported: {Quote(header)}");
        NpyDtype dtype = descr switch
        {
            "<f4" => NpyDtype.Float32,
            "<f8" => NpyDtype.Float64,
            "|b1" => NpyDtype.Bool,
            "<i4" => NpyDtype.Int32,
            "<i8" => NpyDtype.Int64,
            _ when descr.StartsWith('>') => throw new TrirlInputException(source, $"has big-endian dtype '{descr}'",
                $"save it little-endian (numpy: arr.astype('<{descr[1..]}'))"),
            _ => throw new TrirlInputException(source, $"has dtype '{descr}'; supported are <f4, <f8, |b1, <i4 and <i8",
                "convert it with arr.astype(...) before saving"),
        };
        return (dtype, fortran, shape);
    }

    private static string Quote(string header)
    {
        string s = header.TrimEnd();
        return s.Length > 200 ? s[..200] + "..." : s;
    }
}
