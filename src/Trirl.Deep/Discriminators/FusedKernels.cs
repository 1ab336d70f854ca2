using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Trirl.Deep;

/// <summary>
/// Vectorised passes over a layer's pre-activations that libtorch would make as several separate kernels: add the
/// bias and apply the activation in place, and for the last hidden layer also the dot product with the output weights,
/// scaled and accumulated into the buffer's sum (<see cref="DiscriminatorBuffer"/>'s fused path). <c>tanh</c> is a
/// float32 approximation, <c>tanh(a) = expm1(2a) / (expm1(2a) + 2)</c> with <c>|a|</c> clamped at 9 (where tanh rounds
/// to 1 in float32) and <c>expm1</c> by Cody-Waite reduction and a degree-6 polynomial for <c>e^r - 1</c> without its
/// constant term (so it stays accurate near 0); its relative error is below 1e-6. libtorch's own tanh costs about
/// 2.7 ns per element on this machine, half the time of the GEMMs it follows.
/// </summary>
internal static class FusedKernels
{
    private const float Log2E = 1.44269504f;
    private const float Ln2Hi = 0.693145752f;      // ln 2 split in two (Cody-Waite)
    private const float Ln2Lo = 1.42860677e-6f;

    /// <summary>Whether the fused passes implement <paramref name="activation"/> (tanh and ReLU).</summary>
    public static bool Supports(Activation activation) => activation is Activation.Tanh or Activation.Relu;

    /// <summary><c>h[i, j] &lt;- act(h[i, j] + bias[j])</c> for a row-major <c>[rows, bias.Length]</c> block.</summary>
    public static void BiasActivation(Span<float> h, ReadOnlySpan<float> bias, Activation activation)
    {
        int cols = bias.Length, rows = h.Length / cols;
        ref float hr = ref MemoryMarshal.GetReference(h);
        ref float br = ref MemoryMarshal.GetReference(bias);
        bool tanh = activation == Activation.Tanh;
        for (int i = 0; i < rows; i++)
        {
            ref float row = ref Unsafe.Add(ref hr, i * cols);
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; j + 16 <= cols; j += 16) Activated16(ref row, ref br, j, tanh).StoreUnsafe(ref row, (nuint)j);
            for (; j + 8 <= cols; j += 8) Activated8(ref row, ref br, j, tanh).StoreUnsafe(ref row, (nuint)j);
            for (; j < cols; j++) Unsafe.Add(ref row, j) = Activated1(ref row, ref br, j, tanh);
        }
    }

    /// <summary>
    /// <c>output[i] += scale * (sum_j act(h[i, j] + bias[j]) * weights[j] + outputBias)</c> for a row-major
    /// <c>[rows, bias.Length]</c> block; <c>h</c> is left unchanged.
    /// </summary>
    public static void BiasActivationDot(ReadOnlySpan<float> h, ReadOnlySpan<float> bias, ReadOnlySpan<float> weights, float outputBias, double scale,
        Span<double> output, Activation activation)
    {
        int cols = bias.Length, rows = h.Length / cols;
        ref float hr = ref MemoryMarshal.GetReference(h);
        ref float br = ref MemoryMarshal.GetReference(bias);
        ref float wr = ref MemoryMarshal.GetReference(weights);
        bool tanh = activation == Activation.Tanh;
        for (int i = 0; i < rows; i++)
        {
            ref float row = ref Unsafe.Add(ref hr, i * cols);
            int j = 0;
            float sum = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var wide = Vector512<float>.Zero;
                for (; j + 16 <= cols; j += 16)
                    wide = Vector512.FusedMultiplyAdd(Activated16(ref row, ref br, j, tanh), Vector512.LoadUnsafe(ref wr, (nuint)j), wide);
                sum = Vector512.Sum(wide);
            }
            var acc = Vector256<float>.Zero;
            for (; j + 8 <= cols; j += 8)
                acc = Vector256.FusedMultiplyAdd(Activated8(ref row, ref br, j, tanh), Vector256.LoadUnsafe(ref wr, (nuint)j), acc);
            sum += Vector256.Sum(acc);
            for (; j < cols; j++) sum += Activated1(ref row, ref br, j, tanh) * Unsafe.Add(ref wr, j);
            output[i] += scale * (sum + outputBias);
        }
    }

    // act(h[j] + bias[j]) on 16, 8 and 1 lanes from column j: the one step both passes make before storing or dotting.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Activated16(ref float row, ref float bias, int j, bool tanh)
    {
        var v = Vector512.LoadUnsafe(ref row, (nuint)j) + Vector512.LoadUnsafe(ref bias, (nuint)j);
        return tanh ? Tanh(v) : Vector512.Max(v, Vector512<float>.Zero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Activated8(ref float row, ref float bias, int j, bool tanh)
    {
        var v = Vector256.LoadUnsafe(ref row, (nuint)j) + Vector256.LoadUnsafe(ref bias, (nuint)j);
        return tanh ? Tanh(v) : Vector256.Max(v, Vector256<float>.Zero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Activated1(ref float row, ref float bias, int j, bool tanh)
    {
        float v = Unsafe.Add(ref row, j) + Unsafe.Add(ref bias, j);
        return tanh ? Tanh(v) : Math.Max(v, 0f);
    }

    /// <summary>The scalar <c>tanh</c> of the same approximation (one lane of the vector routine).</summary>
    public static float Tanh(float x) => Tanh(Vector256.Create(x)).GetElement(0);

    /// <summary>
    /// The same approximation on 16 lanes (AVX-512), as two 8-lane halves: one routine, so the lanes of every width
    /// give the same bits (the exponential's polynomial is a small share of the fused layer's time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x) => Vector512.Create(Tanh(x.GetLower()), Tanh(x.GetUpper()));

    /// <summary>The vectorised <c>tanh</c> approximation (see the type's summary).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var a = Vector256.Min(Vector256.Abs(x), Vector256.Create(9f));
        // tanh(a) = expm1(2a) / (expm1(2a) + 2); expm1(y) = 2^n (q(r) + 1) - 1 = 2^n q(r) + (2^n - 1), r = y - n ln 2 in
        // [-ln2/2, ln2/2], q(r) = e^r - 1 without its constant term (so no cancellation for small y).
        var y = a + a;
        var n = Vector256.Round(y * Vector256.Create(Log2E));
        var r = Vector256.FusedMultiplyAdd(-n, Vector256.Create(Ln2Hi), y);
        r = Vector256.FusedMultiplyAdd(-n, Vector256.Create(Ln2Lo), r);
        var q = Vector256.Create(1f / 720f);
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1f / 120f));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1f / 24f));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1f / 6f));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(0.5f));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(1f));
        q *= r;
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        var em = Vector256.FusedMultiplyAdd(scale, q, scale - Vector256.Create(1f));
        var t = em / (em + Vector256.Create(2f));
        // tanh is odd: copy the sign of x.
        var sign = Vector256.Create(unchecked((int)0x80000000)).AsSingle();
        return Vector256.ConditionalSelect(sign, x, t);
    }
}
