namespace Trirl.Deep;

/// <summary>
/// What a <see cref="PpoLearner"/>'s <see cref="PpoLearner.Advance"/> optimises: the task's reward (which the settings
/// may scale by running return statistics), a <see cref="NeuralReward"/>'s TD rewards (retraining and transfer), or
/// rewards its caller supplies to <see cref="PpoLearner.Update"/> (an imitation learner's proposal; it never calls
/// <c>Advance</c>). Only the task's reward is ever scaled.
/// </summary>
internal sealed class PpoRewardSource
{
    private readonly Func<PpoRollout, double[]> relabel;

    private PpoRewardSource(bool isTask, Func<PpoRollout, double[]> relabel)
    {
        IsTask = isTask;
        this.relabel = relabel;
    }

    /// <summary>The task's own rewards.</summary>
    public static PpoRewardSource Task { get; } = new(true, r => (double[])r.TaskRewards.Clone());

    /// <summary>Rewards the caller passes to each update (imitation learners).</summary>
    public static PpoRewardSource Caller { get; } = new(false, _ => throw new InvalidOperationException("an imitation learner relabels its rollouts itself"));

    /// <summary>
    /// The TD rewards of <paramref name="reward"/> (with the absorbing tail on terminated transitions; with
    /// <paramref name="absorbingFloor"/> each <c>r_abs</c> capped at the rollout's lowest reward); the KL weight stays the settings' own.
    /// </summary>
    public static PpoRewardSource Learned(NeuralReward reward, bool absorbingFloor) => new(false, r => reward.TdRewards(r.Transitions, absorbingFloor));

    /// <summary>Whether this is the task's reward.</summary>
    public bool IsTask { get; }

    /// <summary>The rewards of the rollout's transitions (a new array).</summary>
    public double[] Relabel(PpoRollout rollout) => relabel(rollout);
}
