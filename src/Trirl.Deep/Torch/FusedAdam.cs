using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Trirl.Deep;

/// <summary>
/// One Adam step on a float32 parameter in a single pass over its memory, bit for bit what TorchSharp's
/// <c>Adam.step</c> computes with its nine libtorch calls (<see cref="KeptScalars.Adam"/>), at a fraction of their
/// per-call cost (small networks spend most of an update in those calls). Per element, in float32 (libtorch's CPU
/// kernels on this hardware: the vectorised <c>add_</c> and <c>addcmul_</c> contract to fused multiply-adds, and
/// <c>sqrt</c> is MKL's <c>vmsSqrt</c> in high-accuracy mode, which is called here too):
/// <code>
/// m &lt;- fma(1 - beta1, g, m * beta1)
/// v &lt;- fma((1 - beta2) * g, g, v * beta2)
/// d  = sqrt(v) / sqrt(1 - beta2^t) + eps
/// p &lt;- p + (-(lr / (1 - beta1^t)) * m) / d
/// </code>
/// Because that equality rests on how this libtorch was built and on what this CPU dispatches to, it is checked once
/// per process (<see cref="Available"/>): both paths run on random tensors of awkward sizes for several steps, and the
/// fused step is used only if every bit of the parameters and of both moments agrees; otherwise the library keeps
/// TorchSharp's path.
/// </summary>
internal static class FusedAdam
{
    /// <summary>MKL's <c>VML_HA | VML_FTZDAZ_OFF | VML_ERRMODE_IGNORE</c>: the mode libtorch's <c>vml.h</c> passes.</summary>
    private const long VmlMode = 0x2 | 0x140000 | 0x100;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void VmsSqrt(int n, ref float a, ref float r, long mode);

    private static readonly Lazy<VmsSqrt?> sqrt = new(FindSqrt);

    private static readonly Lazy<bool> available = new(Calibrate);

    /// <summary>Whether the fused step reproduces libtorch's here (checked once per process; false without MKL's <c>vmsSqrt</c>).</summary>
    public static bool Available => available.Value;

    /// <summary>Whether the fused step applies to this parameter: float32, on the CPU, contiguous, its moments alike.</summary>
    public static bool Applies(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq) =>
        TensorSpans.IsPlainCpuFloat(param) && TensorSpans.IsPlainCpuFloat(grad) && TensorSpans.IsPlainCpuFloat(expAvg) && TensorSpans.IsPlainCpuFloat(expAvgSq)
        && grad.NumberOfElements == param.NumberOfElements && expAvg.NumberOfElements == param.NumberOfElements
        && expAvgSq.NumberOfElements == param.NumberOfElements;

