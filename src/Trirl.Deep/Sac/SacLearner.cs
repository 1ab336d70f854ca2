using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp.Modules;

namespace Trirl.Deep;

/// <summary>
/// SAC on <c>N</c> vectorised copies (<see cref="SacSettings"/>). One <see cref="Advance"/> runs <c>LogEvery</c>
/// environment steps: each vector step acts (uniformly at random before <c>LearningStarts</c>, else a draw of the
/// actor with noise from stream <c>(Act, vector step)</c>; with colored noise, <see cref="EpisodeNoise"/> gives both), stores the <c>N</c> transitions (the final observation as
/// <c>s'</c> when an episode ends, terminal only when terminated), then makes <c>N * UpdatesPerStep</c> gradient steps
/// (minibatch indices and reparameterisation noise from stream <c>(Update, update counter)</c>). Each gradient step,
/// in Stable-Baselines3's order: temperature, critics (target from the Polyak-averaged critics), actor, Polyak update.
/// </summary>
internal sealed class SacLearner : RlLearner
{
    public static readonly ImmutableArray<string> ColumnNames = ["critic_loss", "actor_loss", "alpha", "alpha_loss", "entropy", "q_mean"];

    private readonly SacSettings s;
    private readonly SquashedGaussianActor actor;
    private readonly TwinQ critics;
    private readonly TwinQ targets;
    private Parameter logAlpha;
    private readonly Adam actorOpt, criticOpt, alphaOpt;
    private readonly ReplayBuffer buffer;
    private readonly EpisodeTracker tracker;
    private readonly EpisodeNoise? colored;
    private readonly float[] low, high;
    private readonly double targetEntropy;
    private readonly NeuralReward? reward;
    private VecEnvState state;
    private float[] obs;
    private long envSteps, vectorSteps, updates;

    /// <summary>A fresh learner, or the one saved in <paramref name="resume"/>; with <paramref name="reward"/> it optimises that learned reward.</summary>
    public SacLearner(ContinuousEnv env, SacSettings settings, long seed, Device device, BinaryReader? resume, NeuralReward? reward = null)
        : base(env, seed, device)
    {
        this.reward = reward;
        s = settings;
        low = [.. env.Spec.ActionLow];
        high = [.. env.Spec.ActionHigh];
        targetEntropy = -s.TargetEntropyScale * actDim;
        actor = new SquashedGaussianActor(obsDim, actDim, s.Actor, RunStreams.For(seed, RunStreams.Init, 1));
        critics = new TwinQ("critics", obsDim, actDim, s.Critic, RunStreams.For(seed, RunStreams.Init, 2));
        targets = new TwinQ("critics", obsDim, actDim, s.Critic, RunStreams.For(seed, RunStreams.Init, 2));
        logAlpha = nn.Parameter(tensor(new[] { (float)Math.Log(s.InitialAlpha) }, [1]));
        buffer = new ReplayBuffer(s.BufferSize, obsDim, actDim);
        tracker = new EpisodeTracker(s.Copies);
        colored = s.NoiseExponent > 0 ? new EpisodeNoise(s.NoiseExponent, env.Spec.MaxSteps, actDim, seed, s.Copies) : null;
        if (resume is not null)
        {
            resume.ExpectTag("sac");
            envSteps = resume.ReadInt64();
            vectorSteps = resume.ReadInt64();
            updates = resume.ReadInt64();
            foreach (var (tag, network) in Networks) resume.ReadModule(tag, network);
            resume.ReadTensorInto("log-alpha", logAlpha);
        }
        foreach (var (_, network) in Networks) network.to(device);
        foreach (var p in targets.parameters()) p.requires_grad = false;
        if (device.type != DeviceType.CPU) logAlpha = nn.Parameter(logAlpha.to(device).detach());
        // TorchSharp's Adam with its Scalars kept alive (KeptScalars): the same numbers and checkpoints.
        actorOpt = new KeptScalars.Adam(actor.parameters(), lr: s.LearningRate);
        criticOpt = new KeptScalars.Adam(critics.parameters(), lr: s.LearningRate);
        alphaOpt = new KeptScalars.Adam([logAlpha], lr: s.LearningRate);
        if (resume is not null)
        {
            foreach (var (tag, optimizer) in Optimizers) resume.ReadOptimizer(tag, optimizer);
            buffer.Load(resume);
        }
        state = StartState(env, s.Copies, seed, resume, tracker);
        obs = env.Observe(state).ToArray();
    }

