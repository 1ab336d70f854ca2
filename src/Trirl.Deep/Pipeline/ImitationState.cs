using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>
/// The explicit state of a deep imitation learner (trirl, gail, airl; <see cref="DeepLearner"/>): the task, the
/// settings and the seed, the demonstrations, the PPO learner (policy, critic, their optimisers, the environment
/// copies), the reward model chosen once from the settings (<see cref="RewardModel"/>), the iteration counter and the
/// current <c>eta</c>. Its networks are TorchSharp modules that the phases (<see cref="DeepPhases"/>) train in place,
/// so a state is used by one loop at a time and disposed at the end; what each step returns is an immutable
/// <see cref="ImitationIteration"/>. The checkpoint (<see cref="Save"/>) holds all of it, so a resumed run continues
/// bit for bit.
/// </summary>
public sealed class ImitationState : DemonstrationState
{
    private readonly RewardModel model;

    internal ImitationState(ContinuousEnv env, ImitationSettings settings, long seed, Device device, BinaryReader? resume, TransitionDataset? demonstrations)
        : base(env, NotCloning(settings), seed, device, resume, demonstrations)
    {
        var spec = env.Spec;
        ObsDim = spec.ObservationSize;
        ActDim = spec.ActionSize;
        Low = [.. spec.ActionLow];
        High = [.. spec.ActionHigh];
        TerminalEntropy = AbsorbingStates.UniformEntropy(spec);
        FeatureSize = FeatureModes.Size(settings.Features, ObsDim, ActDim);
        Eta = Saved.Eta;
        Scaling = settings.Method == ImitationMethod.Airl
            ? FeatureScaling.Measure(Expert.Obs, Expert.Count, ObsDim)
            : FeatureScaling.Measure(TransitionFeatures.Raw(settings.Features, Expert, Low, High), Expert.Count, FeatureSize);
        model = Trirl.Deep.RewardModel.For(this, resume);
    }

    private static ImitationSettings NotCloning(ImitationSettings settings) => settings.Method == ImitationMethod.Bc
        ? throw new TrirlInputException("method", "is behaviour cloning, which has no discriminator or reward", "run it with BehaviourCloning")
        : settings;

    /// <summary>The KL weight <c>eta</c> the schedule holds now.</summary>
    public double Eta { get; internal set; }

    /// <summary>Environment steps so far.</summary>
    public long EnvSteps => Ppo.EnvSteps;

    /// <summary>
    /// The environment steps before the latest rollout: the step count at which the iteration's schedules are read
    /// (<see cref="EtaSchedule.At"/>, <see cref="ImitationSettings.EpsAt"/>), so that they see the iteration's start.
    /// </summary>
    public long StepsBeforeRollout => EnvSteps - Settings.Ppo.BatchSize;

    /// <summary>The reward model (buffer, compressed, recursive or AIRL's <c>g + h</c>), chosen once from the settings.</summary>
    public IRewardModel RewardModel => model;

    /// <summary>The reward learned so far, as a standalone <see cref="NeuralReward"/> (dispose it).</summary>
    public NeuralReward ExportReward() => model.Export(this);

    internal RewardModel Model => model;
    internal FeatureScaling Scaling { get; }
    internal float[] Low { get; }
    internal float[] High { get; }
    internal int ObsDim { get; }
    internal int ActDim { get; }
    internal int FeatureSize { get; }
    internal double TerminalEntropy { get; }

    /// <summary>As many expert rows as the rollout has: a seeded permutation of the demonstrations, repeated as needed.</summary>
    internal TransitionBatch ExpertPair(int count)
    {
        var rng = RunStreams.For(Seed, ImitationStreams.Expert, Iteration);
        var perm = new long[Expert.Count];
        LearnerMath.Shuffle(perm, rng);
        var idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = (int)perm[i % perm.Length];
        return Expert.Gather(idx);
    }

    /// <summary>Writes the state (the checkpoint layout of <see cref="ImitationHeader"/>, PPO, then the reward model's sections).</summary>
    internal void Save(BinaryWriter w)
    {
        SaveHeaderAndPolicy(w, 0, Eta);
        model.Save(w);
    }

    /// <summary>Disposes the reward model (then the base disposes the PPO learner).</summary>
    private protected override void DisposeOwn() => model.Dispose();
}
