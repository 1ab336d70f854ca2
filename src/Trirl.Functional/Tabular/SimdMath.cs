using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

#if NET9_0_OR_GREATER
namespace Trirl.Functional;

/// <summary>
/// Vectorised <c>exp</c> and <c>log</c> for the domains the soft Bellman sweep needs: <c>exp(x)</c> for <c>x &lt;= 0</c>
/// (the shifted values <c>(q - max) / tau</c>) and <c>log(x)</c> for <c>x = 0</c> or normal <c>x &gt; 0</c> (the row
/// sums, which lie in <c>[1, A]</c>). Restricting the domain removes the overflow and special-value handling of a
/// general routine, which makes these about three times faster than <c>TensorPrimitives.Exp/Log</c> here, at an
/// accuracy of a few ulp (relative error below 1e-15). Every lane is computed by the same IEEE operations, so the
/// results do not depend on the vector width or the thread.
/// </summary>
internal static class SimdMath
{
    internal const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 0.6931471803691238;       // ln 2 split in two (Cody-Waite): hi has 32 significant bits
    private const double Ln2Lo = 1.9082149292705877e-10;
    private const double Lowest = -708.0;                  // exp(-708) ~ 3.3e-308, the smallest result kept
    private const double Shifter = 6755399441055744.0;     // 1.5 * 2^52: adding it rounds to an integer in the low bits
    private const double Sqrt2 = 1.4142135623730951;

    /// <summary><c>x[i] &lt;- exp(x[i])</c> for <c>x[i] &lt;= 0</c>; below <c>-708</c> (and at <c>-infinity</c>) it gives 0.</summary>
    internal static void ExpNonPositiveInPlace(Span<double> x) => ExpNonPositive(x, x);

    /// <summary><c>y[i] &lt;- exp(x[i])</c> for <c>x[i] &lt;= 0</c>, as <see cref="ExpNonPositiveInPlace"/>; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    internal static void ExpNonPositive(ReadOnlySpan<double> x, Span<double> y) => Map<ExpNonPositiveLanes>(x, y);

    /// <summary><c>x[i] &lt;- log(x[i])</c> for <c>x[i] = 0</c> (gives <c>-infinity</c>) or normal positive <c>x[i]</c>.</summary>
    internal static void LogInPlace(Span<double> x) => Map<LogLanes>(x, x);

    /// <summary>A lane-wise routine of this class, as a type: <see cref="Map"/> is compiled once per routine, with the call inlined.</summary>
    private interface ILanewise
    {
        static abstract Vector256<double> Apply(Vector256<double> x);
    }

    private readonly struct ExpNonPositiveLanes : ILanewise
    {
        public static Vector256<double> Apply(Vector256<double> x) => ExpNonPositive(x);
    }

    private readonly struct LogLanes : ILanewise
    {
        public static Vector256<double> Apply(Vector256<double> x) => Log(x);
    }

