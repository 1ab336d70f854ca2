namespace Trirl.MuJoCo.Native;

/// <summary>
/// Byte offsets of the fields this layer reads in MuJoCo 2.2.2's structs (x86-64 Linux), taken from the headers
/// Debian's <c>libmujoco-dev</c> installs (<c>/usr/include/mujoco/mjmodel.h</c>, <c>mjdata.h</c>). They hold for
/// exactly that version: <see cref="MjNative"/> refuses any other <c>mj_version()</c>, and a test compiles a C program
/// against the headers and compares its <c>offsetof</c> values with these.
/// </summary>
internal static class MjLayout
{
    /// <summary>The one MuJoCo version (<c>mj_version()</c>) these offsets belong to: 2.2.2.</summary>
    public const int Version = 222;

    // mjModel: sizes at the start of the struct (ints).
    public const int ModelNq = 0;
    public const int ModelNv = 4;
    public const int ModelNu = 8;
    public const int ModelNa = 12;
    public const int ModelNbody = 16;

    // mjModel.opt (an mjOption) and the fields of mjOption used here.
    public const int ModelOpt = 232;
    public const int OptionTimestep = 0;
    public const int OptionGravity = 48;
    public const int OptionWind = 72;
    public const int OptionDensity = 120;
    public const int OptionViscosity = 128;

    // mjModel array pointers.
    public const int ModelQpos0 = 1096;
    public const int ModelBodyMass = 1240;
    public const int ModelActuatorCtrlrange = 2792;
    public const int ModelActuatorGear = 2816;

    // mjData: warning statistics (mjWarningStat { int lastinfo; int number; }), time, and array pointers.
    public const int DataWarning = 24;
    public const int WarningStatSize = 8;
    public const int DataTime = 40336;
    public const int DataQpos = 40376;
    public const int DataQvel = 40384;
    public const int DataAct = 40392;
    public const int DataQaccWarmstart = 40400;
    public const int DataCtrl = 40408;
    public const int DataXfrcApplied = 40424;
    public const int DataXpos = 40480;
    public const int DataCfrcExt = 41168;

    // mjVFS: { int nfile; char filename[2000][1000]; int filesize[2000]; void* filedata[2000]; }.
    public const int VfsFiledata = 2008008;
    public const int VfsSize = 2024008;

    /// <summary>The offsets by the names the header test prints (<c>struct.field</c>).</summary>
    public static IReadOnlyDictionary<string, int> ByName { get; } = new Dictionary<string, int>
    {
        ["mjModel.nq"] = ModelNq, ["mjModel.nv"] = ModelNv, ["mjModel.nu"] = ModelNu, ["mjModel.na"] = ModelNa,
        ["mjModel.nbody"] = ModelNbody, ["mjModel.opt"] = ModelOpt, ["mjOption.timestep"] = OptionTimestep,
        ["mjOption.gravity"] = OptionGravity, ["mjOption.wind"] = OptionWind, ["mjOption.density"] = OptionDensity,
        ["mjOption.viscosity"] = OptionViscosity, ["mjModel.qpos0"] = ModelQpos0, ["mjModel.body_mass"] = ModelBodyMass,
        ["mjModel.actuator_ctrlrange"] = ModelActuatorCtrlrange, ["mjModel.actuator_gear"] = ModelActuatorGear,
        ["mjData.warning"] = DataWarning, ["sizeof.mjWarningStat"] = WarningStatSize, ["mjData.time"] = DataTime,
        ["mjData.qpos"] = DataQpos, ["mjData.qvel"] = DataQvel, ["mjData.act"] = DataAct,
        ["mjData.qacc_warmstart"] = DataQaccWarmstart, ["mjData.ctrl"] = DataCtrl, ["mjData.xfrc_applied"] = DataXfrcApplied,
        ["mjData.xpos"] = DataXpos, ["mjData.cfrc_ext"] = DataCfrcExt, ["mjVFS.filedata"] = VfsFiledata, ["sizeof.mjVFS"] = VfsSize,
    };
}
