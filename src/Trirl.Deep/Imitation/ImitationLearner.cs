using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using Trirl.Environments;
using Trirl.Environments.Data;
using Trirl.Functional;
using static TorchSharp.torch;

namespace Trirl.Deep;

/// <summary>
/// The imitation learner: one step function for TRIRL, GAIL, AIRL and behaviour cloning (<see cref="ImitationSettings"/>).
/// An iteration (<see cref="Advance"/>) is a <see cref="PpoLearner"/> iteration whose rollout this learner relabels
/// (<see cref="IPpoHook"/>):
/// <list type="number">
/// <item>pair the rollout with as many expert transitions (a seeded permutation of the demonstrations);</item>
/// <item>train the discriminator on both (logistic loss, expert = 1, plus the gradient penalty);</item>
/// <item>trirl/gail: push it into the buffer with <c>eta = 0</c> and relabel the rollout with
/// <c>r = sum_k w_k D_k</c> (or the compressed or recursive model), evaluating each network once on the rollout and the
/// absorbing states of its terminated transitions together; airl: relabel with the logit <c>f - log pi</c>;</item>
/// <item>PPO's update with the schedule's <c>eta</c>; then record <c>eta</c> for the newest discriminator (so the next
/// iteration's weights are corrected, <c>eps_tr = eps / (1 + eta)</c>), adapt <c>eta</c> to the measured KL, and fit the
/// recursive model.</item>
/// </list>
/// Behaviour cloning skips the rollout: maximum likelihood of the expert's actions with the policy's optimiser. The
/// checkpoint holds the demonstrations, the discriminator and its optimiser, the buffer with its etas, the reward
/// network and its optimiser, eta, the counters, and the PPO learner, so a resumed run continues bit for bit.
/// </summary>
internal sealed class ImitationLearner : RlLearner, IPpoHook
{
    public static readonly ImmutableArray<string> OwnColumns =
        ["eps_tr", "disc_loss", "disc_accuracy", "gradient_penalty", "policy_kl", "reward_mean", "reward_std", "reward_fit_loss", "buffer_size"];

    public static readonly ImmutableArray<string> ColumnNames = [.. OwnColumns, .. PpoLearner.ColumnNames];

    public static readonly ImmutableArray<string> Phases = ["acting_seconds", "discriminator_seconds", "reward_seconds", "policy_seconds"];

    private readonly ContinuousEnv env;
    private readonly ImitationSettings s;
    private readonly long seed;
    private readonly Device device;
    private readonly TransitionDataset demos;
    private readonly TransitionBatch expert;
    private readonly FeatureScaling scaling;
    private readonly float[] low, high;
    private readonly int obsDim, actDim, featureSize;
    private readonly double terminalEntropy;
    private readonly PpoLearner ppo;
    private readonly Discriminator? disc;
    private readonly AirlDiscriminator? airl;
    private readonly Adam? discOpt;
    private readonly DiscriminatorBuffer? buffer;
    private readonly Mlp? rewardNet;
    private readonly Adam? rewardOpt;
    private double eta;
    private long iteration, cloningSteps, fits;

    // The current iteration's statistics and the rows the recursive model is fitted on (transient).
    private readonly double[] stats = new double[OwnColumns.Length];
    private float[] fitRows = [];
    private double[] fitPrevious = [], fitLatest = [];
    private double discSeconds, rewardSeconds, fitSeconds;

