using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Trirl.Functional;

/// <summary>
/// Anderson acceleration (type II, Walker and Ni 2011) of a fixed-point iteration <c>x &lt;- g(x)</c>, such as soft
/// value iteration: from the last <c>m</c> residuals <c>f_j = g(x_j) - x_j</c> it takes
/// <code>gamma = argmin || f_k - sum_j gamma_j (f_{j+1} - f_j) ||_2,   x_{k+1} = g(x_k) - sum_j gamma_j (g(x_{j+1}) - g(x_j))</code>
/// (the least-squares problem by modified Gram-Schmidt on at most <c>m</c> columns). The fixed point is unchanged and the
/// solver still stops on the plain residual <c>|g(x_k) - x_k|</c>, so the accuracy guarantee of plain iteration holds.
/// Safeguards: the history restarts when a residual grows past ten times the smallest seen, and the mixer turns
/// itself off at the first non-finite value (excluded actions make states <c>-infinity</c>). Mutable workspace of one
/// solve; deterministic (fixed summation order). Its passes over the vectors run four lanes at a time: a mix costs about
/// a dozen inner products, which one accumulator would make several times dearer than the sweep itself.
/// </summary>
internal sealed class AndersonMixer
{
    private readonly int n;
    private readonly int depth;
    private readonly bool keepPositive;
    private readonly double[][] dF;
    private readonly double[][] dG;
    private readonly double[][] q;
    private readonly double[,] r;
    private readonly double[] previousF;
    private readonly double[] previousG;
    private readonly double[] f;
    private readonly double[] coefficients;
    private int count;
    private int head;
    private bool hasPrevious;
    private bool disabled;
    private double smallest = double.PositiveInfinity;
    private int calls;

    /// <summary>
    /// Plain sweeps before mixing starts: a warm-started solve that converges in a few sweeps would only pay the
    /// mixer's cost (about one extra pass over the values per sweep); a long solve is the one worth accelerating.
    /// </summary>
    internal const int PlainSweeps = 20;

    /// <summary>Whether the mixer has begun to mix (past its plain sweeps and still on).</summary>
    internal bool Mixing => !disabled && calls > PlainSweeps;

    /// <summary>
    /// A mixer over the first <paramref name="n"/> entries with memory <paramref name="depth"/> (&gt;= 1). With
    /// <paramref name="keepPositive"/> (a measure, such as an occupancy), an entry that the mix would make zero or negative
    /// keeps the plain step's value instead, so an entry the plain iteration keeps positive stays positive, and no mixing
    /// happens while a sweep still reaches new entries (the support grows one step of the dynamics per sweep).
    /// </summary>
    internal AndersonMixer(int n, int depth, bool keepPositive = false)
    {
        this.n = n;
        this.depth = depth;
        this.keepPositive = keepPositive;
        dF = new double[depth][];
        dG = new double[depth][];
        q = new double[depth][];
        for (int j = 0; j < depth; j++)
        {
            dF[j] = new double[n];
            dG[j] = new double[n];
            q[j] = new double[n];
        }
        r = new double[depth, depth];
        previousF = new double[n];
        previousG = new double[n];
        f = new double[n];
        coefficients = new double[depth];
    }

