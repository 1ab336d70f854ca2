using System.Runtime.InteropServices;
using Trirl.Functional;
using Trirl.MuJoCo.Native;
using static Trirl.MuJoCo.Native.MjNative;

namespace Trirl.MuJoCo;

/// <summary>
/// The simulation state and scratch of one copy (<c>mjData*</c>) for one <see cref="MjModel"/>, owned by a
/// <see cref="SafeHandle"/> (<c>mj_deleteData</c> at <see cref="Dispose"/>, or by the finalizer). The spans
/// (<see cref="Qpos"/>, <see cref="Qvel"/>, ...) view MuJoCo's own arrays: read and write them between steps, never
/// after <see cref="Dispose"/>. One data steps on one thread at a time.
/// <para>
/// The state that determines the next step is <c>(qpos, qvel, qacc_warmstart)</c> for the models here (no
/// activations, mocap bodies or plugins): MuJoCo's constraint solver starts from the last step's accelerations, so a
/// copy that is saved and restored with its warm start continues bit for bit as if it had never left its data.
/// </para>
/// </summary>
public sealed unsafe class MjData : IDisposable
{
    private readonly MjModel model;
    private readonly DataHandle handle;
    private readonly int nq, nv, nu, nbody;

    internal MjData(MjModel model)
    {
        this.model = model;
        nint m = model.Pointer;
        nint d = Api.mj_makeData(m);
        if (d == 0) throw new OutOfMemoryException($"mj_makeData could not allocate the data of {model.Source}");
        handle = new DataHandle(d);
        nq = model.Nq;
        nv = model.Nv;
        nu = model.Nu;
        nbody = model.Nbody;
    }

    /// <summary>The model this data belongs to.</summary>
    public MjModel Model => model;

    private nint Pointer => handle.IsClosed ? throw new ObjectDisposedException(nameof(MjData), $"the data of {model.Source} was disposed") : handle.DangerousGetHandle();

    private Span<double> Array(int offset, int length) => new((void*)Field<nint>(Pointer, offset), length);

    /// <summary>Generalised positions <c>qpos</c> (<c>nq</c>).</summary>
    public Span<double> Qpos => Array(MjLayout.DataQpos, nq);

    /// <summary>Generalised velocities <c>qvel</c> (<c>nv</c>).</summary>
    public Span<double> Qvel => Array(MjLayout.DataQvel, nv);

    /// <summary>The accelerations the constraint solver starts from at the next step (<c>qacc_warmstart</c>, <c>nv</c>).</summary>
    public Span<double> QaccWarmstart => Array(MjLayout.DataQaccWarmstart, nv);

    /// <summary>Controls <c>ctrl</c> (<c>nu</c>); MuJoCo clamps them to each actuator's control range when it is limited.</summary>
    public Span<double> Ctrl => Array(MjLayout.DataCtrl, nu);

    /// <summary>Cartesian force and torque applied to each body, <c>xfrc_applied</c> (<c>nbody x 6</c>: force xyz, torque xyz, world frame).</summary>
    public Span<double> XfrcApplied => Array(MjLayout.DataXfrcApplied, 6 * nbody);

    /// <summary>Cartesian body positions <c>xpos</c> (<c>nbody x 3</c>) as of the last kinematics pass.</summary>
    public Span<double> Xpos => Array(MjLayout.DataXpos, 3 * nbody);

    /// <summary>
    /// External contact forces per body, <c>cfrc_ext</c> (<c>nbody x 6</c>), as of the last <c>mj_rnePostConstraint</c>;
    /// MuJoCo 2.x computes it only when a sensor needs it, so after a plain step it holds zeros.
    /// </summary>
    public Span<double> CfrcExt => Array(MjLayout.DataCfrcExt, 6 * nbody);

    /// <summary>Simulation time in seconds.</summary>
    public double Time => Field<double>(Pointer, MjLayout.DataTime);

    /// <summary>
    /// How many times MuJoCo has raised <paramref name="warning"/> on this data since the last reset, e.g.
    /// <see cref="MjWarning.BadQacc"/>: the simulation diverged and MuJoCo reset the data to the reference configuration.
    /// </summary>
    public int WarningCount(MjWarning warning)
    {
        if (!Enum.IsDefined(warning)) throw new TrirlInputException(nameof(warning), $"is {(int)warning}, not a MuJoCo warning", "pass an MjWarning value");
        return Field<int>(Pointer, MjLayout.DataWarning + (int)warning * MjLayout.WarningStatSize + sizeof(int));
    }

    /// <summary>One simulation step (<c>mj_step</c>): forward dynamics, then the model's integrator over one timestep.</summary>
    public void Step()
    {
        nint m = model.Pointer, d = Pointer;
        Api.mj_step(m, d);
    }

    /// <summary><paramref name="steps"/> simulation steps (a task's frame skip).</summary>
    public void Step(int steps)
    {
        nint m = model.Pointer, d = Pointer;
        var step = Api.mj_step;
        for (int i = 0; i < steps; i++) step(m, d);
    }

    /// <summary>Forward dynamics without integration (<c>mj_forward</c>): positions, velocities and accelerations computed, time unchanged.</summary>
    public void Forward() => Api.mj_forward(model.Pointer, Pointer);

    /// <summary>Back to the reference configuration, zero velocities, warm start, controls and applied forces (<c>mj_resetData</c>).</summary>
    public void Reset() => Api.mj_resetData(model.Pointer, Pointer);

    /// <summary>Frees the data now (<c>mj_deleteData</c>).</summary>
    public void Dispose() => handle.Dispose();

    private sealed class DataHandle(nint data) : SafeHandle(data, ownsHandle: true)
    {
        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            Api.mj_deleteData(handle);
            return true;
        }
    }
}

/// <summary>MuJoCo's warning kinds (<c>mjtWarning</c> in <c>mjdata.h</c>), in its order.</summary>
public enum MjWarning
{
    /// <summary>(Near) singular inertia matrix.</summary>
    Inertia = 0,
    /// <summary>Too many contacts in the contact list.</summary>
    ContactFull,
    /// <summary>Too many constraints.</summary>
    ConstraintFull,
    /// <summary>Too many visual geoms.</summary>
    VisualGeomFull,
    /// <summary>A bad number in qpos.</summary>
    BadQpos,
    /// <summary>A bad number in qvel.</summary>
    BadQvel,
    /// <summary>A bad number in qacc: the simulation diverged and was reset.</summary>
    BadQacc,
    /// <summary>A bad number in ctrl.</summary>
    BadCtrl,
}
