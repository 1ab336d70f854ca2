using System.Text;
using System.Text.Json;

namespace Trirl.Deep;

/// <summary>
/// A trained policy on its own (a <see cref="CheckpointFile"/> of kind <c>policy</c>): the algorithm that trained it
/// (<c>ppo</c>: Gaussian with state-independent std; <c>sac</c>: tanh-squashed Gaussian), the environment, the
/// observation and action sizes, the action box, whether actions are clipped to the box (PPO with
/// <see cref="PpoSettings.ClipActions"/>), the network shape and the weights. <see cref="Open"/> makes it an
/// <see cref="IContinuousPolicy"/> on a device.
/// </summary>
public sealed class PolicyFile
{
    private readonly byte[] weights;

    internal PolicyFile(string algo, string env, int observationSize, int actionSize, ImmutableArray<float> low, ImmutableArray<float> high,
        MlpSpec network, byte[] weights, bool observationNormalization = false, bool clipActions = false)
    {
        ObservationNormalization = observationNormalization;
        ClipActions = clipActions;
        Algo = algo;
        Env = env;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        ActionLow = low;
        ActionHigh = high;
        Network = network;
        this.weights = weights;
    }

    /// <summary>The algorithm that trained the policy: <c>ppo</c> or <c>sac</c>.</summary>
    public string Algo { get; }

    /// <summary>The environment it was trained on.</summary>
    public string Env { get; }

    /// <summary>Observation size.</summary>
    public int ObservationSize { get; }

    /// <summary>Action size.</summary>
    public int ActionSize { get; }

    /// <summary>Lower bounds of the action box.</summary>
    public ImmutableArray<float> ActionLow { get; }

    /// <summary>Upper bounds of the action box.</summary>
    public ImmutableArray<float> ActionHigh { get; }

    /// <summary>Shape of the policy network.</summary>
    public MlpSpec Network { get; }

    /// <summary>Whether the policy normalises its observations (<see cref="ObservationNormalizer"/>, saved with its weights).</summary>
    public bool ObservationNormalization { get; }

    /// <summary>
    /// Whether the policy's actions are clipped to the action box, <c>a' = min(max(a, low), high)</c>, as its learner's
    /// rollouts and evaluations sent them (PPO with <see cref="PpoSettings.ClipActions"/>, the locomotion presets). Files
    /// written before this flag existed, and the shipped experts', lack it: off.
    /// </summary>
    public bool ClipActions { get; }

    /// <summary>Standard file name inside a run or expert folder.</summary>
    public const string FileName = "policy.ckpt";

    internal static PolicyFile Of(string algo, ContinuousEnv env, MlpSpec network, torch.nn.Module module, bool observationNormalization = false,
        bool clipActions = false)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) w.WriteModule("policy", module);
        return new PolicyFile(algo, env.Name, env.Spec.ObservationSize, env.Spec.ActionSize, env.Spec.ActionLow, env.Spec.ActionHigh, network, ms.ToArray(),
            observationNormalization, clipActions);
    }

    /// <summary>The policy as a checkpoint file.</summary>
    public CheckpointFile ToCheckpoint()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("kind", "policy");
            w.WriteString("algo", Algo);
            w.WriteString("env", Env);
            w.WriteNumber("observation_size", ObservationSize);
            w.WriteNumber("action_size", ActionSize);
            w.WriteNumberArray("action_low", ActionLow);
            w.WriteNumberArray("action_high", ActionHigh);
            w.WritePropertyName("network");
            SettingsJson.Write(w, Network);
            if (ObservationNormalization) w.WriteBoolean("observation_normalization", true); // absent in older files: off
            if (ClipActions) w.WriteBoolean("clip_actions", true); // absent in older files: off
            w.WriteEndObject();
        }
        return new CheckpointFile(Encoding.UTF8.GetString(ms.ToArray()), weights);
    }

    /// <summary>Writes the policy to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => ToCheckpoint().Save(path);

    /// <summary>The policy in the file at <paramref name="path"/>.</summary>
    public static PolicyFile Load(string path) => FromCheckpoint(CheckpointFile.Load(path), path);

    /// <summary>The policy in a checkpoint file of kind <c>policy</c>; <paramref name="source"/> names it in errors.</summary>
    public static PolicyFile FromCheckpoint(CheckpointFile file, string source)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var doc = file.ParseHeader();
        var h = doc.RootElement;
        string kind = h.TryGetProperty("kind", out var k) ? k.GetString() ?? "" : "";
        if (kind != "policy")
            throw new TrirlInputException(source, $"is a '{kind}' checkpoint, not a policy", "pass policy.ckpt of an rl or expert folder, or the folder itself");
        try
        {
            string algo = RlAlgo.Parse(h.GetProperty("algo").GetString() ?? "", $"{source}: algo");
            var low = h.GetProperty("action_low").EnumerateArray().Select(e => e.GetSingle()).ToImmutableArray();
            var high = h.GetProperty("action_high").EnumerateArray().Select(e => e.GetSingle()).ToImmutableArray();
            return new PolicyFile(algo, h.GetProperty("env").GetString() ?? "", h.GetProperty("observation_size").GetInt32(),
                h.GetProperty("action_size").GetInt32(), low, high, SettingsJson.ReadSpec(h.GetProperty("network")).Validate("network"),
                file.Payload.ToArray(),
                h.TryGetProperty("observation_normalization", out var on) && on.ValueKind == JsonValueKind.True,
                h.TryGetProperty("clip_actions", out var clip) && clip.ValueKind == JsonValueKind.True);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or JsonException or FormatException)
        {
            throw new TrirlInputException(source, $"has an incomplete policy header ({ex.Message})", "pass a policy written by trirl rl or trirl expert");
        }
    }

    /// <summary>
    /// The policy on <paramref name="device"/>: the mean action (<c>sac</c>: squashed and scaled to the box) when
    /// <paramref name="stochastic"/> is false, a draw from the policy's distribution otherwise; clipped to the box when
    /// <see cref="ClipActions"/> is on. Dispose it.
    /// </summary>
    public TorchPolicy Open(torch.Device device, bool stochastic = false)
    {
        TorchRuntime.Ensure();
        torch.nn.Module module = Algo == RlAlgo.Ppo
            ? new GaussianPolicy(ObservationSize, ActionSize, Network, 1.0, new Rng(0), ObservationNormalization)
            : new SquashedGaussianActor(ObservationSize, ActionSize, Network, new Rng(0));
        try
        {
            using (var r = new BinaryReader(new MemoryStream(weights)))
                r.ReadModule("policy", module);
        }
        catch (Exception ex) when (ex is not TrirlInputException)
        {
            module.Dispose();
            throw PayloadIO.Corrupt($"policy of {Env}", ex);
        }
        module.to(device);
        return new TorchPolicy(module, [.. ActionLow], [.. ActionHigh], device, stochastic, owns: true, ClipActions);
    }
}
