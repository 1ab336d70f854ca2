using System.Diagnostics;

namespace Trirl.Deep;

/// <summary>
/// The buffer of the last <c>K</c> discriminators, evaluated exactly: <c>r = sum_k w_k D_k</c> with the corrected
/// weights (<see cref="CorrectedWeights"/>; trirl's <c>buffer</c>), or gail's single discriminator (<c>K = 1</c>,
/// <c>eps = 1</c>, no correction).
/// </summary>
internal sealed class BufferRewardModel : RewardModel
{
    private readonly FeatureDiscriminator disc;
    private readonly DiscriminatorBuffer buffer;

    public BufferRewardModel(ImitationState state)
    {
        disc = new FeatureDiscriminator(state);
        buffer = new DiscriminatorBuffer(state.Settings.BufferSize, state.FeatureSize + 1, state.Settings.Discriminator, state.Device);
        Name = state.Settings.Method == ImitationMethod.Gail ? "discriminator" : EnumNames.Name(state.Settings.RewardModel);
    }

    public override string Name { get; }

    public override DiscriminatorFit Fit(ImitationState state, PpoRollout rollout) => disc.Fit(state, rollout);

    public override RewardProposal Propose(ImitationState state, PpoRollout rollout, DiscriminatorFit fit)
    {
        var watch = Stopwatch.StartNew();
        buffer.Push(disc.Network);
        double[] values;
        using (NewDisposeScope())
        {
            var x = tensor(fit.PolicyRows, [fit.PolicyRows.Length / fit.Width, fit.Width], device: state.Device);
            values = buffer.Evaluate(x, buffer.Weights(state.Settings.Eps, state.Settings.Corrects));
        }
        return Proposal(state, rollout, values, double.NaN, buffer.Count, watch.Elapsed.TotalSeconds);
    }

    public override Correction Correct(ImitationState state, RewardProposal proposal, double epsTr, double eta)
    {
        var s = state.Settings;
        if (s.Corrects) buffer.RecordEta(eta);
        return new Correction(epsTr, buffer.Weights(s.Eps, s.Corrects), double.NaN, state.Eta, 0);
    }

    public override NeuralReward Export(ImitationState state) => Export(state, buffer, Name);

    /// <summary>Every network of <paramref name="buffer"/> with its weights, as a reward named <paramref name="model"/>.</summary>
    internal static NeuralReward Export(ImitationState state, DiscriminatorBuffer buffer, string model)
    {
        var s = state.Settings;
        if (buffer.Count == 0) throw new Trirl.Functional.TrirlInputException("run", "has not trained a discriminator yet", "train at least one iteration");
        var all = new DiscriminatorBuffer(buffer.Count, state.FeatureSize + 1, s.Discriminator, CPU);
        for (int a = 0; a < buffer.Count; a++)
        {
            // The scope holds the temporary views Network copies from while libtorch reads them (a tensor nothing
            // references can be finalized by a collection on another thread mid-call, as KeptScalars describes for Scalars).
            using var scope = NewDisposeScope();
            using var net = buffer.Network(a);
            all.Push(net);
        }
        return new NeuralReward(state.Env.Name, s.Algo, model, RewardInput.Transition, s.Features, state.Scaling, state.Env.Spec, s.Ppo.Gamma, s.Alpha,
            s.AbsorbingStates, all, buffer.Weights(s.Eps, s.Corrects));
    }

    /// <summary>Fills <paramref name="buffer"/> to one below its capacity with copies of <paramref name="disc"/>'s network.</summary>
    internal static void Fill(ImitationState state, DiscriminatorBuffer buffer, FeatureDiscriminator disc, double eta)
    {
        while (buffer.Count < buffer.Capacity - 1)
        {
            buffer.Push(disc.Network);
            if (state.Settings.Corrects) buffer.RecordEta(eta);
        }
    }

    public override void FillBuffer(ImitationState state, double eta) => Fill(state, buffer, disc, eta);

    protected override IReadOnlyList<TrainedNetwork> Networks => [disc];
    protected override DiscriminatorBuffer Buffer => buffer;
    protected override PolicyHistory? History => disc.History;
}
