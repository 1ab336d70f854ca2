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
    /// A problem from recorded demonstrations (a user study, a game log, another library's output): the expert
    /// occupancy is their empirical discounted occupancy
    /// <c>rho^_E(s,a) = sum_traj sum_t gamma^t [s_t = s, a_t = a] / sum_traj sum_t gamma^t</c>, the demonstrations are
    /// kept for the sample-based learner, and the expert policy is the empirical one (<c>pi_E(a|s)</c> proportional to
    /// <c>rho^_E(s,a)</c>, uniform in states the demonstrations never visit). The exact learner estimates
    /// <c>D = log rho^_E - log rho_pi</c> with the one-hot discriminator against the exact <c>rho_pi</c> (an empirical
    /// occupancy is 0 where the demonstrations never go, where the plain log-ratio is not finite). When the MDP has a
    /// true reward, returns are normalised with the demonstrations' own return <c>J(rho^_E)</c>; without one,
    /// metrics that need it are NaN.
    /// </summary>
    /// <param name="mdp">The MDP the demonstrations were recorded in.</param>
    /// <param name="episodes">The episodes (state and action indices; see <see cref="RecordedDemonstrations"/> to read files).</param>
    /// <param name="settings">Stopping rules of the solves used for scoring.</param>
    public static TrirlProblem FromDemonstrations(TabularMdp mdp, IReadOnlyList<Trajectory> episodes, SolverSettings? settings = null)
    {
        if (episodes.Count == 0)
            throw new TrirlInputException("demonstrations", "are empty: no episode was given", "pass at least one recorded episode");
        var rhoE = Irl.EmpiricalOccupancy(mdp, episodes);
        var probabilities = new double[mdp.States * mdp.Actions];
        var e = rhoE.Span;
        for (int s = 0; s < mdp.States; s++)
        {
            var row = e.Slice(s * mdp.Actions, mdp.Actions);
            double sum = 0;
            foreach (var x in row) sum += x;
            for (int a = 0; a < mdp.Actions; a++) probabilities[s * mdp.Actions + a] = sum > 0 ? row[a] / sum : 1.0 / mdp.Actions;
        }
        var policy = Policy.FromProbabilities(StateActionTable.Own(mdp.States, mdp.Actions, probabilities));
        double expertReturn = double.NaN, uniformReturn = double.NaN;
        if (mdp.Reward is { } reward)
        {
            expertReturn = Irl.ExpectedReturn(rhoE, reward);
            uniformReturn = Irl.ExpectedReturn(Irl.Occupancy(mdp, Policy.Uniform(mdp.States, mdp.Actions), settings), reward);
        }
        return new TrirlProblem(mdp, Irl.RequirePolicy(mdp, policy, "expertPolicy"), rhoE, [.. episodes], expertReturn, uniformReturn) { Recorded = true };
    }

    /// <summary>
    /// Whether the expert is known only through recorded demonstrations (<see cref="FromDemonstrations"/>): then
    /// <see cref="ExpertOccupancy"/> is empirical and the exact learner estimates the log-ratio with the discriminator.
    /// </summary>
    public bool Recorded { get; init; }

    /// <summary>
    /// Copy with <paramref name="count"/> expert demonstrations of <paramref name="horizon"/> steps sampled with
    /// <paramref name="seed"/> (for the sample-based learner).
    /// </summary>
    public TrirlProblem WithDemonstrations(int count, int horizon, long seed) =>
        Recorded
            ? throw new TrirlInputException("demonstrations", "are recorded: the problem has no expert policy to sample more from",
                "use the recorded demonstrations as they are (the sample-based learner reads them)")
            : this with { Demonstrations = Sampling.Rollouts(Mdp, ExpertPolicy, count, horizon, seed) };

    /// <summary>Whether the problem can score policies (the MDP has a true reward).</summary>
    public bool IsScored => Mdp.HasReward;

    /// <summary>Normalised return of a policy with occupancy <paramref name="occupancy"/> (NaN when not scored).</summary>
    public double NormalizedReturn(StateActionTable occupancy) =>
        Mdp.Reward is { } reward ? Irl.NormalizedReturn(Irl.ExpectedReturn(occupancy, reward), UniformReturn, ExpertReturn) : double.NaN;
}
