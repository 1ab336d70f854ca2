using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp.Modules;

namespace Trirl.Deep;

/// <summary>
/// PPO on <c>N</c> vectorised environment copies (<see cref="PpoSettings"/>). One iteration is two phases:
/// <see cref="Collect"/>, a rollout of <c>T</c> steps per copy with the current policy (noise from stream
/// <c>(Act, step)</c>), and <see cref="Update"/>, GAE on the rollout's rewards (truncations bootstrapped from their final
/// observations) then the epochs of minibatch updates with a KL term of weight <c>eta</c> (shuffles from stream
/// <c>(Update, iteration * epochs + epoch)</c>). <see cref="Advance"/> runs both on the task's reward or on a learned
/// one (<see cref="PpoRewardSource"/>); an imitation learner calls the two phases itself, relabelling in between.
/// </summary>
internal sealed class PpoLearner : RlLearner
{
    public static ImmutableArray<string> ColumnNames => PpoStatistics.ColumnNames;

    private readonly PpoSettings s;
    private readonly GaussianPolicy policy;
    private readonly Mlp critic;
    private readonly Adam policyOpt;
    private readonly Adam criticOpt;
    private readonly EpisodeTracker tracker;
    private readonly PpoRewardSource rewards;
    private VecEnvState state;
    private float[] obs;
    private RewardScale? rewardScale;
    private long envSteps;
    private long iteration;

    /// <summary>A fresh learner, or the one saved in <paramref name="resume"/> when given.</summary>
    public PpoLearner(ContinuousEnv env, PpoSettings settings, long seed, Device device, BinaryReader? resume, PpoRewardSource rewards)
        : base(env, seed, device)
    {
        this.rewards = rewards;
        s = settings;
        policy = new GaussianPolicy(obsDim, actDim, s.Policy, s.InitialStd, RunStreams.For(seed, RunStreams.Init, 1), s.NormalizeObservations);
        critic = new Mlp("critic", obsDim, s.Critic, 1, 1.0, RunStreams.For(seed, RunStreams.Init, 2));
        tracker = new EpisodeTracker(s.Copies);
        if (resume is not null)
        {
            resume.ExpectTag("ppo");
            envSteps = resume.ReadInt64();
            iteration = resume.ReadInt64();
            resume.ReadModule("policy", policy);
            resume.ReadModule("critic", critic);
            if (RewardScaling) rewardScale = RewardScale.Read(resume);
        }
        policy.to(device);
        critic.to(device);
        // TorchSharp's Adam with its Scalars kept alive (KeptScalars): the same numbers and checkpoints.
        policyOpt = new KeptScalars.Adam(policy.parameters(), lr: s.LearningRate);
        criticOpt = new KeptScalars.Adam(critic.parameters(), lr: s.LearningRate);
        if (resume is not null)
        {
            resume.ReadOptimizer("policy-adam", policyOpt);
            resume.ReadOptimizer("critic-adam", criticOpt);
        }
        state = StartState(env, s.Copies, seed, resume, tracker);
        obs = env.Observe(state).ToArray();
        if (RewardScaling && resume is null) rewardScale = new RewardScale(s.Copies);
    }

    /// <summary>Whether the task's rewards are scaled by the running return statistics (<see cref="PpoSettings.NormalizeRewards"/>; never for a learned reward).</summary>
    private bool RewardScaling => s.NormalizeRewards && rewards.IsTask;

    public override ImmutableArray<string> Columns => ColumnNames;
    public override long EnvSteps => envSteps;
    // Evaluate the actions the rollouts take: with ClipActions the environment only ever sees clipped actions.
    public override IContinuousPolicy EvaluationPolicy => s.ClipActions ? new BoxClippedPolicy(MeanPolicy, env.Spec.ActionLow, env.Spec.ActionHigh) : MeanPolicy;

    private TorchPolicy MeanPolicy => new(policy, [.. env.Spec.ActionLow], [.. env.Spec.ActionHigh], device, stochastic: false, owns: false);

    public override PolicyFile ExportPolicy() => PolicyFile.Of(RlAlgo.Ppo, env, s.Policy, policy, s.NormalizeObservations, s.ClipActions);

    /// <summary>The policy (behaviour cloning trains it directly; AIRL reads its log-densities).</summary>
    internal GaussianPolicy Policy => policy;

    /// <summary>The policy's optimiser.</summary>
    internal Adam PolicyOptimizer => policyOpt;

    /// <summary>The settings.</summary>
    internal PpoSettings Settings => s;

    public override LearnerInterval Advance()
    {
        var watch = Stopwatch.StartNew();
        var rollout = Collect();
        var r = rewards.Relabel(rollout);
        rewardScale?.Apply(r, rollout.Transitions.Terminated, rollout.TruncatedFlags, s.Copies, s.Gamma);
        double rolloutSeconds = watch.Elapsed.TotalSeconds;
        var update = Update(rollout, r, s.Eta, measureKl: false);
        return new LearnerInterval([.. update.Statistics.Values], rollout.Episodes, rolloutSeconds, update.Seconds);
    }