    /// <summary>A fresh learner on <paramref name="demonstrations"/>, or the one saved in <paramref name="resume"/>.</summary>
    public ImitationLearner(ContinuousEnv env, ImitationSettings settings, long seed, Device device, BinaryReader? resume, TransitionDataset? demonstrations)
    {
        this.env = env;
        s = settings;
        this.seed = seed;
        this.device = device;
        var spec = env.Spec;
        obsDim = spec.ObservationSize;
        actDim = spec.ActionSize;
        low = [.. spec.ActionLow];
        high = [.. spec.ActionHigh];
        terminalEntropy = AbsorbingStates.UniformEntropy(spec);
        featureSize = FeatureModes.Size(s.Features, obsDim, actDim);
        if (resume is not null)
        {
            resume.ExpectTag("imitation");
            iteration = resume.ReadInt64();
            cloningSteps = resume.ReadInt64();
            fits = resume.ReadInt64();
            eta = resume.ReadDouble();
            int bytes = resume.ReadInt32();
            using var npz = new MemoryStream(resume.ReadBytes(bytes));
            demonstrations = TransitionDataset.Read(npz, "the checkpoint's demonstrations");
        }
        else
        {
            eta = s.EtaSchedule.Initial;
        }
        demos = Demonstrations.Checked(demonstrations ?? throw new TrirlInputException("demonstrations", "are missing", "pass expert demonstrations"), env, "demonstrations");
        expert = TransitionBatch.Of(demos, Demonstrations.Terminations(demos, spec.MaxSteps));
        scaling = s.Method == ImitationMethod.Airl
            ? FeatureScaling.Measure(expert.Obs, expert.Count, obsDim)
            : FeatureScaling.Measure(TransitionFeatures.Raw(s.Features, expert, low, high), expert.Count, featureSize);

        ppo = new PpoLearner(env, s.Ppo, seed, device, resume, this);
        if (s.Method is ImitationMethod.Trirl or ImitationMethod.Gail)
        {
            disc = new Discriminator(featureSize, s.Discriminator, RunStreams.For(seed, RunStreams.Init, ImitationStreams.InitDiscriminator));
            if (!(s.Method == ImitationMethod.Trirl && s.RewardModel == RewardModelKind.Recursive))
                buffer = new DiscriminatorBuffer(s.BufferSize, featureSize + 1, s.Discriminator, device);
            if (s.Method == ImitationMethod.Trirl && s.RewardModel != RewardModelKind.Buffer)
                rewardNet = new Mlp("reward", featureSize + 1, s.RewardNetwork, 1, 0.0, RunStreams.For(seed, RunStreams.Init, ImitationStreams.InitReward));
        }
        else if (s.Method == ImitationMethod.Airl)
        {
            airl = new AirlDiscriminator(obsDim, s.Discriminator, s.Ppo.Gamma, RunStreams.For(seed, RunStreams.Init, ImitationStreams.InitDiscriminator));
        }
        if (resume is not null)
        {
            resume.ExpectTag("imitation-nets");
            if (disc is not null) resume.ReadModule("discriminator", disc);
            if (airl is not null) resume.ReadModule("airl", airl);
            if (rewardNet is not null) resume.ReadModule("reward", rewardNet);
        }
        nn.Module? d = (nn.Module?)disc ?? airl;
        d?.to(device);
        rewardNet?.to(device);
        // TorchSharp's Adam with its Scalars kept alive (KeptScalars): the same numbers and checkpoints.
        if (d is not null) discOpt = new KeptScalars.Adam(d.parameters(), lr: s.DiscLearningRate);
        if (rewardNet is not null) rewardOpt = new KeptScalars.Adam(rewardNet.parameters(), lr: s.RewardLearningRate);
        if (resume is not null)
        {
            if (discOpt is not null) resume.ReadOptimizer("discriminator-adam", discOpt);
            if (rewardOpt is not null) resume.ReadOptimizer("reward-adam", rewardOpt);
            buffer?.Load(resume);
        }
    }

    public override ContinuousEnv Env => env;
    public override ImmutableArray<string> Columns => ColumnNames;
    public override ImmutableArray<string> PhaseColumns => Phases;
    public override long EnvSteps => s.Method == ImitationMethod.Bc ? cloningSteps : ppo.EnvSteps;
    public override IContinuousPolicy EvaluationPolicy => ppo.EvaluationPolicy;
    public override PolicyFile ExportPolicy() => ppo.ExportPolicy();

    /// <summary>The demonstrations the run imitates.</summary>
    public TransitionDataset Demos => demos;

