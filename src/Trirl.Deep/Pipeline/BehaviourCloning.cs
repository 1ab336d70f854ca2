using System.Diagnostics;
using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>
/// The state of behaviour cloning (<see cref="BehaviourCloning"/>): the task, the settings, the demonstrations and the
/// PPO learner whose policy (and optimiser) it trains; no discriminator, no rollout. The checkpoint keeps the imitation
/// layout (with an empty reward section), so a cloning run resumes bit for bit.
/// </summary>
public sealed class CloningState : DemonstrationState
{
    internal CloningState(ContinuousEnv env, ImitationSettings settings, long seed, Device device, BinaryReader? resume, TransitionDataset? demonstrations)
        : base(env, settings, seed, device, resume, demonstrations)
    {
        CloningSteps = Saved.CloningSteps;
        Eta = Saved.Eta;
    }

    /// <summary>The env-step budget counted so far (one PPO batch per iteration, though no environment is stepped).</summary>
    public long CloningSteps { get; internal set; }

    internal double Eta { get; }

    internal void Save(BinaryWriter w) => SaveHeaderAndPolicy(w, CloningSteps, Eta);
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
