namespace Trirl.Deep;

/// <summary>
/// Phase 2 of a deep imitation iteration (<see cref="DeepPhases.FitDiscriminator"/>): the discriminator trained on the
/// rollout against as many expert transitions (logistic loss, expert = 1, policy = 0, plus <c>gp_lambda</c> times the
/// gradient penalty); its logit estimates <c>D_i = log rho_E - log rho_pi_i</c> (math note, section 9).
/// </summary>
/// <param name="Loss">Mean logistic loss over the minibatch steps.</param>
/// <param name="Accuracy">Accuracy of the last epoch.</param>
/// <param name="GradientPenalty">Mean gradient penalty.</param>
/// <param name="Seconds">Wall-clock seconds.</param>
public sealed record DiscriminatorFit(double Loss, double Accuracy, double GradientPenalty, double Seconds)
{
    /// <summary>The discriminator's inputs for the rollout's rows, then one row per absorbing state of a terminated transition.</summary>
    public FeatureBatch PolicyInputs => FeatureBatch.Wrap(PolicyRows, Width);

    /// <summary>The discriminator's inputs for the paired expert rows.</summary>
    public FeatureBatch ExpertInputs => FeatureBatch.Wrap(ExpertRows, Width);

    internal float[] PolicyRows { get; init; } = [];
    internal float[] ExpertRows { get; init; } = [];
    internal int Width { get; init; } = 1;
}

/// <summary>
/// Phase 3 (<see cref="DeepPhases.ProposeReward"/>): the proposal <c>U_eps(r_i) = (1 - eps) r_i + eps D_i</c> evaluated on
/// the rollout (math note, section 4; the newest discriminator enters with <c>eta = 0</c>), and the rewards the policy
/// step optimises (the TD rewards: a terminated transition adds the absorbing state's tail).
/// </summary>
/// <param name="Values">The reward of each rollout transition.</param>
/// <param name="Rewards">The rewards the policy step takes (TD rewards; AIRL: its logits <c>f - log pi</c>).</param>
/// <param name="Mean">Mean of <paramref name="Values"/>.</param>
/// <param name="Std">Standard deviation of <paramref name="Values"/>.</param>
/// <param name="RewardFitLoss">Loss of the compressed model's regression on the buffer (NaN for the others).</param>
/// <param name="BufferSize">Discriminators in the buffer after the push (NaN without a buffer).</param>
/// <param name="Seconds">Wall-clock seconds.</param>
public sealed record RewardProposal(ImmutableArray<double> Values, ImmutableArray<double> Rewards, double Mean, double Std, double RewardFitLoss,
    double BufferSize, double Seconds)
{
    /// <summary>The recursive model's two terms on its regression rows: <c>r_i</c> and <c>D_i</c> (empty for the others).</summary>
    internal RecursiveTerms Terms { get; init; } = RecursiveTerms.None;
}

/// <summary>The recursive model's regression rows with <c>r_i</c> and <c>D_i</c> on them.</summary>
internal sealed record RecursiveTerms(float[] Rows, double[] Previous, double[] Latest)
{
    public static RecursiveTerms None { get; } = new([], [], []);
}

/// <summary>
/// Phase 4 (<see cref="DeepPhases.PolicyStep"/>): the trust-region policy step, PPO on the proposed reward with a KL term
/// to the rollout policy of weight <c>eta</c>, the trust region's multiplier (math note, sections 5 and 9).
/// </summary>
/// <param name="Eta">The multiplier the step used.</param>
/// <param name="MeanKl">Mean <c>KL(pi_new || pi_rollout)</c> over the rollout's states.</param>
/// <param name="Ppo">The update's statistics.</param>
/// <param name="Seconds">Wall-clock seconds.</param>
public sealed record PolicyStep(double Eta, double MeanKl, PpoStatistics Ppo, double Seconds);

/// <summary>
/// Phase 5 (<see cref="DeepPhases.Correct"/>): the reward correction (math note, section 6). With the step's <c>eta</c>,
/// <c>eps_tr = eps / (1 + eta)</c> and <c>r_{i+1} = (1 - eps_tr) r_i + eps_tr D_i</c>: the buffer records <c>eta</c>
/// for its newest discriminator (the weights <c>w_k</c> below), the recursive model regresses on the corrected target.
/// </summary>
/// <param name="EpsTr">The corrected step size (<c>eps</c> for the uncorrected gail and airl).</param>
/// <param name="Weights">The buffer's weights <c>w_k</c>, oldest first (empty without a buffer).</param>
/// <param name="RewardFitLoss">Loss of the recursive model's regression (NaN for the others).</param>
/// <param name="NextEta">The schedule's <c>eta</c> after adapting to the measured KL.</param>
/// <param name="Seconds">Wall-clock seconds.</param>
public sealed record Correction(double EpsTr, ImmutableArray<double> Weights, double RewardFitLoss, double NextEta, double Seconds);

/// <summary>
/// One iteration of a deep imitation learner (<see cref="DeepLearner.Step"/>): the immutable record a run yields.
/// </summary>
/// <param name="Iteration">Iterations done (1 after the first).</param>
/// <param name="EnvSteps">Environment steps so far.</param>
/// <param name="Statistics">The imitation statistics.</param>
/// <param name="Ppo">The policy update's statistics.</param>
/// <param name="EpisodeReturns">Returns of the training episodes that ended in the rollout.</param>
/// <param name="Phases">Seconds of acting, discriminator, reward and policy (<see cref="PhaseNames"/>).</param>
public sealed record ImitationIteration(long Iteration, long EnvSteps, ImitationStatistics Statistics, PpoStatistics Ppo,
    ImmutableArray<double> EpisodeReturns, ImmutableArray<double> Phases)
{
    /// <summary>The phases timed in <see cref="Phases"/> (and <c>timings.csv</c>).</summary>
    public static ImmutableArray<string> PhaseNames { get; } = ["acting_seconds", "discriminator_seconds", "reward_seconds", "policy_seconds"];

    /// <summary>The learner's <c>metrics.csv</c> columns: <see cref="ImitationStatistics.ColumnNames"/> then <see cref="PpoStatistics.ColumnNames"/>.</summary>
    public static ImmutableArray<string> ColumnNames { get; } = [.. ImitationStatistics.ColumnNames, .. PpoStatistics.ColumnNames];

    /// <summary>The values in the order of <see cref="ColumnNames"/>.</summary>
    public ImmutableArray<double> Values => [.. Statistics.Values, .. Ppo.Values];
}
