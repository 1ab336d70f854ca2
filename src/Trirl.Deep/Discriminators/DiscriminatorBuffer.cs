namespace Trirl.Deep;

/// <summary>
/// The last <c>K</c> discriminators of a run and their trust-region multipliers <c>eta</c>: the corrected reward
/// <c>r(x) = sum_k w_k D_k(x)</c> (<see cref="CorrectedWeights"/>; math note, sections 6 and 9). The networks (MLPs
/// without LayerNorm) are copied into stacked tensors, one per layer (<c>[K, in, out]</c>, transposed so that a batch
/// multiplies from the left), in a ring: when the buffer is full the newest network replaces the oldest. Evaluation is
/// the hot spot of deep TRIRL; <see cref="Evaluate(Tensor, IReadOnlyList{double}, BufferPath)"/> offers the paths of
/// <see cref="BufferPath"/>, which return the same sums. Networks whose weight is 0 are skipped.
/// </summary>
public sealed class DiscriminatorBuffer : IDisposable
{
    private readonly StackedMlps stack;
    private readonly double[] etas;
    private int start;

    /// <summary>An empty buffer of <paramref name="capacity"/> networks <c>inputSize -&gt; spec -&gt; 1</c> on <paramref name="device"/>.</summary>
    public DiscriminatorBuffer(int capacity, int inputSize, MlpSpec spec, Device device)
    {
        Check.PositiveInt(capacity, "capacity");
        Check.PositiveInt(inputSize, "inputSize");
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate("buffer.network");
        if (spec.LayerNorm) throw new TrirlInputException("buffer.network", "has a LayerNorm", "use discriminators without LayerNorm");
        TorchRuntime.Ensure();
        Capacity = capacity;
        InputSize = inputSize;
        Spec = spec;
        Device = device;
        stack = new StackedMlps(capacity, inputSize, spec, device);
        etas = new double[capacity];
    }

    /// <summary>Most networks held (<c>K</c>).</summary>
    public int Capacity { get; }

    /// <summary>Networks held now.</summary>
    public int Count { get; private set; }

    /// <summary>Input size of every network (features and flag).</summary>
    public int InputSize { get; }

    /// <summary>Shape of every network.</summary>
    public MlpSpec Spec { get; }

    /// <summary>The device of the stacked weights.</summary>
    public Device Device { get; }

    /// <summary>The storage slot of the network of age <paramref name="age"/> (0 = oldest).</summary>
    private int Slot(int age) => (start + age) % Capacity;

    /// <summary>The etas of the networks, oldest first (the newest's is 0 until <see cref="RecordEta"/>).</summary>
    public ImmutableArray<double> Etas => [.. Enumerable.Range(0, Count).Select(a => etas[Slot(a)])];

