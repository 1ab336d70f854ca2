using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Trirl.Functional;
using Trirl.MuJoCo.Native;
using static Trirl.MuJoCo.Native.MjNative;

namespace Trirl.MuJoCo;

/// <summary>
/// A compiled MuJoCo model (<c>mjModel*</c>), owned by a <see cref="SafeHandle"/>: <see cref="Dispose"/> frees it at once
/// (<c>mj_deleteModel</c>), the finalizer if the owner forgets. Loaded from MJCF text in memory (MuJoCo's virtual file
/// system), so nothing is read from or written to disk. <c>mj_step</c> only reads the model, so any number of
/// <see cref="MjData"/> may step with it on different threads; the setters (<see cref="SetGravity"/>,
/// <see cref="SetActuatorGear"/>) are for building a model variant before it is shared.
/// </summary>
public sealed unsafe class MjModel : IDisposable
{
    private readonly ModelHandle handle;

    private MjModel(ModelHandle handle, string source)
    {
        this.handle = handle;
        Source = source;
    }

    /// <summary>
    /// Compiles the MJCF text <paramref name="xml"/>. A model MuJoCo rejects is a <see cref="TrirlInputException"/> for
    /// <paramref name="source"/> carrying MuJoCo's own error text; a missing libmujoco a <see cref="MuJoCoUnavailableException"/>.
    /// </summary>
    public static MjModel FromXml(string xml, string source)
    {
        Check.NotNull(xml, nameof(xml));
        Check.NotNull(source, nameof(source));
        var api = Api;
        var data = System.Text.Encoding.UTF8.GetBytes(xml);
        var name = Utf8z("model.xml");
        var vfs = NativeMemory.AllocZeroed((nuint)MjLayout.VfsSize);
        try
        {
            api.mj_defaultVFS(vfs);
            fixed (byte* n = name)
            {
                if (api.mj_makeEmptyFileVFS(vfs, n, data.Length) != 0)
                    throw new InvalidOperationException("MuJoCo's virtual file system refused the model file");
                int index = api.mj_findFileVFS(vfs, n);
                var buffer = ((void**)((byte*)vfs + MjLayout.VfsFiledata))[index];
                data.CopyTo(new Span<byte>(buffer, data.Length));
                var error = new byte[1000];
                nint model;
                fixed (byte* e = error)
                    model = api.mj_loadXML(n, vfs, e, error.Length);
                if (model == 0)
                {
                    string text = System.Text.Encoding.UTF8.GetString(error, 0, Math.Max(0, System.Array.IndexOf(error, (byte)0))).Trim();
                    throw new TrirlInputException(source, $"does not load in MuJoCo 2.2.2: {text.Replace('\n', ' ')}",
                        "pass MJCF that MuJoCo 2.2.2 accepts (MuJoCo 3 attributes such as gravcomp or actdim are unknown to it)");
                }
                return new MjModel(new ModelHandle(model), source);
            }
        }
        finally
        {
            api.mj_deleteVFS(vfs);
            NativeMemory.Free(vfs);
        }
    }

    /// <summary>What the model was loaded from (for messages).</summary>
    public string Source { get; }

    internal nint Pointer => handle.IsClosed ? throw new ObjectDisposedException(nameof(MjModel), $"the model of {Source} was disposed") : handle.DangerousGetHandle();

    /// <summary>Number of generalised coordinates <c>nq</c> (length of <c>qpos</c>).</summary>
    public int Nq => Field<int>(Pointer, MjLayout.ModelNq);

    /// <summary>Number of degrees of freedom <c>nv</c> (length of <c>qvel</c>).</summary>
    public int Nv => Field<int>(Pointer, MjLayout.ModelNv);

    /// <summary>Number of actuators <c>nu</c> (length of <c>ctrl</c>).</summary>
    public int Nu => Field<int>(Pointer, MjLayout.ModelNu);

    /// <summary>Number of activation states <c>na</c> (0 for plain motors).</summary>
    public int Na => Field<int>(Pointer, MjLayout.ModelNa);

    /// <summary>Number of bodies <c>nbody</c>, the world body 0 included.</summary>
    public int Nbody => Field<int>(Pointer, MjLayout.ModelNbody);

    /// <summary>The simulation timestep <c>opt.timestep</c> in seconds.</summary>
    public double Timestep => Field<double>(Pointer, MjLayout.ModelOpt + MjLayout.OptionTimestep);

    /// <summary>The gravity vector <c>opt.gravity</c> (m/s^2), a copy.</summary>
    public double[] Gravity => OptionVector(MjLayout.OptionGravity).ToArray();

    /// <summary>Sets <c>opt.gravity</c>; do it before the model steps on other threads.</summary>
    public void SetGravity(double x, double y, double z) => SetOptionVector(MjLayout.OptionGravity, FiniteVector(x, y, z));

    /// <summary>The velocity of the medium <c>opt.wind</c> (m/s), a copy: with a positive density or viscosity it drags every body.</summary>
    public double[] Wind => OptionVector(MjLayout.OptionWind).ToArray();

    /// <summary>Density of the medium <c>opt.density</c> (kg/m^3; 0 = vacuum, the default).</summary>
    public double Density => Field<double>(Pointer, MjLayout.ModelOpt + MjLayout.OptionDensity);

