using System.Globalization;
using System.Text;
using System.Text.Json;
using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>What a learned reward reads of a transition.</summary>
public enum RewardInput
{
    /// <summary>Discriminator inputs: normalised (s, a) or (s, s') features and the termination flag.</summary>
    Transition,

    /// <summary>The normalised observation alone (AIRL's state-only reward <c>g(s)</c>).</summary>
    State,
}

/// <summary>
/// The reward an imitation run learned, on its own: <c>r(x) = sum_k w_k N_k(x)</c> over one or more networks
/// <c>N_k</c> (TRIRL's buffer of discriminators with their final corrected weights; one reward network for the
/// compressed and recursive models, GAIL's latest discriminator, or AIRL's <c>g</c>), the input normalisation, and
/// what the absorbing-state treatment needs (gamma, alpha, <c>H_terminal</c>). <see cref="TdRewards(TransitionDataset, IReadOnlyList{bool}, bool)"/> gives the
/// rewards an RL learner optimises (with the absorbing tail on terminated transitions), so retraining and transfer
/// re-optimise exactly what the run learned. Saved as <c>reward.ckpt</c> (a <see cref="CheckpointFile"/> of kind
/// <c>reward</c>) and a readable <c>reward.json</c> in a folder (<c>DIR/reward/</c> of <c>trirl train</c>).
/// </summary>
public sealed class NeuralReward : IDisposable
{
    /// <summary>The checkpoint file in a reward folder.</summary>
    public const string FileName = "reward.ckpt";

    /// <summary>The readable description in a reward folder.</summary>
    public const string DescriptionFile = "reward.json";

    private readonly DiscriminatorBuffer networks;
    private readonly float[] low, high;

    internal NeuralReward(string env, string method, string model, RewardInput input, FeatureMode features, FeatureScaling scaling,
        ContinuousEnvSpec spec, double gamma, double alpha, bool absorbing, DiscriminatorBuffer networks, ImmutableArray<double> weights)
    {
        Env = env;
        Method = method;
        Model = model;
        Input = input;
        Features = features;
        Scaling = scaling;
        ObservationSize = spec.ObservationSize;
        ActionSize = spec.ActionSize;
        low = [.. spec.ActionLow];
        high = [.. spec.ActionHigh];
        Gamma = gamma;
        Alpha = alpha;
        TerminalEntropy = AbsorbingStates.UniformEntropy(spec);
        Absorbing = absorbing;
        this.networks = networks;
        Weights = weights;
    }

    /// <summary>The task the reward was learned on.</summary>
    public string Env { get; }

    /// <summary>The algorithm that learned it (trirl, gail or airl).</summary>
    public string Method { get; }

    /// <summary>buffer, compressed, recursive (trirl), discriminator (gail) or g (airl).</summary>
    public string Model { get; }

    /// <summary>What the networks read.</summary>
    public RewardInput Input { get; }

    /// <summary>(s, a) or (s, s') features (for <see cref="RewardInput.Transition"/>).</summary>
    public FeatureMode Features { get; }

    /// <summary>The input normalisation (of the features, or of the observation for <see cref="RewardInput.State"/>).</summary>
    public FeatureScaling Scaling { get; }

    /// <summary>Observation size of the task.</summary>
    public int ObservationSize { get; }

    /// <summary>Action size of the task.</summary>
    public int ActionSize { get; }

    /// <summary>Discount of the absorbing tail.</summary>
    public double Gamma { get; }

    /// <summary>Entropy coefficient <c>alpha = 1/beta</c> of the absorbing tail.</summary>
    public double Alpha { get; }

    /// <summary><c>H_terminal</c>: entropy of the uniform distribution on the action box.</summary>
    public double TerminalEntropy { get; }

    /// <summary>Whether terminated transitions get the absorbing tail.</summary>
    public bool Absorbing { get; }

    /// <summary>The networks' weights, oldest first.</summary>
    public ImmutableArray<double> Weights { get; }

    /// <summary>Number of networks.</summary>
    public int Networks => networks.Count;

    /// <summary>The shape of the networks.</summary>
    public MlpSpec Network => networks.Spec;

    /// <summary>
    /// The environments whose transitions this reward can score: its own training task and that task's dynamics-shifted
    /// twins with the same observations and actions (<see cref="ContinuousEnvs.TrainingTask"/>), e.g. <c>pendulum</c> and
    /// <c>pendulum-shifted</c>, or <c>halfcheetah</c>, <c>halfcheetah-wind</c> and <c>halfcheetah-mars</c>.
    /// </summary>
    public bool Fits(ContinuousEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return ContinuousEnvs.TrainingTask(env.Name) == ContinuousEnvs.TrainingTask(Env) && env.Spec.ObservationSize == ObservationSize && env.Spec.ActionSize == ActionSize;
    }

