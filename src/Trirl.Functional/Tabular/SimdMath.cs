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
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 0.6931471803691238;       // ln 2 split in two (Cody-Waite): hi has 32 significant bits
    private const double Ln2Lo = 1.9082149292705877e-10;
    private const double Lowest = -760.0;                  // exp(-760) underflows to +0; -infinity is clamped here
    private const double Sqrt2 = 1.4142135623730951;

    /// <summary><c>x[i] &lt;- exp(x[i])</c> for <c>x[i] &lt;= 0</c> (or <c>-infinity</c>, which gives 0).</summary>
    internal static void ExpNonPositiveInPlace(Span<double> x)
    {
        ref double r = ref MemoryMarshal.GetReference(x);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= x.Length; i += 4)
                ExpNonPositive(Vector256.LoadUnsafe(ref r, (nuint)i)).StoreUnsafe(ref r, (nuint)i);
        for (; i < x.Length; i++)
            Unsafe.Add(ref r, i) = ExpNonPositive(Vector256.Create(Unsafe.Add(ref r, i))).GetElement(0);
    }

    /// <summary><c>x[i] &lt;- log(x[i])</c> for <c>x[i] = 0</c> (gives <c>-infinity</c>) or normal positive <c>x[i]</c>.</summary>
    internal static void LogInPlace(Span<double> x)
    {
        ref double r = ref MemoryMarshal.GetReference(x);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= x.Length; i += 4)
                Log(Vector256.LoadUnsafe(ref r, (nuint)i)).StoreUnsafe(ref r, (nuint)i);
        for (; i < x.Length; i++)
            Unsafe.Add(ref r, i) = Log(Vector256.Create(Unsafe.Add(ref r, i))).GetElement(0);
    }

    /// <summary>
    /// <c>exp(x) = 2^n * p(t)</c> with <c>n = round(x / ln 2)</c>, <c>t = x - n ln 2</c> in <c>[-ln2/2, ln2/2]</c> and
    /// <c>p</c> the degree-12 Taylor polynomial (truncation below 2e-16 relative); <c>2^n</c> is applied as two factors so
    /// that subnormal results come out right.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> ExpNonPositive(Vector256<double> x)
    {
        x = Vector256.Max(x, Vector256.Create(Lowest));
        var n = Vector256.Round(x * Vector256.Create(Log2E));
        var t = Vector256.FusedMultiplyAdd(-n, Vector256.Create(Ln2Hi), x);
        t = Vector256.FusedMultiplyAdd(-n, Vector256.Create(Ln2Lo), t);
        var p = Vector256.Create(1.0 / 479001600);
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.0 / 39916800));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.0 / 3628800));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.0 / 362880));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.0 / 40320));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.0 / 5040));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.0 / 720));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.0 / 120));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.0 / 24));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.0 / 6));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(0.5));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.0));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.0));
        var k = Vector256.ConvertToInt64(n);
        var half = Vector256.ShiftRightArithmetic(k, 1);
        var bias = Vector256.Create(1023L);
        var s1 = Vector256.ShiftLeft(half + bias, 52).AsDouble();
        var s2 = Vector256.ShiftLeft(k - half + bias, 52).AsDouble();
        return p * s1 * s2;
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
        var s = Vector256.Create(1.0 / 21);
        s = Vector256.FusedMultiplyAdd(s, w, Vector256.Create(1.0 / 19));
        s = Vector256.FusedMultiplyAdd(s, w, Vector256.Create(1.0 / 17));
        s = Vector256.FusedMultiplyAdd(s, w, Vector256.Create(1.0 / 15));
        s = Vector256.FusedMultiplyAdd(s, w, Vector256.Create(1.0 / 13));
        s = Vector256.FusedMultiplyAdd(s, w, Vector256.Create(1.0 / 11));
        s = Vector256.FusedMultiplyAdd(s, w, Vector256.Create(1.0 / 9));
        s = Vector256.FusedMultiplyAdd(s, w, Vector256.Create(1.0 / 7));
        s = Vector256.FusedMultiplyAdd(s, w, Vector256.Create(1.0 / 5));
        s = Vector256.FusedMultiplyAdd(s, w, Vector256.Create(1.0 / 3));
        var logM = Vector256.Create(2.0) * z * Vector256.FusedMultiplyAdd(s, w, Vector256<double>.One);
        var result = Vector256.FusedMultiplyAdd(ed, Vector256.Create(Ln2Hi), Vector256.FusedMultiplyAdd(ed, Vector256.Create(Ln2Lo), logM));
        return Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<double>.Zero), Vector256.Create(double.NegativeInfinity), result);
    }
}
#endif
