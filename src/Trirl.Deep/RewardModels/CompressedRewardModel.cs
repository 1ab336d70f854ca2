using System.Diagnostics;

namespace Trirl.Deep;

/// <summary>
/// trirl's <c>compressed</c> model (the reference's approximator): the buffer of the last <c>K</c> discriminators with
/// the corrected weights, and one reward network regressed each iteration on the buffer's output; the policy step
/// optimises the network's reward.
/// </summary>
internal sealed class CompressedRewardModel : RewardModel
{
    private readonly FeatureDiscriminator disc;
    private readonly DiscriminatorBuffer buffer;
    private readonly RewardRegression reward;

    public CompressedRewardModel(ImitationState state)
    {
        disc = new FeatureDiscriminator(state);
        buffer = new DiscriminatorBuffer(state.Settings.BufferSize, state.FeatureSize + 1, state.Settings.Discriminator, state.Device);
        reward = new RewardRegression(state);
    }

    public override string Name => "compressed";

    public override DiscriminatorFit Fit(ImitationState state, PpoRollout rollout) => disc.Fit(state, rollout);

    public override RewardProposal Propose(ImitationState state, PpoRollout rollout, DiscriminatorFit fit)
    {
        var watch = Stopwatch.StartNew();
        buffer.Push(disc.Network);
        double[] values;
        double loss;
        using (NewDisposeScope())
        {
            var x = tensor(fit.PolicyRows, [fit.PolicyRows.Length / fit.Width, fit.Width], device: state.Device);
            var targets = buffer.Evaluate(x, buffer.Weights(state.Settings.Eps, state.Settings.Corrects));
            loss = reward.Fit(state, x, targets);
            values = RewardRegression.Predict(reward.Network, x);
        }
        return Proposal(state, rollout, values, loss, buffer.Count, watch.Elapsed.TotalSeconds);
    }

    public override Correction Correct(ImitationState state, RewardProposal proposal, double epsTr, double eta)
    {
        var s = state.Settings;
        if (s.Corrects) buffer.RecordEta(eta);
        return new Correction(epsTr, buffer.Weights(s.Eps, s.Corrects), double.NaN, state.Eta, 0);
    }

    public override NeuralReward Export(ImitationState state) => reward.Export(state, Name);

    public override void FillBuffer(ImitationState state, double eta) => BufferRewardModel.Fill(state, buffer, disc, eta);

    protected override IReadOnlyList<TrainedNetwork> Networks => [disc, reward];
    protected override DiscriminatorBuffer Buffer => buffer;
    protected override PolicyHistory? History => disc.History;
}
