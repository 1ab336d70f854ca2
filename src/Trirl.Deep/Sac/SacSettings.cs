using System.Text.Json.Serialization;

namespace Trirl.Deep;

/// <summary>
/// Settings of soft actor-critic (Haarnoja et al. 2018, with automatic temperature): twin critics with Polyak-averaged
/// targets, a tanh-squashed Gaussian actor, and <c>alpha</c> tuned so the policy entropy tracks
/// <c>-TargetEntropyScale * actDim</c>. Each vector step adds <see cref="Copies"/> transitions to a replay buffer of
/// <see cref="BufferSize"/>; the first <see cref="LearningStarts"/> environment steps take uniform random actions and
/// after them every vector step makes <c>Copies * UpdatesPerStep</c> gradient steps on minibatches of
/// <see cref="BatchSize"/>.
/// <code>
/// y      = r + gamma (1 - terminated) (min_j Q'_j(s', u') - alpha log pi(u'|s')),  u' ~ pi(.|s')
/// L_Q    = 1/2 sum_j mean (Q_j(s, u) - y)^2
/// L_pi   = mean (alpha log pi(u~|s) - min_j Q_j(s, u~)),  u~ ~ pi(.|s) (reparameterised)
/// L_alpha = -mean log alpha (log pi(u~|s) - TargetEntropyScale * actDim)
/// Q'     &lt;- (1 - tau) Q' + tau Q
/// </code>
/// A truncated episode is not terminal: its target bootstraps from the final observation.
/// </summary>
/// <param name="Copies">Environment copies stepped together, &gt;= 1.</param>
/// <param name="BufferSize">Replay capacity in transitions, &gt;= BatchSize.</param>
/// <param name="BatchSize">Transitions per gradient step, &gt;= 1.</param>
/// <param name="LearningRate">Adam learning rate (actor, critics, temperature), &gt; 0.</param>
/// <param name="Gamma">Discount, in [0, 1).</param>
/// <param name="Tau">Polyak coefficient of the target critics, in (0, 1].</param>
/// <param name="LearningStarts">Environment steps of uniform random actions before learning starts, &gt;= 1.</param>
/// <param name="UpdatesPerStep">Gradient steps per environment step, &gt;= 1.</param>
/// <param name="InitialAlpha">Initial temperature, &gt; 0.</param>
/// <param name="TargetEntropyScale">Target entropy is <c>-TargetEntropyScale * actDim</c> (1 in SAC's heuristic).</param>
/// <param name="LogEvery">Environment steps per metrics row (and evaluation), a multiple of Copies.</param>
/// <param name="Actor">Actor network.</param>
/// <param name="Critic">Each critic network.</param>
public sealed record SacSettings(
    int Copies, int BufferSize, int BatchSize, double LearningRate, double Gamma, double Tau,
    int LearningStarts, int UpdatesPerStep, double InitialAlpha, double TargetEntropyScale, int LogEvery,
    MlpSpec Actor, MlpSpec Critic) : LearnerSettings
{
    /// <summary>
    /// The default (Stable-Baselines3's SAC with rl-baselines3-zoo's Pendulum learning rate): 1 copy, buffer 1e6, batch
    /// 256, Adam 1e-3, gamma 0.99, tau 0.005, 1,000 random steps, 1 update per step, alpha from 1, target entropy
    /// <c>-actDim</c>, 256-256 ReLU networks, a row every 1,000 steps.
    /// </summary>
    public static SacSettings Default { get; } = new(
        1, 1_000_000, 256, 1e-3, 0.99, 0.005, 1000, 1, 1.0, 1.0, 1000,
        new MlpSpec([256, 256], Activation.Relu, false), new MlpSpec([256, 256], Activation.Relu, false));

    /// <summary>The default with the paper's 512 (LayerNorm) - 256 - 128 ELU networks.</summary>
    public static SacSettings Paper { get; } = Default with { Actor = MlpSpec.Paper, Critic = MlpSpec.Paper };

    /// <summary>Tiny networks and budgets (tests and smoke runs): 16-16 ReLU, batch 32, 200 random steps, a row every 500 steps.</summary>
    public static SacSettings Tiny { get; } = new(
        1, 10_000, 32, 1e-3, 0.99, 0.01, 200, 1, 1.0, 1.0, 500,
        new MlpSpec([16, 16], Activation.Relu, false), new MlpSpec([16, 16], Activation.Relu, false));

    /// <summary>The preset named <paramref name="preset"/> (<see cref="RlPreset"/>).</summary>
    public static SacSettings Preset(string preset) => RlPreset.Parse(preset) switch
    {
        RlPreset.Paper => Paper,
        RlPreset.Tiny => Tiny,
        _ => Default,
    };

    /// <inheritdoc/>
    [JsonIgnore]
    public override DeepAlgorithm Algorithm => DeepAlgorithm.Sac;

    /// <inheritdoc/>
    [JsonIgnore]
    public override int VectorSize => Copies;

    /// <inheritdoc/>
    [JsonIgnore]
    public override int RowInterval => LogEvery;

    /// <summary>
    /// Colour of the exploration noise: the exponent <c>beta</c> of its power spectrum <c>f^-beta</c> (<see cref="ColoredNoise"/>).
    /// 0 (the default) is SAC's own i.i.d. Gaussian noise and i.i.d. uniform warm-up. Above 0 each training copy draws one
    /// correlated sequence <c>z</c> per episode and action entry (<see cref="ColoredNoise.Pink"/> = 1, Eberhard et al. 2023):
    /// the exploring action is <c>tanh(mu + sigma z_t)</c> and a warm-up action is <c>2 Phi(z_t) - 1</c>, uniform over the
    /// box like SAC's warm-up but temporally correlated. Only the behaviour policy changes: the critics' targets, the actor
    /// loss and the deterministic evaluation are those of SAC. Pink noise solves MountainCarContinuous, where white noise
    /// never reaches the goal. (Not positional, so settings written before it read as 0.)
    /// </summary>
    public double NoiseExponent { get; init; }

    /// <summary>Copy with another metrics interval (F# cannot use C#'s <c>with</c>).</summary>
    public SacSettings WithLogEvery(int logEvery) => this with { LogEvery = logEvery };

    /// <summary>Copy with another exploration-noise exponent (<see cref="NoiseExponent"/>; F# cannot use C#'s <c>with</c>).</summary>
    public SacSettings WithNoiseExponent(double exponent) => this with { NoiseExponent = exponent };

    /// <inheritdoc/>
    public override LearnerSettings Validated()
    {
        Check.PositiveInt(Copies, "sac.copies");
        Check.PositiveInt(BatchSize, "sac.batch_size");
        if (BufferSize < BatchSize)
            throw new TrirlInputException("sac.buffer_size", $"must be >= batch_size {BatchSize}, got {BufferSize}", "use a larger replay buffer");
        Check.Positive(LearningRate, "sac.learning_rate");
        Check.UnitInterval(Gamma, "sac.gamma", closedRight: false);
        if (!(Tau > 0 && Tau <= 1)) throw new TrirlInputException("sac.tau", $"must be in (0, 1], got {Check.Format(Tau)}", "use e.g. 0.005");
        Check.PositiveInt(LearningStarts, "sac.learning_starts");
        Check.PositiveInt(UpdatesPerStep, "sac.updates_per_step");
        Check.Positive(InitialAlpha, "sac.initial_alpha");
        if (!double.IsFinite(TargetEntropyScale))
            throw new TrirlInputException("sac.target_entropy_scale", "is not finite", "use e.g. 1");
        Check.PositiveInt(LogEvery, "sac.log_every");
        ColoredNoise.CheckExponent(NoiseExponent, "sac.noise_exponent");
        if (LogEvery % Copies != 0)
            throw new TrirlInputException("sac.log_every", $"is {LogEvery}, not a multiple of copies {Copies}", $"use a multiple of {Copies}");
        (Actor ?? throw new TrirlInputException("sac.actor", "is missing", "give the actor network")).Validate("sac.actor");
        (Critic ?? throw new TrirlInputException("sac.critic", "is missing", "give the critic network")).Validate("sac.critic");
        return this;
    }
}
