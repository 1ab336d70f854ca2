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
/// <param name="Floors">Each phase beside its floor, in the order of <see cref="PhaseNames"/>.</param>
/// <param name="SimulatorSeconds">The simulator's measured seconds for one rollout (<c>T</c> steps of the <c>N</c> copies, random actions, best of a few rounds).</param>
/// <param name="SimulatorInFloor">Whether the simulator's seconds join the acting floor (MuJoCo tasks), or are reported beside it only.</param>
/// <param name="PerIteration">Each timed iteration's seconds per phase (iteration-major: acting, discriminator, reward, policy), so
/// that one slow iteration can be told from a slow loop; <see cref="Phases"/> is their mean.</param>
public sealed record ImitationLoopTiming(string Env, int Copies, int BufferSize, int Iterations, int StepsPerIteration, int Threads,
    ImmutableArray<PhaseFloor> Floors, double SimulatorSeconds, bool SimulatorInFloor, ImmutableArray<ImmutableArray<double>> PerIteration)
{
    /// <summary>Mean seconds per iteration of each phase over <see cref="PerIteration"/>: acting, discriminator, reward, policy (in that order).</summary>
    public ImmutableArray<double> Phases => Means(PerIteration);

    /// <summary>Environment steps per second of the whole loop (evaluation excluded): <c>StepsPerIteration / sum(Phases)</c>.</summary>
    public double EnvStepsPerSecond => StepsPerIteration / Phases.Sum();

    /// <summary>The mean of each phase over the iterations (<paramref name="perIteration"/> iteration-major, at least one).</summary>
    public static ImmutableArray<double> Means(ImmutableArray<ImmutableArray<double>> perIteration) =>
        [.. Enumerable.Range(0, perIteration[0].Length).Select(j => perIteration.Average(it => it[j]))];

    /// <summary>Seconds of phase <paramref name="phase"/> in each timed iteration, in order.</summary>
    public ImmutableArray<double> PhaseSeconds(int phase) => [.. PerIteration.Select(it => it[phase])];

    /// <summary>The whole loop's seconds in each timed iteration (the sum of its phases), in order.</summary>
    public ImmutableArray<double> LoopSeconds => [.. PerIteration.Select(it => it.Sum())];

    /// <summary>Each timed iteration's loop seconds over the loop's floor: the spread behind <see cref="Ratio"/>.</summary>
    public ImmutableArray<double> LoopRatios => [.. LoopSeconds.Select(s => PhaseFloors.Ratio(s, FloorSeconds))];

    /// <summary>The whole loop's floor: the sum of the phases' floors.</summary>
    public double FloorSeconds => Floors.Sum(f => f.FloorSeconds);

    /// <summary>The whole loop's time over its floor.</summary>
    public double Ratio => PhaseFloors.Ratio(Phases.Sum(), FloorSeconds);

    /// <summary>The names of <see cref="Phases"/>.</summary>
    public static ImmutableArray<string> PhaseNames => ImitationLearner.Phases;
}

/// <summary>
/// The speed of the whole TRIRL loop (rollout, discriminator, buffer evaluation and relabelling, PPO update) with a full
/// buffer: the learner's buffer is filled to <c>K - 1</c> copies of its initial discriminator, so every timed iteration
/// evaluates <c>K</c> networks on its rollout (the steady state of a long run), after one untimed warm-up iteration.
/// Then, in the same process and on the same threads, each phase's floor (<see cref="PhaseFloors"/>: its products at the
/// GEMM rate of its own shapes, <see cref="GemmRate"/>) and the simulator's own time for one rollout.
/// </summary>
public static class ImitationBenchmark
{
    /// <summary>Best of this many timings per GEMM shape and per simulator round.</summary>
    public const int Repeats = 3;

    /// <summary>The <c>eta</c> recorded for each copy that fills the buffer (the PyTorch re-creation fills its own with the same).</summary>
    public const double FillEta = 1.0;

    /// <summary>
    /// Times <paramref name="iterations"/> iterations of <paramref name="settings"/> on <paramref name="env"/>, then the
    /// phases' floors and the simulator; <paramref name="progress"/> hears each stage.
    /// </summary>
    public static ImitationLoopTiming Loop(string env, ImitationSettings settings, TransitionDataset demonstrations, int iterations, int threads, torch.Device device,
        IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(demonstrations);
        Check.PositiveInt(iterations, nameof(iterations));
        settings.Validated();
        var task = ContinuousEnvs.Create(env);
        TorchRuntime.Configure(threads, 0);
        using var learner = new ImitationLearner(task, settings, 0, device, null, demonstrations);
        learner.FillBuffer(FillEta);
        learner.Advance();
        var perIteration = Enumerable.Range(0, iterations).Select(_ => ImmutableArray.CreateRange(learner.Advance().Phases)).ToImmutableArray();
        var phases = ImitationLoopTiming.Means(perIteration);
        int steps = settings.Ppo.BatchSize;
        progress?.Report("timing the simulator alone");
        double simulator = SimulatorSeconds(task, settings.Ppo.Copies, settings.Ppo.RolloutSteps, Repeats);
        bool simulatorInFloor = task is LocomotionEnv;
        var work = PhaseFloors.Loop(settings, task.Spec.ObservationSize, task.Spec.ActionSize);
        var floors = work.Select((w, j) =>
        {
            progress?.Report($"timing the GEMMs of {w.Phase} ({w.Merged.Length} shapes)");
            return new PhaseFloor(w.Phase, phases[j], w.MultiplyAdds, GemmRate.Measure(w, Repeats, device), j == 0 && simulatorInFloor ? simulator : 0);
        }).ToImmutableArray();
        return new ImitationLoopTiming(task.Name, settings.Ppo.Copies, settings.BufferSize, iterations, steps, threads, floors, simulator, simulatorInFloor,
            perIteration);
    }

    /// <summary>
    /// Seconds of one rollout's simulation alone: <paramref name="steps"/> vector steps of <paramref name="copies"/>
    /// copies with uniform random actions in the box (finished episodes reset, as the rollout does), best of
    /// <paramref name="rounds"/> rounds from fixed seeds.
    /// </summary>
    public static double SimulatorSeconds(ContinuousEnv task, int copies, int steps, int rounds)
    {
        ArgumentNullException.ThrowIfNull(task);
        Check.PositiveInt(copies, nameof(copies));
        Check.PositiveInt(steps, nameof(steps));
        Check.PositiveInt(rounds, nameof(rounds));
        var low = task.Spec.ActionLow;
        var high = task.Spec.ActionHigh;
        int act = task.Spec.ActionSize;
        double best = double.PositiveInfinity;
        for (int r = 0; r < rounds; r++)
        {
            var rng = Rng.Derive(11, r);
            var actions = new float[steps][];
            for (int t = 0; t < steps; t++)
            {
                actions[t] = new float[copies * act];
                for (int k = 0; k < actions[t].Length; k++) actions[t][k] = (float)(low[k % act] + (high[k % act] - low[k % act]) * rng.NextDouble());
            }
            var state = task.Reset(copies, 1000 + r);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (int t = 0; t < steps; t++)
            {
                var result = task.Step(state, actions[t]);
                state = task.ResetDone(result);
                if (result.AnyDone) _ = task.Observe(state);
            }
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return best;
    }
}
