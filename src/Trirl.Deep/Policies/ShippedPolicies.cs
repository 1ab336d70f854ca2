namespace Trirl.Deep;

/// <summary>
/// The expert policies shipped in <c>Trirl.Environments</c> (<see cref="ShippedExperts"/>), opened in one call:
/// <c>ShippedPolicies.Load("pendulum", Devices.Cpu)</c> is the SAC expert of the pendulum as an
/// <see cref="IContinuousPolicy"/> (its mean action, squashed and scaled to the action box, unless
/// <c>stochastic</c>).
/// </summary>
public static class ShippedPolicies
{
    /// <summary>The shipped expert of <paramref name="env"/> as a <see cref="PolicyFile"/> (not yet on a device).</summary>
    public static PolicyFile File(string env, string field = "env")
    {
        var bytes = ShippedExperts.PolicyBytes(env, field);
        string source = $"shipped expert policy of {env}";
        var file = PolicyFile.FromCheckpoint(CheckpointFile.Read(bytes, source), source);
        if (file.Env != env) throw new InvalidDataException($"the {source} was trained on '{file.Env}'; rebuild Trirl.Environments");
        return file;
    }

    /// <summary>
    /// The shipped expert of <paramref name="env"/> on <paramref name="device"/>: its mean action (deterministic) unless
    /// <paramref name="stochastic"/>. Dispose it.
    /// </summary>
    public static TorchPolicy Load(string env, torch.Device device, bool stochastic = false)
    {
        ArgumentNullException.ThrowIfNull(device);
        return File(env).Open(device, stochastic);
    }

    /// <summary>The shipped expert of <paramref name="env"/> on the CPU, deterministic. Dispose it.</summary>
    public static TorchPolicy Load(string env) => Load(env, Devices.Cpu);
}