    /// <summary>
    /// Phase 1: a rollout of <c>T</c> steps per copy with the current policy; also the critic's values and the bootstrap
    /// values <c>V(s'_t)</c> (the next step's value, the rollout's last observation for the final step, the final
    /// observation on truncation), and the returns of the episodes that ended.
    /// </summary>
    public PpoRollout Collect()
    {
        int n = s.Copies, steps = s.RolloutSteps, b = n * steps;
        var obsBuf = new float[b * obsDim];
        var nextBuf = new float[b * obsDim];
        var actBuf = new float[b * actDim];
        var meanBuf = new float[b * actDim];
        var logpBuf = new float[b];
        var valBuf = new float[b];
        var rewBuf = new double[b];
        var termBuf = new bool[b];
        var truncBuf = new bool[b];
        var finalIndex = new List<int>();
        var finalObs = new List<float>();
        var noise = new float[n * actDim];
        float[] oldLogStd;
        using (NewDisposeScope())
        using (no_grad())
            oldLogStd = policy.LogStd.cpu().data<float>().ToArray();

        for (int t = 0; t < steps; t++)
        {
            float[] actions;
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                obs.CopyTo(obsBuf, t * n * obsDim);
                var o = tensor(obs, [n, obsDim], device: device);
                var mean = policy.forward(o);
                var value = critic.forward(policy.Normalize(o)).squeeze(-1);
                RunStreams.Gaussians(RunStreams.For(seed, RunStreams.Act, iteration * steps + t), noise);
                var act = mean.Plus(policy.LogStd.exp() * tensor(noise, [n, actDim], device: device)); // a + b with a kept alpha (KeptScalars)
                var logp = DiagonalGaussian.LogProb(act, mean, policy.LogStd);
                actions = act.cpu().data<float>().ToArray();
                actions.CopyTo(actBuf, t * n * actDim);
                mean.cpu().data<float>().CopyTo(meanBuf, t * n * actDim);
                logp.cpu().data<float>().CopyTo(logpBuf, t * n);
                value.cpu().data<float>().CopyTo(valBuf, t * n);
            }
            var result = env.Step(state, s.ClipActions ? ClipToBox(actions) : actions);
            var next = ImmutableCollectionsMarshal.AsArray(result.Observations)!;
            next.CopyTo(nextBuf, t * n * obsDim);
            for (int i = 0; i < n; i++)
            {
                int k = t * n + i;
                rewBuf[k] = result.Rewards[i];
                termBuf[k] = result.Terminated[i];
                truncBuf[k] = result.Truncated[i];
                if (truncBuf[k] && !termBuf[k])
                {
                    finalIndex.Add(k);
                    finalObs.AddRange(next.AsSpan(i * obsDim, obsDim));
                }
            }
            tracker.Add(result);
            state = env.ResetDone(result);
            obs = result.AnyDone ? env.Observe(state).ToArray() : next;
        }
        envSteps += b;

