namespace Trirl.Cli.Runs;

/// <summary>Throughput of the PPO loop at the paper preset (<c>trirl bench deep</c>).</summary>
/// <param name="Env">Environment.</param>
/// <param name="Copies">Vectorised environment copies.</param>
/// <param name="Iterations">Timed PPO iterations.</param>
/// <param name="StepsPerIteration">Environment steps per iteration.</param>
/// <param name="MinibatchStepsPerIteration">Gradient steps (policy and critic) per iteration.</param>
/// <param name="RolloutSeconds">Mean seconds of a rollout (acting and advantages).</param>
/// <param name="UpdateSeconds">Mean seconds of an update phase.</param>
/// <param name="EnvStepsPerSecond">Environment steps per second of the whole loop (rollout + update).</param>
/// <param name="RolloutStepsPerSecond">Environment steps per second of the rollouts alone.</param>
/// <param name="MsPerMinibatchStep">Update seconds per gradient step, in ms (one Adam step of the policy and one of the critic).</param>
public sealed record PpoLoopTiming(string Env, int Copies, int Iterations, int StepsPerIteration, int MinibatchStepsPerIteration,
    double RolloutSeconds, double UpdateSeconds, double EnvStepsPerSecond, double RolloutStepsPerSecond, double MsPerMinibatchStep);

/// <summary>The measurements of <c>trirl bench deep</c>.</summary>
public static class DeepBench
{
    /// <summary>
    /// PPO at the paper preset on <paramref name="env"/> (4,000 copies x 10 steps per iteration, 10 epochs of minibatches
    /// of 512, 512 (LayerNorm) - 256 - 128 ELU networks): one untimed warm-up iteration, then
    /// <paramref name="iterations"/> timed ones (evaluation excluded from the rates).
    /// </summary>
    public static PpoLoopTiming PpoLoop(string env, int iterations, int threads, TorchSharp.torch.Device device)
    {
        var settings = RlRunSettings.Create(env, RlAlgo.Ppo, 0, RlPreset.Paper).WithThreads(threads).WithEvalEpisodes(1);
        var ppo = (PpoSettings)settings.Learner;
        using var run = RlRun.Start(settings, device);
        int per = ppo.BatchSize;
        var timed = run.Train((iterations + 1L) * per).Skip(1).Select(p => p.Timing).ToList();
        double rollout = timed.Average(t => t.RolloutSeconds), update = timed.Average(t => t.UpdateSeconds);
        int minibatchSteps = ppo.Epochs * (per / ppo.MinibatchSize);
        return new PpoLoopTiming(env, ppo.Copies, timed.Count, per, minibatchSteps, rollout, update,
            per / (rollout + update), per / rollout, 1000 * update / minibatchSteps);
    }
}
