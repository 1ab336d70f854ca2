namespace Trirl.Deep;

/// <summary>
/// An imitation iteration's own statistics (its <c>metrics.csv</c> columns before PPO's, <see cref="Columns"/>); NaN
/// where a method has no such value (AIRL keeps no buffer, behaviour cloning trains no discriminator).
/// </summary>
/// <param name="EpsTr">The step size the reward took: <c>eps_tr = eps / (1 + eta)</c> for trirl, <c>eps</c> otherwise.</param>
/// <param name="DiscLoss">Mean logistic loss of the discriminator's minibatch steps.</param>
/// <param name="DiscAccuracy">Accuracy of the last epoch (expert and policy rows).</param>
/// <param name="GradientPenalty">Mean gradient penalty.</param>
/// <param name="PolicyKl">Mean <c>KL(pi_new || pi_rollout)</c> after the policy step.</param>
/// <param name="RewardMean">Mean of the proposed reward over the rollout.</param>
/// <param name="RewardStd">Standard deviation of the proposed reward over the rollout.</param>
/// <param name="RewardFitLoss">Last epoch's loss of the reward network's regression (compressed, recursive).</param>
/// <param name="BufferSize">Discriminators in the buffer (buffer, compressed, gail).</param>
public sealed record ImitationStatistics(double EpsTr, double DiscLoss, double DiscAccuracy, double GradientPenalty, double PolicyKl,
    double RewardMean, double RewardStd, double RewardFitLoss, double BufferSize)
{
    /// <summary>Every value NaN (behaviour cloning).</summary>
    public static ImitationStatistics Missing { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>The <c>metrics.csv</c> columns, in order.</summary>
    public static ImmutableArray<MetricColumn<ImitationStatistics>> Columns { get; } =
    [
        new("eps_tr", s => s.EpsTr), new("disc_loss", s => s.DiscLoss), new("disc_accuracy", s => s.DiscAccuracy),
        new("gradient_penalty", s => s.GradientPenalty), new("policy_kl", s => s.PolicyKl), new("reward_mean", s => s.RewardMean),
        new("reward_std", s => s.RewardStd), new("reward_fit_loss", s => s.RewardFitLoss), new("buffer_size", s => s.BufferSize),
    ];

    /// <summary>The column names.</summary>
    public static ImmutableArray<string> ColumnNames { get; } = MetricColumns.Names(Columns);

    /// <summary>The values in the order of <see cref="Columns"/>.</summary>
    public ImmutableArray<double> Values => MetricColumns.Values(Columns, this);

    /// <summary>The statistics of one iteration from its phases' results.</summary>
    public static ImitationStatistics Of(DiscriminatorFit fit, RewardProposal proposal, PolicyStep step, Correction correction)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(correction);
        double fitLoss = double.IsNaN(correction.RewardFitLoss) ? proposal.RewardFitLoss : correction.RewardFitLoss;
        return new(correction.EpsTr, fit.Loss, fit.Accuracy, fit.GradientPenalty, step.MeanKl, proposal.Mean, proposal.Std, fitLoss, proposal.BufferSize);
    }
}
