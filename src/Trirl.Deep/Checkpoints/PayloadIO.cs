using System.Runtime.InteropServices;

namespace Trirl.Deep;

/// <summary>
/// Writing and reading the sections of a checkpoint payload: arrays as a length then raw little-endian values, an
/// environment state component by component, modules through TorchSharp's <c>Module.save</c>/<c>load</c>, Adam states
/// through TorchSharp's <c>save_state_dict</c>/<c>load_state_dict</c> (step count, first and second moments per
/// parameter). Every section starts with a tag so a payload read against the wrong layout fails loudly.
/// </summary>
internal static class PayloadIO
{
    public static void Tag(this BinaryWriter w, string tag) => w.Write(tag);

    public static void ExpectTag(this BinaryReader r, string tag)
    {
        string found = r.ReadString();
        if (found != tag) throw new InvalidDataException($"expected section '{tag}', found '{found}'");
    }

    public static void WriteArray(this BinaryWriter w, float[] values) => WriteArray(w, values, values.Length);

    public static void WriteArray(this BinaryWriter w, float[] values, int count)
    {
        w.Write(count);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan(0, count)));
    }

    public static void WriteArray(this BinaryWriter w, double[] values)
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    public static void WriteArray(this BinaryWriter w, int[] values)
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    public static void WriteArray(this BinaryWriter w, long[] values)
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static T[] ReadArray<T>(BinaryReader r, int maxLength) where T : unmanaged
    {
        int n = r.ReadInt32();
        if (n < 0 || n > maxLength) throw new InvalidDataException($"array length {n} is out of range");
        var values = new T[n];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (r.Read(bytes) != bytes.Length) throw new EndOfStreamException("the payload ends inside an array");
        return values;
    }

    public static float[] ReadFloats(this BinaryReader r, int maxLength = int.MaxValue) => ReadArray<float>(r, maxLength);

    public static double[] ReadDoubles(this BinaryReader r, int maxLength = int.MaxValue) => ReadArray<double>(r, maxLength);

    public static int[] ReadInts(this BinaryReader r, int maxLength = int.MaxValue) => ReadArray<int>(r, maxLength);

    public static long[] ReadLongs(this BinaryReader r, int maxLength = int.MaxValue) => ReadArray<long>(r, maxLength);

    /// <summary>Reads an array into an existing buffer (its first <c>count</c> entries); returns the count.</summary>
    public static int ReadInto(this BinaryReader r, float[] target)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > target.Length) throw new InvalidDataException($"array length {n} exceeds the buffer's {target.Length}");
        var bytes = MemoryMarshal.AsBytes(target.AsSpan(0, n));
        if (r.Read(bytes) != bytes.Length) throw new EndOfStreamException("the payload ends inside an array");
        return n;
    }

    public static void WriteState(this BinaryWriter w, VecEnvState state)
    {
        w.Tag("env-state");
        w.Write(state.Env);
        w.Write(state.StateSize);
        for (int c = 0; c < state.StateSize; c++) w.WriteArray(state.Component(c).ToArray());
        w.WriteArray(state.Steps.ToArray());
        w.WriteArray(state.Episodes.ToArray());
        w.WriteArray(state.Seeds.ToArray());
    }

    public static VecEnvState ReadState(this BinaryReader r)
    {
        r.ExpectTag("env-state");
        string env = r.ReadString();
        int size = r.ReadInt32();
        if (size < 1 || size > 1024) throw new InvalidDataException($"state size {size} is out of range");
        var comps = new double[size][];
        for (int c = 0; c < size; c++) comps[c] = r.ReadDoubles();
        return new VecEnvState(env, comps, r.ReadInts(), r.ReadInts(), r.ReadLongs());
    }

    public static void WriteModule(this BinaryWriter w, string tag, torch.nn.Module module)
    {
        w.Tag(tag);
        module.save(w);
    }

    public static void ReadModule(this BinaryReader r, string tag, torch.nn.Module module)
    {
        r.ExpectTag(tag);
        module.load(r, strict: true);
    }

    public static void WriteOptimizer(this BinaryWriter w, string tag, TorchSharp.Modules.Adam optimizer)
    {
        w.Tag(tag);
        optimizer.save_state_dict(w);
    }

    public static void ReadOptimizer(this BinaryReader r, string tag, TorchSharp.Modules.Adam optimizer)
    {
        r.ExpectTag(tag);
        optimizer.load_state_dict(r);
    }

    public static void WriteTensor(this BinaryWriter w, string tag, torch.Tensor tensor)
    {
        w.Tag(tag);
        var shape = tensor.shape;
        w.Write(shape.Length);
        foreach (long d in shape) w.Write(d);
        // The intermediate tensors are held by a scope and the argument (often a caller's temporary view) by KeepAlive
        // while libtorch reads them: a tensor nothing references can be finalized by a collection on another thread in
        // the middle of the call, the race KeptScalars describes for Scalars (here a crash in a copy).
        using var scope = torch.NewDisposeScope();
        var cpu = tensor.detach().cpu().to(torch.ScalarType.Float32).contiguous();
        w.WriteArray(cpu.data<float>().ToArray());
        GC.KeepAlive(tensor);
    }

    /// <summary>Reads a float32 tensor written by <see cref="WriteTensor"/> and copies it into <paramref name="target"/>.</summary>
    public static void ReadTensorInto(this BinaryReader r, string tag, torch.Tensor target)
    {
        r.ExpectTag(tag);
        int rank = r.ReadInt32();
        if (rank < 0 || rank > 8) throw new InvalidDataException($"tensor rank {rank} is out of range");
        var shape = new long[rank];
        for (int i = 0; i < rank; i++) shape[i] = r.ReadInt64();
        if (!shape.SequenceEqual(target.shape)) throw new InvalidDataException($"tensor '{tag}' has shape [{string.Join(", ", shape)}], expected [{string.Join(", ", target.shape)}]");
        var values = r.ReadFloats();
        using var source = torch.tensor(values, shape, device: target.device);
        using (torch.no_grad()) target.copy_(source);
        GC.KeepAlive(target); // often a caller's temporary view: held until libtorch has copied (see WriteTensor)
    }

    /// <summary>Wraps a failure to read a payload section as the checkpoint error it is.</summary>
    public static TrirlInputException Corrupt(string source, Exception ex) =>
        new(source, $"has a payload this build cannot read ({ex.GetType().Name}: {ex.Message})",
            "the file is damaged or was written by another version: use another checkpoint, or start the run again from scratch");
}
