using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>
/// The deep imitation learner as an <c>(init, step)</c> pair, like the tabular <see cref="Learner"/>: <see cref="Start"/>
/// makes the state, <see cref="Step"/> is one iteration (the five calls of <see cref="DeepPhases"/>), and
/// <see cref="Run"/> is the lazy sequence of iterations. Behaviour cloning has its own learner
/// (<see cref="BehaviourCloning"/>).
/// </summary>
public static class DeepLearner
{
    /// <summary>
    /// A fresh learner of <paramref name="settings"/> (trirl, gail or airl) on <paramref name="demonstrations"/> (checked
    /// against <paramref name="env"/>), seeded with <paramref name="seed"/>, on <paramref name="device"/>. Loads libtorch.
    /// </summary>
    public static ImitationState Start(ContinuousEnv env, ImitationSettings settings, TransitionDataset demonstrations, long seed, Device device)
    {
        ImitationHeader.CheckStart(env, settings, demonstrations, device);
        return new ImitationState(env, settings, seed, device, null, demonstrations);
    }

    /// <summary>One iteration: collect, fit the discriminator, propose, take the policy step, correct.</summary>
    public static ImitationIteration Step(ImitationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var acting = System.Diagnostics.Stopwatch.StartNew();
        var rollout = DeepPhases.Collect(state);
        double actingSeconds = acting.Elapsed.TotalSeconds;
        var fit = DeepPhases.FitDiscriminator(state, rollout);
        var proposal = DeepPhases.ProposeReward(state, rollout, fit);
        var step = DeepPhases.PolicyStep(state, rollout, proposal);
        var correction = DeepPhases.Correct(state, proposal, step);
        return new ImitationIteration(state.Iteration, state.EnvSteps, ImitationStatistics.Of(fit, proposal, step, correction), step.Ppo,
            rollout.EpisodeReturns, [actingSeconds, fit.Seconds, proposal.Seconds + correction.Seconds, step.Seconds]);
    }

    /// <summary>The iterations of <paramref name="state"/>, lazily, without end (take as many as needed).</summary>
    public static IEnumerable<ImitationIteration> Run(ImitationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        while (true) yield return Step(state);
    }
}