    /// <summary>
    /// Copies <paramref name="network"/> (an <see cref="Mlp"/> of the buffer's shape) in as the newest, with <c>eta = 0</c>,
    /// replacing the oldest when full.
    /// </summary>
    public void Push(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.InputSize != InputSize || network.OutputSize != 1 || !network.Spec.Equals(Spec))
            throw new TrirlInputException("network", $"is {network.InputSize}-{network.Spec.Description}-{network.OutputSize}, the buffer holds {InputSize}-{Spec.Description}-1",
                "push networks of the buffer's shape");
        int slot;
        if (Count < Capacity)
        {
            slot = Slot(Count);
            Count++;
        }
        else
        {
            slot = start;
            start = (start + 1) % Capacity;
        }
        stack.CopyIn(slot, network);
        etas[slot] = 0;
    }

    /// <summary>Records the multiplier of the policy step taken with the newest network (math note, section 6).</summary>
    public void RecordEta(double eta)
    {
        if (Count == 0) throw new InvalidOperationException("the buffer is empty");
        if (!(eta >= 0) || !double.IsFinite(eta)) throw new TrirlInputException("eta", $"must be a finite number >= 0, got {Check.Format(eta)}", "record the step's multiplier");
        etas[Slot(Count - 1)] = eta;
    }

    /// <summary>
    /// The weights oldest first: corrected (<see cref="CorrectedWeights.Weights"/>) or, when <paramref name="corrects"/> is
    /// false, uncorrected (<c>eta = 0</c> throughout).
    /// </summary>
    public ImmutableArray<double> Weights(double eps, bool corrects) =>
        corrects ? CorrectedWeights.Weights(Etas, eps) : CorrectedWeights.Uncorrected(Count, eps);

    /// <summary>
    /// <c>sum_k w_k D_k(x)</c> for input rows <paramref name="inputs"/> <c>[N, InputSize]</c> (on the buffer's device),
    /// with <paramref name="ageWeights"/> oldest first (one per network held), by <paramref name="path"/>.
    /// </summary>
    public double[] Evaluate(Tensor inputs, IReadOnlyList<double> ageWeights, BufferPath path = BufferPath.Auto)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(ageWeights);
        if (inputs.ndim != 2 || inputs.shape[1] != InputSize)
            throw new TrirlInputException("inputs", $"has shape [{string.Join(", ", inputs.shape)}], expected [N, {InputSize}]", "pass one row of features and flag per transition");
        if (ageWeights.Count != Count)
            throw new TrirlInputException("weights", $"has {ageWeights.Count} entries for {Count} networks", "pass one weight per network, oldest first");
        var slotWeights = new double[Capacity];
        for (int a = 0; a < Count; a++) slotWeights[Slot(a)] = ageWeights[a];
        var order = Enumerable.Range(0, Count).Select(Slot).Where(s => slotWeights[s] != 0).ToArray();
        int n = (int)inputs.shape[0];
        if (n == 0 || order.Length == 0) return new double[n];
        using var grad = no_grad();
        var resolved = Resolve(path);
        return resolved switch
        {
            BufferPath.Loop => stack.Loop(inputs, order, slotWeights),
            BufferPath.Batched => stack.Batched(inputs, slotWeights, Count, 10),
            _ => stack.Fused(inputs, order, slotWeights),
        };
    }

    /// <summary>The same for rows in a float array <c>[count * InputSize]</c>.</summary>
    public double[] Evaluate(float[] inputs, int count, IReadOnlyList<double> ageWeights, BufferPath path = BufferPath.Auto)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var x = tensor(inputs, [count, InputSize], device: Device);
        return Evaluate(x, ageWeights, path);
    }

    /// <summary>The concrete path <see cref="BufferPath.Auto"/> stands for here (and a check that a forced path is possible).</summary>
    public BufferPath Resolve(BufferPath path)
    {
        bool fusable = Device.type == DeviceType.CPU && FusedKernels.Supports(Spec.Activation);
        return path switch
        {
            BufferPath.Auto => fusable ? BufferPath.Fused : BufferPath.Loop,
            BufferPath.Fused when !fusable => throw new TrirlInputException("path", "fused needs the CPU and tanh or ReLU networks", "use loop or batched"),
            _ => path,
        };
    }

    /// <summary>Rows per block of the fused path: a block's activations stay in the core's L2 cache between the passes.</summary>
    internal const int FusedBlockRows = StackedMlps.FusedBlockRows;

    /// <summary>
    /// The GEMMs of the evaluation alone, for <paramref name="networks"/> networks on <paramref name="inputs"/>: per network
    /// one matrix product per layer and the output matrix-vector product, into reused buffers, with no bias, activation or
    /// sum (the floor the evaluation is measured against; the results are discarded).
    /// </summary>
    public void GemmFloor(Tensor inputs, int networks) => stack.GemmFloor(inputs, networks);

    /// <summary>The network of age <paramref name="age"/> (0 = oldest) as a fresh <see cref="Mlp"/> on the CPU.</summary>
    public Mlp Network(int age)
    {
        if (age < 0 || age >= Count) throw new TrirlInputException("age", $"must be in [0, {Count}), got {age}", "pass the age of a network held");
        int slot = Slot(age);
        var net = new Mlp("net", InputSize, Spec, 1, 1.0, new Rng(0));
        stack.CopyOut(slot, net);
        return net;
    }

    internal void Save(BinaryWriter w)
    {
        w.Tag("disc-buffer");
        w.Write(Capacity);
        w.Write(Count);
        w.Write(start);
        w.WriteArray(etas);
        // The filled slots are 0..Count-1 (the ring starts to turn only when it is full).
        stack.Save(w, Math.Max(Count, 1));
    }

    internal void Load(BinaryReader r)
    {
        r.ExpectTag("disc-buffer");
        int capacity = r.ReadInt32();
        if (capacity != Capacity) throw new InvalidDataException($"buffer capacity {capacity} differs from the settings' {Capacity}");
        int count = r.ReadInt32(), s = r.ReadInt32();
        if (count < 0 || count > Capacity || s < 0 || s >= Capacity || (count < Capacity && s != 0)) throw new InvalidDataException("buffer counters out of range");
        var e = r.ReadDoubles();
        if (e.Length != Capacity) throw new InvalidDataException("buffer etas do not match the capacity");
        stack.Load(r, Math.Max(count, 1));
        e.CopyTo(etas, 0);
        Count = count;
        start = s;
    }

    /// <summary>Disposes the stacked weights.</summary>
    public void Dispose() => stack.Dispose();
}
