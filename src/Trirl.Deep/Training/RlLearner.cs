namespace Trirl.Deep;

/// <summary>What one metrics interval of training produced: the learner's own columns, finished episodes, phase times.</summary>
internal sealed record LearnerInterval(double[] Values, double[] EpisodeReturns, double RolloutSeconds, double UpdateSeconds)
{
    /// <summary>Seconds of the learner's own phases (<see cref="RlLearner.PhaseColumns"/>), when it reports any.</summary>
    public double[] Phases { get; init; } = [];
}

/// <summary>
/// A learner that trains in metrics intervals (<see cref="Advance"/>): PPO one iteration, SAC <c>LogEvery</c> steps.
/// It owns its modules, optimisers, environment copies and counters and saves all of them (<see cref="Save"/>); its
/// constructor restores them from a saved payload.
/// </summary>
internal abstract class RlLearner : IDisposable
{
    private protected readonly ContinuousEnv env;
    private protected readonly long seed;
    private protected readonly Device device;
    private protected readonly int obsDim, actDim;

    /// <summary>A learner on <paramref name="env"/> (its observation and action sizes too), seeded with <paramref name="seed"/>, on <paramref name="device"/>.</summary>
    private protected RlLearner(ContinuousEnv env, long seed, Device device)
    {
        this.env = env;
        this.seed = seed;
        this.device = device;
        obsDim = env.Spec.ObservationSize;
        actDim = env.Spec.ActionSize;
    }

    public ContinuousEnv Env => env;
    public abstract ImmutableArray<string> Columns { get; }

    /// <summary>Names of the phases whose seconds <see cref="LearnerInterval.Phases"/> reports (timings.csv), if any.</summary>
    public virtual ImmutableArray<string> PhaseColumns => [];
    public abstract long EnvSteps { get; }
    public abstract LearnerInterval Advance();
    public abstract IContinuousPolicy EvaluationPolicy { get; }
    public abstract PolicyFile ExportPolicy();
    public abstract void Save(BinaryWriter w);
    public abstract void Dispose();

    /// <summary>
    /// The training copies' state at construction: read from <paramref name="resume"/> (after the learner's own
    /// payload), checked against the environment and the number of copies, with the episode tracker's partial
    /// episodes; or, for a fresh learner, reset from the seed's training-environment stream.
    /// </summary>
    protected static VecEnvState StartState(ContinuousEnv env, int copies, long seed, BinaryReader? resume, EpisodeTracker tracker)
    {
        if (resume is null) return env.Reset(copies, RunStreams.Seed(seed, RunStreams.TrainEnv));
        var state = resume.ReadState();
        if (state.Env != env.Name || state.Count != copies) throw new InvalidDataException("the saved environment state does not match the settings");
        tracker.Load(resume);
        return state;
    }
}
