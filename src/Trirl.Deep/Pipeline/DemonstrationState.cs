using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>
/// What the states of the learners from demonstrations hold alike (<see cref="ImitationState"/>,
/// <see cref="CloningState"/>): the task, the settings, the seed, the device, the demonstrations (and their
/// transitions), the PPO learner whose policy they train and the iteration counter. A resumed state reads them in the
/// checkpoint's order: the imitation header (<see cref="ImitationHeader"/>), then the PPO learner.
/// </summary>
public abstract class DemonstrationState : IDisposable
{
    private protected DemonstrationState(ContinuousEnv env, ImitationSettings settings, long seed, Device device, BinaryReader? resume,
        TransitionDataset? demonstrations)
    {
        Env = env;
        Settings = settings;
        Seed = seed;
        Device = device;
        Saved = ImitationHeader.Read(resume, settings);
        Iteration = Saved.Iteration;
        Fits = Saved.Fits;
        (Demonstrations, Expert) = Saved.DemonstrationsFor(demonstrations, env);
        Ppo = new PpoLearner(env, settings.Ppo, seed, device, resume, PpoRewardSource.Caller);
        resume?.ExpectTag("imitation-nets");
    }

    /// <summary>The task.</summary>
    public ContinuousEnv Env { get; }

    /// <summary>The settings (the PPO settings give the policy, its optimiser and the budget).</summary>
    public ImitationSettings Settings { get; }

    /// <summary>The run seed (every random stream derives from it).</summary>
    public long Seed { get; }

    /// <summary>The device of the networks.</summary>
    public Device Device { get; }

    /// <summary>The demonstrations the learner imitates.</summary>
    public TransitionDataset Demonstrations { get; }

    /// <summary>Iterations done.</summary>
    public long Iteration { get; internal set; }

    /// <summary>The deterministic policy being trained (valid while the state is alive).</summary>
    public IContinuousPolicy Policy => Ppo.EvaluationPolicy;

    internal PpoLearner Ppo { get; }
    internal TransitionBatch Expert { get; }

    /// <summary>Reward-network regressions done (the index of their shuffle streams).</summary>
    internal long Fits { get; set; }

    /// <summary>The imitation header read at construction (a fresh one for a fresh state).</summary>
    private protected ImitationHeader Saved { get; }

    /// <summary>Writes the header and the PPO learner in the checkpoint layout, then the tag of the reward's sections.</summary>
    private protected void SaveHeaderAndPolicy(BinaryWriter w, long cloningSteps, double eta)
    {
        ImitationHeader.Write(w, Iteration, cloningSteps, Fits, eta, Demonstrations);
        Ppo.Save(w);
        w.Tag("imitation-nets");
    }

    /// <summary>Disposes what the subclass owns besides the PPO learner (first).</summary>
    private protected virtual void DisposeOwn()
    {
    }

    /// <summary>Disposes the state's networks and optimisers.</summary>
    public void Dispose()
    {
        DisposeOwn();
        Ppo.Dispose();
        GC.SuppressFinalize(this);
    }
}
