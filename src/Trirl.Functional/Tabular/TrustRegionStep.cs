namespace Trirl.Functional;

/// <summary>The result of one trust-region policy step (math note, section 5).</summary>
/// <param name="Policy">The new policy <c>pi_tr = SoftOptimal(r~ + eta * log pi_i, 1 + eta)</c>.</param>
/// <param name="Eta">The multiplier <c>eta &gt;= 0</c> (0 when the constraint is slack).</param>
/// <param name="Kl">The causal KL of the step, <c>sum_s rho_tr(s) KL(pi_tr(.|s) || pi_i(.|s)) &lt;= delta</c>.</param>
/// <param name="Solution">The soft solution at temperature <c>1 + eta</c> that produced the policy.</param>
/// <param name="Occupancy">The occupancy <c>rho_tr</c> of the new policy.</param>
/// <param name="Solves">How many soft value iterations the search for <c>eta</c> ran.</param>
public sealed record TrustRegionResult(Policy Policy, double Eta, double Kl, SoftSolution Solution, StateActionTable Occupancy, int Solves)
{
    /// <summary>Both forms of the new policy's occupancy (time-indexed for the entropy and the causal KL on a horizon).</summary>
    internal Occupancies Occupancies { get; init; } = new(Occupancy, Occupancy);
}

public static partial class Irl
{
    /// <summary>Relative precision of the search for <c>eta</c>: the final bracket width over its feasible end.</summary>
    public const double EtaRelativePrecision = 1e-12;

    /// <summary>
    /// The trust-region policy step (math note, section 5):
    /// <code>maximise_pi  sum rho_pi (r~ - log pi)   s.t.   sum_s rho_pi(s) KL(pi(.|s) || pi_i(.|s)) &lt;= delta</code>
    /// Closed form: <c>pi_tr = SoftOptimal(r~ + eta * log pi_i, 1 + eta)</c>. If the constraint is slack at
    /// <c>eta = 0</c> then <c>eta = 0</c>; otherwise <c>eta</c> is bracketed from <paramref name="initialEta"/> by steps
    /// along <c>log KL</c> against <c>log(1 + eta)</c> (close to a line of slope -2), then narrowed to relative precision
    /// 1e-12 (Brent's method in <c>log(1 + eta)</c>), keeping the feasible end, so that the
    /// returned KL is at most <c>delta</c> and equals it up to that precision. <c>delta = +infinity</c> is the
    /// full solve (<c>eta = 0</c>) of MCE-IRL. On a finite-horizon MDP the policy, the reward <c>r~ + eta log pi_{i,t}</c>
    /// and the causal KL are time-indexed, with one multiplier <c>eta</c> for all time steps (docs/finite-horizon.md).
    /// </summary>
    /// <param name="mdp">The MDP.</param>
    /// <param name="proposedReward">The proposal <c>r~ = U_eps(r_i)</c>.</param>
    /// <param name="oldPolicy">The current policy <c>pi_i</c>.</param>
    /// <param name="delta">The trust-region radius <c>delta &gt; 0</c>, or <c>+infinity</c>.</param>
    /// <param name="settings">Stopping rules of the inner solves.</param>
    /// <param name="initialEta">Where the search starts, <c>&gt;= 0</c>: 0 (the default) checks the slack case first; a guess
    /// such as the previous step's <c>eta</c> saves solves. The result is the same to the search's precision.</param>
    public static TrustRegionResult TrustRegionStep(TabularMdp mdp, StateActionTable proposedReward, Policy oldPolicy, double delta,
        SolverSettings? settings = null, double initialEta = 0)
    {
        RequireShape(mdp, proposedReward, nameof(proposedReward));
        oldPolicy = RequirePolicy(mdp, oldPolicy, nameof(oldPolicy));
        if (double.IsNaN(delta) || delta <= 0)
            throw new TrirlInputException(nameof(delta), $"must be > 0 (or +infinity for a full solve), got {Check.Format(delta)}",
                "use a radius such as 0.01");
        if (!double.IsFinite(initialEta) || initialEta < 0)
            throw new TrirlInputException(nameof(initialEta), $"must be a finite number >= 0, got {Check.Format(initialEta)}",
                "start at 0 (the default) or at a previous step's eta");
        settings ??= SolverSettings.Default;
        settings.Validate();
        return SolveTrustRegion(mdp, proposedReward, oldPolicy, delta, settings, ReadOnlySpan<double>.Empty, initialEta: initialEta);
    }

