using TorchSharp.Modules;

namespace Trirl.Deep;

/// <summary>
/// A reward network of the compressed and recursive models with its optimiser: mean-squared-error regression on
/// targets. The run's reward network (<see cref="RewardRegression(ImitationState)"/>) shuffles from stream
/// <c>(Reward, fits * epochs + epoch)</c>, the state's fit counter; the recursive model's average of the reward
/// iterates (<see cref="Average"/>) has its own initialisation, checkpoint tags and stream
/// <c>(AverageReward, iteration * epochs + epoch)</c>, so a run that keeps one trains its reward network as before.
/// </summary>
/// <param name="state">The run, whose settings give the learning rate.</param>
/// <param name="network">The regressed network.</param>
/// <param name="tag">The network's checkpoint tag (its optimiser's is <c>tag-adam</c>).</param>
/// <param name="shuffles">The minibatch shuffle stream.</param>
/// <param name="counter">The counter of the shuffle stream: the state's fit counter or its iteration.</param>
/// <param name="advancesFits">Whether a fit advances the state's fit counter (the run's reward network only, so that
/// keeping an average leaves the counter, and with it every other stream, as it was).</param>
internal sealed class RewardRegression(ImitationState state, Mlp network, string tag, long shuffles,
    Func<ImitationState, long> counter, bool advancesFits)
    : TrainedNetwork(network, tag, tag + "-adam", state.Settings.RewardLearningRate)
{
    public RewardRegression(ImitationState state)
        : this(state, NewNetwork(state, ImitationStreams.InitReward), "reward", ImitationStreams.Reward, s => s.Fits, advancesFits: true)
    {
    }

    /// <summary>The network of the average of the reward iterates (<see cref="ImitationSettings.AverageReward"/>).</summary>
    public static RewardRegression Average(ImitationState state) =>
        new(state, NewNetwork(state, ImitationStreams.InitAverageReward), "reward-average", ImitationStreams.AverageReward,
            s => s.Iteration, advancesFits: false);

    private static Mlp NewNetwork(ImitationState state, long init) =>
        new("reward", state.FeatureSize + 1, state.Settings.RewardNetwork, 1, 0.0, RunStreams.For(state.Seed, RunStreams.Init, init));

    public Mlp Network { get; } = network;

    /// <summary>Regresses the network on <paramref name="targets"/>; returns the last epoch's mean loss.</summary>
    public double Fit(ImitationState state, Tensor x, double[] targets)
    {
        double loss = Fit(state, x, targets, counter(state));
        if (advancesFits) state.Fits++;
        return loss;
    }

    private double Fit(ImitationState state, Tensor x, double[] targets, long counter)
    {
        var s = state.Settings;
        int rows = targets.Length, m = Math.Min(s.RewardMinibatchSize, rows), minibatches = rows / m;
        var y = tensor(targets.Select(t => (float)t).ToArray(), [rows], device: state.Device);
        var perm = new long[rows];
        double last = double.NaN;
        for (int epoch = 0; epoch < s.RewardEpochs; epoch++)
        {
            LearnerMath.Shuffle(perm, RunStreams.For(state.Seed, shuffles, counter * s.RewardEpochs + epoch));
            double sum = 0;
            for (int mb = 0; mb < minibatches; mb++)
            {
                using var scope = NewDisposeScope();
                var idx = tensor(perm.AsSpan(mb * m, m).ToArray(), [m], device: state.Device);
                var loss = (Network.forward(x.index_select(0, idx)).squeeze(-1) - y.index_select(0, idx)).Squared().mean();
                Optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(Network.parameters(), s.Ppo.MaxGradNorm);
                Optimizer.step();
                sum += loss.detach().cpu().item<float>();
            }
            last = minibatches > 0 ? sum / minibatches : double.NaN;
        }
        return last;
    }

    /// <summary>The outputs of <paramref name="net"/> on <paramref name="x"/> as doubles.</summary>
    public static double[] Predict(Mlp net, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        return net.forward(x).squeeze(-1).to(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    /// <summary>A CPU copy of <paramref name="source"/> (for an exported reward).</summary>
    public static Mlp CopyOf(Mlp source, int input, MlpSpec spec)
    {
        var copy = new Mlp("net", input, spec, 1, 1.0, new Rng(0));
        using var grad = no_grad();
        using var scope = NewDisposeScope(); // holds each from.cpu() while copy_ reads it (see BufferRewardModel.Export)
        foreach (var (to, from) in copy.parameters().Zip(source.parameters())) to.copy_(from.cpu());
        return copy;
    }

    /// <summary>The network as a one-network reward of <paramref name="state"/>'s task, named <paramref name="model"/>.</summary>
    public NeuralReward Export(ImitationState state, string model)
    {
        var s = state.Settings;
        var one = new DiscriminatorBuffer(1, state.FeatureSize + 1, s.RewardNetwork, CPU);
        using (var copy = CopyOf(Network, state.FeatureSize + 1, s.RewardNetwork)) one.Push(copy);
        return new NeuralReward(state.Env.Name, s.Algo, model, RewardInput.Transition, s.Features, state.Scaling, state.Env.Spec,
            s.Ppo.Gamma, s.Alpha, s.AbsorbingStates, one, [1.0]);
    }
}