    /// <summary>
    /// Given <paramref name="x"/> = <c>x_k</c> and <paramref name="g"/> = <c>g(x_k)</c> with residual
    /// <paramref name="residual"/> = <c>max |g - x|</c>, overwrites the first <c>n</c> entries of <paramref name="g"/> with
    /// <c>x_{k+1}</c> (left as <c>g(x_k)</c>, the plain step, while there is no history or the mixer is off).
    /// </summary>
    internal void Mix(ReadOnlySpan<double> x, Span<double> g, double residual)
    {
        if (disabled || ++calls <= PlainSweeps) return;
        bool reached = false;
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(g[i]) || !double.IsFinite(x[i])) { disabled = true; return; }
            f[i] = g[i] - x[i];
            reached |= keepPositive && x[i] <= 0 && g[i] > 0;
        }
        if (reached)
        {
            // A measure's support still grows by one step of the dynamics per sweep: mixing cannot reach states the plain
            // step has not, and could stop the solve before it does (far states, tiny but positive). Plain steps until
            // the support is complete; then the history starts afresh.
            count = 0;
            head = 0;
            hasPrevious = false;
            return;
        }
        if (residual > 10 * smallest) { count = 0; head = 0; }        // restart on growth
        smallest = Math.Min(smallest, residual);
        if (hasPrevious)
        {
            Subtract(f, previousF, dF[head]);
            Subtract(g[..n], previousG, dG[head]);
            head = (head + 1) % depth;
            count = Math.Min(count + 1, depth);
        }
        f.AsSpan().CopyTo(previousF);
        g[..n].CopyTo(previousG);
        hasPrevious = true;
        if (count == 0) return;
        int m = Factorize();
        if (m == 0) return;
        // gamma = R^-1 Q^T f (back substitution)
        for (int j = 0; j < m; j++) coefficients[j] = Dot(q[j], f);
        for (int j = m - 1; j >= 0; j--)
        {
            double s = coefficients[j];
            for (int k = j + 1; k < m; k++) s -= r[j, k] * coefficients[k];
            coefficients[j] = s / r[j, j];
        }
        for (int j = 0; j < m; j++)
        {
            double c = coefficients[j];
            if (!double.IsFinite(c)) return;
        }
        for (int j = 0; j < m; j++) SubtractScaled(g[..n], coefficients[j], dG[Slot(j)]);
        if (keepPositive)
            for (int i = 0; i < n; i++)
                if (!(g[i] > 0)) g[i] = Math.Max(previousG[i], 0);
    }

    /// <summary>Column <paramref name="j"/> of the history, oldest first.</summary>
    private int Slot(int j) => (head - count + j + depth) % depth;

    /// <summary>
    /// Modified Gram-Schmidt on the history's <c>dF</c> columns, oldest first; stops at the first column that is
    /// (numerically) dependent on the earlier ones. Returns how many columns it kept.
    /// </summary>
    private int Factorize()
    {
        int m = 0;
        for (int j = 0; j < count; j++)
        {
            var v = q[m];
            dF[Slot(j)].AsSpan().CopyTo(v);
            double original = Math.Sqrt(Dot(v, v));
            for (int k = 0; k < m; k++)
            {
                double p = Dot(q[k], v);
                r[k, m] = p;
                SubtractScaled(v, p, q[k]);
            }
            double norm = Math.Sqrt(Dot(v, v));
            if (!(norm > 1e-10 * original)) break;
            r[m, m] = norm;
            Divide(v, norm);
            m++;
        }
        return m;
    }

    private double Dot(double[] a, double[] b) => Dot(a.AsSpan(0, n), b.AsSpan(0, n));

    /// <summary>
    /// <c>sum_i a[i] b[i]</c> with four four-lane accumulators (then the tail), added in a fixed order: the same sum on every
    /// machine, about as accurate as the plain loop and many times faster (no chain of dependent additions).
    /// </summary>
    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double br = ref MemoryMarshal.GetReference(b[..a.Length]);
        var s0 = Vector256<double>.Zero;
        var s1 = s0;
        var s2 = s0;
        var s3 = s0;
        int i = 0;
        for (; i + 16 <= a.Length; i += 16)
        {
            s0 += Vector256.LoadUnsafe(ref ar, (nuint)i) * Vector256.LoadUnsafe(ref br, (nuint)i);
            s1 += Vector256.LoadUnsafe(ref ar, (nuint)(i + 4)) * Vector256.LoadUnsafe(ref br, (nuint)(i + 4));
            s2 += Vector256.LoadUnsafe(ref ar, (nuint)(i + 8)) * Vector256.LoadUnsafe(ref br, (nuint)(i + 8));
            s3 += Vector256.LoadUnsafe(ref ar, (nuint)(i + 12)) * Vector256.LoadUnsafe(ref br, (nuint)(i + 12));
        }
        for (; i + 4 <= a.Length; i += 4) s0 += Vector256.LoadUnsafe(ref ar, (nuint)i) * Vector256.LoadUnsafe(ref br, (nuint)i);
        var t = (s0 + s1) + (s2 + s3);
        double sum = (t.GetElement(0) + t.GetElement(1)) + (t.GetElement(2) + t.GetElement(3));
        for (; i < a.Length; i++) sum += Unsafe.Add(ref ar, i) * Unsafe.Add(ref br, i);
        return sum;
    }

    /// <summary><c>y[i] &lt;- y[i] - c x[i]</c> (lane by lane, so the same values as the plain loop).</summary>
    private static void SubtractScaled(Span<double> y, double c, double[] x)
    {
        ref double yr = ref MemoryMarshal.GetReference(y);
        ref double xr = ref MemoryMarshal.GetArrayDataReference(x);
        var cv = Vector256.Create(c);
        int i = 0;
        for (; i + 4 <= y.Length; i += 4)
            (Vector256.LoadUnsafe(ref yr, (nuint)i) - cv * Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        for (; i < y.Length; i++) Unsafe.Add(ref yr, i) -= c * Unsafe.Add(ref xr, i);
    }

    /// <summary><c>z[i] &lt;- x[i] - y[i]</c> over <c>x</c>'s length.</summary>
    private static void Subtract(ReadOnlySpan<double> x, double[] y, double[] z)
    {
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetArrayDataReference(y);
        ref double zr = ref MemoryMarshal.GetArrayDataReference(z);
        int i = 0;
        for (; i + 4 <= x.Length; i += 4)
            (Vector256.LoadUnsafe(ref xr, (nuint)i) - Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref zr, (nuint)i);
        for (; i < x.Length; i++) Unsafe.Add(ref zr, i) = Unsafe.Add(ref xr, i) - Unsafe.Add(ref yr, i);
    }

    /// <summary><c>x[i] &lt;- x[i] / c</c> over the first <c>n</c> entries.</summary>
    private void Divide(double[] x, double c)
    {
        ref double xr = ref MemoryMarshal.GetArrayDataReference(x);
        var cv = Vector256.Create(c);
        int i = 0;
        for (; i + 4 <= n; i += 4) (Vector256.LoadUnsafe(ref xr, (nuint)i) / cv).StoreUnsafe(ref xr, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref xr, i) /= c;
    }
}
