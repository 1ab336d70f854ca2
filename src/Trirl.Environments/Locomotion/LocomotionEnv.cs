using Trirl.MuJoCo;

namespace Trirl.Environments;

/// <summary>
/// A MuJoCo locomotion task with the step semantics of Gymnasium's <c>*-v4</c> environments, stepped as <c>N</c>
/// copies at once (<see cref="ContinuousEnv"/>): <see cref="Hopper"/>, <see cref="Walker2d"/>,
/// <see cref="HalfCheetah"/>, <see cref="Ant"/> and the transfer twins. One step of a copy from state <c>s</c> with action
/// <c>a</c>:
/// <code>
/// ctrl      = a (disabled controls 0; MuJoCo clamps ctrl to [-1, 1])
/// s'        = FrameSkip x mj_step from s
/// v_x       = (x(s') - x(s)) / dt,  dt = FrameSkip * timestep
/// reward    = ForwardRewardWeight v_x + HealthyReward - CtrlCostWeight sum_j a_j^2
/// terminated = TerminateWhenUnhealthy and not healthy(s')
/// </code>
/// The control cost uses the action as given (unclipped) and is summed in float64. The state of a copy is
/// <c>(qpos, qvel, qacc_warmstart)</c> and, for the Ant, the torso position MuJoCo last computed (what Gymnasium's
/// <c>get_body_com</c> reads): the whole of what determines the next step, so a step is a pure function of the state
/// and the action, and a copy's trajectory is bit-identical whatever the number of copies or threads. Each reset draws
/// <c>qpos = qpos0 + U(-c, c)</c> and the task's velocity noise, then runs <c>mj_forward</c> (as Gymnasium's
/// <c>set_state</c>), whose accelerations warm-start the first step.
/// </summary>
public abstract class LocomotionEnv : ContinuousEnv
{
    private readonly LocomotionModels models;
    private readonly bool[] disabled;
    private int threads;

    /// <summary>
    /// A planar body (hopper, walker, cheetah) whose joints are <paramref name="joints"/>, the first being the x slide:
    /// one position and one velocity per joint, observed as Gymnasium's planar tasks do (<c>qpos[1..]</c>, leaving the x
    /// position out, then every velocity <c>v_joint</c>), with the torso's x position and velocity as info.
    /// </summary>
    private protected LocomotionEnv(string name, LocomotionParameters parameters, ImmutableArray<string> joints)
        : this(name, parameters, joints, joints, [], [.. joints.Skip(1), .. joints.Select(j => "v_" + j)], ["x_position", "x_velocity"])
    {
    }

    private protected LocomotionEnv(string name, LocomotionParameters parameters, ImmutableArray<string> qposNames,
        ImmutableArray<string> qvelNames, ImmutableArray<string> extraNames, ImmutableArray<string> observationNames, ImmutableArray<string> infoNames)
        : base(MakeSpec(name, parameters, qposNames, qvelNames, extraNames, observationNames, infoNames))
    {
        Parameters = parameters;
        models = LocomotionModels.For(parameters);
        var model = models.Model;
        if (model.Nq != qposNames.Length || model.Nv != qvelNames.Length)
            throw new TrirlInputException("ModelFile", $"{parameters.ModelFile} has nq = {model.Nq}, nv = {model.Nv} but {name} expects {qposNames.Length} and {qvelNames.Length}",
                $"use the model file of {name}");
        Nq = model.Nq;
        Nv = model.Nv;
        Nu = model.Nu;
        Dt = model.Timestep * parameters.FrameSkip;
        Qpos0 = [.. model.Qpos0];
        disabled = new bool[Nu];
        foreach (var c in parameters.Shift.DisabledControls)
        {
            if (c >= Nu) throw new TrirlInputException("Shift.DisabledControls", $"holds {c} but {name} has {Nu} controls", $"pass indices in [0, {Nu})");
            disabled[c] = true;
        }
        threads = Environment.ProcessorCount;
    }

    private static ContinuousEnvSpec MakeSpec(string name, LocomotionParameters p, ImmutableArray<string> qposNames, ImmutableArray<string> qvelNames,
        ImmutableArray<string> extraNames, ImmutableArray<string> observationNames, ImmutableArray<string> infoNames)
    {
        Check.NotNull(p, "parameters");
        p.Validated();
        ImmutableArray<string> state = [.. qposNames.Select(n => "qpos." + n), .. qvelNames.Select(n => "qvel." + n),
            .. qvelNames.Select(n => "qacc_warmstart." + n), .. extraNames];
        int nu = ActionCount(p.ModelFile);
        return new ContinuousEnvSpec(name, state, observationNames, [.. Enumerable.Repeat(-1f, nu)], [.. Enumerable.Repeat(1f, nu)], p.MaxSteps)
        {
            InfoNames = infoNames,
        };
    }

