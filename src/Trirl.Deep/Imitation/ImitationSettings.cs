using System.Text.Json.Serialization;

namespace Trirl.Deep;

/// <summary>
/// Settings of an imitation run (math note, sections 8 and 9): one step function with presets. Each iteration rolls
/// out the policy (<see cref="Ppo"/>: copies, steps, epochs, networks), trains the discriminator on the rollout against
/// as many expert transitions, relabels the rollout's rewards and takes a PPO step with a KL term of weight
/// <c>eta</c> (<see cref="EtaSchedule"/>).
/// <list type="bullet">
/// <item><c>trirl</c>: reward <c>r = sum_k w_k D_k</c> over the last <see cref="BufferSize"/> discriminators with the
/// corrected weights <c>w_k = eps_tr,k prod_{j&gt;k} (1 - eps_tr,j)</c>, <c>eps_tr = eps / (1 + eta)</c>
/// (<see cref="CorrectedWeights"/>), represented as <see cref="RewardModel"/>.</item>
/// <item><c>gail</c>: <c>eps = 1</c> and one discriminator (the latest only), no correction, <c>eta = 0</c>.</item>
/// <item><c>airl</c>: the same with AIRL's reward/shaping discriminator; the learned reward is its <c>g(s)</c>.</item>
/// <item><c>bc</c>: no discriminator, no rollout: maximum likelihood of the expert's actions with the policy's own
/// optimiser, one iteration making as many minibatch steps as a PPO update (and counting the same env-step budget,
/// though it steps no environment).</item>
/// </list>
/// The reward is the alpha-scaled one, <c>alpha * beta * sum w D = sum w D</c> with the entropy coefficient
/// <c>alpha = Ppo.EntropyCoef = 1/beta</c>. A terminated transition's TD target adds
/// <c>gamma / (1 - gamma) * (r_abs + alpha * H_terminal)</c>, with <c>r_abs</c> the reward of the absorbing state and
/// <c>H_terminal</c> the entropy of the uniform distribution on the action box (<see cref="AbsorbingStates"/>).
/// </summary>
/// <param name="Method">trirl, gail, airl or bc.</param>
/// <param name="Ppo">The policy step (its <c>Eta</c> is replaced by the schedule's).</param>
/// <param name="Eps">Reward step size <c>eps</c>, in (0, 1] (1 for gail and airl).</param>
/// <param name="BufferSize">Discriminators kept, <c>K &gt;= 1</c> (1 for gail and airl).</param>
/// <param name="EtaSchedule">The KL weight's schedule (a constant 0 for gail and airl).</param>
/// <param name="RewardModel">buffer, compressed or recursive (trirl; buffer otherwise); the default preset's is recursive, exporting the harmonic average (<see cref="AverageReward"/>).</param>
/// <param name="Features">(s, a) or, observation-only, (s, s').</param>
/// <param name="AbsorbingStates">Whether terminations get the absorbing-state treatment (flag input, TD tail).</param>
/// <param name="Discriminator">Discriminator network (no LayerNorm; tanh or ReLU evaluate fastest).</param>
/// <param name="DiscLearningRate">Adam learning rate of the discriminator, &gt; 0.</param>
/// <param name="DiscEpochs">Passes over each rollout, &gt;= 1.</param>
/// <param name="DiscMinibatchSize">Policy (and as many expert) transitions per discriminator step, in [2, rollout size].</param>
/// <param name="GpLambda">Weight of the gradient penalty, &gt;= 0.</param>
/// <param name="GpAlpha">Interpolation weight of the expert sample in the penalty's interpolates, in [0, 1].</param>
/// <param name="RewardNetwork">Network of the compressed and recursive reward models (no LayerNorm).</param>
/// <param name="RewardLearningRate">Adam learning rate of the reward network, &gt; 0.</param>
/// <param name="RewardEpochs">Passes of the reward regression per iteration, &gt;= 1.</param>
/// <param name="RewardMinibatchSize">Rows per reward-regression step, &gt;= 2.</param>
public sealed record ImitationSettings(
    ImitationMethod Method, PpoSettings Ppo, double Eps, int BufferSize, EtaSchedule EtaSchedule, RewardModelKind RewardModel,
    FeatureMode Features, bool AbsorbingStates,
    MlpSpec Discriminator, double DiscLearningRate, int DiscEpochs, int DiscMinibatchSize, double GpLambda, double GpAlpha,
    MlpSpec RewardNetwork, double RewardLearningRate, int RewardEpochs, int RewardMinibatchSize) : LearnerSettings
{
    /// <summary>
    /// TRIRL for a CPU: the default PPO preset (16 copies x 128 steps, 64-64 tanh, Adam 3e-4) with an entropy coefficient
    /// <c>alpha = 0.001</c>; eps 0.2 (the reference's); eta annealed from 10 to 0 over 1,000,000 env steps; a 128-128 tanh
    /// discriminator (Adam 3e-4, 5 epochs of 256, gradient penalty 0.05 at interpolation 0.5); the <c>recursive</c>
    /// reward model (one 128-128 ReLU network regressed on <c>(1 - eps_tr) r_{n-1} + eps_tr D_n</c>, Adam 3e-4, 5 epochs
    /// of 256) exporting the harmonic average of its iterates, <c>rbar_n = (1 - w_n) rbar_{n-1} + w_n r_n</c> with
    /// <c>w_n = 1 / (n H_n)</c> (<see cref="AverageReward"/>). The policy learns from the last iterate as with the
    /// buffer; the average is what keeps the exported reward good as training goes on: once eta has annealed,
    /// <c>eps_tr = eps</c> and the last iterate keeps only the last few, near-chance discriminators (pendulum, 1M steps,
    /// seeds 0-2, retrained by SAC for 30,000 steps: the buffer's rewards -0.040 to -0.199, the harmonic averages
    /// 1.014-1.015; docs/results.md).
    /// <c>K = 100</c> is the buffer's size, for <see cref="WithRewardModel"/>(<see cref="RewardModelKind.Buffer"/>).
    /// </summary>
    public static ImitationSettings Default { get; } = new ImitationSettings(
        ImitationMethod.Trirl, PpoSettings.Default with { EntropyCoef = 0.001 }, 0.2, 100,
        new EtaSchedule(EtaScheduleKind.Anneal, 10.0, 1_000_000, 0.01, 1.0), RewardModelKind.Recursive, FeatureMode.StateAction, true,
        new MlpSpec([128, 128], Activation.Tanh, false), 3e-4, 5, 256, 0.05, 0.5,
        new MlpSpec([128, 128], Activation.Relu, false), 3e-4, 5, 256) { AverageReward = RewardAverage.Harmonic };

    /// <summary>
    /// The paper's settings (math note, section 9): PPO at the paper preset (4,000 copies, 512 LayerNorm-256-128 ELU) with
    /// <c>alpha = 0.001</c>; eps 0.2, the buffer of K = 100 discriminators; eta annealed from 100 to 0 (over 1,000,000 env steps); the reference's
    /// 512-256 tanh discriminator with Adam 1e-5, 10 epochs of 512, gradient penalty 0.05 at 0.5; a 512-256 ReLU reward
    /// network with Adam 5e-5 and 30 epochs.
    /// </summary>
    public static ImitationSettings Paper { get; } = new(
        ImitationMethod.Trirl, PpoSettings.Paper, 0.2, 100,
        new EtaSchedule(EtaScheduleKind.Anneal, 100.0, 1_000_000, 0.01, 1.0), RewardModelKind.Buffer, FeatureMode.StateAction, true,
        new MlpSpec([512, 256], Activation.Tanh, false), 1e-5, 10, 512, 0.05, 0.5,
        new MlpSpec([512, 256], Activation.Relu, false), 5e-5, 30, 512);

    /// <summary>
    /// TRIRL for the MuJoCo locomotion tasks: the default's discriminator side (eps 0.2, 128-128 tanh discriminators,
    /// eta annealed from 10 to 0 over 1,000,000 env steps, absorbing states) with the <c>buffer</c> reward model
    /// (K = 100, the last iterate) and the locomotion PPO (<see cref="PpoSettings.Locomotion"/>: 8 copies x 256 steps,
    /// 64-64 tanh, observations normalised inside the policy, actions clipped to the box), the entropy coefficient
    /// <c>alpha = 0.001</c>; the learned reward keeps its scale (no reward normalisation). The buffer, not the default's
    /// harmonic average: on halfcheetah and ant the average's rewards retrain no better (seed 0: -0.056 and -0.316
    /// against -0.006 and -0.434), and the locomotion tables were made with the buffer; hopper's retraining gains from
    /// an average (docs/results.md), opted into with <see cref="WithRewardModel"/> and <see cref="WithAverageReward"/>.
    /// </summary>
    public static ImitationSettings Locomotion { get; } = Default.WithRewardModel(RewardModelKind.Buffer) with
    {
        Ppo = PpoSettings.Locomotion with { EntropyCoef = 0.001, NormalizeRewards = false },
    };

    /// <summary>
    /// <see cref="Locomotion"/> with the policy step of <see cref="PpoSettings.HalfCheetah"/> (rl-baselines3-zoo's
    /// HalfCheetah PPO, the halfcheetah experts' own), the entropy coefficient <c>alpha = 0.001</c> and the learned
    /// reward's own scale; the reward side is the locomotion preset's.
    /// </summary>
    public static ImitationSettings HalfCheetah { get; } = Locomotion with
    {
        Ppo = PpoSettings.HalfCheetah with { EntropyCoef = 0.001, NormalizeRewards = false },
    };

    /// <summary>Tiny networks and budgets (tests and smoke runs): the tiny PPO preset, the buffer of K = 4, 16-16 networks, 2 epochs of 50.</summary>
    public static ImitationSettings Tiny { get; } = new(
        ImitationMethod.Trirl, PpoSettings.Tiny with { EntropyCoef = 0.001 }, 0.2, 4,
        new EtaSchedule(EtaScheduleKind.Anneal, 10.0, 10_000, 0.01, 1.0), RewardModelKind.Buffer, FeatureMode.StateAction, true,
        new MlpSpec([16, 16], Activation.Tanh, false), 1e-3, 2, 50, 0.05, 0.5,
        new MlpSpec([16, 16], Activation.Relu, false), 1e-3, 2, 50);

    /// <summary>The settings of <paramref name="method"/> under <paramref name="preset"/> (<see cref="RlPreset"/>).</summary>
    public static ImitationSettings Preset(ImitationMethod method, string preset)
    {
        var trirl = RlPreset.Parse(preset) switch
        {
            RlPreset.Paper => Paper,
            RlPreset.Tiny => Tiny,
            RlPreset.Locomotion => Locomotion,
            RlPreset.HalfCheetah => HalfCheetah,
            _ => Default,
        };
        return method switch
        {
            ImitationMethod.Trirl => trirl,
            _ => (trirl with { Method = method, Eps = 1.0, BufferSize = 1, EtaSchedule = EtaSchedule.Zero }).WithRewardModel(RewardModelKind.Buffer),
        };
    }

    /// <inheritdoc/>
    [JsonIgnore]
    public override DeepAlgorithm Algorithm => DeepAlgorithms.Of(Method);

    /// <inheritdoc/>
    [JsonIgnore]
    public override int VectorSize => Ppo.Copies;

    /// <inheritdoc/>
    [JsonIgnore]
    public override int RowInterval => Ppo.BatchSize;

    /// <summary>Where the demonstrations came from (a file, <c>shipped:ENV</c>, ...); informative, kept in checkpoints and summaries.</summary>
    public string DemosSource { get; init; } = "";

    /// <summary>Copy with another demonstrations description.</summary>
    public ImitationSettings WithDemosSource(string source) => this with { DemosSource = source ?? "" };

    /// <summary>Whether the reward is corrected with <c>eps_tr = eps / (1 + eta)</c> (trirl; the adversarial presets keep the proposal).</summary>
    [JsonIgnore]
    public bool Corrects => Method == ImitationMethod.Trirl;

    /// <summary>The entropy coefficient <c>alpha = 1/beta</c> of the policy step.</summary>
    [JsonIgnore]
    public double Alpha => Ppo.EntropyCoef;

    /// <summary>Copy with another reward step size (F# cannot use C#'s <c>with</c>).</summary>
    public ImitationSettings WithEps(double eps) => this with { Eps = eps };

    /// <summary>Copy with another number of discriminators kept.</summary>
    public ImitationSettings WithBufferSize(int size) => this with { BufferSize = size };

    /// <summary>Copy with another eta schedule (initial value, horizon, target and step included).</summary>
    public ImitationSettings WithEtaSchedule(EtaSchedule schedule) => this with { EtaSchedule = schedule };

    /// <summary>Copy with another eta schedule kind.</summary>
    public ImitationSettings WithEtaSchedule(EtaScheduleKind kind) => this with { EtaSchedule = EtaSchedule.WithKind(kind) };

    /// <summary>
    /// Copy with another reward model. An average of the reward iterates (<see cref="AverageReward"/>) needs the
    /// recursive model's iterates, so any other model exports its last iterate (<see cref="RewardAverage.None"/>): the
    /// default preset with <c>buffer</c> is the buffer model as published before the average became the default.
    /// </summary>
    public ImitationSettings WithRewardModel(RewardModelKind model) =>
        this with { RewardModel = model, AverageReward = model == RewardModelKind.Recursive ? AverageReward : RewardAverage.None };

    /// <summary>Copy with other discriminator features.</summary>
    public ImitationSettings WithFeatures(FeatureMode features) => this with { Features = features };

    /// <summary>
    /// Env steps after which the reward step size has halved (default 0: a constant <c>eps</c>; written to JSON only when
    /// set): <c>eps(t) = Eps / (1 + t / EpsDecaySteps)</c> at env step <c>t</c>, used by the proposal
    /// <c>U_eps(t)</c> and the correction <c>eps_tr = eps(t) / (1 + eta)</c> alike. A decreasing step is the
    /// stochastic-approximation (Robbins-Monro) condition for descent with noisy estimates of <c>D</c>: once the policy
    /// matches the expert the discriminator is near chance, and a constant step lets the reward drift on that noise
    /// and forget what the earlier discriminators learned. It needs the <c>recursive</c> reward model (the buffer's
    /// weights assume one <c>eps</c>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long EpsDecaySteps { get; init; }

    /// <summary>Copy with another decay of the reward step (F# cannot use C#'s <c>with</c>).</summary>
    public ImitationSettings WithEpsDecaySteps(long steps) => this with { EpsDecaySteps = steps };

    /// <summary>The reward step size at env step <paramref name="envSteps"/>: <c>Eps / (1 + t / EpsDecaySteps)</c>, or <c>Eps</c> when no decay is set.</summary>
    public double EpsAt(long envSteps) => EpsDecaySteps > 0 ? Eps / (1.0 + Math.Max(0L, envSteps) / (double)EpsDecaySteps) : Eps;

    /// <summary>
    /// Which reward the run exports (<see cref="RewardAverage.Harmonic"/> in the default preset;
    /// <see cref="RewardAverage.None"/>, the last iterate, in the others and when unset; written to JSON only when not
    /// none): a running average of the reward iterates, <c>rbar_n = (1 - w_n) rbar_{n-1} + w_n r_n</c>
    /// (<see cref="Irl.AverageReward"/>), kept as a second network regressed each iteration on that target over the
    /// rollout and expert rows, and exported as the learned reward (<c>trirl train</c>'s <c>reward/</c> and snapshots).
    /// The policy step still optimises the last iterate, so the run is the same. <c>uniform</c> (<c>w_n = 1/n</c>) is
    /// Polyak-Ruppert averaging: with noisy estimates of <c>D</c> and a constant step the dual iterates hover around
    /// the solution and their average settles. <c>harmonic</c> (<c>w_n = 1 / (n H_n)</c>) weighs iterate <c>i</c> as
    /// <c>1/i</c>, as the decaying step (<see cref="EpsDecaySteps"/>) weighs its discriminators, without slowing the
    /// reward the policy learns from: once the policy matches the expert the late discriminators drift, and the
    /// early iterates keep most of the weight. It needs the <c>recursive</c> reward model.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public RewardAverage AverageReward { get; init; }

    /// <summary>Copy that exports another average of the reward iterates (<see cref="RewardAverage.None"/>: the last one).</summary>
    public ImitationSettings WithAverageReward(RewardAverage average) => this with { AverageReward = average };

    /// <summary>
    /// Rows of past rollouts kept for the discriminator (default 0: none; written to JSON only when set): a uniform
    /// sample of every rollout so far (<see cref="PolicyHistory"/>), from which half of each discriminator step's policy
    /// rows are drawn, so that <c>D_i ~ log(rho_E / q_i)</c> with <c>q_i</c> half the current policy's occupancy and
    /// half the average of the earlier ones'. A change of the method (math note, section 9, takes <c>q_i =
    /// rho_{pi_i}</c>), for rewards that keep penalising what earlier policies did; trirl and gail.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int DiscHistorySize { get; init; }

    /// <summary>Copy with another discriminator history size (0: none).</summary>
    public ImitationSettings WithDiscHistorySize(int rows) => this with { DiscHistorySize = rows };

    /// <inheritdoc/>
    public override LearnerSettings Validated()
    {
        _ = EnumNames.Name(Method, "method");
        (Ppo ?? throw new TrirlInputException("imitation.ppo", "is missing", "give the policy step's settings")).Validated();
        if (Ppo.AbsorbingFloor)
            throw new TrirlInputException("ppo.absorbing_floor", "caps a frozen learned reward's absorbing rewards; an imitation run's next discriminator scores its falls itself",
                "remove it here; set it for a run that optimises a learned reward (RlRun.StartOnReward)");
        if (!(Eps > 0 && Eps <= 1)) throw new TrirlInputException("imitation.eps", $"must be in (0, 1], got {Check.Format(Eps)}", "use a step size such as 0.2");
        Check.PositiveInt(BufferSize, "imitation.buffer_size");
        (EtaSchedule ?? throw new TrirlInputException("imitation.eta_schedule", "is missing", "give an eta schedule")).Validated("imitation.eta_schedule");
        _ = EnumNames.Name(RewardModel, "reward_model");
        _ = FeatureModes.Name(Features);
        if (Method is ImitationMethod.Gail or ImitationMethod.Airl)
        {
            string name = EnumNames.Name(Method);
            if (Eps != 1) throw new TrirlInputException("imitation.eps", $"{name} uses eps = 1 (the latest discriminator only), got {Check.Format(Eps)}", $"build the settings with ImitationSettings.Preset({name}, ...)");
            if (BufferSize != 1) throw new TrirlInputException("imitation.buffer_size", $"{name} keeps one discriminator, got {BufferSize}", $"build the settings with ImitationSettings.Preset({name}, ...)");
        }
        if (Method != ImitationMethod.Trirl && RewardModel != RewardModelKind.Buffer)
            throw new TrirlInputException("imitation.reward_model", $"{EnumNames.Name(RewardModel)} applies to trirl only", "use the buffer model (the latest discriminator) for gail, airl and bc");
        if (Method == ImitationMethod.Airl && Features != FeatureMode.StateAction)
            throw new TrirlInputException("imitation.features", "airl's discriminator is state-only (g(s), h(s')) already", "omit observation-only features for airl");
        foreach (var (spec, field) in new[] { (Discriminator, "imitation.discriminator"), (RewardNetwork, "imitation.reward_network") })
        {
            (spec ?? throw new TrirlInputException(field, "is missing", "give the network")).Validate(field);
            if (spec.LayerNorm) throw new TrirlInputException(field, "has a LayerNorm", "use a network without LayerNorm (the buffer stacks plain MLPs)");
        }
        Check.Positive(DiscLearningRate, "imitation.disc_learning_rate");
        Check.PositiveInt(DiscEpochs, "imitation.disc_epochs");
        if (DiscMinibatchSize < 2 || DiscMinibatchSize > Ppo.BatchSize)
            throw new TrirlInputException("imitation.disc_minibatch_size", $"must be in [2, rollout size {Ppo.BatchSize}], got {DiscMinibatchSize}", "use a minibatch no larger than one rollout");
        if (EpsDecaySteps < 0) throw new TrirlInputException("imitation.eps_decay_steps", $"must be >= 0, got {EpsDecaySteps}", "use 0 (a constant eps) or a number of env steps");
        if (EpsDecaySteps > 0 && (Method != ImitationMethod.Trirl || RewardModel != RewardModelKind.Recursive))
            throw new TrirlInputException("imitation.eps_decay_steps", "a decaying eps needs trirl's recursive reward model (the buffer's weights assume one eps)", "set reward_model to recursive, or eps_decay_steps to 0");
        _ = EnumNames.Name(AverageReward, "imitation.average_reward");
        if (AverageReward != RewardAverage.None && (Method != ImitationMethod.Trirl || RewardModel != RewardModelKind.Recursive))
            throw new TrirlInputException("imitation.average_reward", "averaging the reward iterates needs trirl's recursive reward model (one reward network per iterate)", "set reward_model to recursive, or average_reward to none");
        if (DiscHistorySize < 0) throw new TrirlInputException("imitation.disc_history_size", $"must be >= 0, got {DiscHistorySize}", "use 0 (no history) or a number of rows such as 100000");
        if (DiscHistorySize > 0 && Method == ImitationMethod.Airl)
            throw new TrirlInputException("imitation.disc_history_size", "applies to the (s, a) discriminator of trirl and gail, not to airl's g + h", "set disc_history_size to 0 for airl");
        Check.NonNegative(GpLambda, "imitation.gp_lambda");
        Check.UnitInterval(GpAlpha, "imitation.gp_alpha", closedRight: true);
        Check.Positive(RewardLearningRate, "imitation.reward_learning_rate");
        Check.PositiveInt(RewardEpochs, "imitation.reward_epochs");
        if (RewardMinibatchSize < 2) throw new TrirlInputException("imitation.reward_minibatch_size", $"must be >= 2, got {RewardMinibatchSize}", "use e.g. 256");
        if (AbsorbingStates && !(Ppo.EntropyCoef >= 0)) throw new TrirlInputException("imitation.ppo.entropy_coef", "must be >= 0", "use alpha = 1/beta");
        return this;
    }
}
