namespace Trirl.Deep;

/// <summary>
/// One PPO rollout (phase 1 of an iteration, <see cref="DeepPhases.Collect"/>): <c>T</c> steps of <c>N</c> environment
/// copies with the current policy, time-major (row <c>t * N + i</c>). It holds what acting saw: observations, actions as
/// sampled, next observations (the final observation where an episode ended), the rollout policy's log-probabilities
/// and the task's rewards, the termination and truncation flags, and the returns of the episodes that ended; and what
/// the policy step needs (the policy's means, the critic's values and the bootstrap values of the next states).
/// </summary>
public sealed class PpoRollout
{
    internal PpoRollout(long iteration, int copies, int steps, TransitionBatch transitions, float[] means, float[] logProbs, float[] values,
        float[] nextValues, float[] oldLogStd, double[] rewards, bool[] truncated, double[] episodeReturns)
    {
        Iteration = iteration;
        Copies = copies;
        Steps = steps;
        Transitions = transitions;
        Means = means;
        LogProbs = logProbs;
        Values = values;
        NextValues = nextValues;
        OldLogStd = oldLogStd;
        TaskRewards = rewards;
        TruncatedFlags = truncated;
        Episodes = episodeReturns;
    }

    /// <summary>The PPO iteration that collected it (a rollout feeds exactly that iteration's policy step).</summary>
    public long Iteration { get; }

    /// <summary>Environment copies <c>N</c>.</summary>
    public int Copies { get; }

    /// <summary>Steps per copy <c>T</c>.</summary>
    public int Steps { get; }

    /// <summary>Transitions <c>N * T</c>.</summary>
    public int Count => Transitions.Count;

    /// <summary>Observations the actions were taken in (rows by observation size).</summary>
    public FeatureBatch Observations => FeatureBatch.Wrap(Transitions.Obs, Transitions.ObsDim);

    /// <summary>Actions as sampled, before any clipping to the task's box (rows by action size).</summary>
    public FeatureBatch Actions => FeatureBatch.Wrap(Transitions.Acts, Transitions.ActDim);

    /// <summary>Observations after each step; the final one where an episode ended (rows by observation size).</summary>
    public FeatureBatch NextObservations => FeatureBatch.Wrap(Transitions.NextObs, Transitions.ObsDim);

    /// <summary><c>log pi(a|s)</c> of the rollout policy.</summary>
    public ImmutableArray<float> LogProbabilities => [.. LogProbs];

    /// <summary>The task's rewards (what an imitation learner replaces by its learned reward).</summary>
    public ImmutableArray<double> Rewards => [.. TaskRewards];

    /// <summary>Whether each transition reached an absorbing state.</summary>
    public ImmutableArray<bool> Terminated => [.. Transitions.Terminated];

    /// <summary>Whether each transition hit the time limit (without terminating).</summary>
    public ImmutableArray<bool> Truncated => [.. TruncatedFlags];

    /// <summary>Returns of the training episodes that ended during the rollout.</summary>
    public ImmutableArray<double> EpisodeReturns => [.. Episodes];

    /// <summary>Observations, actions, next observations and termination flags: the transitions (sharing the arrays).</summary>
    internal TransitionBatch Transitions { get; }

    internal float[] Means { get; }
    internal float[] LogProbs { get; }
    internal float[] Values { get; }
    internal float[] NextValues { get; }
    internal float[] OldLogStd { get; }
    internal double[] TaskRewards { get; }
    internal bool[] TruncatedFlags { get; }
    internal double[] Episodes { get; }
}