    // The networks and the optimisers with their checkpoint tags, in checkpoint order: one list each for reading,
    // writing, moving and disposing them, so that the resume path and Save cannot drift apart.
    private (string Tag, torch.nn.Module Network)[] Networks => [("actor", actor), ("critics", critics), ("targets", targets)];
    private (string Tag, Adam Optimizer)[] Optimizers => [("actor-adam", actorOpt), ("critic-adam", criticOpt), ("alpha-adam", alphaOpt)];

    public override ImmutableArray<string> Columns => ColumnNames;
    public override long EnvSteps => envSteps;
    public override IContinuousPolicy EvaluationPolicy => new TorchPolicy(actor, low, high, device, stochastic: false, owns: false);
    public override PolicyFile ExportPolicy() => PolicyFile.Of(RlAlgo.Sac, env, s.Actor, actor);

    public override LearnerInterval Advance()
    {
        int n = s.Copies;
        var sums = new double[ColumnNames.Length];
        long updatesBefore = updates;
        double actSeconds = 0, updateSeconds = 0;
        var watch = new Stopwatch();
        var noise = new float[n * actDim];
        for (int done = 0; done < s.LogEvery; done += n)
        {
            watch.Restart();
            float[] u;
            if (envSteps < s.LearningStarts)
            {
                u = new float[n * actDim];
                if (colored is null)
                {
                    var rng = RunStreams.For(seed, RunStreams.Act, vectorSteps);
                    for (int k = 0; k < u.Length; k++) u[k] = (float)(2 * rng.NextDouble() - 1);
                }
                else
                {
                    // Uniform over [-1, 1] at every step, correlated in time: 2 Phi(z_t) - 1 of the colored sequence.
                    colored.Fill(state, noise);
                    for (int k = 0; k < u.Length; k++) u[k] = (float)(2 * ColoredNoise.NormalCdf(noise[k]) - 1);
                }
            }
            else
            {
                using var scope = NewDisposeScope();
                using var grad = no_grad();
                if (colored is null) RunStreams.Gaussians(RunStreams.For(seed, RunStreams.Act, vectorSteps), noise);
                else colored.Fill(state, noise);
                var (mu, logStd) = actor.forward(tensor(obs, [n, obsDim], device: device));
                u = mu.Plus(logStd.exp() * tensor(noise, [n, actDim], device: device)).tanh().cpu().data<float>().ToArray();
            }
            var boxed = TorchPolicy.ScaleToBox(u, n, low, high);
            var result = env.Step(state, boxed);
            var next = ImmutableCollectionsMarshal.AsArray(result.Observations)!;
            // A learned reward (retraining, transfer) replaces the task's: scored on the actions as the task applies them.
            var rewards = reward?.TdRewards(new TransitionBatch(obsDim, actDim, obs, boxed, next, [.. result.Terminated]));
            for (int i = 0; i < n; i++)
                buffer.Add(obs.AsSpan(i * obsDim, obsDim), u.AsSpan(i * actDim, actDim), rewards?[i] ?? result.Rewards[i], next.AsSpan(i * obsDim, obsDim), result.Terminated[i]);
            tracker.Add(result);
            state = env.ResetDone(result);
            obs = result.AnyDone ? env.Observe(state).ToArray() : next;
            envSteps += n;
            vectorSteps++;
            actSeconds += watch.Elapsed.TotalSeconds;
            if (envSteps >= s.LearningStarts)
            {
                watch.Restart();
                for (int k = 0; k < n * s.UpdatesPerStep; k++) Update(sums);
                updateSeconds += watch.Elapsed.TotalSeconds;
            }
        }
        long made = updates - updatesBefore;
        var values = new double[ColumnNames.Length];
        for (int j = 0; j < values.Length; j++) values[j] = made > 0 ? sums[j] / made : double.NaN;
        return new LearnerInterval(values, tracker.TakeCompleted(), actSeconds, updateSeconds);
    }