    public override LearnerInterval Advance()
    {
        if (s.Method == ImitationMethod.Bc) return Clone();
        Array.Fill(stats, double.NaN);
        discSeconds = rewardSeconds = fitSeconds = 0;
        var interval = ppo.Advance();
        iteration++;
        // The hook ran inside PPO's phases: relabelling in its rollout, the recursive fit in its update.
        double acting = interval.RolloutSeconds - discSeconds - rewardSeconds;
        double policy = interval.UpdateSeconds - fitSeconds;
        rewardSeconds += fitSeconds;
        var values = new double[ColumnNames.Length];
        stats.CopyTo(values, 0);
        interval.Values.CopyTo(values, OwnColumns.Length);
        return new LearnerInterval(values, interval.EpisodeReturns, acting, discSeconds + rewardSeconds + policy)
        {
            Phases = [acting, discSeconds, rewardSeconds, policy],
        };
    }

    // ------------------------------------------------------------------ the hook: relabel, eta, after the update

    void IPpoHook.Relabel(PpoRollout rollout)
    {
        var watch = Stopwatch.StartNew();
        var batch = rollout.Transitions;
        var pair = expert.Gather(ExpertIndices(batch.Count));
        if (airl is not null)
        {
            var expertLogp = LogProb(pair.Obs, pair.Acts, pair.Count);
            TrainAirl(batch, rollout.LogProbs, pair, expertLogp);
            discSeconds = watch.Elapsed.TotalSeconds;
            watch.Restart();
            var logits = AirlLogits(batch, rollout.LogProbs);
            for (int i = 0; i < logits.Length; i++) rollout.Rewards[i] = logits[i];
            Moments(logits, batch.Count);
            rewardSeconds = watch.Elapsed.TotalSeconds;
            return;
        }

        var absorbing = s.AbsorbingStates ? TransitionFeatures.TerminatedRows(batch) : [];
        var policyInputs = TransitionFeatures.Inputs(s.Features, scaling, batch, low, high, absorbing);
        var expertInputs = TransitionFeatures.Inputs(s.Features, scaling, pair, low, high, []);
        TrainDiscriminator(policyInputs, expertInputs, batch.Count);
        buffer?.Push(disc!.Network);
        discSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();

        int rows = batch.Count + absorbing.Length;
        double[] values;
        using (NewDisposeScope())
        {
            var x = tensor(policyInputs, [rows, featureSize + 1], device: device);
            switch (s.RewardModel)
            {
                case RewardModelKind.Compressed when s.Method == ImitationMethod.Trirl:
                    var targets = buffer!.Evaluate(x, buffer.Weights(s.Eps, s.Corrects));
                    stats[7] = FitReward(x, targets);
                    values = Predict(rewardNet!, x);
                    break;
                case RewardModelKind.Recursive when s.Method == ImitationMethod.Trirl:
                    // The proposal U_eps(r_i) = (1 - eps) r_i + eps D_i (the newest's eta is 0 until its step is taken). Both
                    // networks are evaluated once, on the rollout and the expert rows the next reward is fitted on.
                    fitRows = [.. policyInputs, .. expertInputs];
                    var all = tensor(fitRows, [fitRows.Length / (featureSize + 1), featureSize + 1], device: device);
                    fitPrevious = Predict(rewardNet!, all);
                    fitLatest = Predict(disc!.Network, all);
                    values = new double[rows];
                    for (int i = 0; i < rows; i++) values[i] = (1 - s.Eps) * fitPrevious[i] + s.Eps * fitLatest[i];
                    break;
                default:
                    values = buffer!.Evaluate(x, buffer.Weights(s.Eps, s.Corrects));
                    break;
            }
        }
        var td = AbsorbingStates.TdRewards(values[..batch.Count], batch.Terminated, s.AbsorbingStates ? values[batch.Count..] : [],
            s.Ppo.Gamma, s.Alpha, terminalEntropy);
        td.CopyTo(rollout.Rewards, 0);
        Moments(values, batch.Count);
        stats[8] = buffer?.Count ?? double.NaN;
        rewardSeconds = watch.Elapsed.TotalSeconds;
    }