        var nextValues = new float[b];
        Array.Copy(valBuf, n, nextValues, 0, b - n);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var all = new float[(n + finalIndex.Count) * obsDim];
            obs.CopyTo(all, 0);
            finalObs.CopyTo(all, n * obsDim);
            var v = critic.forward(policy.Normalize(tensor(all, [n + finalIndex.Count, obsDim], device: device))).squeeze(-1).cpu().data<float>().ToArray();
            Array.Copy(v, 0, nextValues, b - n, n);
            for (int j = 0; j < finalIndex.Count; j++) nextValues[finalIndex[j]] = v[n + j];
        }
        return new PpoRollout(iteration, n, steps, new TransitionBatch(obsDim, actDim, obsBuf, actBuf, nextBuf, termBuf), meanBuf, logpBuf, valBuf,
            nextValues, oldLogStd, rewBuf, truncBuf, tracker.TakeCompleted());
    }

    /// <summary>
    /// Phase 4: GAE on <paramref name="rewards"/> (one per transition of <paramref name="rollout"/>, the latest rollout),
    /// then the epochs of minibatch updates with the KL term of weight <paramref name="eta"/>; with
    /// <paramref name="measureKl"/> also the mean <c>KL(pi_new || pi_rollout)</c> over the rollout's states.
    /// </summary>
    public PpoUpdate Update(PpoRollout rollout, double[] rewards, double eta, bool measureKl)
    {
        if (rollout.Iteration != iteration)
            throw new TrirlInputException("rollout", $"was collected at iteration {rollout.Iteration}, the learner is at {iteration}",
                "update with the rollout the learner collected last");
        if (rewards.Length != rollout.Count)
            throw new TrirlInputException("rewards", $"has {rewards.Length} values for {rollout.Count} transitions", "pass one reward per transition");
        var watch = Stopwatch.StartNew();
        var update = s.WithEta(eta);
        int n = rollout.Copies, b = rollout.Count;
        var adv = new float[b];
        var ret = new float[b];
        Gae.ComputeInto(rewards, rollout.Values, rollout.NextValues, rollout.Transitions.Terminated, rollout.TruncatedFlags, n, s.Gamma, s.GaeLambda, adv, ret);

        if (s.LearningRateAnnealSteps > 0)
        {
            double lr = s.LearningRateAt(envSteps - b);
            foreach (var g in policyOpt.ParamGroups) g.LearningRate = lr;
            foreach (var g in criticOpt.ParamGroups) g.LearningRate = lr;
        }
        var sums = new double[6];
        int updates = 0;
        double meanKl = double.NaN;
        using (var outer = NewDisposeScope())
        {
            var obsAll = tensor(rollout.Transitions.Obs, [b, obsDim], device: device);
            var actAll = tensor(rollout.Transitions.Acts, [b, actDim], device: device);
            var meanAll = tensor(rollout.Means, [b, actDim], device: device);
            var logpAll = tensor(rollout.LogProbs, [b], device: device);
            var advAll = tensor(adv, [b], device: device);
            var retAll = tensor(ret, [b], device: device);
            var oldStd = tensor(rollout.OldLogStd, [actDim], device: device);
            int m = s.MinibatchSize, minibatches = b / m;
            var perm = new long[b];
            for (int epoch = 0; epoch < s.Epochs; epoch++)
            {
                LearnerMath.Shuffle(perm, RunStreams.For(seed, RunStreams.Update, iteration * s.Epochs + epoch));
                for (int mb = 0; mb < minibatches; mb++)
                {
                    using var scope = NewDisposeScope();
                    var idx = tensor(perm.AsSpan(mb * m, m).ToArray(), [m], device: device);
                    var o = obsAll.index_select(0, idx);
                    var mean = policy.forward(o);
                    var value = critic.forward(policy.Normalize(o)).squeeze(-1);
                    var terms = PpoLoss.Compute(mean, policy.LogStd, actAll.index_select(0, idx), logpAll.index_select(0, idx),
                        meanAll.index_select(0, idx), oldStd, PpoLoss.NormalizeAdvantages(advAll.index_select(0, idx)), value,
                        retAll.index_select(0, idx), update);
                    policyOpt.zero_grad();
                    criticOpt.zero_grad();
                    terms.Total.backward();
                    nn.utils.clip_grad_norm_(policy.parameters(), s.MaxGradNorm);
                    nn.utils.clip_grad_norm_(critic.parameters(), s.MaxGradNorm);
                    policyOpt.step();
                    criticOpt.step();
                    var stats = stack([terms.Policy, terms.Value, terms.Entropy, terms.Kl, terms.ApproxKl, terms.ClipFraction]).detach().cpu().data<float>().ToArray();
                    for (int j = 0; j < sums.Length; j++) sums[j] += stats[j];
                    updates++;
                }
            }
            if (measureKl)
            {
                using (no_grad())
                    meanKl = DiagonalGaussian.Kl(policy.forward(obsAll), policy.LogStd.expand(b, actDim), meanAll, oldStd.expand(b, actDim)).mean().cpu().item<float>();
            }
        }
        // The observation statistics take in this rollout after its update, so rollout and update saw the same policy.
        policy.Normalizer?.Update(rollout.Transitions.Obs, b);
        iteration++;

        double Mean(int j) => updates > 0 ? sums[j] / updates : double.NaN;
        var statistics = new PpoStatistics(Mean(0), Mean(1), Mean(2), Mean(3), Mean(4), Mean(5), LearnerMath.ExplainedVariance(rollout.Values, ret), ActionStd(),
            update.Eta);
        return new PpoUpdate(statistics, meanKl, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The policy's mean standard deviation <c>mean(exp(log_std))</c>.</summary>
    internal double ActionStd()
    {
        using (NewDisposeScope())
        using (no_grad())
            return policy.LogStd.exp().mean().cpu().item<float>();
    }

    /// <summary>The actions clipped to the task's box (a copy; <see cref="PpoSettings.ClipActions"/>).</summary>
    private float[] ClipToBox(float[] actions) => BoxClippedPolicy.Clipped(actions, env.Spec.ActionLow.AsSpan(), env.Spec.ActionHigh.AsSpan());

    public override void Save(BinaryWriter w)
    {
        w.Tag("ppo");
        w.Write(envSteps);
        w.Write(iteration);
        w.WriteModule("policy", policy);
        w.WriteModule("critic", critic);
        rewardScale?.Write(w);
        w.WriteOptimizer("policy-adam", policyOpt);
        w.WriteOptimizer("critic-adam", criticOpt);
        w.WriteState(state);
        tracker.Save(w);
    }

    public override void Dispose()
    {
        policyOpt.Dispose();
        criticOpt.Dispose();
        policy.Dispose();
        critic.Dispose();
    }
}