    // Scalars are explicit and kept alive across the torch calls (KeptScalars): a + b is a.Plus(b), 0.5 * t is
    // t.mul(Half), t.square() is t.Squared(), with the values and types of the implicit conversions they replace.
    private void Update(double[] sums)
    {
        using var scope = NewDisposeScope();
        var rng = RunStreams.For(seed, RunStreams.Update, updates);
        int bs = s.BatchSize;
        var batch = buffer.Sample(bs, rng);
        var n1 = new float[bs * actDim];
        var n2 = new float[bs * actDim];
        RunStreams.Gaussians(rng, n1);
        RunStreams.Gaussians(rng, n2);
        var o = tensor(batch.Obs, [bs, obsDim], device: device);
        var u = tensor(batch.Acts, [bs, actDim], device: device);
        var r = tensor(batch.Rews, [bs], device: device);
        var o2 = tensor(batch.NextObs, [bs, obsDim], device: device);
        var term = tensor(batch.Terms, [bs], device: device);

        // Current policy's reparameterised sample (actor and temperature losses).
        var (mu, logStd) = actor.forward(o);
        var x = mu.Plus(logStd.exp() * tensor(n2, [bs, actDim], device: device));
        var uPi = x.tanh();
        var logPi = DiagonalGaussian.SquashedLogProb(x, mu, logStd);

        // Temperature: alpha is read before its own step (used in this step's target and actor loss).
        double alpha = logAlpha.detach().exp().cpu().item<float>();
        var alphaLoss = SacTargets.TemperatureLoss(logAlpha, logPi, targetEntropy);
        alphaOpt.zero_grad();
        alphaLoss.backward();
        alphaOpt.step();

        // Critics.
        Tensor y;
        using (no_grad())
        {
            var (mu2, logStd2) = actor.forward(o2);
            var x2 = mu2.Plus(logStd2.exp() * tensor(n1, [bs, actDim], device: device));
            var logPi2 = DiagonalGaussian.SquashedLogProb(x2, mu2, logStd2);
            var (t1, t2) = targets.forward(o2, x2.tanh());
            y = SacTargets.Compute(r, term, t1, t2, logPi2, alpha, s.Gamma);
        }
        var (q1, q2) = critics.forward(o, u);
        var criticLoss = (q1 - y).Squared().mean().Plus((q2 - y).Squared().mean()).mul(KeptScalars.Half);
        criticOpt.zero_grad();
        criticLoss.backward();
        criticOpt.step();

        // Actor (through the updated critics).
        var (p1, p2) = critics.forward(o, uPi);
        using var alphaScalar = alpha.ToScalar();
        var actorLoss = (logPi.mul(alphaScalar) - minimum(p1, p2)).mean();
        actorOpt.zero_grad();
        actorLoss.backward();
        actorOpt.step();

        // Polyak averaging of the targets.
        using (no_grad())
        {
            using var keep = (1 - s.Tau).ToScalar();
            using var tau = s.Tau.ToScalar();
            foreach (var (target, online) in targets.parameters().Zip(critics.parameters()))
                target.mul_(keep).add_(online, tau);
        }
        var stats = stack([criticLoss.detach(), actorLoss.detach(), alphaLoss.detach(), (-logPi.detach()).mean(), q1.Plus(q2).mul(KeptScalars.Half).detach().mean()])
            .cpu().data<float>().ToArray();
        sums[0] += stats[0];
        sums[1] += stats[1];
        sums[2] += alpha;
        sums[3] += stats[2];
        sums[4] += stats[3];
        sums[5] += stats[4];
        updates++;
    }

    public override void Save(BinaryWriter w)
    {
        w.Tag("sac");
        w.Write(envSteps);
        w.Write(vectorSteps);
        w.Write(updates);
        foreach (var (tag, network) in Networks) w.WriteModule(tag, network);
        w.WriteTensor("log-alpha", logAlpha);
        foreach (var (tag, optimizer) in Optimizers) w.WriteOptimizer(tag, optimizer);
        buffer.Save(w);
        w.WriteState(state);
        tracker.Save(w);
    }

    public override void Dispose()
    {
        foreach (var (_, optimizer) in Optimizers) optimizer.Dispose();
        foreach (var (_, network) in Networks) network.Dispose();
        logAlpha.Dispose();
    }
}