    /// <summary>
    /// The policy step with a fixed multiplier (no search; the paper's discrete experiment uses <c>eta = 0.1</c>):
    /// <code>pi = SoftOptimal(r~ + eta * log pi_i, 1 + eta)</code>
    /// the solution of the trust region whose radius is the KL this <c>eta</c> gives (returned as <c>Kl</c>). The
    /// correction <c>eps_tr = eps / (1 + eta)</c> holds as for a searched <c>eta</c>.
    /// </summary>
    public static TrustRegionResult FixedEtaStep(TabularMdp mdp, StateActionTable proposedReward, Policy oldPolicy, double eta,
        SolverSettings? settings = null)
    {
        RequireShape(mdp, proposedReward, nameof(proposedReward));
        oldPolicy = RequirePolicy(mdp, oldPolicy, nameof(oldPolicy));
        if (!double.IsFinite(eta) || eta < 0)
            throw new TrirlInputException(nameof(eta), $"must be a finite number >= 0, got {Check.Format(eta)}", "use a multiplier such as 0.1");
        settings ??= SolverSettings.Default;
        settings.Validate();
        return SolveTrustRegion(mdp, proposedReward, oldPolicy, double.PositiveInfinity, settings, ReadOnlySpan<double>.Empty, eta);
    }

    /// <summary>
    /// The search for <c>eta</c> (or, with <paramref name="fixedEta"/>, one solve at that multiplier), starting at
    /// <paramref name="initialEta"/> (0: the slack check first). <paramref name="warmValue"/> and <paramref name="warmState"/>
    /// (empty: none) start the first soft solve and the first occupancy solve; later solves start from the line through the
    /// two evaluated multipliers nearest the new one.
    /// </summary>
    internal static TrustRegionResult SolveTrustRegion(TabularMdp mdp, StateActionTable proposedReward, Policy oldPolicy, double delta,
        SolverSettings settings, ReadOnlySpan<double> warmValue, double? fixedEta = null, double initialEta = 0,
        ReadOnlySpan<double> warmState = default)
    {
        int solves = 0;
        var starts = new WarmStarts(warmValue, warmState, mdp.IsFiniteHorizon);
        var shifted = new double[oldPolicy.LogProbabilities.Raw.Length];
        int pairs = proposedReward.Raw.Length;
        EtaEvaluation Evaluate(double eta)
        {
            double[] reward = proposedReward.Raw;
            if (eta > 0)
            {
                // r~ + eta * log pi_{i,t} at temperature 1 + eta (one block per time step; one block without a horizon)
                for (int t = 0; t < oldPolicy.Steps; t++)
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(oldPolicy.LogProbabilities.Span.Slice(t * pairs, pairs), eta,
                        proposedReward.Span, shifted.AsSpan(t * pairs, pairs));
                reward = shifted;
            }
            var (value, state) = starts.At(eta);
            var solution = SolveSoft(mdp, reward, 1 + eta, settings, value);
            solves++;
            var rho = SolveOccupancies(mdp, solution.Policy, settings, state);
            starts.Add(eta, solution.V.AsSpan(), rho.Aggregate);
            return new EtaEvaluation(eta, solution, rho, CausalKlFromOccupancy(rho.Timed, solution.Policy, oldPolicy));
        }
        TrustRegionResult Result(EtaEvaluation at) =>
            new(at.Solution.Policy, at.Eta, at.Kl, at.Solution, at.Occupancy.Aggregate, solves) { Occupancies = at.Occupancy };

        if (fixedEta is { } fixedMultiplier) return Result(Evaluate(fixedMultiplier));
        return Result(SearchEta(Evaluate, delta, initialEta));
    }

    /// <summary>One evaluated multiplier: the soft solution at <c>1 + eta</c>, its occupancies and causal KL.</summary>
    private sealed record EtaEvaluation(double Eta, SoftSolution Solution, Occupancies Occupancy, double Kl);