    double IPpoHook.Eta(long envSteps)
    {
        eta = s.EtaSchedule.At(envSteps - s.Ppo.BatchSize, eta);
        return eta;
    }

    void IPpoHook.Updated(double used, double meanKl)
    {
        var watch = Stopwatch.StartNew();
        stats[0] = s.Corrects ? CorrectedWeights.EpsTr(s.Eps, used) : s.Eps;
        stats[4] = meanKl;
        if (s.Corrects && buffer is not null) buffer.RecordEta(used);
        eta = s.EtaSchedule.Adapt(used, meanKl);
        if (s.Method == ImitationMethod.Trirl && s.RewardModel == RewardModelKind.Recursive)
        {
            // r_{i+1} = (1 - eps_tr) r_i + eps_tr D_i with this step's eta, regressed on the rollout and the expert rows.
            double epsTr = CorrectedWeights.EpsTr(s.Eps, used);
            using var scope = NewDisposeScope();
            int rows = fitRows.Length / (featureSize + 1);
            var x = tensor(fitRows, [rows, featureSize + 1], device: device);
            var target = new double[rows];
            for (int i = 0; i < rows; i++) target[i] = (1 - epsTr) * fitPrevious[i] + epsTr * fitLatest[i];
            stats[7] = FitReward(x, target);
            fitRows = [];
            fitPrevious = fitLatest = [];
        }
        fitSeconds = watch.Elapsed.TotalSeconds;
    }

    // ------------------------------------------------------------------ discriminators

    /// <summary>As many expert rows as the rollout has: a seeded permutation of the demonstrations, repeated as needed.</summary>
    private int[] ExpertIndices(int count)
    {
        var rng = RunStreams.For(seed, ImitationStreams.Expert, iteration);
        var perm = new long[expert.Count];
        PpoLearner.Shuffle(perm, rng);
        var idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = (int)perm[i % perm.Length];
        return idx;
    }

    // The losses' Scalars are explicit and kept alive across the torch calls (KeptScalars): bce + lambda * penalty is
    // bce.Plus(penalty.mul(lambda)), lambda a double, as the implicit conversions made it; t.square() is t.Squared().
    private void TrainDiscriminator(float[] policyInputs, float[] expertInputs, int count)
    {
        int width = featureSize + 1;
        using var scope = NewDisposeScope();
        var pin = tensor(policyInputs.AsSpan(0, count * width).ToArray(), [count, width], device: device);
        var ein = tensor(expertInputs, [count, width], device: device);
        TrainLogistic(disc!, count, idx =>
        {
            var p = pin.index_select(0, idx);
            var e = ein.index_select(0, idx);
            var le = disc!.forward(e);
            var lp = disc.forward(p);
            var penalty = s.GpLambda > 0 ? DiscriminatorLoss.GradientPenalty(disc.forward, e, p, s.GpAlpha, featureSize) : zeros(1, device: device).sum();
            return (le, lp, penalty);
        });
    }

    private (Tensor S, Tensor Next, Tensor Term) AirlInputs(TransitionBatch b)
    {
        var states = TransitionFeatures.States(scaling, b.Obs, b.Count, obsDim);
        var next = TransitionFeatures.States(scaling, b.NextObs, b.Count, obsDim);
        var term = b.Terminated.Select(t => t && s.AbsorbingStates ? 1f : 0f).ToArray();
        return (tensor(states, [b.Count, obsDim], device: device), tensor(next, [b.Count, obsDim], device: device), tensor(term, [b.Count], device: device));
    }