    /// <summary>Viscosity of the medium <c>opt.viscosity</c> (Pa s; 0 by default).</summary>
    public double Viscosity => Field<double>(Pointer, MjLayout.ModelOpt + MjLayout.OptionViscosity);

    /// <summary>
    /// Sets the medium: wind velocity <c>opt.wind</c>, density and viscosity. MuJoCo then applies drag and viscous
    /// forces to every body from its velocity relative to the wind (its inertia-box fluid model).
    /// </summary>
    public void SetMedium(double windX, double windY, double windZ, double density, double viscosity)
    {
        var wind = FiniteVector(windX, windY, windZ);
        Check.NonNegative(density, nameof(density));
        Check.NonNegative(viscosity, nameof(viscosity));
        SetOptionVector(MjLayout.OptionWind, wind);
        Field<double>(Pointer, MjLayout.ModelOpt + MjLayout.OptionDensity) = density;
        Field<double>(Pointer, MjLayout.ModelOpt + MjLayout.OptionViscosity) = viscosity;
    }

    /// <summary>The reference configuration <c>qpos0</c> (the state a reset starts from), a copy.</summary>
    public double[] Qpos0 => Array(MjLayout.ModelQpos0, Nq).ToArray();

    /// <summary>The mass of body <paramref name="body"/> (kg).</summary>
    public double BodyMass(int body) => Array(MjLayout.ModelBodyMass, Nbody)[CheckIndex(body, Nbody, "body")];

    /// <summary>The control range <c>(low, high)</c> of actuator <paramref name="actuator"/>.</summary>
    public (double Low, double High) ActuatorCtrlRange(int actuator)
    {
        var r = Array(MjLayout.ModelActuatorCtrlrange, 2 * Nu);
        int i = CheckIndex(actuator, Nu, "actuator");
        return (r[2 * i], r[2 * i + 1]);
    }

    /// <summary>The first gear ratio of actuator <paramref name="actuator"/> (the torque per unit control of a joint motor).</summary>
    public double ActuatorGear(int actuator) => Array(MjLayout.ModelActuatorGear, 6 * Nu)[6 * CheckIndex(actuator, Nu, "actuator")];

    /// <summary>Sets the first gear ratio of actuator <paramref name="actuator"/> (0 makes the motor give no torque).</summary>
    public void SetActuatorGear(int actuator, double gear)
    {
        Check.Finite(gear, nameof(gear));
        Array(MjLayout.ModelActuatorGear, 6 * Nu)[6 * CheckIndex(actuator, Nu, "actuator")] = gear;
    }

    /// <summary>The index of the body named <paramref name="name"/> (<c>mj_name2id</c>); an unknown name is a <see cref="TrirlInputException"/>.</summary>
    public int BodyId(string name)
    {
        Check.NotNull(name, nameof(name));
        const int mjOBJ_BODY = 1;
        var n = Utf8z(name);
        int id;
        fixed (byte* p = n) id = Api.mj_name2id(Pointer, mjOBJ_BODY, p);
        return id >= 0 ? id : throw new TrirlInputException(nameof(name), $"{Source} has no body named '{name}'", "pass the name of a body of the model");
    }

    /// <summary>A fresh <c>mjData</c> for this model (<c>mj_makeData</c>), at the reference configuration.</summary>
    public MjData MakeData() => new(this);

    /// <summary>Frees the model now (<c>mj_deleteModel</c>); data made from it must not step afterwards.</summary>
    public void Dispose() => handle.Dispose();

    /// <summary>The 3-vector of <c>opt</c> at <paramref name="option"/> (gravity, wind), in place.</summary>
    private Span<double> OptionVector(int option) => new((void*)(Pointer + MjLayout.ModelOpt + option), 3);

    /// <summary>Writes a vector that <see cref="FiniteVector"/> checked into the 3-vector of <c>opt</c> at <paramref name="option"/>.</summary>
    private void SetOptionVector(int option, (double X, double Y, double Z) v)
    {
        var target = OptionVector(option);
        target[0] = v.X;
        target[1] = v.Y;
        target[2] = v.Z;
    }

    /// <summary>
    /// <c>(x, y, z)</c> once each is finite; an error names the caller's parameter (its argument expression), so a setter
    /// checks all its input before it writes anything.
    /// </summary>
    private static (double X, double Y, double Z) FiniteVector(double x, double y, double z,
        [CallerArgumentExpression(nameof(x))] string xField = "x", [CallerArgumentExpression(nameof(y))] string yField = "y",
        [CallerArgumentExpression(nameof(z))] string zField = "z")
    {
        Check.Finite(x, xField);
        Check.Finite(y, yField);
        Check.Finite(z, zField);
        return (x, y, z);
    }

    private Span<double> Array(int offset, int length) => new((void*)Field<nint>(Pointer, offset), length);

    private static int CheckIndex(int index, int count, string what) =>
        (uint)index < (uint)count ? index : throw new TrirlInputException(what, $"is {index}, outside [0, {count})", $"pass a {what} index of the model");

    private sealed class ModelHandle(nint model) : SafeHandle(model, ownsHandle: true)
    {
        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            Api.mj_deleteModel(handle);
            return true;
        }
    }
}