    private static int ActionCount(string file) => file switch
    {
        "hopper.xml" => 3,
        "walker2d.xml" or "halfcheetah.xml" => 6,
        "ant.xml" or "ant-disabled.xml" => 8,
        _ => throw new TrirlInputException("ModelFile", $"'{file}' is not a locomotion model", "use hopper.xml, walker2d.xml, halfcheetah.xml, ant.xml or ant-disabled.xml"),
    };

    /// <summary>The task's constants.</summary>
    public LocomotionParameters Parameters { get; }

    /// <summary>Number of generalised coordinates <c>nq</c>.</summary>
    public int Nq { get; }

    /// <summary>Number of degrees of freedom <c>nv</c>.</summary>
    public int Nv { get; }

    /// <summary>Number of controls <c>nu</c> (the action size).</summary>
    public int Nu { get; }

    /// <summary>Duration of one environment step: <c>FrameSkip * timestep</c> seconds.</summary>
    public double Dt { get; }

    /// <summary>The model's reference configuration <c>qpos0</c>.</summary>
    public ImmutableArray<double> Qpos0 { get; }

    /// <summary>The compiled model, shared by every environment with the same physics (read it; do not change it).</summary>
    public MjModel Model => models.Model;

    /// <summary>Threads that step the copies (default: the processor count); results do not depend on it.</summary>
    public int Threads => threads;

    /// <summary>This task stepped with <paramref name="count"/> threads (1 = on the caller's thread).</summary>
    public LocomotionEnv WithThreads(int count)
    {
        Check.PositiveInt(count, "threads");
        var copy = (LocomotionEnv)MemberwiseClone();
        copy.threads = count;
        return copy;
    }

    /// <summary>Number of state components after <c>(qpos, qvel, qacc_warmstart)</c>.</summary>
    private int ExtraSize => Spec.StateSize - Nq - 2 * Nv;

    /// <summary>
    /// The full state of one copy at positions <paramref name="qpos"/> and velocities <paramref name="qvel"/>, as a reset
    /// makes it: <c>mj_forward</c> supplies the warm start (and the Ant's torso position). Use it to replay a dataset's
    /// <c>qpos</c>/<c>qvel</c> through <see cref="ContinuousEnv.ResetFrom"/>.
    /// </summary>
    public ImmutableArray<double> StateFromPositions(IReadOnlyList<double> qpos, IReadOnlyList<double> qvel)
    {
        Check.NotNull(qpos, nameof(qpos));
        Check.NotNull(qvel, nameof(qvel));
        if (qpos.Count != Nq) throw new TrirlInputException(nameof(qpos), $"has {qpos.Count} values but {Name} has nq = {Nq}", "pass one value per coordinate");
        if (qvel.Count != Nv) throw new TrirlInputException(nameof(qvel), $"has {qvel.Count} values but {Name} has nv = {Nv}", "pass one value per degree of freedom");
        var state = new double[Spec.StateSize];
        for (int j = 0; j < Nq; j++) Check.Finite(state[j] = qpos[j], $"qpos[{j}]");
        for (int j = 0; j < Nv; j++) Check.Finite(state[Nq + j] = qvel[j], $"qvel[{j}]");
        Settle(state);
        return [.. state];
    }

    private protected override void Sample(Rng rng, Span<double> state)
    {
        double c = Parameters.ResetNoiseScale;
        for (int j = 0; j < Nq; j++) state[j] = Qpos0[j] + (-c + 2 * c * rng.NextDouble());
        for (int j = 0; j < Nv; j++) state[Nq + j] = VelocityNoise(rng, c);
        Settle(state);
    }

    /// <summary>One draw of a velocity's reset noise: <c>U(-c, c)</c> (Hopper, Walker2d) or <c>c N(0, 1)</c> (HalfCheetah, Ant).</summary>
    private protected abstract double VelocityNoise(Rng rng, double scale);

    /// <summary>Fills the warm start and the extra components of a state whose positions and velocities are set (<c>mj_forward</c>).</summary>
    private void Settle(Span<double> state)
    {
        var data = models.Rent();
        try
        {
            data.Reset();
            state[..Nq].CopyTo(data.Qpos);
            state.Slice(Nq, Nv).CopyTo(data.Qvel);
            data.Forward();
            data.QaccWarmstart.CopyTo(state.Slice(Nq + Nv, Nv));
            ReadExtra(data, state[(Nq + 2 * Nv)..]);
        }
        finally
        {
            models.Return(data);
        }
    }

    /// <summary>Reads the task's extra state components (the Ant's torso position) from data after a step or forward pass.</summary>
    private protected virtual void ReadExtra(MjData data, Span<double> extra) { }