    private void TrainAirl(TransitionBatch batch, float[] policyLogp, TransitionBatch pair, float[] expertLogp)
    {
        int count = batch.Count, m = s.DiscMinibatchSize;
        using var scope = NewDisposeScope();
        var (ps, pn, pt) = AirlInputs(batch);
        var (es, en, et) = AirlInputs(pair);
        var plp = tensor(policyLogp, [count], device: device);
        var elp = tensor(expertLogp, [count], device: device);
        TrainLogistic(airl!, count, idx =>
        {
            Tensor Pick(Tensor t) => t.index_select(0, idx);
            var lp = airl!.forward(Pick(ps), Pick(pn), Pick(pt)) - Pick(plp);
            var le = airl.forward(Pick(es), Pick(en), Pick(et)) - Pick(elp);
            var penalty = zeros(1, device: device).sum();
            if (s.GpLambda > 0)
            {
                var ex = cat([Pick(es), Pick(en)], 1);
                var px = cat([Pick(ps), Pick(pn)], 1);
                var zero = zeros(m, device: device);
                penalty = DiscriminatorLoss.GradientPenalty(x => airl.forward(x.narrow(1, 0, obsDim), x.narrow(1, obsDim, obsDim), zero), ex, px, s.GpAlpha, 2 * obsDim);
            }
            return (le, lp, penalty);
        });
    }

    /// <summary>
    /// Logistic regression of <paramref name="model"/> (expert = 1, policy = 0) plus <c>gp_lambda</c> times the gradient
    /// penalty: epochs of seeded minibatch permutations of <paramref name="count"/> paired rows; <paramref name="logits"/>
    /// gives a minibatch's expert and policy logits and penalty from its row indices. Records the mean loss, penalty and
    /// the last epoch's accuracy.
    /// </summary>
    private void TrainLogistic(nn.Module model, int count, Func<Tensor, (Tensor Expert, Tensor Policy, Tensor Penalty)> logits)
    {
        int m = s.DiscMinibatchSize, minibatches = count / m;
        using var gpLambda = s.GpLambda.ToScalar();
        double loss = 0, gp = 0;
        long right = 0, seen = 0;
        int steps = 0;
        var perm = new long[count];
        for (int epoch = 0; epoch < s.DiscEpochs; epoch++)
        {
            PpoLearner.Shuffle(perm, RunStreams.For(seed, ImitationStreams.Discriminator, iteration * s.DiscEpochs + epoch));
            for (int mb = 0; mb < minibatches; mb++)
            {
                using var scope = NewDisposeScope();
                var idx = tensor(perm.AsSpan(mb * m, m).ToArray(), [m], device: device);
                var (le, lp, penalty) = logits(idx);
                var bce = DiscriminatorLoss.Logistic(le, lp);
                var total = bce.Plus(penalty.mul(gpLambda));
                discOpt!.zero_grad();
                total.backward();
                nn.utils.clip_grad_norm_(model.parameters(), s.Ppo.MaxGradNorm);
                discOpt.step();
                var v = stack([bce.detach(), penalty.detach()]).cpu().data<float>().ToArray();
                loss += v[0];
                gp += v[1];
                steps++;
                if (epoch == s.DiscEpochs - 1)
                {
                    right += (long)Math.Round(DiscriminatorLoss.Accuracy(le.detach(), lp.detach()) * 2 * m);
                    seen += 2 * m;
                }
            }
        }
        stats[2] = seen > 0 ? (double)right / seen : double.NaN;
        stats[1] = steps > 0 ? loss / steps : double.NaN;
        stats[3] = steps > 0 ? gp / steps : double.NaN;
    }

    /// <summary>AIRL's logits <c>f(s, s') - log pi(a|s)</c> of the rollout (the policy's reward).</summary>
    private double[] AirlLogits(TransitionBatch batch, float[] logp)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var (st, nx, tm) = AirlInputs(batch);
        var f = airl!.forward(st, nx, tm) - tensor(logp, [batch.Count], device: device);
        return f.to(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    /// <summary><c>log pi(a|s)</c> of the current (rollout) policy.</summary>
    private float[] LogProb(float[] obs, float[] acts, int count)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var policy = ppo.Policy;
        var mean = policy.forward(tensor(obs, [count, obsDim], device: device));
        return DiagonalGaussian.LogProb(tensor(acts, [count, actDim], device: device), mean, policy.LogStd).cpu().data<float>().ToArray();
    }