    /// <summary>The rewards <c>r(s, a)</c> of the transitions (no absorbing tail).</summary>
    public double[] Rewards(TransitionDataset data, IReadOnlyList<bool> terminated)
    {
        var (r, _) = Evaluate(Batch(data, terminated), absorbing: false);
        return r;
    }

    /// <summary>
    /// The rewards a TD target takes (<see cref="AbsorbingStates.TdRewards"/>): <c>r(s, a)</c>, plus on each terminated
    /// transition <c>gamma / (1 - gamma) * (r_abs + alpha * H_terminal)</c> with <c>r_abs</c> the reward of the absorbing
    /// state it reached. Each network is evaluated once on all rows together. With <paramref name="absorbingFloor"/>, each
    /// <c>r_abs</c> is first capped at the lowest reward of the transitions (<see cref="AbsorbingStates.Floored"/>).
    /// </summary>
    public double[] TdRewards(TransitionDataset data, IReadOnlyList<bool> terminated, bool absorbingFloor = false) =>
        TdRewards(Batch(data, terminated), absorbingFloor);

    internal double[] TdRewards(TransitionBatch batch, bool absorbingFloor = false)
    {
        var (r, abs) = Evaluate(batch, Absorbing);
        if (abs.Length == 0) return r;
        return AbsorbingStates.TdRewards(r, batch.Terminated, absorbingFloor ? AbsorbingStates.Floored(abs, r) : abs, Gamma, Alpha, TerminalEntropy);
    }