    /// <summary>
    /// The root of <c>KL(eta) = delta</c> (math note, section 5), found in <c>u = log(1 + eta)</c>, where
    /// <c>f(u) = log(KL / delta)</c> is close to a line of slope -2 (<c>KL ~ C / (1 + eta)^2</c> once <c>eta</c> dominates the
    /// reward's scale). The search evaluates <paramref name="start"/>; at 0 a KL of at most <c>delta</c> is the slack case
    /// (<c>eta = 0</c>). Then it steps along the secant of its last two points (the slope -2 model after one point),
    /// 1.25 times as far, until it has a bracket <c>[lo, hi]</c> with <c>KL(lo) &gt; delta &gt;= KL(hi)</c>, doubling the
    /// factor at every step that fails to cross and reaching <c>eta = 0</c> when a step would go below it (KL decreases in
    /// <c>eta</c>, so an infeasible <c>eta &gt; 0</c> also rules out the slack case). Then Brent's method (inverse
    /// quadratic interpolation, secant steps and bisections; Brent 1973, chapter 4) narrows the bracket until
    /// <c>hi - lo &lt;= 1e-12 hi</c>, stepping at least a fraction of that width so that it closes from both sides. It
    /// returns the feasible end, so the KL is at most <c>delta</c> and equals it to the same precision as the plain
    /// bracket-and-bisect search of the math note, from far fewer evaluations.
    /// </summary>
    private static EtaEvaluation SearchEta(Func<double, EtaEvaluation> evaluate, double delta, double start)
    {
        double F(EtaEvaluation e) => Math.Log(Math.Max(e.Kl, double.Epsilon) / delta);
        EtaEvaluation Evaluate(double eta)
        {
            if (eta > 1e15)
                throw new InvalidOperationException(
                    $"The trust-region search found no eta <= {1e15:G3} with KL <= delta = {delta:G3}; " +
                    "delta is below what rounding allows: use a larger delta.");
            return evaluate(eta);
        }
        var first = Evaluate(start);
        if (start == 0 && first.Kl <= delta) return first;

        // Bracketing: lo infeasible (KL > delta), hi feasible.
        EtaEvaluation? lo = first.Kl > delta ? first : null, hi = first.Kl > delta ? null : first;
        var (previous, last) = ((EtaEvaluation?)null, first);
        double reach = 1.25;
        while (lo is null || hi is null)
        {
            double u = double.LogP1(last.Eta), f = F(last), slope = -2;
            if (previous is not null)
            {
                double secant = (f - F(previous)) / (u - double.LogP1(previous.Eta));
                if (secant is < -0.1 and > -20) slope = secant;
            }
            // A step of at least 1e-12 relative crosses a root that the model puts within rounding of the last point.
            double step = reach * -f / slope;
            double least = 1e-12 * Math.Max(last.Eta, 1e-300) / (1 + last.Eta);
            step = Math.Sign(step) * Math.Min(Math.Max(Math.Abs(step), least), 4);
            double eta = double.ExpM1(u + step);
            if (hi is not null && !(eta > 0)) eta = 0;                    // below 0: the slack check
            var next = Evaluate(eta);
            if (eta == 0 && next.Kl <= delta) return next;                // slack
            if (next.Kl > delta) lo = next; else hi = next;
            (previous, last) = (last, next);
            reach *= 2;
        }
        return Narrow(Evaluate, F, lo, hi);
    }

