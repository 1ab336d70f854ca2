namespace Trirl.Deep;

/// <summary>
/// A PPO rollout as the <see cref="IPpoHook"/> sees it, time-major (<c>[t * copies + i]</c>): observations, actions as
/// sampled, next observations (the final observation where an episode ended), the rollout policy's log-probabilities,
/// the environment's rewards (which the hook may replace), and the termination and truncation flags.
/// </summary>
internal sealed record PpoRollout(int Copies, int Steps, int ObsDim, int ActDim, float[] Obs, float[] Acts, float[] NextObs, float[] LogProbs,
    double[] Rewards, bool[] Terminated, bool[] Truncated)
{
    public int Count => Terminated.Length;

    /// <summary>The transitions as a <see cref="TransitionBatch"/> (sharing the arrays).</summary>
    public TransitionBatch Transitions => new(ObsDim, ActDim, Obs, Acts, NextObs, Terminated);
}

/// <summary>
/// What turns <see cref="PpoLearner"/> into the policy step of an imitation learner (or of RL on a learned reward):
/// after each rollout the hook relabels the rewards (training its discriminator on the rollout first, if it has
/// one), gives the KL weight <c>eta</c> of the update, and after the update hears the measured mean
/// <c>KL(pi_new || pi_old)</c> over the rollout.
/// </summary>
internal interface IPpoHook
{
    /// <summary>Replaces <see cref="PpoRollout.Rewards"/> (including any absorbing-state tail of terminated transitions).</summary>
    void Relabel(PpoRollout rollout);

    /// <summary>The weight of the KL term for the update that follows a rollout ending at <paramref name="envSteps"/>.</summary>
    double Eta(long envSteps);

    /// <summary>Called after the update with the <c>eta</c> used and the mean KL of the new policy to the rollout policy.</summary>
    void Updated(double eta, double meanKl);
}
