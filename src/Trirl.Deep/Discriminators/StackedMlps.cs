namespace Trirl.Deep;

/// <summary>
/// <c>K</c> MLPs of one shape (no LayerNorm, one output) stacked into tensors, one per layer (<c>[K, in, out]</c>,
/// transposed so that a batch multiplies from the left), addressed by slot: a network is copied in or out of a slot, the
/// first slots are saved and loaded, and the weighted sum <c>sum_k w_k D_k(x)</c> over a set of slots is evaluated by the
/// paths of <see cref="BufferPath"/> (<see cref="Loop"/>, <see cref="Batched"/>, <see cref="Fused"/>), which return the
/// same sums. The storage of <see cref="DiscriminatorBuffer"/>, which decides which slot holds which network.
/// </summary>
internal sealed class StackedMlps : IDisposable
{
    private readonly Tensor[] weights;   // per layer [K, in, out]
    private readonly Tensor[] biases;    // per layer [K, out]
    private readonly Tensor outWeights;  // [K, last]
    private readonly Tensor outBias;     // [K]

    /// <summary>Zeroed storage for <paramref name="capacity"/> networks <c>inputSize -&gt; spec -&gt; 1</c> on <paramref name="device"/>.</summary>
    public StackedMlps(int capacity, int inputSize, MlpSpec spec, Device device)
    {
        Capacity = capacity;
        InputSize = inputSize;
        Spec = spec;
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
    }

    /// <summary>Slots <c>K</c>.</summary>
    public int Capacity { get; }

    /// <summary>Input size of every network.</summary>
    public int InputSize { get; }

    /// <summary>Shape of every network.</summary>
    public MlpSpec Spec { get; }

    /// <summary>Copies the parameters of <paramref name="network"/> (of this shape) into <paramref name="slot"/>.</summary>
    public void CopyIn(int slot, Mlp network)
    {
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
    }

    /// <summary>Copies <paramref name="slot"/> into the parameters of <paramref name="network"/> (of this shape, on the CPU).</summary>
    public void CopyOut(int slot, Mlp network)
    {
        var p = network.parameters().ToArray();
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
    }

    /// <summary>Writes the first <paramref name="slots"/> slots.</summary>
    public void Save(BinaryWriter w, int slots)
    {
        foreach (var (name, tensor) in Checkpointed(slots)) w.WriteTensor(name, tensor);
    }

    /// <summary>Reads the first <paramref name="slots"/> slots as <see cref="Save"/> wrote them.</summary>
    public void Load(BinaryReader r, int slots)
    {
        foreach (var (name, tensor) in Checkpointed(slots)) r.ReadTensorInto(name, tensor);
    }

    /// <summary>
    /// The checkpoint's layout, read by <see cref="Save"/> and <see cref="Load"/> alike: the first
    /// <paramref name="slots"/> slots (views) of every tensor under its name, in file order.
    /// </summary>
    private IEnumerable<(string Name, Tensor Slots)> Checkpointed(int slots)
    {
        for (int l = 0; l < weights.Length; l++)
        {
            yield return ($"w{l}", weights[l].narrow(0, 0, slots));
            yield return ($"b{l}", biases[l].narrow(0, 0, slots));
        }
        yield return ("wout", outWeights.narrow(0, 0, slots));
        yield return ("bout", outBias.narrow(0, 0, slots));
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

    /// <summary>The sum network by network over the slots <paramref name="order"/>, weights <paramref name="w"/> by slot.</summary>
    public double[] Loop(Tensor x, int[] order, double[] w)
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

    /// <summary>The sum over the first <paramref name="count"/> slots, <paramref name="chunk"/> networks per batched product.</summary>
    public double[] Batched(Tensor x, double[] w, int count, int chunk)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0];
        var acc = zeros([n], ScalarType.Float64, x.device);
        var wt = tensor(w, [Capacity], ScalarType.Float64, x.device);
        for (int s = 0; s < count; s += chunk)
        {
            int c = Math.Min(chunk, count - s);
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

    /// <summary>The sum over the slots <paramref name="order"/> by blocks of rows, with the fused CPU kernels (<see cref="FusedKernels"/>).</summary>
    public double[] Fused(Tensor x, int[] order, double[] w)
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
                    if (l < last) FusedKernels.BiasActivation(TensorSpans.Floats(hb[l]), TensorSpans.Floats(bk[j][l]), Spec.Activation);
                    input = hb[l];
                }
                FusedKernels.BiasActivationDot(TensorSpans.Floats(hb[last]), TensorSpans.Floats(bk[j][last]), TensorSpans.Floats(ok[j]), obias[order[j]], w[order[j]], outBlock, Spec.Activation);
            }
            if (rows != block) foreach (var h in hb) h.Dispose();
            xb.Dispose();
        }
    }

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

    /// <summary>Disposes the stacked weights.</summary>
    public void Dispose()
    {
        foreach (var t in weights) t.Dispose();
        foreach (var t in biases) t.Dispose();
        outWeights.Dispose();
        outBias.Dispose();
    }
}
