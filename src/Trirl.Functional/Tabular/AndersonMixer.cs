namespace Trirl.Functional;

/// <summary>
/// Anderson acceleration (type II, Walker and Ni 2011) of a fixed-point iteration <c>x &lt;- g(x)</c>, such as soft
/// value iteration: from the last <c>m</c> residuals <c>f_j = g(x_j) - x_j</c> it takes
/// <code>gamma = argmin || f_k - sum_j gamma_j (f_{j+1} - f_j) ||_2,   x_{k+1} = g(x_k) - sum_j gamma_j (g(x_{j+1}) - g(x_j))</code>
/// (the least-squares problem by modified Gram-Schmidt on at most <c>m</c> columns). The fixed point is unchanged and the
/// solver still stops on the plain residual <c>|g(x_k) - x_k|</c>, so the accuracy guarantee of plain iteration holds.
/// Safeguards: the history restarts when a residual grows past ten times the smallest seen, and the mixer turns
/// itself off at the first non-finite value (excluded actions make states <c>-infinity</c>). Mutable workspace of one
/// solve; deterministic (fixed summation order).
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
            var columnF = dF[head];
            var columnG = dG[head];
            for (int i = 0; i < n; i++)
            {
                columnF[i] = f[i] - previousF[i];
                columnG[i] = g[i] - previousG[i];
            }
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
        for (int j = 0; j < m; j++)
        {
            var column = dG[Slot(j)];
            double c = coefficients[j];
            for (int i = 0; i < n; i++) g[i] -= c * column[i];
        }
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
                for (int i = 0; i < n; i++) v[i] -= p * q[k][i];
            }
            double norm = Math.Sqrt(Dot(v, v));
            if (!(norm > 1e-10 * original)) break;
            r[m, m] = norm;
            for (int i = 0; i < n; i++) v[i] /= norm;
            m++;
        }
        return m;
    }

    private double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < n; i++) s += a[i] * b[i];
        return s;
    }
}