    /// <summary>
    /// Brent's zero finder (Brent 1973, chapter 4, <c>zeroin</c>) on <c>f(u)</c>, <c>u = log(1 + eta)</c>, from the bracket
    /// <c>[lo, hi]</c> (<c>f(lo) &gt; 0 &gt;= f(hi)</c>), until <c>hi - lo &lt;= EtaRelativePrecision * hi</c> in <c>eta</c>;
    /// returns the feasible end.
    /// </summary>
    private static EtaEvaluation Narrow(Func<double, EtaEvaluation> evaluate, Func<EtaEvaluation, double> f, EtaEvaluation lo, EtaEvaluation hi)
    {
        static double U(EtaEvaluation e) => double.LogP1(e.Eta);
        // b: the best point so far, c: the other end of the bracket, a: the previous b.
        EtaEvaluation a = lo, b = hi, c = lo;
        double fa = f(a), fb = f(b), fc = fa;
        double d = U(b) - U(a), e = d;
        while (true)
        {
            if (Math.Abs(fc) < Math.Abs(fb))
            {
                (a, b, c) = (b, c, b);
                (fa, fb, fc) = (fb, fc, fb);
            }
            var (feasible, infeasible) = fb <= 0 ? (b, c) : (c, b);
            double width = Math.Abs(feasible.Eta - infeasible.Eta);
            if (fb == 0 || width <= EtaRelativePrecision * feasible.Eta) return feasible;   // fb = 0: KL = delta exactly
            double ub = U(b), uc = U(c);
            // Steps below this (in u) would not close the bracket faster than the precision asks.
            double tol = 0.4 * EtaRelativePrecision * Math.Max(b.Eta, c.Eta) / (1 + Math.Max(b.Eta, c.Eta));
            double xm = 0.5 * (uc - ub);
            double step;
            if (Math.Abs(e) >= tol && Math.Abs(fa) > Math.Abs(fb))
            {
                double p, q, s = fb / fa;
                if (a == c)
                {
                    p = 2 * xm * s;                                          // secant
                    q = 1 - s;
                }
                else
                {
                    double qa = fa / fc, r = fb / fc;                         // inverse quadratic interpolation
                    p = s * (2 * xm * qa * (qa - r) - (ub - U(a)) * (r - 1));
                    q = (qa - 1) * (r - 1) * (s - 1);
                }
                if (p > 0) q = -q; else p = -p;
                if (2 * p < Math.Min(3 * xm * q - Math.Abs(tol * q), Math.Abs(e * q)))
                {
                    e = d;
                    step = p / q;
                }
                else step = e = xm;                                          // bisection
            }
            else step = e = xm;                                              // bisection
            d = step;
            double un = ub + (Math.Abs(step) > tol ? step : Math.CopySign(tol, xm));
            double eta = double.ExpM1(un);
            double loEta = Math.Min(b.Eta, c.Eta), hiEta = Math.Max(b.Eta, c.Eta);
            if (!(eta > loEta && eta < hiEta)) eta = 0.5 * (loEta + hiEta);
            if (!(eta > loEta && eta < hiEta)) return feasible;              // the bracket is down to adjacent doubles
            a = b;
            fa = fb;
            b = evaluate(eta);
            fb = f(b);
            if (fb > 0 == fc > 0)
            {
                c = a;
                fc = fa;
                e = d = U(b) - U(a);
            }
        }
    }

    /// <summary>
    /// Starts of the solves of one search: the caller's warm start for the first, then the line in <c>eta</c> through the
    /// two evaluated multipliers nearest the new one (of the last few), per state; a value that the line would make
    /// non-finite, or an occupancy it would make 0 or negative, is the nearest one's.
    /// </summary>
    private sealed class WarmStarts(ReadOnlySpan<double> value, ReadOnlySpan<double> state, bool finiteHorizon)
    {
        private const int Kept = 4;
        private readonly double[] firstValue = value.ToArray();
        private readonly double[] firstState = state.ToArray();
        private readonly List<(double Eta, double[] Value, double[] State)> seen = [];

        internal void Add(double eta, ReadOnlySpan<double> v, StateActionTable occupancy)
        {
            if (finiteHorizon) return;                                       // a horizon's exact recursions take no start
            if (seen.Count == Kept) seen.RemoveAt(0);
            seen.Add((eta, v.ToArray(), occupancy.RowSums().ToArray()));
        }

        internal (double[] Value, double[] State) At(double eta)
        {
            if (seen.Count == 0) return (firstValue, firstState);
            int nearest = 0, other = -1;                                     // the two evaluated multipliers nearest eta
            for (int k = 1; k < seen.Count; k++)
            {
                if (Math.Abs(seen[k].Eta - eta) < Math.Abs(seen[nearest].Eta - eta)) (nearest, other) = (k, nearest);
                else if (other < 0 || Math.Abs(seen[k].Eta - eta) < Math.Abs(seen[other].Eta - eta)) other = k;
            }
            var (e0, v0, d0) = seen[nearest];
            if (other < 0 || seen[other].Eta == e0) return (v0, d0);
            var (e1, v1, d1) = seen[other];
            double w = (eta - e0) / (e1 - e0);
            return (Line(v0, v1, w, positive: false), Line(d0, d1, w, positive: true));
        }

        private static double[] Line(double[] nearest, double[] other, double w, bool positive)
        {
            var x = new double[nearest.Length];
            for (int i = 0; i < x.Length; i++)
            {
                double y = nearest[i] + w * (other[i] - nearest[i]);
                x[i] = double.IsFinite(y) && (!positive || y > 0) ? y : nearest[i];
            }
            return x;
        }
    }
}
