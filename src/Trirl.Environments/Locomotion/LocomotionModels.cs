using System.Collections.Concurrent;
using System.Reflection;
using Trirl.MuJoCo;

namespace Trirl.Environments;

/// <summary>
/// The compiled models of the locomotion tasks, one per distinct physics (model file and shift), compiled on first use
/// and shared by every environment of the process: <c>mj_step</c> only reads a model. Each model keeps a pool of
/// <see cref="MjData"/> scratch buffers that a step rents for a run of copies and returns; the pool grows to the
/// number of steps running at once (at most the thread count) and no further, so a long run allocates nothing per
/// step and leaks nothing.
/// </summary>
internal sealed class LocomotionModels
{
    private static readonly ConcurrentDictionary<(string File, double? GravityZ, double WindX, double Density, double Viscosity), Lazy<LocomotionModels>> Cache = new();
    private readonly ConcurrentBag<MjData> pool = [];
    private int created;

    private LocomotionModels(MjModel model) => Model = model;

    /// <summary>The model.</summary>
    public MjModel Model { get; }

    /// <summary>Number of data buffers made so far (the pool's high-water mark).</summary>
    public int DataCreated => Volatile.Read(ref created);

    /// <summary>The shared model for <paramref name="parameters"/> (its file, with the shift's gravity and medium applied).</summary>
    public static LocomotionModels For(LocomotionParameters parameters)
    {
        var s = parameters.Shift;
        var key = (parameters.ModelFile, s.GravityZ, s.WindX, s.Density, s.Viscosity);
        var lazy = Cache.GetOrAdd(key, _ => new Lazy<LocomotionModels>(() => Load(parameters), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Cache.TryRemove(key, out _); // a failed load (libmujoco missing) is retried on the next use, after the fix
            throw;
        }
    }

    private static LocomotionModels Load(LocomotionParameters parameters)
    {
        var model = MjModel.FromXml(ModelXml(parameters.ModelFile), parameters.ModelFile);
        var s = parameters.Shift;
        if (s.GravityZ is { } g)
        {
            var old = model.Gravity;
            model.SetGravity(old[0], old[1], g);
        }
        if (s.WindX != 0 || s.Density != 0 || s.Viscosity != 0) model.SetMedium(s.WindX, 0, 0, s.Density, s.Viscosity);
        return new LocomotionModels(model);
    }

    /// <summary>The MJCF text of an embedded model file (<c>Locomotion/Models/*.xml</c>).</summary>
    public static string ModelXml(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Trirl.Environments.Models.{file}")
            ?? throw new TrirlInputException("ModelFile", $"'{file}' is not an embedded model",
                "use hopper.xml, walker2d.xml, halfcheetah.xml, ant.xml or ant-disabled.xml");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A scratch data buffer of the model (from the pool, or new).</summary>
    public MjData Rent()
    {
        if (pool.TryTake(out var data)) return data;
        Interlocked.Increment(ref created);
        return Model.MakeData();
    }

    /// <summary>Gives a buffer back to the pool.</summary>
    public void Return(MjData data) => pool.Add(data);
}
