using System.Diagnostics;

namespace Trirl.Deep;

/// <summary>
/// The five phases of one deep imitation iteration (math note, sections 6 and 9), each a function a notebook can call on
/// its own, in this order, on an <see cref="ImitationState"/>:
/// <list type="number">
/// <item><see cref="Collect"/>: roll out <c>pi_i</c>;</item>
/// <item><see cref="FitDiscriminator"/>: train <c>D_i ~ log(rho_E / rho_pi_i)</c> on the rollout and as many expert transitions;</item>
/// <item><see cref="ProposeReward"/>: <c>r~ = (1 - eps) r_i + eps D_i</c> on the rollout (the reward model's proposal);</item>
/// <item><see cref="PolicyStep"/>: <c>(pi_{i+1}, eta)</c>, PPO on <c>r~</c> with a KL term of weight <c>eta</c>, and the measured KL;</item>
/// <item><see cref="Correct"/>: <c>eps_tr = eps / (1 + eta)</c>, <c>r_{i+1} = (1 - eps_tr) r_i + eps_tr D_i</c> (the buffer's
/// weights, or the recursive model's regression), and the schedule's next <c>eta</c>.</item>
/// </list>
/// <see cref="DeepLearner.Step"/> is exactly these five calls. The state's networks are trained in place; each phase
/// returns an immutable record.
/// </summary>
public static class DeepPhases
{
    /// <summary>Phase 1: a rollout of the current policy (<c>N</c> copies x <c>T</c> steps).</summary>
    public static PpoRollout Collect(ImitationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Ppo.Collect();
    }

    /// <summary>Phase 2: the discriminator trained on <paramref name="rollout"/> against as many expert transitions (a seeded permutation of the demonstrations).</summary>
    public static DiscriminatorFit FitDiscriminator(ImitationState state, PpoRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rollout);
        return state.Model.Fit(state, rollout);
    }

    /// <summary>Phase 3: the proposal <c>U_eps(r_i)</c> on the rollout, and the TD rewards the policy step optimises.</summary>
    public static RewardProposal ProposeReward(ImitationState state, PpoRollout rollout, DiscriminatorFit fit)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(fit);
        return state.Model.Propose(state, rollout, fit);
    }

    /// <summary>
    /// Phase 4: the trust-region policy step on the proposal. <c>eta</c> is the schedule's value at the rollout's start
    /// (<see cref="EtaSchedule.At"/>); the step returns it with the mean <c>KL(pi_{i+1} || pi_i)</c> over the rollout.
    /// </summary>
    public static PolicyStep PolicyStep(ImitationState state, PpoRollout rollout, RewardProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(proposal);
        var s = state.Settings;
        state.Eta = s.EtaSchedule.At(state.StepsBeforeRollout, state.Eta);
        var update = state.Ppo.Update(rollout, [.. proposal.Rewards], state.Eta, measureKl: true);
        return new PolicyStep(update.Statistics.Eta, update.MeanKl, update.Statistics, update.Seconds);
    }

    /// <summary>
    /// Phase 5: the correction with the step's <c>eta</c>: <c>eps_tr = eps(t) / (1 + eta)</c> for trirl (<see cref="Irl.CorrectedStepSize"/>, <see cref="ImitationSettings.EpsAt"/>),
    /// <c>eps</c> for the uncorrected gail and airl; the reward model records it; the schedule adapts <c>eta</c> to the
    /// measured KL (<see cref="EtaSchedule.Adapt"/>); the iteration counter advances.
    /// </summary>
    public static Correction Correct(ImitationState state, RewardProposal proposal, PolicyStep step)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(step);
        var watch = Stopwatch.StartNew();
        var s = state.Settings;
        double epsTr = s.Corrects ? Irl.CorrectedStepSize(s.EpsAt(state.StepsBeforeRollout), step.Eta) : s.Eps;
        state.Eta = s.EtaSchedule.Adapt(step.Eta, step.MeanKl);
        var correction = state.Model.Correct(state, proposal, epsTr, step.Eta);
        state.Iteration++;
        return correction with { NextEta = state.Eta, Seconds = watch.Elapsed.TotalSeconds };
    }
}
