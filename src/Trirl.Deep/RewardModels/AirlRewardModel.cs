using System.Diagnostics;
using TorchSharp.Modules;

namespace Trirl.Deep;

/// <summary>
/// AIRL's reward/shaping discriminator <c>f(s, s') = g(s) + gamma h(s') - h(s)</c>, trained as a logistic regression on
/// <c>f - log pi(a|s)</c>; the policy step optimises the rollout's logits <c>f - log pi</c> (no absorbing tail), and the
/// learned reward is <c>g</c> (<c>eps = 1</c>, no buffer, no correction).
/// </summary>
internal sealed class AirlRewardModel : RewardModel
{
    private readonly AirlDiscriminator airl;
    private readonly AirlNetwork trained;

    public AirlRewardModel(ImitationState state)
    {
        airl = new AirlDiscriminator(state.ObsDim, state.Settings.Discriminator, state.Settings.Ppo.Gamma,
            RunStreams.For(state.Seed, RunStreams.Init, ImitationStreams.InitDiscriminator));
        trained = new AirlNetwork(airl, state.Settings.DiscLearningRate);
    }

    public override string Name => "g";

    protected override IReadOnlyList<TrainedNetwork> Networks => [trained];

    /// <summary>The AIRL discriminator as a trained network (its optimiser saved as the discriminator's).</summary>
    private sealed class AirlNetwork(AirlDiscriminator airl, double learningRate) : TrainedNetwork(airl, "airl", "discriminator-adam", learningRate)
    {
        public Adam Adam => Optimizer;
    }

    public override DiscriminatorFit Fit(ImitationState state, PpoRollout rollout)
    {
        var watch = Stopwatch.StartNew();
        var s = state.Settings;
        var batch = rollout.Transitions;
        var pair = state.ExpertPair(batch.Count);
        var expertLogp = LogProb(state, pair.Obs, pair.Acts, pair.Count);
        int count = batch.Count, m = s.DiscMinibatchSize, obsDim = state.ObsDim;
        DiscriminatorFit fit;
        using (NewDisposeScope())
        {
            var (ps, pn, pt) = Inputs(state, batch);
            var (es, en, et) = Inputs(state, pair);
            var plp = tensor(rollout.LogProbs, [count], device: state.Device);
            var elp = tensor(expertLogp, [count], device: state.Device);
            fit = LogisticFit.Train(state, airl, trained.Adam, count, idx =>
            {
                Tensor Pick(Tensor t) => t.index_select(0, idx);
                var lp = airl.forward(Pick(ps), Pick(pn), Pick(pt)) - Pick(plp);
                var le = airl.forward(Pick(es), Pick(en), Pick(et)) - Pick(elp);
                var penalty = zeros(1, device: state.Device).sum();
                if (s.GpLambda > 0)
                {
                    var ex = cat([Pick(es), Pick(en)], 1);
                    var px = cat([Pick(ps), Pick(pn)], 1);
                    var zero = zeros(m, device: state.Device);
                    penalty = DiscriminatorLoss.GradientPenalty(x => airl.forward(x.narrow(1, 0, obsDim), x.narrow(1, obsDim, obsDim), zero), ex, px,
                        s.GpAlpha, 2 * obsDim);
                }
                return (le, lp, penalty);
            });
        }
        return fit with { Seconds = watch.Elapsed.TotalSeconds };
    }

    public override RewardProposal Propose(ImitationState state, PpoRollout rollout, DiscriminatorFit fit)
    {
        var watch = Stopwatch.StartNew();
        var batch = rollout.Transitions;
        double[] logits;
        using (NewDisposeScope())
        using (no_grad())
        {
            var (st, nx, tm) = Inputs(state, batch);
            var f = airl.forward(st, nx, tm) - tensor(rollout.LogProbs, [batch.Count], device: state.Device);
            logits = f.to(ScalarType.Float64).cpu().data<double>().ToArray();
        }
        var (mean, std) = Moments(logits, batch.Count);
        return new RewardProposal([.. logits], [.. logits], mean, std, double.NaN, double.NaN, watch.Elapsed.TotalSeconds);
    }

    public override Correction Correct(ImitationState state, RewardProposal proposal, double epsTr, double eta) =>
        new(epsTr, [], double.NaN, state.Eta, 0);

    public override NeuralReward Export(ImitationState state)
    {
        var s = state.Settings;
        var g = new DiscriminatorBuffer(1, state.ObsDim, s.Discriminator, CPU);
        using (var copy = RewardRegression.CopyOf(airl.Reward, state.ObsDim, s.Discriminator)) g.Push(copy);
        return new NeuralReward(state.Env.Name, s.Algo, Name, RewardInput.State, s.Features, state.Scaling, state.Env.Spec, s.Ppo.Gamma, s.Alpha,
            s.AbsorbingStates, g, [1.0]);
    }

    /// <summary>Scaled states, next states and the absorbing flags of a batch as tensors.</summary>
    private static (Tensor S, Tensor Next, Tensor Term) Inputs(ImitationState state, TransitionBatch b)
    {
        int obsDim = state.ObsDim;
        var states = TransitionFeatures.States(state.Scaling, b.Obs, b.Count, obsDim);
        var next = TransitionFeatures.States(state.Scaling, b.NextObs, b.Count, obsDim);
        var term = b.Terminated.Select(t => t && state.Settings.AbsorbingStates ? 1f : 0f).ToArray();
        return (tensor(states, [b.Count, obsDim], device: state.Device), tensor(next, [b.Count, obsDim], device: state.Device),
            tensor(term, [b.Count], device: state.Device));
    }

    /// <summary><c>log pi(a|s)</c> of the current (rollout) policy.</summary>
    private static float[] LogProb(ImitationState state, float[] obs, float[] acts, int count)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var policy = state.Ppo.Policy;
        var mean = policy.forward(tensor(obs, [count, state.ObsDim], device: state.Device));
        return DiagonalGaussian.LogProb(tensor(acts, [count, state.ActDim], device: state.Device), mean, policy.LogStd).cpu().data<float>().ToArray();
    }
}
