namespace Trirl.Deep;

/// <summary>
/// How a deep imitation learner represents its reward (math note, section 9), chosen once from the settings
/// (<see cref="ImitationSettings.Method"/> and <see cref="ImitationSettings.RewardModel"/>): a buffer of the last
/// <c>K</c> discriminators with the corrected weights (trirl's <c>buffer</c>, and gail's with <c>K = 1</c>), one reward
/// network regressed on that buffer (<c>compressed</c>), one reward network regressed on the corrected recursion
/// (<c>recursive</c>), or AIRL's <c>f = g(s) + gamma h(s') - h(s)</c>. Each model owns its discriminator and carries the
/// three reward phases of an iteration; <see cref="DeepPhases"/> calls them.
/// </summary>
public interface IRewardModel : IDisposable
{
    /// <summary>The model's name as the exported reward records it (<c>buffer</c>, <c>compressed</c>, <c>recursive</c>, <c>discriminator</c> for gail, <c>g</c> for airl).</summary>
    string Name { get; }

    /// <summary>Phase 2: trains the discriminator on <paramref name="rollout"/> against as many expert transitions.</summary>
    DiscriminatorFit Fit(ImitationState state, PpoRollout rollout);

    /// <summary>Phase 3: evaluates the proposal <c>U_eps(r_i)</c> on the rollout (the new discriminator enters with <c>eta = 0</c>).</summary>
    RewardProposal Propose(ImitationState state, PpoRollout rollout, DiscriminatorFit fit);

    /// <summary>Phase 5: the correction with the step's <c>eps_tr</c> (<paramref name="epsTr"/>) and <c>eta</c> (<paramref name="eta"/>).</summary>
    Correction Correct(ImitationState state, RewardProposal proposal, double epsTr, double eta);

    /// <summary>The reward learned so far as a standalone <see cref="NeuralReward"/> on the CPU (dispose it).</summary>
    NeuralReward Export(ImitationState state);
}
