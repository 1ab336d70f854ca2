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
public sealed class ImitationState : IDisposable
{
    private readonly RewardModel model;

    internal ImitationState(ContinuousEnv env, ImitationSettings settings, long seed, Device device, BinaryReader? resume, TransitionDataset? demonstrations)
    {
        if (settings.Method == ImitationMethod.Bc)
            throw new TrirlInputException("method", "is behaviour cloning, which has no discriminator or reward", "run it with BehaviourCloning");
        Env = env;
        Settings = settings;
        Seed = seed;
        Device = device;
        var spec = env.Spec;
        ObsDim = spec.ObservationSize;
        ActDim = spec.ActionSize;
        Low = [.. spec.ActionLow];
        High = [.. spec.ActionHigh];
        TerminalEntropy = AbsorbingStates.UniformEntropy(spec);
        FeatureSize = FeatureModes.Size(settings.Features, ObsDim, ActDim);
        var header = ImitationHeader.Read(resume, settings);
        Iteration = header.Iteration;
        Fits = header.Fits;
        Eta = header.Eta;
        (Demonstrations, Expert) = header.DemonstrationsFor(demonstrations, env);
        Scaling = settings.Method == ImitationMethod.Airl
            ? FeatureScaling.Measure(Expert.Obs, Expert.Count, ObsDim)
            : FeatureScaling.Measure(TransitionFeatures.Raw(settings.Features, Expert, Low, High), Expert.Count, FeatureSize);
        Ppo = new PpoLearner(env, settings.Ppo, seed, device, resume, PpoRewardSource.Caller);
        resume?.ExpectTag("imitation-nets");
        model = Trirl.Deep.RewardModel.For(this, resume);
    }

    /// <summary>The task.</summary>
    public ContinuousEnv Env { get; }

    /// <summary>The settings.</summary>
    public ImitationSettings Settings { get; }

    /// <summary>The run seed (every random stream derives from it).</summary>
    public long Seed { get; }

    /// <summary>The device of the networks.</summary>
    public Device Device { get; }

    /// <summary>The demonstrations the learner imitates.</summary>
    public TransitionDataset Demonstrations { get; }

    /// <summary>Iterations done.</summary>
    public long Iteration { get; internal set; }

    /// <summary>The KL weight <c>eta</c> the schedule holds now.</summary>
    public double Eta { get; internal set; }

    /// <summary>Environment steps so far.</summary>
    public long EnvSteps => Ppo.EnvSteps;

    /// <summary>The reward model (buffer, compressed, recursive or AIRL's <c>g + h</c>), chosen once from the settings.</summary>
    public IRewardModel RewardModel => model;

    /// <summary>The deterministic policy being trained (valid while the state is alive).</summary>
    public IContinuousPolicy Policy => Ppo.EvaluationPolicy;

    /// <summary>The reward learned so far, as a standalone <see cref="NeuralReward"/> (dispose it).</summary>
    public NeuralReward ExportReward() => model.Export(this);

    internal PpoLearner Ppo { get; }
    internal RewardModel Model => model;
    internal TransitionBatch Expert { get; }
    internal FeatureScaling Scaling { get; }
    internal float[] Low { get; }
    internal float[] High { get; }
    internal int ObsDim { get; }
    internal int ActDim { get; }
    internal int FeatureSize { get; }
    internal double TerminalEntropy { get; }

    /// <summary>Reward-network regressions done (the index of their shuffle streams).</summary>
    internal long Fits { get; set; }

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
        ImitationHeader.Write(w, Iteration, 0, Fits, Eta, Demonstrations);
        Ppo.Save(w);
        w.Tag("imitation-nets");
        model.Save(w);
    }

    /// <summary>Disposes the reward model and the PPO learner.</summary>
    public void Dispose()
    {
        model.Dispose();
        Ppo.Dispose();
    }
}

/// <summary>
/// The first section of an imitation checkpoint: <c>"imitation"</c>, the iteration, behaviour cloning's step count,
/// the reward regressions done, <c>eta</c>, and the demonstrations as npz bytes.
/// </summary>
internal sealed record ImitationHeader(long Iteration, long CloningSteps, long Fits, double Eta, TransitionDataset? Demonstrations)
{
    /// <summary>The saved header, or a fresh one (the schedule's initial <c>eta</c>) without <paramref name="resume"/>.</summary>
    public static ImitationHeader Read(BinaryReader? resume, ImitationSettings settings)
    {
        if (resume is null) return new(0, 0, 0, settings.EtaSchedule.Initial, null);
        resume.ExpectTag("imitation");
        long iteration = resume.ReadInt64(), cloning = resume.ReadInt64(), fits = resume.ReadInt64();
        double eta = resume.ReadDouble();
        int bytes = resume.ReadInt32();
        using var npz = new MemoryStream(resume.ReadBytes(bytes));
        return new(iteration, cloning, fits, eta, TransitionDataset.Read(npz, "the checkpoint's demonstrations"));
    }

    /// <summary>The saved demonstrations, else <paramref name="given"/>, checked against <paramref name="env"/>, with their transitions.</summary>
    public (TransitionDataset Data, TransitionBatch Expert) DemonstrationsFor(TransitionDataset? given, ContinuousEnv env)
    {
        var data = Trirl.Deep.Demonstrations.Checked(Demonstrations ?? given
            ?? throw new TrirlInputException("demonstrations", "are missing", "pass expert demonstrations"), env, "demonstrations");
        return (data, TransitionBatch.Of(data, Trirl.Deep.Demonstrations.Terminations(data, env.Spec.MaxSteps)));
    }

    /// <summary>Checks the arguments of a learner's start and loads libtorch.</summary>
    public static void CheckStart(ContinuousEnv env, ImitationSettings settings, TransitionDataset demonstrations, Device device)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(demonstrations);
        ArgumentNullException.ThrowIfNull(device);
        settings.Validated();
        TorchRuntime.Ensure();
    }

    public static void Write(BinaryWriter w, long iteration, long cloningSteps, long fits, double eta, TransitionDataset demonstrations)
    {
        w.Tag("imitation");
        w.Write(iteration);
        w.Write(cloningSteps);
        w.Write(fits);
        w.Write(eta);
        var bytes = demonstrations.ToBytes();
        w.Write(bytes.Length);
        w.Write(bytes);
    }
}
