using System.Collections.Immutable;
using TorchSharp;
using Trirl.Environments;
using Trirl.Environments.Data;

namespace Trirl.Cli.Benchmarks;

/// <summary>What <see cref="ImitationBenchmark.Loop"/> measured (means over the timed iterations).</summary>
/// <param name="Env">The task.</param>
/// <param name="Copies">Vectorised environment copies.</param>
/// <param name="BufferSize">Discriminators evaluated per iteration (the buffer is full).</param>
/// <param name="Iterations">Timed iterations.</param>
/// <param name="StepsPerIteration">Environment steps per iteration.</param>
/// <param name="Threads">Torch intra-op threads.</param>
/// <param name="Phases">Mean seconds per iteration of each phase: acting, discriminator, reward, policy (in that order).</param>
/// <param name="EnvStepsPerSecond">Environment steps per second of the whole loop (evaluation excluded).</param>
public sealed record ImitationLoopTiming(string Env, int Copies, int BufferSize, int Iterations, int StepsPerIteration, int Threads,
    ImmutableArray<double> Phases, double EnvStepsPerSecond)
{
    /// <summary>The names of <see cref="Phases"/>.</summary>
    public static ImmutableArray<string> PhaseNames => ImitationLearner.Phases;
}

/// <summary>
/// The speed of the whole TRIRL loop (rollout, discriminator, buffer evaluation and relabelling, PPO update) with a full
/// buffer: the learner's buffer is filled to <c>K - 1</c> copies of its initial discriminator, so every timed iteration
/// evaluates <c>K</c> networks on its rollout (the steady state of a long run), after one untimed warm-up iteration.
/// </summary>
public static class ImitationBenchmark
{
    /// <summary>Times <paramref name="iterations"/> iterations of <paramref name="settings"/> on <paramref name="env"/>.</summary>
    public static ImitationLoopTiming Loop(string env, ImitationSettings settings, TransitionDataset demonstrations, int iterations, int threads, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(demonstrations);
        Check.PositiveInt(iterations, nameof(iterations));
        settings.Validated();
        var task = ContinuousEnvs.Create(env);
        TorchRuntime.Configure(threads, 0);
        using var learner = new ImitationLearner(task, settings, 0, device, null, demonstrations);
        learner.FillBuffer(1.0);
        learner.Advance();
        var sums = new double[ImitationLearner.Phases.Length];
        for (int i = 0; i < iterations; i++)
        {
            var interval = learner.Advance();
            for (int j = 0; j < sums.Length; j++) sums[j] += interval.Phases[j];
        }
        var phases = sums.Select(x => x / iterations).ToImmutableArray();
        int steps = settings.Ppo.BatchSize;
        return new ImitationLoopTiming(task.Name, settings.Ppo.Copies, settings.BufferSize, iterations, steps, threads, phases, steps / phases.Sum());
    }
}
