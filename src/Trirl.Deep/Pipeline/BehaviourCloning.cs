using System.Diagnostics;
using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>
/// The state of behaviour cloning (<see cref="BehaviourCloning"/>): the task, the settings, the demonstrations and the
/// PPO learner whose policy (and optimiser) it trains; no discriminator, no rollout. The checkpoint keeps the imitation
/// layout (with an empty reward section), so a cloning run resumes bit for bit.
/// </summary>
public sealed class CloningState : IDisposable
{
    internal CloningState(ContinuousEnv env, ImitationSettings settings, long seed, Device device, BinaryReader? resume, TransitionDataset? demonstrations)
    {
        Env = env;
        Settings = settings;
        Seed = seed;
        Device = device;
        var header = ImitationHeader.Read(resume, settings);
        Iteration = header.Iteration;
        CloningSteps = header.CloningSteps;
        Fits = header.Fits;
        Eta = header.Eta;
        (Demonstrations, Expert) = header.DemonstrationsFor(demonstrations, env);
        Ppo = new PpoLearner(env, settings.Ppo, seed, device, resume, PpoRewardSource.Caller);
        resume?.ExpectTag("imitation-nets");
    }

    /// <summary>The task (only its sizes: cloning steps no environment).</summary>
    public ContinuousEnv Env { get; }

    /// <summary>The settings (<see cref="ImitationMethod.Bc"/>; the PPO settings give the policy, optimiser and budget).</summary>
    public ImitationSettings Settings { get; }

    /// <summary>The run seed.</summary>
    public long Seed { get; }

    /// <summary>The device of the policy.</summary>
    public Device Device { get; }

    /// <summary>The demonstrations it clones.</summary>
    public TransitionDataset Demonstrations { get; }

    /// <summary>Iterations done.</summary>
    public long Iteration { get; internal set; }

    /// <summary>The env-step budget counted so far (one PPO batch per iteration, though no environment is stepped).</summary>
    public long CloningSteps { get; internal set; }

    /// <summary>The deterministic policy being trained (valid while the state is alive).</summary>
    public IContinuousPolicy Policy => Ppo.EvaluationPolicy;

    internal PpoLearner Ppo { get; }
    internal TransitionBatch Expert { get; }
    internal long Fits { get; }
    internal double Eta { get; }

    internal void Save(BinaryWriter w)
    {
        ImitationHeader.Write(w, Iteration, CloningSteps, Fits, Eta, Demonstrations);
        Ppo.Save(w);
        w.Tag("imitation-nets");
    }

    /// <summary>Disposes the policy and its optimiser.</summary>
    public void Dispose() => Ppo.Dispose();
}

/// <summary>
/// Behaviour cloning as an <c>(init, step)</c> pair: maximum likelihood of the expert's actions with the policy's own
/// optimiser, one iteration making as many minibatch steps as a PPO update (minibatches drawn from stream
/// <c>(Cloning, step)</c>) and counting a PPO batch of the env-step budget.
/// </summary>
public static class BehaviourCloning
{
    /// <summary>A fresh learner on <paramref name="demonstrations"/> (checked against <paramref name="env"/>). Loads libtorch.</summary>
    public static CloningState Start(ContinuousEnv env, ImitationSettings settings, TransitionDataset demonstrations, long seed, Device device)
    {
        ImitationHeader.CheckStart(env, settings, demonstrations, device);
        return new CloningState(env, settings, seed, device, null, demonstrations);
    }

    /// <summary>One iteration; its statistics are the mean negative log-likelihood (<c>policy_loss</c>) and the action std.</summary>
    public static ImitationIteration Step(CloningState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var watch = Stopwatch.StartNew();
        var p = state.Settings.Ppo;
        var expert = state.Expert;
        int m = p.MinibatchSize, steps = p.Epochs * (p.BatchSize / m), obsDim = expert.ObsDim, actDim = expert.ActDim;
        var policy = state.Ppo.Policy;
        var opt = state.Ppo.PolicyOptimizer;
        double sum = 0;
        using (NewDisposeScope())
        {
            var obs = tensor(expert.Obs, [expert.Count, obsDim], device: state.Device);
            var acts = tensor(expert.Acts, [expert.Count, actDim], device: state.Device);
            var idxBuf = new long[m];
            for (int k = 0; k < steps; k++)
            {
                using var scope = NewDisposeScope();
                var rng = RunStreams.For(state.Seed, ImitationStreams.Cloning, state.CloningSteps / p.BatchSize * steps + k);
                for (int i = 0; i < m; i++) idxBuf[i] = rng.NextInt(expert.Count);
                var idx = tensor(idxBuf, [m], device: state.Device);
                var loss = -DiagonalGaussian.LogProb(acts.index_select(0, idx), policy.forward(obs.index_select(0, idx)), policy.LogStd).mean();
                opt.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(policy.parameters(), p.MaxGradNorm);
                opt.step();
                sum += loss.detach().cpu().item<float>();
            }
        }
        state.CloningSteps += p.BatchSize;
        state.Iteration++;
        var ppo = PpoStatistics.Missing with { PolicyLoss = sum / steps, ActionStd = state.Ppo.ActionStd() };
        double seconds = watch.Elapsed.TotalSeconds;
        return new ImitationIteration(state.Iteration, state.CloningSteps, ImitationStatistics.Missing, ppo, [], [0, 0, 0, seconds]);
    }

    /// <summary>The iterations of <paramref name="state"/>, lazily, without end.</summary>
    public static IEnumerable<ImitationIteration> Run(CloningState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        while (true) yield return Step(state);
    }
}
