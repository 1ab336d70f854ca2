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
}
