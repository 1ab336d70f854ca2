namespace Trirl.Functional;

/// <summary>How a learned reward does when re-optimised from scratch on some MDP.</summary>
/// <param name="Mdp">Name of the MDP it was re-optimised on.</param>
/// <param name="Policy">The re-optimised policy <c>SoftOptimal(r, 1)</c>.</param>
/// <param name="NormalizedReturn">Its normalised return under that MDP's true reward and expert.</param>
/// <param name="KlToExpert"><c>KL(rho_pi || rho_E)</c> against that MDP's expert.</param>
public sealed record ReuseScore(string Mdp, Policy Policy, double NormalizedReturn, double KlToExpert);

/// <summary>
/// Reward reuse: retraining (re-optimise the learned reward on the MDP it was learned on, which reproduces
/// <c>pi_n</c> by the correction theorem) and transfer (re-optimise it under changed dynamics, e.g. another slip).
/// </summary>
public static class RewardReuse
{
    /// <summary>
    /// <c>pi = SoftOptimal(r, 1)</c> on <paramref name="mdp"/>, scored against that MDP's expert
    /// <c>SoftOptimal(expertBeta * r_true, 1)</c>. The MDP must have the reward's shape and a true reward.
    /// </summary>
    public static ReuseScore Reoptimize(TabularMdp mdp, StateActionTable reward, double expertBeta, SolverSettings? settings = null)
    {
        Irl.RequireShape(mdp, reward, nameof(reward));
        var problem = TrirlProblem.FromTrueReward(mdp, expertBeta, settings);
        var policy = Irl.SoftOptimal(mdp, reward, 1.0, settings).Policy;
        var rho = Irl.Occupancy(mdp, policy, settings);
        return new ReuseScore(mdp.Name, policy, problem.NormalizedReturn(rho), Irl.OccupancyKl(rho, problem.ExpertOccupancy));
    }

    /// <summary>
    /// Retraining on the problem's own MDP: <c>pi = SoftOptimal(r, 1)</c> scored against the problem's expert (its
    /// occupancy and return anchors), so it needs no true reward (the normalised return is then NaN) and works for
    /// recorded demonstrations. For a problem from <see cref="TrirlProblem.FromTrueReward"/> it gives the numbers of
    /// <see cref="Reoptimize"/> with the same expert <c>beta</c>, without building the expert again.
    /// </summary>
    public static ReuseScore Retrain(TrirlProblem problem, StateActionTable reward, SolverSettings? settings = null)
    {
        var mdp = problem.Mdp;
        Irl.RequireShape(mdp, reward, nameof(reward));
        var policy = Irl.SoftOptimal(mdp, reward, 1.0, settings).Policy;
        var rho = Irl.Occupancy(mdp, policy, settings);
        return new ReuseScore(mdp.Name, policy, problem.NormalizedReturn(rho), Irl.OccupancyKl(rho, problem.ExpertOccupancy));
    }
}
