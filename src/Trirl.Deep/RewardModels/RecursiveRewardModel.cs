using System.Diagnostics;

namespace Trirl.Deep;

/// <summary>
/// trirl's <c>recursive</c> model: one reward network, no buffer. The proposal is <c>(1 - eps) r_i + eps D_i</c> with
/// both networks evaluated once on the rollout and the expert rows; the correction regresses the network on
/// <c>(1 - eps_tr) r_i + eps_tr D_i</c> with the step's <c>eta</c>: constant cost per iteration, no discriminator dropped.
/// With <see cref="ImitationSettings.AverageReward"/>, a second network follows a running average of the iterates,
/// <c>rbar_n = (1 - w_n) rbar_{n-1} + w_n r_n</c> on the same rows (<see cref="RewardAverages.Weight"/>), and is the
/// exported reward.
/// </summary>
internal sealed class RecursiveRewardModel : RewardModel
{
    private readonly FeatureDiscriminator disc;
    private readonly RewardRegression reward;
    private readonly RewardRegression? average;

    public RecursiveRewardModel(ImitationState state)
    {
        disc = new FeatureDiscriminator(state);
        reward = new RewardRegression(state);
        average = state.Settings.AverageReward != RewardAverage.None ? RewardRegression.Average(state) : null;
    }

    public override string Name => "recursive";

    public override DiscriminatorFit Fit(ImitationState state, PpoRollout rollout) => disc.Fit(state, rollout);

    public override RewardProposal Propose(ImitationState state, PpoRollout rollout, DiscriminatorFit fit)
    {
        var watch = Stopwatch.StartNew();
        double eps = state.Settings.EpsAt(state.StepsBeforeRollout);
        float[] rows = [.. fit.PolicyRows, .. fit.ExpertRows];
        double[] previous, latest;
        using (NewDisposeScope())
        {
            var all = tensor(rows, [rows.Length / fit.Width, fit.Width], device: state.Device);
            previous = RewardRegression.Predict(reward.Network, all);
            latest = RewardRegression.Predict(disc.Network, all);
        }
        int count = fit.PolicyRows.Length / fit.Width;
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = (1 - eps) * previous[i] + eps * latest[i];
        return Proposal(state, rollout, values, double.NaN, double.NaN, watch.Elapsed.TotalSeconds) with
        {
            Terms = new RecursiveTerms(rows, previous, latest),
        };
    }

    public override Correction Correct(ImitationState state, RewardProposal proposal, double epsTr, double eta)
    {
        var terms = proposal.Terms;
        int rows = terms.Previous.Length;
        if (rows == 0) throw new Trirl.Functional.TrirlInputException("proposal", "has no recursive terms", "correct the proposal this model made");
        double loss;
        using (NewDisposeScope())
        {
            int width = terms.Rows.Length / rows;
            var x = tensor(terms.Rows, [rows, width], device: state.Device);
            var target = new double[rows];
            for (int i = 0; i < rows; i++) target[i] = (1 - epsTr) * terms.Previous[i] + epsTr * terms.Latest[i];
            loss = reward.Fit(state, x, target);
            if (average is not null)
                // The n-th iterate (n = iterations so far, this one included) enters the running average with weight w_n.
                average.Fit(state, x, Irl.AverageReward(RewardRegression.Predict(average.Network, x), target,
                    RewardAverages.Weight(state.Settings.AverageReward, state.Iteration + 1)));
        }
        return new Correction(epsTr, [], loss, state.Eta, 0);
    }

    /// <summary>The last iterate (<c>"recursive"</c>), or the average kept (<c>"recursive-uniform"</c>,
    /// <c>"recursive-harmonic"</c>): the reward's file says which reward it is.</summary>
    public override NeuralReward Export(ImitationState state) =>
        average is null ? reward.Export(state, Name)
            : average.Export(state, Name + "-" + EnumNames.Name(state.Settings.AverageReward, "average_reward"));

    protected override IReadOnlyList<TrainedNetwork> Networks => average is null ? [disc, reward] : [disc, reward, average];
    protected override PolicyHistory? History => disc.History;
}
