using System.Text.Json.Serialization;

namespace Trirl.Deep;

/// <summary>
/// Settings of PPO with a KL trust-region term (math note, section 9). Per iteration: <see cref="Copies"/> environment
/// copies step <see cref="RolloutSteps"/> times; GAE(<see cref="GaeLambda"/>) advantages; then <see cref="Epochs"/>
/// passes over the <c>Copies * RolloutSteps</c> transitions in shuffled minibatches of <see cref="MinibatchSize"/>
/// (advantages normalised per minibatch), minimising
/// <code>
/// L = clipped surrogate - alpha * H[pi] + c_v * 0.5 (V(s) - R)^2 + eta * KL(pi_theta || pi_old)
/// </code>
/// with one Adam per network (policy, critic), each clipped to global gradient norm <see cref="MaxGradNorm"/>.
/// </summary>
/// <param name="Copies">Environment copies stepped together, &gt;= 1.</param>
/// <param name="RolloutSteps">Steps per copy per iteration, &gt;= 1.</param>
/// <param name="Epochs">Passes over each rollout, &gt;= 1.</param>
/// <param name="MinibatchSize">Transitions per gradient step, in [2, Copies * RolloutSteps]; a remainder is left out of the epoch.</param>
/// <param name="LearningRate">Adam learning rate (both networks), &gt; 0.</param>
/// <param name="Gamma">Discount, in [0, 1).</param>
/// <param name="GaeLambda">GAE lambda, in [0, 1].</param>
/// <param name="ClipRange">PPO ratio clip epsilon, &gt; 0.</param>
/// <param name="EntropyCoef">Entropy bonus alpha (= 1/beta), &gt;= 0.</param>
/// <param name="ValueCoef">Weight c_v of the value loss, &gt; 0.</param>
/// <param name="Eta">Weight of the KL term to the rollout policy, &gt;= 0 (the deep TRIRL learner drives it).</param>
/// <param name="MaxGradNorm">Global gradient-norm clip per network, &gt; 0.</param>
/// <param name="InitialStd">Initial policy standard deviation, &gt; 0.</param>
/// <param name="Policy">Policy mean network.</param>
/// <param name="Critic">Value network.</param>
public sealed record PpoSettings(
    int Copies, int RolloutSteps, int Epochs, int MinibatchSize,
    double LearningRate, double Gamma, double GaeLambda, double ClipRange,
    double EntropyCoef, double ValueCoef, double Eta, double MaxGradNorm, double InitialStd,
    MlpSpec Policy, MlpSpec Critic) : LearnerSettings
{
    /// <summary>
    /// The CPU default: 16 copies x 128 steps (2,048 transitions per iteration), 10 epochs of minibatches of 256, Adam
    /// 3e-4, gamma 0.99, lambda 0.95, clip 0.2, no entropy bonus, gradient clip 0.5, 64-64 tanh networks (the
    /// Stable-Baselines3 defaults). On 3-4 dimensional observations a 64-wide network learns as well as the paper's and
    /// one of its gradient steps costs a small fraction of the paper network's (about 8 ms for 512 samples on this
    /// 2-core machine), so a CPU run makes many more updates per second.
    /// </summary>
    public static PpoSettings Default { get; } = new(
        16, 128, 10, 256, 3e-4, 0.99, 0.95, 0.2, 0.0, 1.0, 0.0, 0.5, 1.0,
        new MlpSpec([64, 64], Activation.Tanh, false), new MlpSpec([64, 64], Activation.Tanh, false));

    /// <summary>
    /// The paper preset: the reference implementation's defaults (math note, section 9: Adam 1e-4, gamma 0.99, lambda
    /// 0.95, clip 0.2, 10 epochs, minibatch 512, gradient clip 10, entropy alpha 0.001, initial std 1, 10 steps per copy)
    /// with 4,000 copies and the paper's 512 (LayerNorm) - 256 - 128 ELU networks for policy and critic.
    /// </summary>
    public static PpoSettings Paper { get; } = new(
        4000, 10, 10, 512, 1e-4, 0.99, 0.95, 0.2, 0.001, 1.0, 0.0, 10.0, 1.0, MlpSpec.Paper, MlpSpec.Paper);

    /// <summary>Tiny networks and budgets (tests and smoke runs): 4 copies x 50 steps, 2 epochs of 50, 16-16 tanh.</summary>
    public static PpoSettings Tiny { get; } = new(
        4, 50, 2, 50, 1e-3, 0.99, 0.95, 0.2, 0.0, 1.0, 0.0, 0.5, 1.0,
        new MlpSpec([16, 16], Activation.Tanh, false), new MlpSpec([16, 16], Activation.Tanh, false));

    /// <summary>The preset named <paramref name="preset"/> (<see cref="RlPreset"/>).</summary>
    public static PpoSettings Preset(string preset) => RlPreset.Parse(preset) switch
    {
        RlPreset.Paper => Paper,
        RlPreset.Tiny => Tiny,
        RlPreset.Locomotion => Locomotion,
        RlPreset.HalfCheetah => HalfCheetah,
        _ => Default,
    };

    /// <summary>
    /// Whether observations pass through running statistics before both networks (<see cref="ObservationNormalizer"/>,
    /// saved with the policy); the statistics take in each rollout's observations after its update. Off in the
    /// pendulum-era presets, on in <see cref="Locomotion"/>. Written to JSON only when on.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NormalizeObservations { get; init; }

    /// <summary>
    /// Whether sampled actions are clipped to the action box before the environment sees them (Stable-Baselines3's
    /// rule; the log-probability keeps the unclipped draw). Matters where the task charges the raw action (the
    /// locomotion tasks' control cost). Written to JSON only when on.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ClipActions { get; init; }

    /// <summary>
    /// Whether the task's rewards are divided by the running standard deviation of each copy's discounted return
    /// (<c>R_t = gamma R_{t-1} + r_t</c>, reset at episode ends; clipped to [-10, 10]) before GAE: Stable-Baselines3's
    /// <c>VecNormalize</c> for rewards. Only for RL on the task's reward (a learned reward keeps its scale, which the
    /// entropy weight's meaning depends on). Written to JSON only when on.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NormalizeRewards { get; init; }

    /// <summary>
    /// Env steps over which Adam's learning rate falls linearly to 0: the update after <c>t</c> env steps uses
    /// <c>LearningRate * max(0, 1 - t / LearningRateAnnealSteps)</c>; 0 (the default) keeps it constant. Late PPO updates
    /// at the full rate can undo a good policy (measured on walker2d: 3,856 at 1.1M env steps, 1,304 at 2M); a horizon
    /// fixed in the settings, not the run's budget, keeps a resumed run on the same schedule. Written to JSON only when set.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long LearningRateAnnealSteps { get; init; }

    /// <summary>
    /// Whether, optimising a learned reward (retraining, transfer), each absorbing reward is capped at the rollout's lowest
    /// reward, <c>r_abs' = min(r_abs, min_i r_i)</c> (<see cref="AbsorbingStates.Floored"/>), so that falling never pays.
    /// A learned reward scores the absorbing state where the fall happens; its late discriminators saw few falls, and a
    /// frozen reward can pay a fresh policy for falls they never saw (measured on hopper: TRIRL's final reward retrains at
    /// 0.015 without the cap, 0.297 with it). Only for tasks whose terminations are failures; only with a learned reward.
    /// Written to JSON only when on (<c>--set absorbing_floor=true</c>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool AbsorbingFloor { get; init; }

    /// <summary>The learning rate of the update taken after <paramref name="envSteps"/> env steps (<see cref="LearningRateAnnealSteps"/>).</summary>
    public double LearningRateAt(long envSteps) =>
        LearningRateAnnealSteps <= 0 ? LearningRate : LearningRate * Math.Max(0.0, 1.0 - (double)envSteps / LearningRateAnnealSteps);

    /// <summary>
    /// PPO for the MuJoCo locomotion tasks (the usual settings of Stable-Baselines3's PPO on them): 8 copies x 256 steps
    /// (2,048 transitions per iteration), 10 epochs of minibatches of 64, Adam 3e-4, gamma 0.99, lambda 0.95, clip 0.2,
    /// gradient clip 0.5, initial std 1, 64-64 tanh networks, with observations and rewards normalised and actions
    /// clipped to the box.
    /// </summary>
    public static PpoSettings Locomotion { get; } = new(
        8, 256, 10, 64, 3e-4, 0.99, 0.95, 0.2, 0.0, 0.5, 0.0, 0.5, 1.0,
        new MlpSpec([64, 64], Activation.Tanh, false), new MlpSpec([64, 64], Activation.Tanh, false))
    {
        NormalizeObservations = true,
        ClipActions = true,
        NormalizeRewards = true,
    };

    /// <summary>
    /// <see cref="Locomotion"/> with rl-baselines3-zoo's HalfCheetah PPO settings (its <c>hyperparams/ppo.yml</c>, which
    /// trained the shipped halfcheetah experts): 8 copies x 64 steps (512 transitions per iteration), 20 epochs of
    /// minibatches of 64, Adam 2e-5, gamma 0.98, lambda 0.92, clip 0.1, gradient clip 0.8, initial std 0.1353 (the zoo's
    /// <c>log_std_init = -2</c>), 256-256 ReLU networks. The plain locomotion preset reaches 0.30 of the expert on
    /// halfcheetah in 1M steps (docs/results.md).
    /// </summary>
    public static PpoSettings HalfCheetah { get; } = Locomotion with
    {
        RolloutSteps = 64, Epochs = 20, LearningRate = 2e-5, Gamma = 0.98, GaeLambda = 0.92, ClipRange = 0.1, MaxGradNorm = 0.8,
        InitialStd = 0.1353, Policy = new MlpSpec([256, 256], Activation.Relu, false), Critic = new MlpSpec([256, 256], Activation.Relu, false),
    };

    /// <inheritdoc/>
    [JsonIgnore]
    public override DeepAlgorithm Algorithm => DeepAlgorithm.Ppo;

    /// <inheritdoc/>
    [JsonIgnore]
    public override int VectorSize => Copies;

    /// <summary>Transitions per iteration: <c>Copies * RolloutSteps</c>.</summary>
    [JsonIgnore]
    public int BatchSize => checked(Copies * RolloutSteps);

    /// <inheritdoc/>
    [JsonIgnore]
    public override int RowInterval => BatchSize;

    /// <summary>Copy with another KL weight (F# cannot use C#'s <c>with</c>).</summary>
    public PpoSettings WithEta(double eta) => this with { Eta = eta };

    /// <summary>Copy with another number of copies and steps per copy.</summary>
    public PpoSettings WithRollout(int copies, int rolloutSteps) => this with { Copies = copies, RolloutSteps = rolloutSteps };

    /// <inheritdoc/>
    public override LearnerSettings Validated()
    {
        Check.PositiveInt(Copies, "ppo.copies");
        Check.PositiveInt(RolloutSteps, "ppo.rollout_steps");
        Check.PositiveInt(Epochs, "ppo.epochs");
        if (MinibatchSize < 2 || MinibatchSize > (long)Copies * RolloutSteps)
            throw new TrirlInputException("ppo.minibatch_size", $"must be in [2, copies x rollout_steps = {(long)Copies * RolloutSteps}], got {MinibatchSize}",
                "use a minibatch no larger than one rollout");
        Check.Positive(LearningRate, "ppo.learning_rate");
        Check.UnitInterval(Gamma, "ppo.gamma", closedRight: false);
        Check.UnitInterval(GaeLambda, "ppo.gae_lambda", closedRight: true);
        Check.Positive(ClipRange, "ppo.clip_range");
        Check.NonNegative(EntropyCoef, "ppo.entropy_coef");
        Check.Positive(ValueCoef, "ppo.value_coef");
        Check.NonNegative(Eta, "ppo.eta");
        Check.Positive(MaxGradNorm, "ppo.max_grad_norm");
        Check.Positive(InitialStd, "ppo.initial_std");
        if (LearningRateAnnealSteps < 0)
            throw new TrirlInputException("ppo.learning_rate_anneal_steps", $"must be >= 0, got {LearningRateAnnealSteps}", "pass 0 (constant) or a number of env steps");
        (Policy ?? throw new TrirlInputException("ppo.policy", "is missing", "give the policy network")).Validate("ppo.policy");
        (Critic ?? throw new TrirlInputException("ppo.critic", "is missing", "give the critic network")).Validate("ppo.critic");
        return this;
    }
}
