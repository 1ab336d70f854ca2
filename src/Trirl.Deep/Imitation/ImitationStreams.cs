namespace Trirl.Deep;

/// <summary>
/// The random streams an imitation learner adds to <see cref="RunStreams"/> (same derivation: stream
/// <c>(purpose, index)</c> of the run seed; the purposes are far from the RL learners' own).
/// </summary>
internal static class ImitationStreams
{
    public const long InitDiscriminator = 3;   // RunStreams.Init index of the discriminator (PPO uses 1 and 2)
    public const long InitReward = 4;          // RunStreams.Init index of the reward network
    public const long InitAverageReward = 5;   // RunStreams.Init index of the recursive model's average reward network
    public const long Expert = 32;             // the expert transitions paired with a rollout, index = iteration
    public const long Discriminator = 33;      // discriminator minibatch shuffles, index = iteration * epochs + epoch
    public const long Reward = 34;             // reward-regression shuffles, index = fit counter * epochs + epoch
    public const long Cloning = 35;            // behaviour-cloning minibatches, index = gradient step
    public const long HistoryMix = 36;         // which policy rows the discriminator history replaces, index = iteration
    public const long HistoryReservoir = 37;   // the history's reservoir slots, index = iteration
    public const long AverageReward = 38;      // average-reward regression shuffles, index = iteration * epochs + epoch
}
