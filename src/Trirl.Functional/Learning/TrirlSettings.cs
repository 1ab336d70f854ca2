using System.Collections.Immutable;

namespace Trirl.Functional;

/// <summary>The three algorithms that share one step function (math note, section 8).</summary>
public enum Algorithm
{
    /// <summary>TRIRL: proposal <c>U_eps</c>, trust-region step of radius <c>delta</c>, corrected reward <c>U_{eps/(1+eta)}</c>.</summary>
    Trirl,

    /// <summary>MCE-IRL (classical dual descent): proposal <c>U_eps</c>, full solve (<c>delta = infinity</c>, <c>eta = 0</c>).</summary>
    Mce,

    /// <summary>Adversarial (GAIL-like): <c>eps = 1</c> (latest log-ratio only), local step, no correction.</summary>
    Adversarial,
}

/// <summary>
/// How the log-ratio <c>D_i</c> is estimated when it is not computed exactly: expert demonstrations
/// (held by the problem), <see cref="Rollouts"/> fresh policy rollouts per iteration, and a one-hot
/// logistic-regression discriminator (<see cref="Irl.FitDiscriminator"/>).
/// </summary>
/// <param name="Rollouts">Policy rollouts per iteration.</param>
/// <param name="Horizon">Steps per rollout.</param>
/// <param name="L2">L2 weight of the discriminator.</param>
/// <param name="Seed">Seed of the rollouts (iteration <c>i</c> uses stream <c>i</c>).</param>
public sealed record SampleSettings(int Rollouts, int Horizon, double L2, long Seed)
{
    /// <summary>Default L2 weight of the discriminator: small next to the occupancy mass of a visited pair.</summary>
    public const double DefaultL2 = 1e-4;
}

/// <summary>
/// Settings of one run (math note, sections 4-8). Build them with <see cref="Trirl"/>, <see cref="Mce"/> or
/// <see cref="Adversarial"/>.
/// </summary>
/// <param name="Algorithm">Which preset of the step.</param>
/// <param name="Beta">Weight of the matching term, <c>beta &gt; 0</c> (the inverse entropy coefficient).</param>
/// <param name="Eps">Step size of the reward update, in (0, 1].</param>
/// <param name="Delta">Trust-region radius, &gt; 0; <c>+infinity</c> for a full solve.</param>
public sealed record TrirlSettings(Algorithm Algorithm, double Beta, double Eps, double Delta)
{
    /// <summary><c>eps * beta</c> above this leaves the observed monotone regime (math note, section 7).</summary>
    public const double SafeStepBound = 0.2;

    /// <summary>Stopping rules of the inner solvers.</summary>
    public SolverSettings Solver { get; init; } = SolverSettings.Default;

    /// <summary>Sample-based estimation of <c>D_i</c>, or <c>null</c> for the exact log-ratio.</summary>
    public SampleSettings? Sampling { get; init; }

    /// <summary>
    /// A fixed trust-region multiplier <c>eta &gt;= 0</c> used at every iteration instead of the search for
    /// <c>KL(eta) = delta</c> (then <c>delta</c> is not used), or <c>null</c> for the search. The paper's discrete experiment
    /// fixes <c>eta = 0.1</c>; the correction <c>eps_tr = eps / (1 + eta)</c> holds for any <c>eta</c>.
    /// </summary>
    public double? FixedEta { get; init; }

    /// <summary>
    /// Whether the reward is a function of the state alone, <c>r(s)</c> (the paper's state features): the log-ratio is
    /// taken between state occupancies, <c>D(s) = log rho_E(s) - log rho_pi(s)</c>, and the primal and the KL to the
    /// expert compare state occupancies (the restricted dual's own primal, so that the gap still goes to 0).
    /// </summary>
    public bool StateRewards { get; init; }

    /// <summary>Copy with a fixed multiplier <paramref name="eta"/> instead of the search (TRIRL and adversarial).</summary>
    public TrirlSettings WithFixedEta(double eta) => Validated(this with { FixedEta = eta });

    /// <summary>Copy with state-only rewards <c>r(s)</c> (<paramref name="stateRewards"/> true) or state-action rewards.</summary>
    public TrirlSettings WithStateRewards(bool stateRewards) => Validated(this with { StateRewards = stateRewards });

    /// <summary>Whether the reward is corrected with <c>eps_tr = eps / (1 + eta)</c> (TRIRL and MCE, where <c>eta = 0</c>).</summary>
    public bool Corrects => Algorithm != Algorithm.Adversarial;