    private TransitionBatch Batch(TransitionDataset data, IReadOnlyList<bool> terminated)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(terminated);
        if (data.ObservationSize != ObservationSize || data.ActionSize != ActionSize)
            throw new TrirlInputException("data", $"has {data.ObservationSize} observations and {data.ActionSize} actions, the reward {ObservationSize} and {ActionSize}",
                $"score transitions of {Env} or its shifted twin");
        if (terminated.Count != data.Count)
            throw new TrirlInputException(nameof(terminated), $"has {terminated.Count} entries for {data.Count} transitions", "pass one flag per transition");
        return TransitionBatch.Of(data, [.. terminated]);
    }

    /// <summary>The rewards of the transitions and of the absorbing states of the terminated ones (when asked).</summary>
    internal (double[] Rewards, double[] Absorbing) Evaluate(TransitionBatch b, bool absorbing)
    {
        var rows = absorbing ? TransitionFeatures.TerminatedRows(b) : [];
        float[] inputs;
        if (Input == RewardInput.Transition)
        {
            inputs = TransitionFeatures.Inputs(Features, Scaling, b, low, high, rows);
        }
        else
        {
            var states = new float[(b.Count + rows.Length) * ObservationSize];
            TransitionFeatures.States(Scaling, b.Obs, b.Count, ObservationSize).CopyTo(states, 0);
            var next = TransitionFeatures.States(Scaling, b.NextObs, b.Count, ObservationSize);
            for (int k = 0; k < rows.Length; k++) Array.Copy(next, rows[k] * ObservationSize, states, (b.Count + k) * ObservationSize, ObservationSize);
            inputs = states;
        }
        var all = networks.Evaluate(inputs, b.Count + rows.Length, Weights);
        return (all[..b.Count], all[b.Count..]);
    }

    /// <summary>Writes <c>reward.ckpt</c> and <c>reward.json</c> into <paramref name="dir"/> (created if missing), atomically each.</summary>
    public void Save(string dir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        Directory.CreateDirectory(dir);
        ToCheckpoint().Save(Path.Combine(dir, FileName));
        AtomicFile.WriteAllText(Path.Combine(dir, DescriptionFile), HeaderJson(indented: true) + "\n");
    }

    /// <summary>The reward as a checkpoint file of kind <c>reward</c>.</summary>
    public CheckpointFile ToCheckpoint()
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true)) networks.Save(w);
        return new CheckpointFile(HeaderJson(indented: false), payload.ToArray());
    }

    private string HeaderJson(bool indented)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteString("kind", "reward");
            w.WriteString("env", Env);
            w.WriteString("method", Method);
            w.WriteString("model", Model);
            w.WriteString("input", Input == RewardInput.Transition ? "transition" : "state");
            w.WriteString("features", FeatureModes.Name(Features));
            w.WriteNumber("observation_size", ObservationSize);
            w.WriteNumber("action_size", ActionSize);
            w.WriteNumberArray("action_low", low.Select(x => (double)x));
            w.WriteNumberArray("action_high", high.Select(x => (double)x));
            w.WriteObject("scaling", w =>
            {
                w.WriteNumberArray("mean", Scaling.Mean.Select(x => (double)x));
                w.WriteNumberArray("scale", Scaling.Scale.Select(x => (double)x));
            });
            w.WriteNumber("gamma", Gamma);
            w.WriteNumber("alpha", Alpha);
            w.WriteNumber("terminal_entropy", TerminalEntropy);
            w.WriteBoolean("absorbing", Absorbing);
            w.WriteNumber("input_size", networks.InputSize);
            w.WritePropertyName("network");
            SettingsJson.Write(w, networks.Spec);
            w.WriteNumber("networks", networks.Count);
            w.WriteNumberArray("weights", Weights);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The reward in <paramref name="path"/>: a reward folder (holding <c>reward.ckpt</c>), the folder of a
    /// <c>trirl train</c> run (its <c>reward/</c>), or the file itself; on the CPU.
    /// </summary>
    public static NeuralReward Load(string path, string field = "reward")
    {
        if (string.IsNullOrWhiteSpace(path)) throw new TrirlInputException(field, "is empty", "pass the reward folder of a trirl train run (DIR/reward)");
        string file = File.Exists(path) ? path
            : File.Exists(Path.Combine(path, FileName)) ? Path.Combine(path, FileName)
            : Path.Combine(path, "reward", FileName);
        if (!File.Exists(file))
            throw new TrirlInputException(field, $"'{path}' holds no {FileName} (nor reward/{FileName})", "pass the reward folder of a trirl train run (DIR/reward); bc learns no reward");
        return FromCheckpoint(CheckpointFile.Load(file), file, field);
    }

    /// <summary>The reward in a checkpoint of kind <c>reward</c>; <paramref name="source"/> names it in errors.</summary>
    public static NeuralReward FromCheckpoint(CheckpointFile file, string source, string field = "reward")
    {
        ArgumentNullException.ThrowIfNull(file);
        using var doc = file.ParseHeader();
        var h = doc.RootElement;
        string kind = h.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
        if (kind != "reward")
            throw new TrirlInputException(field, $"'{source}' is a '{kind}' file, not a learned reward", "pass the reward folder of a trirl train run (DIR/reward)");
        TorchRuntime.Ensure();
        DiscriminatorBuffer? networks = null;
        try
        {
            string env = h.GetProperty("env").GetString() ?? "";
            var task = ContinuousEnvs.Create(env, $"{source}: env");
            var input = h.GetProperty("input").GetString() == "state" ? RewardInput.State : RewardInput.Transition;
            var features = FeatureModes.Parse(h.GetProperty("features").GetString() ?? "", $"{source}: features");
            var scaling = h.GetProperty("scaling");
            var scale = new FeatureScaling([.. scaling.GetProperty("mean").EnumerateArray().Select(e => e.GetSingle())],
                [.. scaling.GetProperty("scale").EnumerateArray().Select(e => e.GetSingle())]).Validated($"{source}: scaling");
            var weights = h.GetProperty("weights").EnumerateArray().Select(e => e.GetDouble()).ToImmutableArray();
            var spec = SettingsJson.ReadSpec(h.GetProperty("network")).Validate($"{source}: network");
            int inputSize = h.GetProperty("input_size").GetInt32();
            if (h.GetProperty("observation_size").GetInt32() != task.Spec.ObservationSize || h.GetProperty("action_size").GetInt32() != task.Spec.ActionSize)
                throw new InvalidDataException("its sizes do not match its environment");
            networks = new DiscriminatorBuffer(Math.Max(1, weights.Length), inputSize, spec, torch.CPU);
            using (var r = new BinaryReader(new MemoryStream(file.Payload.ToArray()), Encoding.UTF8)) networks.Load(r);
            if (networks.Count != weights.Length) throw new InvalidDataException($"it holds {networks.Count} networks for {weights.Length} weights");
            return new NeuralReward(env, h.GetProperty("method").GetString() ?? "", h.GetProperty("model").GetString() ?? "", input, features, scale,
                task.Spec, h.GetProperty("gamma").GetDouble(), h.GetProperty("alpha").GetDouble(), h.GetProperty("absorbing").GetBoolean(), networks, weights);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or JsonException or FormatException
                                       or InvalidDataException or EndOfStreamException or IOException)
        {
            networks?.Dispose();
            throw new TrirlInputException(field, $"'{source}' is not a readable learned reward ({ex.Message})", "pass the reward folder of a trirl train run written by this version");
        }
    }

    /// <summary>A short description, e.g. <c>trirl buffer reward of pendulum: 100 networks 128-128 tanh</c>.</summary>
    public override string ToString() =>
        $"{Method} {Model} reward of {Env}: {Networks.ToString(CultureInfo.InvariantCulture)} network{(Networks == 1 ? "" : "s")} {Network.Description}";

    /// <summary>Disposes the networks.</summary>
    public void Dispose() => networks.Dispose();
}