    /// <summary>
    /// The step of the type's summary on <paramref name="param"/> with gradient <paramref name="grad"/> and moments
    /// <paramref name="expAvg"/>, <paramref name="expAvgSq"/> (updated in place) at step <paramref name="step"/> (1-based).
    /// </summary>
    public static void Step(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, long step, double lr, double beta1, double beta2, double eps)
    {
        var f = sqrt.Value ?? throw new InvalidOperationException("the fused Adam step needs MKL's vmsSqrt (check FusedAdam.Available first)");
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        // The Scalars libtorch would see, rounded to float32 as its float kernels read them.
        float b1 = (float)beta1, k1 = (float)(1 - beta1), b2 = (float)beta2, k2 = (float)(1 - beta2);
        float root = (float)Math.Sqrt(biasCorrection2), e = (float)eps, value = (float)(-(lr / biasCorrection1));
        var p = TensorSpans.Floats(param);
        var g = TensorSpans.Floats(grad);
        var m = TensorSpans.Floats(expAvg);
        var v = TensorSpans.Floats(expAvgSq);
        int n = p.Length, i = 0;
        ref float pr = ref MemoryMarshal.GetReference(p);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        // Lane by lane the same operations as the scalar tail (a vector FMA rounds each lane once, like MathF's).
        int width = Vector<float>.Count;
        var (vb1, vk1, vb2, vk2) = (new Vector<float>(b1), new Vector<float>(k1), new Vector<float>(b2), new Vector<float>(k2));
        for (; i + width <= n; i += width)
        {
            var gi = Vector.LoadUnsafe(ref gr, (nuint)i);
            Vector.FusedMultiplyAdd(vk1, gi, Vector.LoadUnsafe(ref mr, (nuint)i) * vb1).StoreUnsafe(ref mr, (nuint)i);
            Vector.FusedMultiplyAdd(vk2 * gi, gi, Vector.LoadUnsafe(ref vr, (nuint)i) * vb2).StoreUnsafe(ref vr, (nuint)i);
        }
        for (; i < n; i++)
        {
            float gi = Unsafe.Add(ref gr, i);
            Unsafe.Add(ref mr, i) = MathF.FusedMultiplyAdd(k1, gi, Unsafe.Add(ref mr, i) * b1);
            Unsafe.Add(ref vr, i) = MathF.FusedMultiplyAdd(k2 * gi, gi, Unsafe.Add(ref vr, i) * b2);
        }
        float[] rented = ArrayPool<float>.Shared.Rent(n);
        try
        {
            ref float dr = ref MemoryMarshal.GetArrayDataReference(rented);
            f(n, ref vr, ref dr, VmlMode);
            var (vroot, veps, vvalue) = (new Vector<float>(root), new Vector<float>(e), new Vector<float>(value));
            for (i = 0; i + width <= n; i += width)
            {
                var denom = Vector.LoadUnsafe(ref dr, (nuint)i) / vroot + veps;
                (Vector.LoadUnsafe(ref pr, (nuint)i) + vvalue * Vector.LoadUnsafe(ref mr, (nuint)i) / denom).StoreUnsafe(ref pr, (nuint)i);
            }
            for (; i < n; i++)
                Unsafe.Add(ref pr, i) += value * Unsafe.Add(ref mr, i) / (Unsafe.Add(ref dr, i) / root + e);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>MKL's <c>vmsSqrt</c> from the libtorch this process loaded (found by its soname), or null.</summary>
    private static VmsSqrt? FindSqrt()
    {
        TorchRuntime.Ensure();
        return NativeLibrary.TryLoad("libtorch_cpu.so", out var lib) && NativeLibrary.TryGetExport(lib, "vmsSqrt", out var address)
            ? Marshal.GetDelegateForFunctionPointer<VmsSqrt>(address)
            : null;
    }

    /// <summary>
    /// Runs TorchSharp's step and the fused one side by side: sizes around the vector widths (tails included), gradients
    /// over eight orders of magnitude, a few steps; true only if every bit agrees.
    /// </summary>
    private static bool Calibrate()
    {
        if (sqrt.Value is null) return false;
        var rng = new Random(20261206);
        foreach (int n in (int[])[1, 7, 16, 17, 31, 33, 64, 100, 129, 1000, 4103, 5000])
        {
            using var scope = NewDisposeScope();
            var init = new float[n];
            for (int i = 0; i < n; i++) init[i] = (float)(rng.NextDouble() * 2 - 1);
            var reference = tensor(init);
            var fused = tensor(init);
            var (m0, v0, m1, v1) = (zeros(n), zeros(n), zeros(n), zeros(n));
            for (long step = 1; step <= 5; step++)
            {
                var g = new float[n];
                for (int i = 0; i < n; i++) g[i] = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.NextDouble() * 8 - 5));
                var grad = tensor(g);
                KeptScalars.Adam.ReferenceStep(reference, grad, m0, v0, step, 3e-4, 0.9, 0.999, 1e-8);
                Step(fused, grad, m1, v1, step, 3e-4, 0.9, 0.999, 1e-8);
            }
            if (!Same(reference, fused) || !Same(m0, m1) || !Same(v0, v1)) return false;
        }
        return true;
    }

    private static bool Same(Tensor a, Tensor b) =>
        MemoryMarshal.Cast<float, int>(TensorSpans.Floats(a)).SequenceEqual(MemoryMarshal.Cast<float, int>(TensorSpans.Floats(b)));
}
