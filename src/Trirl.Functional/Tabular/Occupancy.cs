namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The normalised discounted state-action occupancy (math note, section 1):
    /// <code>rho_pi(s,a) = (1-gamma) * sum_t gamma^t Pr(s_t = s, a_t = a),   sum_{s,a} rho_pi(s,a) = 1.</code>
    /// Solves <c>(I - gamma * P_pi^T) d = (1-gamma) p0</c> by the fixed-point iteration
    /// <c>d &lt;- (1-gamma) p0 + gamma * P_pi^T d</c> (a contraction with rate <c>gamma</c>) until the L1
    /// change is below <c>OccupancyTolerance</c> (1e-13), then returns <c>rho(s,a) = d(s) pi(a|s)</c>.
    /// Each sweep costs one pass over the transitions, so it scales to 10^4 states and beyond.
    /// On a finite-horizon MDP it is the forward recursion <c>d_0 = p0</c>, <c>d_{t+1} = P_{pi_t}^T d_t</c> and
    /// <c>rho(s,a) = sum_{t&lt;H} (gamma^t / Z) d_t(s) pi_t(a|s)</c>, <c>Z = sum_{t&lt;H} gamma^t</c> (docs/finite-horizon.md).
    /// </summary>
    /// <param name="mdp">The MDP.</param>
    /// <param name="policy">The policy <c>pi</c>, shaped <c>S x A</c> (stationary, or with <c>H</c> time steps on a finite-horizon MDP).</param>
    /// <param name="settings">Stopping rules; <see cref="SolverSettings.Default"/> when omitted.</param>
    public static StateActionTable Occupancy(TabularMdp mdp, Policy policy, SolverSettings? settings = null)
    {
        policy = RequirePolicy(mdp, policy, nameof(policy));
        settings ??= SolverSettings.Default;
        settings.Validate();
        return SolveOccupancy(mdp, policy, settings);
    }

    /// <summary>
    /// The time-indexed occupancy of a finite-horizon MDP (docs/finite-horizon.md):
    /// <code>rho_t(s,a) = (gamma^t / Z) Pr(s_t = s, a_t = a),   t = 0..H-1,   Z = sum_{t&lt;H} gamma^t,</code>
    /// as a <c>(H * S) x A</c> table (row <c>t * S + s</c>); its rows of step <c>t</c> sum to <c>gamma^t / Z</c> and the
    /// whole table to 1. Without a horizon it is <see cref="Occupancy"/> (one step).
    /// </summary>
    public static StateActionTable TimedOccupancy(TabularMdp mdp, Policy policy, SolverSettings? settings = null)
    {
        policy = RequirePolicy(mdp, policy, nameof(policy));
        settings ??= SolverSettings.Default;
        settings.Validate();
        return SolveOccupancies(mdp, policy, settings).Timed;
    }

    /// <summary>Both forms of the occupancy (the policy already has the MDP's time steps).</summary>
    internal static Occupancies SolveOccupancies(TabularMdp mdp, Policy policy, SolverSettings settings, ReadOnlySpan<double> initialState = default)
    {
        if (mdp.IsFiniteHorizon) return FiniteHorizon.Forward(mdp, policy);
        var rho = SolveOccupancy(mdp, policy, settings, initialState);
        return new Occupancies(rho, rho);
    }

    /// <summary>
    /// The occupancy solve from an optional warm start <paramref name="initialState"/> (a state occupancy, e.g. that
    /// of a nearby policy; empty: <c>(1-gamma) p0</c>). A warm start changes the iterate path, not the fixed point.
    /// <paramref name="path"/> picks the pull kernel (tests compare the two; they agree to rounding).
    /// </summary>
    internal static StateActionTable SolveOccupancy(TabularMdp mdp, Policy policy, SolverSettings settings,
        ReadOnlySpan<double> initialState = default, SweepPath path = SweepPath.Auto)
    {
        if (mdp.IsFiniteHorizon) return FiniteHorizon.Forward(mdp, policy).Aggregate;
        int states = mdp.States, actions = mdp.Actions;
        var pi = policy.Probabilities.Raw;
        var d = SoftSweeper.UsesLanes(path)
            ? SolveStateOccupancyLanes(mdp, pi, settings, initialState)
            : SolveStateOccupancyRows(mdp, pi, settings, initialState);
        var rho = new double[states * actions];
        WeightByPolicy(d, pi, states, actions, rho);
        return StateActionTable.Own(states, actions, rho);
    }

    /// <summary><c>w(s,a) = d(s) pi(a|s)</c> for the first <paramref name="states"/> states: the pull's weights, and rho from d.</summary>
    private static void WeightByPolicy(ReadOnlySpan<double> d, double[] pi, int states, int actions, Span<double> w)
    {
        for (int s = 0; s < states; s++)
        {
            double ds = d[s];
            for (int a = 0; a < actions; a++) w[s * actions + a] = ds * pi[s * actions + a];
        }
    }

    /// <summary>The source term <c>(1-gamma) p0</c> of the flow equation, into the first <c>S</c> slots of <paramref name="d"/>.</summary>
    private static void ScaledInitial(TabularMdp mdp, Span<double> d)
    {
        for (int s = 0; s < mdp.States; s++) d[s] = (1 - mdp.Gamma) * mdp.InitialSpan[s];
    }

    /// <summary>The start of the iteration: the warm start if it has one entry per state, else <c>(1-gamma) p0</c>.</summary>
    private static void StartOccupancy(TabularMdp mdp, ReadOnlySpan<double> initialState, Span<double> d)
    {
        if (initialState.Length == mdp.States) initialState.CopyTo(d);
        else ScaledInitial(mdp, d);
    }

    /// <summary>The Anderson mixer of the occupancy iteration over the real states, or null when it is off.</summary>
    /// <remarks>A mixed iterate can dip to or below 0 where the occupancy is tiny; such entries keep the plain step's value, so
    /// every state the plain iteration reaches keeps a positive occupancy (the log-ratio needs the support).</remarks>
    private static AndersonMixer? Mixer(TabularMdp mdp, SolverSettings settings) =>
        settings.AndersonDepth > 0 ? new AndersonMixer(mdp.States, settings.AndersonDepth, keepPositive: true) : null;

    /// <summary>
    /// Runs <paramref name="sweep"/> (one pull, returning its L1 change) until the change is below
    /// <c>OccupancyTolerance</c>; fails after <c>MaxIterations</c> sweeps, or at once on NaN (a NaN policy). Between
    /// sweeps that did not converge, <paramref name="accelerate"/> may replace the iterate (Anderson mixing).
    /// </summary>
    private static void Iterate(SolverSettings settings, Func<double> sweep, Action<double> accelerate)
    {
        for (int iterations = 0; iterations < settings.MaxIterations; iterations++)
        {
            double diff = sweep();
            if (double.IsNaN(diff))
                throw new InvalidOperationException(
                    "The occupancy solve produced NaN: the policy has NaN probabilities (a soft-optimal policy has them where " +
                    "every action of a state has reward -infinity); give such states a finite reward or a policy.");
            if (diff < settings.OccupancyTolerance) return;
            accelerate(diff);
            if (iterations + 1 == settings.MaxIterations)
                throw new InvalidOperationException(
                    $"The occupancy solve did not converge in {settings.MaxIterations} sweeps (last L1 change {diff:G3}); " +
                    "raise SolverSettings.MaxIterations or OccupancyTolerance.");
        }
    }

    /// <summary>The state occupancy <c>d</c> by the row kernel (portable).</summary>
    private static double[] SolveStateOccupancyRows(TabularMdp mdp, double[] pi, SolverSettings settings, ReadOnlySpan<double> initialState)
    {
        int states = mdp.States, actions = mdp.Actions;
        var d = new double[states];
        var dNew = new double[states];
        var w = new double[states * actions];
        StartOccupancy(mdp, initialState, d);
        var blockDiff = new double[Kernels.BlockCount(states)];
        bool parallel = Kernels.UseParallel(mdp, settings);
        var mixer = Mixer(mdp, settings);
        Iterate(settings, () =>
        {
            WeightByPolicy(d, pi, states, actions, w);
            var dIn = d;
            var dOut = dNew;
            Kernels.ForBlocks(states, parallel, b => blockDiff[b] = Kernels.OccupancyPullBlock(mdp, w, dIn, dOut, b));
            double diff = 0;
            foreach (var x in blockDiff) diff += x;
            (d, dNew) = (dNew, d);
            return diff;
        }, diff =>
        {
            if (mixer is null) return;
            mixer.Mix(dNew, d, diff);
        });
        return d;
    }

    /// <summary>
    /// The state occupancy <c>d</c> by the lane kernel (<c>LaneOccupancy</c>, four states per vector): the same
    /// iteration, with <c>w = d pi</c> written by each pull for the next.
    /// </summary>
    private static double[] SolveStateOccupancyLanes(TabularMdp mdp, double[] pi, SolverSettings settings, ReadOnlySpan<double> initialState)
    {
#if NET9_0_OR_GREATER
        int states = mdp.States, actions = mdp.Actions;
        var lanes = mdp.IncomingLanes;
        var source = new double[lanes.StateLength];
        ScaledInitial(mdp, source);
        var d = new double[lanes.StateLength];
        var dNew = new double[lanes.StateLength];
        StartOccupancy(mdp, initialState, d);
        var w = new double[lanes.PairLength];
        var wNext = new double[lanes.PairLength];
        WeightByPolicy(d, pi, states, actions, w);
        bool parallel = Kernels.UseParallel(mdp, settings);
        var mixer = Mixer(mdp, settings);
        Iterate(settings, () =>
        {
            double diff = LaneOccupancy.Pull(lanes, mdp.Gamma, source, pi, w, wNext, d, dNew, parallel);
            (d, dNew) = (dNew, d);
            (w, wNext) = (wNext, w);
            return diff;
        }, diff =>
        {
            if (mixer is null) return;
            mixer.Mix(dNew, d, diff);
            WeightByPolicy(d, pi, states, actions, w);       // the next pull reads w = d pi of the mixed d
        });
        return d;
#else
        return SolveStateOccupancyRows(mdp, pi, settings, initialState);
#endif
    }

    /// <summary>The state occupancy <c>rho_pi(s) = sum_a rho_pi(s,a)</c>.</summary>
    public static IReadOnlyList<double> StateOccupancy(StateActionTable occupancy) => occupancy.RowSums();
}
