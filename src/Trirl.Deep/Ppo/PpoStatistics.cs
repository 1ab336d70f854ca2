namespace Trirl.Deep;

/// <summary>
/// The statistics of one PPO update, means over its minibatch steps (its <c>metrics.csv</c> columns, <see cref="Columns"/>).
/// </summary>
/// <param name="PolicyLoss">Clipped surrogate loss (behaviour cloning: the negative log-likelihood of the expert's actions).</param>
/// <param name="ValueLoss">Critic's squared error.</param>
/// <param name="Entropy">Entropy of the policy.</param>
/// <param name="Kl">Closed-form KL of the new policy to the rollout policy on the minibatches.</param>
/// <param name="ApproxKl">The estimate <c>E[(r - 1) - log r]</c>.</param>
/// <param name="ClipFraction">Fraction of ratios outside the clip range.</param>
/// <param name="ExplainedVariance"><c>1 - Var(R - V) / Var(R)</c> of the rollout's values.</param>
/// <param name="ActionStd">Mean standard deviation of the policy after the update.</param>
/// <param name="Eta">The KL weight <c>eta</c> of the update.</param>
public sealed record PpoStatistics(double PolicyLoss, double ValueLoss, double Entropy, double Kl, double ApproxKl, double ClipFraction,
    double ExplainedVariance, double ActionStd, double Eta)
{
    /// <summary>Every value NaN (a learner that makes no PPO update fills in what it has).</summary>
    public static PpoStatistics Missing { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>The <c>metrics.csv</c> columns, in order.</summary>
    public static ImmutableArray<MetricColumn<PpoStatistics>> Columns { get; } =
    [
        new("policy_loss", s => s.PolicyLoss), new("value_loss", s => s.ValueLoss), new("entropy", s => s.Entropy), new("kl", s => s.Kl),
        new("approx_kl", s => s.ApproxKl), new("clip_fraction", s => s.ClipFraction), new("explained_variance", s => s.ExplainedVariance),
        new("action_std", s => s.ActionStd), new("eta", s => s.Eta),
    ];

    /// <summary>The column names.</summary>
    public static ImmutableArray<string> ColumnNames { get; } = MetricColumns.Names(Columns);

    /// <summary>The values in the order of <see cref="Columns"/>.</summary>
    public ImmutableArray<double> Values => MetricColumns.Values(Columns, this);
}

/// <summary>What one PPO update (phase 4, <see cref="DeepPhases.PolicyStep"/>) returns.</summary>
/// <param name="Statistics">The update's statistics.</param>
/// <param name="MeanKl">Mean <c>KL(pi_new || pi_rollout)</c> over the rollout's states after the update (NaN when not measured).</param>
/// <param name="Seconds">Wall-clock seconds of advantages and updates.</param>
public sealed record PpoUpdate(PpoStatistics Statistics, double MeanKl, double Seconds);
