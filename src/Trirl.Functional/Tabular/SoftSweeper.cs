namespace Trirl.Functional;

/// <summary>Which kernel runs the soft Bellman sweep (and the occupancy pull).</summary>
internal enum SweepPath
{
    /// <summary>The lane kernel where the machine runs it natively, else the row kernel.</summary>
    Auto,

    /// <summary><c>LaneKernels</c>: four states per 256-bit vector (x64 with AVX2 and FMA, .NET 9+).</summary>
    Lanes,

    /// <summary><see cref="Kernels.SoftSweep"/>: one CSR row at a time; portable.</summary>
    Rows,
}

/// <summary>
/// The mutable workspace of one soft value iteration: the reward and the two value vectors in the layout of the
/// chosen kernel. It never escapes the solver that creates it (<see cref="Irl.SolveSoft"/>, the benchmark).
/// </summary>
internal sealed class SoftSweeper
{
    private readonly TabularMdp mdp;
    private readonly LaneTransitions? lanes;
    private readonly double[] reward;
    private readonly double temperature;
    private readonly bool parallel;
    private readonly double[] blockDiff;
    private double[] v;
    private double[] vNew;

    private SoftSweeper(TabularMdp mdp, LaneTransitions? lanes, double[] reward, double temperature, bool parallel, double[] v)
    {
        this.mdp = mdp;
        this.lanes = lanes;
        this.reward = reward;
        this.temperature = temperature;
        this.parallel = parallel;
        this.v = v;
        vNew = new double[v.Length];
        blockDiff = lanes is null ? new double[Kernels.BlockCount(mdp.States)] : [];
    }

    /// <summary>Whether <paramref name="path"/> resolves to the lane kernel on this machine.</summary>
    internal static bool UsesLanes(SweepPath path)
    {
#if NET9_0_OR_GREATER
        return path switch
        {
            SweepPath.Rows => false,
            SweepPath.Lanes => true,
            _ => LaneKernels.Supported,
        };
#else
        return false;
#endif
    }

    /// <summary>
    /// A workspace for <paramref name="reward"/> (<c>S x A</c> row-major) at <paramref name="temperature"/>, starting
    /// from <paramref name="initialValue"/> (empty: zeros).
    /// </summary>
    internal static SoftSweeper Create(TabularMdp mdp, double[] reward, double temperature, bool parallel,
        ReadOnlySpan<double> initialValue, SweepPath path)
    {
        if (!UsesLanes(path))
        {
            var v = new double[mdp.States];
            if (!initialValue.IsEmpty) initialValue.CopyTo(v);
            return new SoftSweeper(mdp, null, reward, temperature, parallel, v);
        }
        var lanes = mdp.Lanes;
        var lv = new double[lanes.ValueLength];
        if (!initialValue.IsEmpty) initialValue.CopyTo(lv);
        return new SoftSweeper(mdp, lanes, lanes.ToLanes(reward), temperature, parallel, lv);
    }

    /// <summary>One sweep <c>v &lt;- T v</c>; returns <c>max_s |v_new(s) - v(s)|</c>.</summary>
    internal double Sweep()
    {
        double diff = SweepInto(vNew, null);
        (v, vNew) = (vNew, v);
        return diff;
    }

    /// <summary>
    /// After <see cref="Sweep"/>: replaces <c>v = T(x)</c> by the Anderson-mixed next iterate built from <c>x</c> (the
    /// previous vector) and <c>T(x)</c>, over the real states.
    /// </summary>
    internal void Accelerate(AndersonMixer mixer, double residual) => mixer.Mix(vNew, v, residual);

    /// <summary>
    /// <c>max_s |v(s)|</c> over the real states with finite values: a state at <c>-infinity</c> (every action
    /// excluded) must not make the relative stopping rule <c>diff &lt;= 1e-15 max|v|</c> true from the first sweep.
    /// </summary>
    internal double MaxAbsFiniteValue()
    {
        double scale = 0;
        for (int s = 0; s < mdp.States; s++)
            if (double.IsFinite(v[s])) scale = Math.Max(scale, Math.Abs(v[s]));
        return scale;
    }

    /// <summary>
    /// <c>Q = r + gamma P v</c> from the current <c>v</c> (<c>S x A</c> row-major) and <c>V = tau logsumexp(Q / tau)</c>
    /// computed from that same <c>Q</c>, so that <c>log pi = (Q - V) / tau</c> sums to 1 in every row.
    /// </summary>
    internal (double[] Q, double[] V) Finish()
    {
        int states = mdp.States;
        var q = new double[lanes is null ? states * mdp.Actions : lanes.PairLength];
        var vOut = new double[v.Length];
        SweepInto(vOut, q);
        return lanes is null ? (q, vOut) : (lanes.FromLanes(q), vOut[..states]);
    }

    private double SweepInto(double[] target, double[]? qOut)
    {
#if NET9_0_OR_GREATER
        if (lanes is not null) return LaneKernels.Sweep(lanes, mdp.Gamma, reward, temperature, v, target, parallel, qOut);
#endif
        return Kernels.SoftSweep(mdp, reward, temperature, v, target, blockDiff, parallel, qOut);
    }
}