    /// <summary>
    /// <c>y[i] &lt;- F(x[i])</c>, four lanes at a time and the tail one lane at a time (a lane's result does not depend
    /// on the others); <paramref name="y"/> may be <paramref name="x"/>.
    /// </summary>
    private static void Map<F>(ReadOnlySpan<double> x, Span<double> y) where F : struct, ILanewise
    {
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y[..x.Length]);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= x.Length; i += 4)
                F.Apply(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        for (; i < x.Length; i++)
            Unsafe.Add(ref yr, i) = F.Apply(Vector256.Create(Unsafe.Add(ref xr, i))).GetElement(0);
    }

    /// <summary>
    /// <c>exp(x) = 2^n * p(t)</c> with <c>n = round(x / ln 2)</c>, <c>t = x - n ln 2</c> in <c>[-ln2/2, ln2/2]</c> and
    /// <c>p</c> the degree-12 Taylor polynomial (truncation below 2e-16 relative; evaluated by Estrin's scheme), for
    /// <c>-708 &lt;= x &lt;= 0</c>.
    /// Below <c>-708</c> the result (under <c>3.3e-308</c>) is flushed to 0: in the sweep's <c>sum_a exp((Q - max) / tau)</c>
    /// one term is 1, so such terms cannot change the sum. <c>n</c> is rounded with the shifter trick, so that the
    /// integer already sits in the low bits of <c>x / ln 2 + 1.5 * 2^52</c> and <c>2^n</c> is one shift away.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> ExpNonPositive(Vector256<double> x) =>
        ExpScaled(x, Vector256<double>.One, Vector256.Create(Log2E));

    /// <summary>
    /// <c>exp(d * scale)</c> for <c>d * scale &lt;= 0</c>, as <see cref="ExpNonPositive(Vector256{double})"/>, given
    /// <paramref name="scaleLog2E"/> <c>= scale / ln 2</c>: the sweep's <c>exp((Q - max) / tau)</c>. Rounding
    /// <c>n</c> from <c>d</c> directly takes the multiplication by <c>scale</c> off the longest dependency chain.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> ExpScaled(Vector256<double> d, Vector256<double> scale, Vector256<double> scaleLog2E)
    {
        var x = d * scale;
        // Lanes below -708 (and -infinity, and NaN) are masked to 0 at the end; whatever they compute on the way
        // (out-of-range exponent bits, NaN) is discarded, so no clamp is needed on the path to n.
        var kept = Vector256.GreaterThanOrEqual(x, Vector256.Create(Lowest));
        var shifted = Vector256.FusedMultiplyAdd(d, scaleLog2E, Vector256.Create(Shifter));
        var n = shifted - Vector256.Create(Shifter);
        var t = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        t = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), t);
        // Estrin's scheme: the same polynomial as a tree of depth 5 instead of a Horner chain of 12 dependent
        // multiply-adds, so that the sweep's out-of-order window holds more exponentials at once (sweeps 2-8% faster).
        var t2 = t * t;
        var t4 = t2 * t2;
        var t8 = t4 * t4;
        var p01 = Vector256.FusedMultiplyAdd(t, Vector256.Create(1.0), Vector256.Create(1.0));
        var p23 = Vector256.FusedMultiplyAdd(t, Vector256.Create(1.0 / 6), Vector256.Create(0.5));
        var p45 = Vector256.FusedMultiplyAdd(t, Vector256.Create(1.0 / 120), Vector256.Create(1.0 / 24));
        var p67 = Vector256.FusedMultiplyAdd(t, Vector256.Create(1.0 / 5040), Vector256.Create(1.0 / 720));
        var p89 = Vector256.FusedMultiplyAdd(t, Vector256.Create(1.0 / 362880), Vector256.Create(1.0 / 40320));
        var p1011 = Vector256.FusedMultiplyAdd(t, Vector256.Create(1.0 / 39916800), Vector256.Create(1.0 / 3628800));
        var p03 = Vector256.FusedMultiplyAdd(p23, t2, p01);
        var p47 = Vector256.FusedMultiplyAdd(p67, t2, p45);
        var p811 = Vector256.FusedMultiplyAdd(p1011, t2, p89);
        var p07 = Vector256.FusedMultiplyAdd(p47, t4, p03);
        var p812 = Vector256.FusedMultiplyAdd(Vector256.Create(1.0 / 479001600), t4, p811);
        var p = Vector256.FusedMultiplyAdd(p812, t8, p07);
        // The integer image of `shifted` is the shifter's (whose low 12 bits are zero) plus n; adding 1023 and
        // shifting up 52 places leaves exactly the bits of 2^n, for n in [-1022, 0].
        var twoToN = Vector256.ShiftLeft(shifted.AsInt64() + Vector256.Create(1023L), 52).AsDouble();
        return (p * twoToN) & kept.AsDouble();
    }

    /// <summary>
    /// <c>log(x) = e ln 2 + log(m)</c> with <c>x = m 2^e</c>, <c>m</c> in <c>[sqrt(1/2), sqrt(2))</c>, and
    /// <c>log(m) = 2 atanh(z) = 2 (z + z^3/3 + ... + z^21/21)</c>, <c>z = (m - 1) / (m + 1)</c>, <c>|z| &lt;= 0.1716</c>
    /// (truncation below 1e-17 relative). <c>x = 0</c> gives <c>-infinity</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Log(Vector256<double> x)
    {
        var bits = x.AsInt64();
        var e = Vector256.ShiftRightArithmetic(bits, 52) - Vector256.Create(1023L);
        var m = ((bits & Vector256.Create(0x000FFFFFFFFFFFFFL)) | Vector256.Create(0x3FF0000000000000L)).AsDouble();
        var big = Vector256.GreaterThan(m, Vector256.Create(Sqrt2));
        m = Vector256.ConditionalSelect(big, m * Vector256.Create(0.5), m);
        var ed = Vector256.ConvertToDouble(e) + (big.AsDouble() & Vector256.Create(1.0));
        var z = (m - Vector256<double>.One) / (m + Vector256<double>.One);
        var w = z * z;
        // The odd series in w = z^2 up to w^10, by Estrin's scheme (depth 5 instead of a chain of 10).
        var w2 = w * w;
        var w4 = w2 * w2;
        var w8 = w4 * w4;
        var s01 = Vector256.FusedMultiplyAdd(w, Vector256.Create(1.0 / 3), Vector256<double>.One);
        var s23 = Vector256.FusedMultiplyAdd(w, Vector256.Create(1.0 / 7), Vector256.Create(1.0 / 5));
        var s45 = Vector256.FusedMultiplyAdd(w, Vector256.Create(1.0 / 11), Vector256.Create(1.0 / 9));
        var s67 = Vector256.FusedMultiplyAdd(w, Vector256.Create(1.0 / 15), Vector256.Create(1.0 / 13));
        var s89 = Vector256.FusedMultiplyAdd(w, Vector256.Create(1.0 / 19), Vector256.Create(1.0 / 17));
        var s03 = Vector256.FusedMultiplyAdd(s23, w2, s01);
        var s47 = Vector256.FusedMultiplyAdd(s67, w2, s45);
        var s810 = Vector256.FusedMultiplyAdd(Vector256.Create(1.0 / 21), w2, s89);
        var s07 = Vector256.FusedMultiplyAdd(s47, w4, s03);
        var series = Vector256.FusedMultiplyAdd(s810, w8, s07);
        var logM = Vector256.Create(2.0) * z * series;
        var result = Vector256.FusedMultiplyAdd(ed, Vector256.Create(Ln2Hi), Vector256.FusedMultiplyAdd(ed, Vector256.Create(Ln2Lo), logM));
        return Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<double>.Zero), Vector256.Create(double.NegativeInfinity), result);
    }
}
#endif
