namespace Trirl.Deep;

/// <summary>
/// PPO on a <see cref="NeuralReward"/> (retraining and transfer): each rollout's rewards are replaced by the learned
/// reward's TD rewards (with the absorbing tail on terminated transitions); the KL weight stays the settings' own.
/// </summary>
internal sealed class NeuralRewardHook(NeuralReward reward, PpoSettings settings) : IPpoHook
{
    public void Relabel(PpoRollout rollout) => reward.TdRewards(rollout.Transitions).CopyTo(rollout.Rewards, 0);

    public double Eta(long envSteps) => settings.Eta;

    public void Updated(double eta, double meanKl)
    {
    }
}
