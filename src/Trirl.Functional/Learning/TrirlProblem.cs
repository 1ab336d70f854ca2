using System.Collections.Immutable;

namespace Trirl.Functional;

/// <summary>
/// What the learner is given: the MDP (known model), the expert's occupancy <c>rho_E</c> (or demonstrations to
/// estimate it), and, for scoring only, the true reward with the returns of the expert and of the uniform policy.
/// </summary>
/// <param name="Mdp">The MDP.</param>
/// <param name="ExpertPolicy">The expert <c>pi_E</c>.</param>
/// <param name="ExpertOccupancy">The expert's exact occupancy <c>rho_E</c>.</param>
/// <param name="Demonstrations">Sampled expert trajectories (empty for the exact learner).</param>
/// <param name="ExpertReturn"><c>J(pi_E)</c> under the true reward (NaN without a true reward).</param>
/// <param name="UniformReturn"><c>J(uniform)</c> under the true reward (NaN without a true reward).</param>
public sealed record TrirlProblem(
    TabularMdp Mdp,
    Policy ExpertPolicy,
    StateActionTable ExpertOccupancy,
    ImmutableArray<Trajectory> Demonstrations,
    double ExpertReturn,
    double UniformReturn)
{
    /// <summary>
    /// The standard problem: expert <c>pi_E = SoftOptimal(expertBeta * r_true, 1)</c> on the MDP's true reward,
    /// its exact occupancy, and the scoring anchors.
    /// </summary>
    public static TrirlProblem FromTrueReward(TabularMdp mdp, double expertBeta, SolverSettings? settings = null)
    {
        Check.Positive(expertBeta, nameof(expertBeta));
        Check.Finite(expertBeta, nameof(expertBeta));
        var reward = mdp.RequireReward("building a soft-optimal expert");
        var expert = Irl.SoftOptimal(mdp, reward.Scale(expertBeta), 1.0, settings).Policy;
        return FromExpert(mdp, expert, settings);
    }

    /// <summary>A problem for a given expert policy; it is scored when the MDP has a true reward.</summary>
    public static TrirlProblem FromExpert(TabularMdp mdp, Policy expertPolicy, SolverSettings? settings = null)
    {
        expertPolicy = Irl.RequirePolicy(mdp, expertPolicy, nameof(expertPolicy));
        var rhoE = Irl.Occupancy(mdp, expertPolicy, settings);
        double expertReturn = double.NaN, uniformReturn = double.NaN;
        if (mdp.Reward is { } reward)
        {
            expertReturn = Irl.ExpectedReturn(rhoE, reward);
            uniformReturn = Irl.ExpectedReturn(Irl.Occupancy(mdp, Policy.Uniform(mdp.States, mdp.Actions), settings), reward);
        }
        return new TrirlProblem(mdp, expertPolicy, rhoE, [], expertReturn, uniformReturn);
    }

    /// <summary>
    /// Copy with <paramref name="count"/> expert demonstrations of <paramref name="horizon"/> steps sampled with
    /// <paramref name="seed"/> (for the sample-based learner).
    /// </summary>
    public TrirlProblem WithDemonstrations(int count, int horizon, long seed) =>
        this with { Demonstrations = Sampling.Rollouts(Mdp, ExpertPolicy, count, horizon, seed) };

    /// <summary>Whether the problem can score policies (the MDP has a true reward).</summary>
    public bool IsScored => Mdp.HasReward;

    /// <summary>Normalised return of a policy with occupancy <paramref name="occupancy"/> (NaN when not scored).</summary>
    public double NormalizedReturn(StateActionTable occupancy) =>
        Mdp.Reward is { } reward ? Irl.NormalizedReturn(Irl.ExpectedReturn(occupancy, reward), UniformReturn, ExpertReturn) : double.NaN;
}