    private static double[] Predict(Mlp net, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        return net.forward(x).squeeze(-1).to(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    /// <summary>Regresses the reward network on <paramref name="targets"/> (mean squared error); returns the last epoch's mean loss.</summary>
    private double FitReward(Tensor x, double[] targets)
    {
        int rows = targets.Length, m = Math.Min(s.RewardMinibatchSize, rows), minibatches = rows / m;
        var y = tensor(targets.Select(t => (float)t).ToArray(), [rows], device: device);
        var perm = new long[rows];
        double last = double.NaN;
        for (int epoch = 0; epoch < s.RewardEpochs; epoch++)
        {
            PpoLearner.Shuffle(perm, RunStreams.For(seed, ImitationStreams.Reward, fits * s.RewardEpochs + epoch));
            double sum = 0;
            for (int mb = 0; mb < minibatches; mb++)
            {
                using var scope = NewDisposeScope();
                var idx = tensor(perm.AsSpan(mb * m, m).ToArray(), [m], device: device);
                var loss = (rewardNet!.forward(x.index_select(0, idx)).squeeze(-1) - y.index_select(0, idx)).Squared().mean();
                rewardOpt!.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(rewardNet.parameters(), s.Ppo.MaxGradNorm);
                rewardOpt.step();
                sum += loss.detach().cpu().item<float>();
            }
            last = minibatches > 0 ? sum / minibatches : double.NaN;
        }
        fits++;
        return last;
    }

    private void Moments(double[] values, int count)
    {
        double mean = 0;
        for (int i = 0; i < count; i++) mean += values[i];
        mean /= count;
        double v = 0;
        for (int i = 0; i < count; i++) v += (values[i] - mean) * (values[i] - mean);
        stats[5] = mean;
        stats[6] = Math.Sqrt(v / count);
    }

    // ------------------------------------------------------------------ behaviour cloning

    private LearnerInterval Clone()
    {
        var watch = Stopwatch.StartNew();
        var p = s.Ppo;
        int m = p.MinibatchSize, steps = p.Epochs * (p.BatchSize / m);
        var policy = ppo.Policy;
        var opt = ppo.PolicyOptimizer;
        double sum = 0;
        using (NewDisposeScope())
        {
            var obs = tensor(expert.Obs, [expert.Count, obsDim], device: device);
            var acts = tensor(expert.Acts, [expert.Count, actDim], device: device);
            var idxBuf = new long[m];
            for (int k = 0; k < steps; k++)
            {
                using var scope = NewDisposeScope();
                var rng = RunStreams.For(seed, ImitationStreams.Cloning, cloningSteps / p.BatchSize * steps + k);
                for (int i = 0; i < m; i++) idxBuf[i] = rng.NextInt(expert.Count);
                var idx = tensor(idxBuf, [m], device: device);
                var loss = -DiagonalGaussian.LogProb(acts.index_select(0, idx), policy.forward(obs.index_select(0, idx)), policy.LogStd).mean();
                opt.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(policy.parameters(), p.MaxGradNorm);
                opt.step();
                sum += loss.detach().cpu().item<float>();
            }
        }
        cloningSteps += p.BatchSize;
        iteration++;
        double actionStd;
        using (NewDisposeScope())
        using (no_grad())
            actionStd = policy.LogStd.exp().mean().cpu().item<float>();
        var values = Enumerable.Repeat(double.NaN, ColumnNames.Length).ToArray();
        values[OwnColumns.Length + PpoLearner.ColumnNames.IndexOf("policy_loss")] = sum / steps;
        values[OwnColumns.Length + PpoLearner.ColumnNames.IndexOf("action_std")] = actionStd;
        double seconds = watch.Elapsed.TotalSeconds;
        return new LearnerInterval(values, [], 0, seconds) { Phases = [0, 0, 0, seconds] };
    }

    /// <summary>
    /// Fills the buffer to one below its capacity with copies of the current discriminator, each recorded with
    /// <paramref name="eta"/> (benchmarks: the next iteration then evaluates a full buffer of <c>K</c> networks).
    /// </summary>
    internal void FillBuffer(double eta)
    {
        if (buffer is null || disc is null) return;
        while (buffer.Count < buffer.Capacity - 1)
        {
            buffer.Push(disc.Network);
            if (s.Corrects) buffer.RecordEta(eta);
        }
    }

    // ------------------------------------------------------------------ the learned reward

    /// <summary>The reward learned so far (trirl, gail, airl); behaviour cloning learns none.</summary>
    public NeuralReward ExportReward()
    {
        string method = ImitationMethods.Name(s.Method);
        if (s.Method == ImitationMethod.Bc)
            throw new TrirlInputException("--algo", "bc learns no reward", "retrain the reward of a trirl, gail or airl run");
        if (airl is not null)
        {
            var g = new DiscriminatorBuffer(1, obsDim, s.Discriminator, CPU);
            using (var copy = CopyOf(airl.Reward, obsDim, s.Discriminator)) g.Push(copy);
            return new NeuralReward(env.Name, method, "g", RewardInput.State, s.Features, scaling, env.Spec, s.Ppo.Gamma, s.Alpha, s.AbsorbingStates, g, [1.0]);
        }
        if (rewardNet is not null)
        {
            var one = new DiscriminatorBuffer(1, featureSize + 1, s.RewardNetwork, CPU);
            using (var copy = CopyOf(rewardNet, featureSize + 1, s.RewardNetwork)) one.Push(copy);
            return new NeuralReward(env.Name, method, RewardModels.Name(s.RewardModel), RewardInput.Transition, s.Features, scaling, env.Spec,
                s.Ppo.Gamma, s.Alpha, s.AbsorbingStates, one, [1.0]);
        }
        var b = buffer!;
        if (b.Count == 0) throw new TrirlInputException("run", "has not trained a discriminator yet", "train at least one iteration");
        var all = new DiscriminatorBuffer(b.Count, featureSize + 1, s.Discriminator, CPU);
        for (int a = 0; a < b.Count; a++)
        {
            // The scope holds the temporary views Network copies from while libtorch reads them (a tensor nothing
            // references can be finalized by a collection on another thread mid-call, as KeptScalars describes for Scalars).
            using var scope = NewDisposeScope();
            using var net = b.Network(a);
            all.Push(net);
        }
        string model = s.Method == ImitationMethod.Gail ? "discriminator" : RewardModels.Name(s.RewardModel);
        return new NeuralReward(env.Name, method, model, RewardInput.Transition, s.Features, scaling, env.Spec, s.Ppo.Gamma, s.Alpha, s.AbsorbingStates,
            all, b.Weights(s.Eps, s.Corrects));
    }

    private static Mlp CopyOf(Mlp source, int input, MlpSpec spec)
    {
        var copy = new Mlp("net", input, spec, 1, 1.0, new Rng(0));
        using var grad = no_grad();
        using var scope = NewDisposeScope(); // holds each from.cpu() while copy_ reads it (see ExportReward)
        foreach (var (to, from) in copy.parameters().Zip(source.parameters())) to.copy_(from.cpu());
        return copy;
    }

    // ------------------------------------------------------------------ checkpoint

    public override void Save(BinaryWriter w)
    {
        w.Tag("imitation");
        w.Write(iteration);
        w.Write(cloningSteps);
        w.Write(fits);
        w.Write(eta);
        var bytes = demos.ToBytes();
        w.Write(bytes.Length);
        w.Write(bytes);
        ppo.Save(w);
        w.Tag("imitation-nets");
        if (disc is not null) w.WriteModule("discriminator", disc);
        if (airl is not null) w.WriteModule("airl", airl);
        if (rewardNet is not null) w.WriteModule("reward", rewardNet);
        if (discOpt is not null) w.WriteOptimizer("discriminator-adam", discOpt);
        if (rewardOpt is not null) w.WriteOptimizer("reward-adam", rewardOpt);
        buffer?.Save(w);
    }

    public override void Dispose()
    {
        discOpt?.Dispose();
        rewardOpt?.Dispose();
        disc?.Dispose();
        airl?.Dispose();
        rewardNet?.Dispose();
        buffer?.Dispose();
        ppo.Dispose();
    }
}
