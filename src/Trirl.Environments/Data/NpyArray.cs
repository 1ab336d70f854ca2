using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Trirl.Environments.Data;

/// <summary>The element types this library reads and writes in <c>.npy</c> files, with numpy's descriptors.</summary>
public enum NpyDtype
{
    /// <summary><c>&lt;f4</c>: little-endian float32.</summary>
    Float32,

    /// <summary><c>&lt;f8</c>: little-endian float64.</summary>
    Float64,

    /// <summary><c>|b1</c>: bool, one byte, 0 or 1.</summary>
    Bool,

    /// <summary><c>&lt;i4</c>: little-endian int32.</summary>
    Int32,

    /// <summary><c>&lt;i8</c>: little-endian int64.</summary>
    Int64,
}

/// <summary>
/// An n-dimensional array as a <c>.npy</c> file holds it: a dtype, a shape and the elements in C order
/// (row-major, the last index fastest), stored as their little-endian bytes.
/// </summary>
public sealed record NpyArray
{
    private readonly byte[] data;
    private readonly int[] shape;

    private NpyArray(NpyDtype dtype, int[] shape, byte[] data)
    {
        Dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /// <summary>Element type.</summary>
    public NpyDtype Dtype { get; }

    /// <summary>Shape; empty for a 0-d (scalar) array.</summary>
    public ImmutableArray<int> Shape => ImmutableCollectionsMarshal.AsImmutableArray(shape);

    /// <summary>Number of elements (the product of the shape; 1 for a 0-d array).</summary>
    public int Length => data.Length / ItemSize(Dtype);

    /// <summary>The elements' little-endian bytes in C order.</summary>
    public ImmutableArray<byte> Data => ImmutableCollectionsMarshal.AsImmutableArray(data);

    internal ReadOnlySpan<byte> Bytes => data;

    /// <summary>numpy's descriptor of <paramref name="dtype"/>: <c>&lt;f4</c>, <c>&lt;f8</c>, <c>|b1</c>, <c>&lt;i4</c> or <c>&lt;i8</c>.</summary>
    public static string Descr(NpyDtype dtype) => dtype switch
    {
        NpyDtype.Float32 => "<f4",
        NpyDtype.Float64 => "<f8",
        NpyDtype.Bool => "|b1",
        NpyDtype.Int32 => "<i4",
        NpyDtype.Int64 => "<i8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>Bytes per element.</summary>
    public static int ItemSize(NpyDtype dtype) => dtype switch
    {
        NpyDtype.Float32 or NpyDtype.Int32 => 4,
        NpyDtype.Float64 or NpyDtype.Int64 => 8,
        NpyDtype.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>A float32 array of the given shape from C-ordered <paramref name="values"/>.</summary>
    public static NpyArray FromFloat32(IReadOnlyList<int> shape, IReadOnlyList<float> values) =>
        Build(NpyDtype.Float32, shape, values, static (span, v) => BinaryPrimitives.WriteSingleLittleEndian(span, v));

    /// <summary>A float64 array of the given shape from C-ordered <paramref name="values"/>.</summary>
    public static NpyArray FromFloat64(IReadOnlyList<int> shape, IReadOnlyList<double> values) =>
        Build(NpyDtype.Float64, shape, values, static (span, v) => BinaryPrimitives.WriteDoubleLittleEndian(span, v));

    /// <summary>A bool array of the given shape from C-ordered <paramref name="values"/>.</summary>
    public static NpyArray FromBool(IReadOnlyList<int> shape, IReadOnlyList<bool> values) =>
        Build(NpyDtype.Bool, shape, values, static (span, v) => span[0] = v ? (byte)1 : (byte)0);

    /// <summary>An int32 array of the given shape from C-ordered <paramref name="values"/>.</summary>
    public static NpyArray FromInt32(IReadOnlyList<int> shape, IReadOnlyList<int> values) =>
        Build(NpyDtype.Int32, shape, values, static (span, v) => BinaryPrimitives.WriteInt32LittleEndian(span, v));

    /// <summary>An int64 array of the given shape from C-ordered <paramref name="values"/>.</summary>
    public static NpyArray FromInt64(IReadOnlyList<int> shape, IReadOnlyList<long> values) =>
        Build(NpyDtype.Int64, shape, values, static (span, v) => BinaryPrimitives.WriteInt64LittleEndian(span, v));

    /// <summary>The elements as float32, C order; a <see cref="TrirlInputException"/> for another dtype.</summary>
    public ImmutableArray<float> ToFloat32(string field = "array") =>
        Convert(NpyDtype.Float32, field, static span => BinaryPrimitives.ReadSingleLittleEndian(span));

    /// <summary>The elements as float64, C order; a <see cref="TrirlInputException"/> for another dtype.</summary>
    public ImmutableArray<double> ToFloat64(string field = "array") =>
        Convert(NpyDtype.Float64, field, static span => BinaryPrimitives.ReadDoubleLittleEndian(span));

    /// <summary>The elements as bools, C order; a <see cref="TrirlInputException"/> for another dtype.</summary>
    public ImmutableArray<bool> ToBool(string field = "array") => Convert(NpyDtype.Bool, field, static span => span[0] != 0);

    /// <summary>The elements as int32, C order; a <see cref="TrirlInputException"/> for another dtype.</summary>
    public ImmutableArray<int> ToInt32(string field = "array") =>
        Convert(NpyDtype.Int32, field, static span => BinaryPrimitives.ReadInt32LittleEndian(span));

    /// <summary>The elements as int64, C order; a <see cref="TrirlInputException"/> for another dtype.</summary>
    public ImmutableArray<long> ToInt64(string field = "array") =>
        Convert(NpyDtype.Int64, field, static span => BinaryPrimitives.ReadInt64LittleEndian(span));

    /// <summary>The shape as numpy prints it: <c>(3, 2)</c>, <c>(5,)</c> or <c>()</c>.</summary>
    public string ShapeText => FormatShape(shape);

    internal static string FormatShape(IReadOnlyList<int> shape) => shape.Count switch
    {
        0 => "()",
        1 => $"({shape[0]},)",
        _ => "(" + string.Join(", ", shape) + ")",
    };

    /// <summary>Wraps bytes already checked against the shape (library-internal, no copy).</summary>
    internal static NpyArray Own(NpyDtype dtype, int[] shape, byte[] data) => new(dtype, shape, data);

    /// <summary>Number of elements of <paramref name="shape"/>, or -1 when a dimension is negative or the count overflows an array.</summary>
    internal static long Count(IReadOnlyList<long> shape)
    {
        long n = 1;
        foreach (long d in shape)
        {
            if (d < 0) return -1;
            if (d != 0 && n > Array.MaxLength / d) return -1;
            n *= d;
        }
        return n;
    }

    private delegate void Writer<T>(Span<byte> destination, T value);

    private static NpyArray Build<T>(NpyDtype dtype, IReadOnlyList<int> shape, IReadOnlyList<T> values, Writer<T> write)
    {
        Check.NotNull(shape, nameof(shape));
        Check.NotNull(values, nameof(values));
        var dims = shape.ToArray();
        for (int k = 0; k < dims.Length; k++)
            if (dims[k] < 0) throw new TrirlInputException($"{nameof(shape)}[{k}]", $"is {dims[k]}", "pass dimensions >= 0");
        long count = Count(dims.Select(d => (long)d).ToArray());
        int size = ItemSize(dtype);
        if (count < 0 || count * size > Array.MaxLength)
            throw new TrirlInputException(nameof(shape), $"{FormatShape(dims)} is too large for one array", "split the data");
        if (values.Count != count)
            throw new TrirlInputException(nameof(values), $"has {values.Count} elements but shape {FormatShape(dims)} needs {count}", "pass one value per element, C order");
        var bytes = new byte[count * size];
        for (int i = 0; i < values.Count; i++) write(bytes.AsSpan(i * size, size), values[i]);
        return new NpyArray(dtype, dims, bytes);
    }

    private delegate T Reader<T>(ReadOnlySpan<byte> source);

    private ImmutableArray<T> Convert<T>(NpyDtype expected, string field, Reader<T> read)
    {
        if (Dtype != expected)
            throw new TrirlInputException(field, $"has dtype {Descr(Dtype)}, expected {Descr(expected)}",
                $"save it as {Descr(expected)} (numpy: arr.astype('{Descr(expected)}'))");
        int size = ItemSize(Dtype);
        var result = new T[data.Length / size];
        for (int i = 0; i < result.Length; i++) result[i] = read(data.AsSpan(i * size, size));
        return ImmutableCollectionsMarshal.AsImmutableArray(result);
    }

    /// <summary>Value equality: the same dtype, shape and bytes.</summary>
    public bool Equals(NpyArray? other) =>
        other is not null && Dtype == other.Dtype && shape.AsSpan().SequenceEqual(other.shape) && data.AsSpan().SequenceEqual(other.data);

    /// <summary>Hash of the dtype, shape and size.</summary>
    public override int GetHashCode() => HashCode.Combine(Dtype, shape.Length, data.Length);
}
