using System.Diagnostics;
using Trirl.Environments;

namespace Trirl.Cli.Runs;

/// <summary>One task's figures in <c>trirl bench mujoco</c>.</summary>
/// <param name="Task">The task.</param>
/// <param name="Copies">Copies stepped together by the vectorised task.</param>
/// <param name="FrameSkip">MuJoCo steps per environment step.</param>
/// <param name="RawMjStepsPerSecond">Raw <c>mj_step</c> rate on one thread, replaying the same episodes on one persistent data.</param>
/// <param name="VectorStepsPerSecond">Environment steps per second of the vectorised task, by thread count (1 and 2).</param>
/// <param name="RawPairMjStepsPerSecond">
/// <c>mj_step</c> calls per second of two raw simulators side by side on two threads (each replaying the same episodes
/// on its own data), together: what the machine's two cores give the physics alone.
/// </param>
public sealed record MujocoBenchCase(string Task, int Copies, int FrameSkip, double RawMjStepsPerSecond,
    IReadOnlyList<(int Threads, double StepsPerSecond)> VectorStepsPerSecond, double RawPairMjStepsPerSecond)
{
    /// <summary>The raw simulator's environment-step rate per core: <c>mj_step/s / frame skip</c>.</summary>
    public double RawEnvStepsPerSecond => RawMjStepsPerSecond / FrameSkip;

    /// <summary>Vectorised rate with <paramref name="threads"/> threads over <c>threads x</c> the raw per-core rate.</summary>
    public double Ratio(int threads) => VectorStepsPerSecond.First(v => v.Threads == threads).StepsPerSecond / (threads * RawEnvStepsPerSecond);

    /// <summary>How the physics alone scales to two cores: <c>raw pair / (2 x raw)</c> (1 on two independent cores).</summary>
    public double RawPairScaling => RawPairMjStepsPerSecond / (2 * RawMjStepsPerSecond);

    /// <summary>The vectorised rate on two threads over the raw pair's environment-step rate: the wrapper's cost on two cores.</summary>
    public double RatioToRawPair => VectorStepsPerSecond.First(v => v.Threads == 2).StepsPerSecond / (RawPairMjStepsPerSecond / FrameSkip);
}

/// <summary>
/// The MuJoCo benchmark: the vectorised task (<c>N</c> copies, random actions in the box, finished copies reset) on one
/// and on two threads, beside the raw simulator doing the same physics: the same episodes (same initial states, same
/// actions) replayed on one persistent <c>mjData</c> the way Gymnasium drives MuJoCo (<c>mj_forward</c> at each reset,
/// then <c>ctrl</c> and frame-skip <c>mj_step</c>s), timed on one thread, and two such replays side by side on two
/// threads (the raw pair: how the machine's cores scale the physics alone). So the ratio is what the wrapper (state
/// copies, observations, rewards, the thread hand-off) costs against the physics alone. Every probe is warmed up, and
/// rounds interleave the probes so a slow spell of the machine hits them alike; each keeps its fastest round.
/// </summary>
public static class MujocoBench
{
    /// <summary>The tasks benchmarked.</summary>
    public static IReadOnlyList<string> Tasks { get; } = ["hopper", "walker2d", "halfcheetah", "ant"];

    /// <summary>Timed rounds per probe.</summary>
    public const int Rounds = 3;

    /// <summary>Measures <paramref name="task"/> with <paramref name="copies"/> copies over <paramref name="steps"/> vector steps per round.</summary>
    public static MujocoBenchCase Measure(string task, int copies, int steps)
    {
        var env = (LocomotionEnv)ContinuousEnvs.Create(task);
        var rng = new Rng(1);
        var actions = new float[steps][];
        for (int t = 0; t < steps; t++)
        {
            actions[t] = new float[copies * env.Nu];
            for (int k = 0; k < actions[t].Length; k++) actions[t][k] = (float)(2 * rng.NextDouble() - 1);
        }
        // The episodes the vectorised task runs, as (initial positions and velocities, actions) per copy, for the replay.
        var episodes = Record(env.WithThreads(1), copies, actions);
        double Vector(int threads)
        {
            var e = env.WithThreads(threads);
            var s = e.Reset(copies, 0);
            var watch = Stopwatch.StartNew();
            foreach (var a in actions) s = e.ResetDone(e.Step(s, a));
            return (double)steps * copies / watch.Elapsed.TotalSeconds;
        }
        double Raw()
        {
            var watch = Stopwatch.StartNew();
            return RawReplay(env, episodes) / watch.Elapsed.TotalSeconds;
        }
        double RawPair()
        {
            // Two plain threads, each with its own data: the thread pool could run both replays on one thread.
            var calls = new long[2];
            var watch = Stopwatch.StartNew();
            var threads = Enumerable.Range(0, 2).Select(i => new Thread(() => calls[i] = RawReplay(env, episodes))).ToArray();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            return (calls[0] + calls[1]) / watch.Elapsed.TotalSeconds;
        }
        var probes = new (string Name, Func<double> Rate)[] { ("raw", Raw), ("1", () => Vector(1)), ("2", () => Vector(2)), ("pair", RawPair) };
        foreach (var p in probes) p.Rate();
        var best = probes.ToDictionary(p => p.Name, _ => 0.0);
        for (int round = 0; round < Rounds; round++)
            foreach (var p in probes)
                best[p.Name] = Math.Max(best[p.Name], p.Rate());
        return new MujocoBenchCase(task, copies, env.Parameters.FrameSkip, best["raw"], [(1, best["1"]), (2, best["2"])], best["pair"]);
    }

    private sealed record Episode(double[] Qpos, double[] Qvel, List<float[]> Actions);

    private static List<Episode> Record(LocomotionEnv env, int copies, float[][] actions)
    {
        var episodes = new List<Episode>();
        var open = new Episode[copies];
        var s = env.Reset(copies, 0);
        void Open(VecEnvState state, int i)
        {
            var v = state.StateOf(i);
            open[i] = new Episode([.. v.Take(env.Nq)], [.. v.Skip(env.Nq).Take(env.Nv)], []);
            episodes.Add(open[i]);
        }
        for (int i = 0; i < copies; i++) Open(s, i);
        foreach (var a in actions)
        {
            for (int i = 0; i < copies; i++) open[i].Actions.Add(a[(i * env.Nu)..((i + 1) * env.Nu)]);
            var r = env.Step(s, a);
            s = env.ResetDone(r);
            for (int i = 0; i < copies; i++)
                if (r.Done(i)) Open(s, i);
        }
        return episodes;
    }

    /// <summary>Replays <paramref name="episodes"/> on one persistent data of its own; the <c>mj_step</c> calls made.</summary>
    private static long RawReplay(LocomotionEnv env, List<Episode> episodes)
    {
        using var data = env.Model.MakeData();
        int skip = env.Parameters.FrameSkip;
        long calls = 0;
        foreach (var e in episodes)
        {
            data.Reset();
            e.Qpos.CopyTo(data.Qpos);
            e.Qvel.CopyTo(data.Qvel);
            data.Forward();
            var ctrl = data.Ctrl;
            foreach (var a in e.Actions)
            {
                for (int u = 0; u < a.Length; u++) ctrl[u] = a[u];
                data.Step(skip);
                calls += skip;
            }
        }
        return calls;
    }
}