    /// <summary>The <c>(x, y)</c> position whose change is the task's velocity: <c>qpos[0]</c> or the Ant's torso position.</summary>
    private protected virtual (double X, double Y) Position(ReadOnlySpan<double> qpos, ReadOnlySpan<double> extra) => (qpos[0], 0.0);

    /// <summary>Whether the state after a step is healthy (the task's ranges).</summary>
    private protected abstract bool IsHealthy(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel);

    /// <summary>Writes one copy's float32 observation.</summary>
    private protected abstract void Observe(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel, Span<float> observation);

    /// <summary>Writes one copy's info values after a step (default: <c>x_position</c>, <c>x_velocity</c>).</summary>
    private protected virtual void Info((double X, double Y) after, (double X, double Y) velocity, Span<double> info)
    {
        info[0] = after.X;
        info[1] = velocity.X;
    }

    private protected override void Dynamics(double[][] state, float[] actions, double[][] next, double[] rewards, bool[] terminated, double[] info)
    {
        int n = rewards.Length;
        if (Math.Min(threads, n) <= 1)
        {
            StepCopies(0, n, state, actions, next, rewards, terminated, info);
            return;
        }
        // More chunks than threads, handed out as threads free up: a copy's step costs more with more contacts (an ant
        // on its back), so halves fixed in advance leave one thread waiting. Results do not depend on the chunking.
        int chunks = Math.Min(n, ChunksPerThread * threads);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            c => StepCopies((int)((long)c * n / chunks), (int)((long)(c + 1) * n / chunks), state, actions, next, rewards, terminated, info));
    }

    /// <summary>Chunks of copies per stepping thread (see <see cref="Dynamics"/>).</summary>
    private const int ChunksPerThread = 4;

    private void StepCopies(int from, int to, double[][] state, float[] actions, double[][] next, double[] rewards, bool[] terminated, double[] info)
    {
        var p = Parameters;
        int size = Spec.StateSize, extraAt = Nq + 2 * Nv, infoSize = Spec.InfoSize;
        Span<double> before = stackalloc double[size];
        Span<double> after = stackalloc double[size];
        var data = models.Rent();
        try
        {
            var qpos = data.Qpos;
            var qvel = data.Qvel;
            var warm = data.QaccWarmstart;
            var ctrl = data.Ctrl;
            for (int i = from; i < to; i++)
            {
                for (int c = 0; c < size; c++) before[c] = state[c][i];
                before[..Nq].CopyTo(qpos);
                before.Slice(Nq, Nv).CopyTo(qvel);
                before.Slice(Nq + Nv, Nv).CopyTo(warm);
                double ctrlCost = 0;
                for (int u = 0; u < Nu; u++)
                {
                    double a = disabled[u] ? 0.0 : actions[i * Nu + u];
                    ctrl[u] = a;
                    ctrlCost += a * a;
                }
                data.Step(p.FrameSkip);
                qpos.CopyTo(after);
                qvel.CopyTo(after.Slice(Nq, Nv));
                warm.CopyTo(after.Slice(Nq + Nv, Nv));
                ReadExtra(data, after[extraAt..]);
                for (int c = 0; c < size; c++) next[c][i] = after[c];

                var x0 = Position(before[..Nq], before[extraAt..]);
                var x1 = Position(after[..Nq], after[extraAt..]);
                var velocity = ((x1.X - x0.X) / Dt, (x1.Y - x0.Y) / Dt);
                bool healthy = IsHealthy(after[..Nq], after.Slice(Nq, Nv));
                // Gymnasium: healthy_reward = (is_healthy or terminate_when_unhealthy) * healthy_reward.
                double healthyReward = healthy || p.TerminateWhenUnhealthy ? p.HealthyReward : 0.0;
                rewards[i] = p.ForwardRewardWeight * velocity.Item1 + healthyReward - p.CtrlCostWeight * ctrlCost;
                terminated[i] = p.TerminateWhenUnhealthy && !healthy;
                Info(x1, velocity, info.AsSpan(i * infoSize, infoSize));
            }
        }
        finally
        {
            models.Return(data);
        }
    }

    private protected override void ObserveInto(double[][] state, float[] observations)
    {
        int n = state[0].Length, obsDim = Spec.ObservationSize;
        Span<double> qpos = stackalloc double[Nq];
        Span<double> qvel = stackalloc double[Nv];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < Nq; j++) qpos[j] = state[j][i];
            for (int j = 0; j < Nv; j++) qvel[j] = state[Nq + j][i];
            Observe(qpos, qvel, observations.AsSpan(i * obsDim, obsDim));
        }
    }
}
