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
    /// <c>eta = 0</c> then <c>eta = 0</c>; otherwise <c>eta</c> is bracketed by doubling from 1 until the KL is
    /// at most <c>delta</c>, then narrowed to relative precision 1e-12 (regula falsi, Illinois variant, with a bisection
    /// whenever the bracket fails to halve in two steps), keeping the feasible end, so that the
    /// returned KL is at most <c>delta</c> and equals it up to that precision. <c>delta = +infinity</c> is the
    /// full solve (<c>eta = 0</c>) of MCE-IRL. On a finite-horizon MDP the policy, the reward <c>r~ + eta log pi_{i,t}</c>
    /// and the causal KL are time-indexed, with one multiplier <c>eta</c> for all time steps (docs/finite-horizon.md).
    /// </summary>
    /// <param name="mdp">The MDP.</param>
    /// <param name="proposedReward">The proposal <c>r~ = U_eps(r_i)</c>.</param>
    /// <param name="oldPolicy">The current policy <c>pi_i</c>.</param>
    /// <param name="delta">The trust-region radius <c>delta &gt; 0</c>, or <c>+infinity</c>.</param>
    /// <param name="settings">Stopping rules of the inner solves.</param>
    public static TrustRegionResult TrustRegionStep(TabularMdp mdp, StateActionTable proposedReward, Policy oldPolicy, double delta,
        SolverSettings? settings = null)
    {
        RequireShape(mdp, proposedReward, nameof(proposedReward));
        oldPolicy = RequirePolicy(mdp, oldPolicy, nameof(oldPolicy));
        if (double.IsNaN(delta) || delta <= 0)
            throw new TrirlInputException(nameof(delta), $"must be > 0 (or +infinity for a full solve), got {Check.Format(delta)}",
                "use a radius such as 0.01");
        settings ??= SolverSettings.Default;
        settings.Validate();
        return SolveTrustRegion(mdp, proposedReward, oldPolicy, delta, settings, ReadOnlySpan<double>.Empty);
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

    /// <summary>The search for <c>eta</c> (or, with <paramref name="fixedEta"/>, one solve at that multiplier).</summary>
    internal static TrustRegionResult SolveTrustRegion(TabularMdp mdp, StateActionTable proposedReward, Policy oldPolicy, double delta,
        SolverSettings settings, ReadOnlySpan<double> warmValue, double? fixedEta = null)
    {
        int solves = 0;
        double[] warm = warmValue.ToArray();
        double[] warmState = [];
        var shifted = new double[oldPolicy.LogProbabilities.Raw.Length];
        int pairs = proposedReward.Raw.Length;
        (SoftSolution Solution, Occupancies Occupancy, double Kl) Evaluate(double eta)
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
            var solution = SolveSoft(mdp, reward, 1 + eta, settings, warm);
            solves++;
            warm = solution.V.ToArray();
            var rho = SolveOccupancies(mdp, solution.Policy, settings, warmState);
            warmState = rho.Aggregate.RowSums().ToArray();
            return (solution, rho, CausalKlFromOccupancy(rho.Timed, solution.Policy, oldPolicy));
        }
        TrustRegionResult Result((SoftSolution Solution, Occupancies Occupancy, double Kl) at, double eta) =>
            new(at.Solution.Policy, eta, at.Kl, at.Solution, at.Occupancy.Aggregate, solves) { Occupancies = at.Occupancy };

        if (fixedEta is { } fixedMultiplier) return Result(Evaluate(fixedMultiplier), fixedMultiplier);
        var atZero = Evaluate(0);
        if (atZero.Kl <= delta) return Result(atZero, 0);

        double lo = 0, hi = 1, klLo = atZero.Kl;
        var best = Evaluate(hi);
        while (best.Kl > delta)
        {
            if (hi > 1e15)
                throw new InvalidOperationException(
                    $"The trust-region search found no eta <= {hi:G3} with KL <= delta = {delta:G3} (KL there {best.Kl:G3}); " +
                    "delta is below what rounding allows: use a larger delta.");
            lo = hi;
            klLo = best.Kl;
            hi *= 2;
            best = Evaluate(hi);
        }
        // Shrink the bracket [lo, hi] (KL(lo) > delta >= KL(hi)) by the Illinois variant of regula falsi on
        // g(eta) = KL(eta) - delta: the next eta interpolates g linearly between the ends, and an end kept twice in a
        // row has its g halved so that both ends converge. A step that fails to halve the bracket over two steps is
        // replaced by a bisection, so the bracket at least halves every two steps (noise in KL near the root cannot
        // stall it), and the search usually needs far fewer solves than plain bisection. The feasible end hi is kept.
        double gLo = klLo - delta, gHi = best.Kl - delta;
        int lastMoved = 0;                                   // +1: hi moved last, -1: lo moved last
        double width = hi - lo, previous = double.PositiveInfinity, beforePrevious = double.PositiveInfinity;
        while (width > EtaRelativePrecision * hi)
        {
            double mid = width > 0.5 * beforePrevious ? 0.5 * (lo + hi) : lo + gLo / (gLo - gHi) * width;
            if (!(mid > lo && mid < hi)) mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            var candidate = Evaluate(mid);
            double g = candidate.Kl - delta;
            if (g <= 0)
            {
                hi = mid; best = candidate; gHi = g;
                if (lastMoved == 1) gLo *= 0.5;
                lastMoved = 1;
            }
            else
            {
                lo = mid; gLo = g;
                if (lastMoved == -1) gHi *= 0.5;
                lastMoved = -1;
            }
            (beforePrevious, previous, width) = (previous, width, hi - lo);
        }
        return Result(best, hi);
    }
}