    /// <summary>TRIRL with step size <paramref name="eps"/> and trust-region radius <paramref name="delta"/>.</summary>
    public static TrirlSettings Trirl(double beta, double eps, double delta) => Validated(new(Algorithm.Trirl, beta, eps, delta));

    /// <summary>MCE-IRL: the same proposal with a full solve per iteration (<c>delta = infinity</c>).</summary>
    public static TrirlSettings Mce(double beta, double eps) => Validated(new(Algorithm.Mce, beta, eps, double.PositiveInfinity));

    /// <summary>Adversarial imitation: <c>eps = 1</c>, a local step of radius <paramref name="delta"/>, no correction.</summary>
    public static TrirlSettings Adversarial(double beta, double delta) => Validated(new(Algorithm.Adversarial, beta, 1.0, delta));

    /// <summary>The preset named <paramref name="algorithm"/>; MCE ignores <paramref name="delta"/>, adversarial ignores <paramref name="eps"/>.</summary>
    public static TrirlSettings Preset(Algorithm algorithm, double beta, double eps, double delta) => algorithm switch
    {
        Algorithm.Trirl => Trirl(beta, eps, delta),
        Algorithm.Mce => Mce(beta, eps),
        Algorithm.Adversarial => Adversarial(beta, delta),
        _ => throw new TrirlInputException("algorithm", $"unknown algorithm {algorithm}", "use trirl, mce or adversarial"),
    };

    /// <summary>Copy with sample-based estimation of <c>D_i</c>.</summary>
    public TrirlSettings WithSampling(SampleSettings sampling) => Validated(this with { Sampling = sampling });

    /// <summary>Copy with other solver settings.</summary>
    public TrirlSettings WithSolver(SolverSettings solver) => Validated(this with { Solver = solver });

    /// <summary>Copy with another trust-region radius.</summary>
    public TrirlSettings WithDelta(double delta) => Validated(this with { Delta = delta });

    /// <summary>
    /// Advice for the caller to show: a warning when <c>eps * beta &gt; 0.2</c>, where the dual is observed
    /// to oscillate rather than decrease (math note, section 7).
    /// </summary>
    public ImmutableArray<string> Warnings =>
        Eps * Beta > SafeStepBound
            ? [$"eps * beta = {(Eps * Beta).ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} > {SafeStepBound}: the dual may oscillate instead of decreasing (math note, section 7); use a smaller eps for a monotone run"]
            : [];

    private static TrirlSettings Validated(TrirlSettings s)
    {
        s.Validate();
        return s;
    }

    /// <summary>
    /// Checks every field (the learner calls this too, so settings built with the record constructor or <c>with</c>
    /// are held to the same rules as the presets).
    /// </summary>
    internal void Validate()
    {
        Check.Positive(Beta, "beta");
        Check.Finite(Beta, "beta");
        Irl.CheckEps(Eps, "eps");
        if (double.IsNaN(Delta) || Delta <= 0)
            throw new TrirlInputException("delta", $"must be > 0, got {Check.Format(Delta)}", "use a radius such as 0.01");
        if (!Enum.IsDefined(Algorithm))
            throw new TrirlInputException("algorithm", $"unknown algorithm {(int)Algorithm}", "use Algorithm.Trirl, Mce or Adversarial");
        if (Algorithm == Algorithm.Mce && !double.IsPositiveInfinity(Delta))
            throw new TrirlInputException("delta", $"MCE-IRL takes a full solve (delta = infinity), got {Check.Format(Delta)}",
                "build the settings with TrirlSettings.Mce(beta, eps), or use Algorithm.Trirl for a finite trust region");
        if (Algorithm == Algorithm.Adversarial && Eps != 1)
            throw new TrirlInputException("eps", $"the adversarial preset uses eps = 1 (latest log-ratio only), got {Check.Format(Eps)}",
                "build the settings with TrirlSettings.Adversarial(beta, delta)");
        if (FixedEta is { } eta)
        {
            if (!double.IsFinite(eta) || eta < 0)
                throw new TrirlInputException("eta", $"must be a finite number >= 0, got {Check.Format(eta)}", "use a fixed multiplier such as 0.1");
            if (Algorithm == Algorithm.Mce)
                throw new TrirlInputException("eta", "is fixed, but MCE-IRL takes a full solve (eta = 0)", "use a fixed eta with trirl or adversarial");
        }
        Solver.Validate();
        if (Sampling is { } sampling)
        {
            Check.PositiveInt(sampling.Rollouts, "sampling.Rollouts");
            Check.PositiveInt(sampling.Horizon, "sampling.Horizon");
            Check.Positive(sampling.L2, "sampling.L2");
        }
    }
}
