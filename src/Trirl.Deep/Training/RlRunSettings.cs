using System.Text.Json;

namespace Trirl.Deep;

/// <summary>
/// Everything that determines an RL run besides its device: the environment, the seed, the preset it came from, the
/// torch thread count, the evaluation episodes per metrics row, the normalisation anchors and the learner's settings.
/// A checkpoint stores it; a resumed run uses it unchanged.
/// </summary>
/// <param name="Task">The task (<see cref="ContinuousTask"/>).</param>
/// <param name="Seed">Run seed: every random stream derives from it.</param>
/// <param name="Preset">The preset the learner settings came from (informative).</param>
/// <param name="Threads">Torch intra-op threads (results are reproducible for a fixed count).</param>
/// <param name="EvalEpisodes">Seeded evaluation episodes per metrics row (deterministic policy), &gt;= 1.</param>
/// <param name="Anchors">Normalisation anchors of <see cref="Env"/>.</param>
/// <param name="Learner">PPO, SAC or imitation settings.</param>
public sealed record RlRunSettings(ContinuousTask Task, long Seed, DeepPreset Preset, int Threads, int EvalEpisodes, ReturnAnchors Anchors, LearnerSettings Learner)
{
    /// <summary>The task's registered name.</summary>
    public string Env => Task.Name;

    /// <summary>The preset's name (<see cref="EnumNames.Name{TEnum}"/>).</summary>
    public string PresetName => EnumNames.Name(Preset);

    /// <summary>Default evaluation episodes per row (and for <c>summary.json</c>).</summary>
    public const int DefaultEvalEpisodes = 20;

    /// <summary>
    /// Metrics rows between evaluations (default 1: every row). Rows in between carry NaN in the evaluation columns; the
    /// row that ends a <see cref="RlRun.Train"/> call is always evaluated. Written to JSON only when not 1.
    /// </summary>
    public int EvalEvery { get; init; } = 1;

    /// <summary>Copy with another evaluation interval (rows).</summary>
    public RlRunSettings WithEvalEvery(int rows) => this with { EvalEvery = rows };

    /// <summary>The algorithm's name (<see cref="LearnerSettings.Algo"/>).</summary>
    public string Algo => Learner.Algo;

    /// <summary>The algorithm (<see cref="LearnerSettings.Algorithm"/>).</summary>
    public DeepAlgorithm Algorithm => Learner.Algorithm;

    /// <summary>
    /// Settings for <paramref name="task"/> and <paramref name="algorithm"/> (RL or imitation) under
    /// <paramref name="preset"/> (<see cref="DeepPresets.Learner"/>) with the default anchors (<see cref="ReturnAnchors.For"/>),
    /// <see cref="DefaultEvalEpisodes"/> and <see cref="TorchRuntime.DefaultThreads"/>.
    /// </summary>
    public static RlRunSettings Create(ContinuousTask task, DeepAlgorithm algorithm, long seed, DeepPreset preset = DeepPreset.Default)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new RlRunSettings(task, seed, preset, TorchRuntime.DefaultThreads, DefaultEvalEpisodes, ReturnAnchors.For(task.Create()),
            DeepPresets.Learner(algorithm, preset));
    }

    /// <summary>
    /// The same from names (a script's or a file's strings; each parsed once, by <see cref="ContinuousTask.Parse"/>,
    /// <see cref="DeepAlgorithms.Parse"/> and <see cref="DeepPresets.Parse"/>): <c>Create("pendulum", "trirl", 0L)</c>.
    /// </summary>
    public static RlRunSettings Create(string env, string algo, long seed, string preset = RlPreset.Default) =>
        Create(ContinuousTask.Parse(env), DeepAlgorithms.Parse(algo), seed, DeepPresets.Parse(preset));

    /// <summary>Copy with another seed.</summary>
    public RlRunSettings WithSeed(long seed) => this with { Seed = seed };

    /// <summary>Copy with other anchors (F# cannot use C#'s <c>with</c>).</summary>
    public RlRunSettings WithAnchors(ReturnAnchors anchors) => this with { Anchors = anchors };

    /// <summary>Copy with another thread count.</summary>
    public RlRunSettings WithThreads(int threads) => this with { Threads = threads };

    /// <summary>Copy with another number of evaluation episodes per row.</summary>
    public RlRunSettings WithEvalEpisodes(int episodes) => this with { EvalEpisodes = episodes };

    /// <summary>Copy with other learner settings.</summary>
    public RlRunSettings WithLearner(LearnerSettings learner) => this with { Learner = learner };

    /// <summary>Checks every field (the environment exists, the anchors belong to it, the learner settings are usable).</summary>
    public RlRunSettings Validated()
    {
        ArgumentNullException.ThrowIfNull(Task);
        _ = ContinuousEnvs.Create(Env, "env");
        ArgumentNullException.ThrowIfNull(Anchors);
        ArgumentNullException.ThrowIfNull(Learner);
        if (Anchors.Env != Env) throw new TrirlInputException("anchors", $"belong to '{Anchors.Env}', not '{Env}'", $"pass the anchors of {Env}");
        Check.PositiveInt(Threads, "threads");
        Check.PositiveInt(EvalEpisodes, "eval_episodes");
        Check.PositiveInt(EvalEvery, "eval_every");
        Learner.Validated();
        return this;
    }

    /// <summary>Writes the settings as a JSON object.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteString("env", Env);
        w.WriteString("algo", Algo);
        w.WriteNumber("seed", Seed);
        w.WriteString("preset", EnumNames.Name(Preset));
        w.WriteNumber("threads", Threads);
        w.WriteNumber("eval_episodes", EvalEpisodes);
        if (EvalEvery != 1) w.WriteNumber("eval_every", EvalEvery);
        w.WritePropertyName("anchors");
        Anchors.WriteTo(w);
        w.WritePropertyName("learner");
        SettingsJson.Write(w, Learner);
        w.WriteEndObject();
    }

    /// <summary>The settings in a JSON object written by <see cref="WriteTo"/>.</summary>
    public static RlRunSettings Read(JsonElement e, string source)
    {
        try
        {
            return new RlRunSettings(
                ContinuousTask.Parse(e.GetProperty("env").GetString() ?? "", "env"), e.GetProperty("seed").GetInt64(),
                DeepPresets.Parse(e.GetProperty("preset").GetString() ?? "", "preset"),
                e.GetProperty("threads").GetInt32(), e.GetProperty("eval_episodes").GetInt32(),
                ReturnAnchors.Read(e.GetProperty("anchors"), $"{source}: anchors"), SettingsJson.ReadSettings(e.GetProperty("learner")))
            {
                EvalEvery = e.TryGetProperty("eval_every", out var every) ? every.GetInt32() : 1,
            }.Validated();
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or JsonException or FormatException or NotSupportedException)
        {
            throw new TrirlInputException(source, $"has settings this build cannot read ({ex.Message})", "resume it with the trirl version that wrote it, or start a new run");
        }
    }
}
