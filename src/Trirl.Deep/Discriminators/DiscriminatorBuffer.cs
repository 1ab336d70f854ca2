using System.Collections.Immutable;
using System.Runtime.InteropServices;
using TorchSharp;
using Trirl.Functional;
using static TorchSharp.torch;

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
    private readonly Tensor[] weights;   // per layer [K, in, out]
    private readonly Tensor[] biases;    // per layer [K, out]
    private readonly Tensor outWeights;  // [K, last]
    private readonly Tensor outBias;     // [K]
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
        int layers = spec.Hidden.Length;
        weights = new Tensor[layers];
        biases = new Tensor[layers];
        int previous = inputSize;
        for (int l = 0; l < layers; l++)
        {
            weights[l] = zeros([capacity, previous, spec.Hidden[l]], ScalarType.Float32, device);
            biases[l] = zeros([capacity, spec.Hidden[l]], ScalarType.Float32, device);
            previous = spec.Hidden[l];
        }
        outWeights = zeros([capacity, previous], ScalarType.Float32, device);
        outBias = zeros([capacity], ScalarType.Float32, device);
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
        var p = network.parameters().ToArray();
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        for (int l = 0; l < weights.Length; l++)
        {
            weights[l][slot].copy_(p[2 * l].detach().t());
            biases[l][slot].copy_(p[2 * l + 1].detach());
        }
        outWeights[slot].copy_(p[2 * weights.Length].detach().squeeze(0));
        outBias[slot].copy_(p[2 * weights.Length + 1].detach().squeeze(0));
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
            BufferPath.Loop => Loop(inputs, order, slotWeights),
            BufferPath.Batched => Batched(inputs, slotWeights, 10),
            _ => Fused(inputs, order, slotWeights),
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

    // Scalars are explicit and kept alive across the torch calls (KeptScalars): elu(x, 1.0) is TorchSharp's
    // x.elu(1.0, 1.0, 1.0) (its elu_(1.0) too, which is not in place), a + b is a.Plus(b), a.add_(b) a.PlusInPlace(b).
    private Tensor Activate(Tensor x) => Spec.Activation switch
    {
        Activation.Tanh => x.tanh(),
        Activation.Relu => x.relu(),
        _ => x.elu(KeptScalars.OneDouble, KeptScalars.OneDouble, KeptScalars.OneDouble),
    };

    private Tensor ActivateInPlace(Tensor x) => Spec.Activation switch
    {
        Activation.Tanh => x.tanh_(),
        Activation.Relu => x.relu_(),
        _ => x.elu(KeptScalars.OneDouble, KeptScalars.OneDouble, KeptScalars.OneDouble).alias(),
    };

    private double[] Loop(Tensor x, int[] order, double[] w)
    {
        using var scope = NewDisposeScope();
        var acc = zeros([x.shape[0]], ScalarType.Float64, x.device);
        foreach (int k in order)
        {
            var h = x;
            for (int l = 0; l < weights.Length; l++) h = Activate(torch.addmm(biases[l][k], h, weights[l][k], 1, 1));
            var y = h.matmul(outWeights[k]).Plus(outBias[k]);
            using var weight = w[k].ToScalar();
            acc.add_(y.to(ScalarType.Float64), weight);
        }
        return acc.cpu().data<double>().ToArray();
    }

    private double[] Batched(Tensor x, double[] w, int chunk)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var acc = zeros([n], ScalarType.Float64, x.device);
        var wt = tensor(w, [Capacity], ScalarType.Float64, x.device);
        for (int s = 0; s < Count; s += chunk)
        {
            int c = Math.Min(chunk, Count - s);
            using var inner = NewDisposeScope();
            var h = x.unsqueeze(0).expand(c, n, InputSize);
            for (int l = 0; l < weights.Length; l++)
            {
                h = h.bmm(weights[l].narrow(0, s, c));
                h.PlusInPlace(biases[l].narrow(0, s, c).unsqueeze(1));
                h = ActivateInPlace(h);
            }
            var y = h.bmm(outWeights.narrow(0, s, c).unsqueeze(2)).squeeze(2);   // [c, n]
            y.PlusInPlace(outBias.narrow(0, s, c).unsqueeze(1));
            acc.PlusInPlace(wt.narrow(0, s, c).unsqueeze(1).mul(y.to(ScalarType.Float64)).sum(dim: 0));
        }
        return acc.cpu().data<double>().ToArray();
    }

    /// <summary>Rows per block of the fused path: a block's activations stay in the core's L2 cache between the passes.</summary>
    internal const int FusedBlockRows = 256;

    private double[] Fused(Tensor x, int[] order, double[] w)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var xc = x.contiguous();
        int block = (int)Math.Min(n, FusedBlockRows);
        int blocks = (int)((n + block - 1) / block);
        var output = new double[n];
        var wk = order.Select(k => Enumerable.Range(0, weights.Length).Select(l => weights[l][k]).ToArray()).ToArray();
        var bk = order.Select(k => Enumerable.Range(0, biases.Length).Select(l => biases[l][k]).ToArray()).ToArray();
        var ok = order.Select(k => outWeights[k]).ToArray();
        var obias = outBias.cpu().data<float>().ToArray();
        int threads = Math.Min(get_num_threads(), blocks);
        if (threads <= 1)
        {
            FusedBlocks(xc, 0, 1, block, order, w, wk, bk, ok, obias, output);
            return output;
        }
        // libtorch parallelises one 256-row GEMM well but the fused passes run on the calling thread, so with T threads
        // the evaluation splits instead into T workers that each take every T-th block with single-threaded GEMMs. A
        // block's numbers do not depend on the worker that computes it, so the result is the same for any T.
        var failures = new Exception?[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            try
            {
                set_num_threads(1);
                FusedBlocks(xc, t, threads, block, order, w, wk, bk, ok, obias, output);
            }
            catch (Exception e) { failures[t] = e; }
        }, 16 << 20) { IsBackground = true, Name = $"trirl-buffer-{t}" }).ToArray();
        int before = get_num_threads();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
        set_num_threads(before);   // MKL's thread count is process-wide: give the caller back its own
        if (failures.FirstOrDefault(e => e is not null) is { } failure) throw new InvalidOperationException("the buffer's evaluation failed in a worker thread", failure);
        return output;
    }

    // Blocks first, first + stride, ... of the rows of xc, accumulated into output (each block's rows only).
    private void FusedBlocks(Tensor xc, int first, int stride, int block, int[] order, double[] w, Tensor[][] wk, Tensor[][] bk, Tensor[] ok,
        float[] obias, double[] output)
    {
        using var scope = NewDisposeScope();
        long n = xc.shape[0];
        var hidden = Spec.Hidden.Select(h => empty([block, h], ScalarType.Float32, xc.device)).ToArray();
        int last = hidden.Length - 1;
        for (long r = (long)first * block; r < n; r += (long)stride * block)
        {
            int rows = (int)Math.Min(block, n - r);
            var xb = xc.narrow(0, r, rows);
            var hb = rows == block ? hidden : hidden.Select(h => h.narrow(0, 0, rows)).ToArray();
            var outBlock = output.AsSpan((int)r, rows);
            for (int j = 0; j < order.Length; j++)
            {
                var input = xb;
                for (int l = 0; l <= last; l++)
                {
                    hb[l].addmm_(input, wk[j][l], beta: 0);
                    if (l < last) FusedKernels.BiasActivation(Floats(hb[l]), Floats(bk[j][l]), Spec.Activation);
                    input = hb[l];
                }
                FusedKernels.BiasActivationDot(Floats(hb[last]), Floats(bk[j][last]), Floats(ok[j]), obias[order[j]], w[order[j]], outBlock, Spec.Activation);
            }
            if (rows != block) foreach (var h in hb) h.Dispose();
            xb.Dispose();
        }
    }

    private static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>
    /// The GEMMs of the evaluation alone, for <paramref name="networks"/> networks on <paramref name="inputs"/>: per network
    /// one matrix product per layer and the output matrix-vector product, into reused buffers, with no bias, activation or
    /// sum (the floor the evaluation is measured against; the results are discarded).
    /// </summary>
    public void GemmFloor(Tensor inputs, int networks)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        long n = inputs.shape[0];
        var hidden = Spec.Hidden.Select(h => empty([n, h], ScalarType.Float32, inputs.device)).ToArray();
        var y = empty([n], ScalarType.Float32, inputs.device);
        for (int j = 0; j < networks; j++)
        {
            int k = j % Capacity;
            var input = inputs;
            for (int l = 0; l < hidden.Length; l++)
            {
                hidden[l].addmm_(input, weights[l][k], beta: 0);
                input = hidden[l];
            }
            y.addmv_(input, outWeights[k], beta: 0);
        }
        if (inputs.device.type == DeviceType.CUDA) cuda.synchronize(inputs.device);
    }

    /// <summary>The network of age <paramref name="age"/> (0 = oldest) as a fresh <see cref="Mlp"/> on the CPU.</summary>
    public Mlp Network(int age)
    {
        if (age < 0 || age >= Count) throw new TrirlInputException("age", $"must be in [0, {Count}), got {age}", "pass the age of a network held");
        int slot = Slot(age);
        var net = new Mlp("net", InputSize, Spec, 1, 1.0, new Rng(0));
        var p = net.parameters().ToArray();
        using var grad = no_grad();
        // The slices are temporaries: disposed here, not left to a finalizer that may run while libtorch copies them.
        using (NewDisposeScope())
        {
            for (int l = 0; l < weights.Length; l++)
            {
                p[2 * l].copy_(weights[l][slot].t().cpu());
                p[2 * l + 1].copy_(biases[l][slot].cpu());
            }
            p[2 * weights.Length].copy_(outWeights[slot].unsqueeze(0).cpu());
            p[2 * weights.Length + 1].copy_(outBias[slot].unsqueeze(0).cpu());
        }
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
        for (int l = 0; l < weights.Length; l++)
        {
            w.WriteTensor($"w{l}", weights[l].narrow(0, 0, Math.Max(Count, 1)));
            w.WriteTensor($"b{l}", biases[l].narrow(0, 0, Math.Max(Count, 1)));
        }
        w.WriteTensor("wout", outWeights.narrow(0, 0, Math.Max(Count, 1)));
        w.WriteTensor("bout", outBias.narrow(0, 0, Math.Max(Count, 1)));
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
        int m = Math.Max(count, 1);
        for (int l = 0; l < weights.Length; l++)
        {
            r.ReadTensorInto($"w{l}", weights[l].narrow(0, 0, m));
            r.ReadTensorInto($"b{l}", biases[l].narrow(0, 0, m));
        }
        r.ReadTensorInto("wout", outWeights.narrow(0, 0, m));
        r.ReadTensorInto("bout", outBias.narrow(0, 0, m));
        e.CopyTo(etas, 0);
        Count = count;
        start = s;
    }

    /// <summary>Disposes the stacked weights.</summary>
    public void Dispose()
    {
        foreach (var t in weights) t.Dispose();
        foreach (var t in biases) t.Dispose();
        outWeights.Dispose();
        outBias.Dispose();
    }
}
