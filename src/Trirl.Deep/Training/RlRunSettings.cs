using System.Text.Json;
using Trirl.Environments;
using Trirl.Functional;

namespace Trirl.Deep;

/// <summary>
/// Everything that determines an RL run besides its device: the environment, the seed, the preset it came from, the
/// torch thread count, the evaluation episodes per metrics row, the normalisation anchors and the learner's settings.
/// A checkpoint stores it; a resumed run uses it unchanged.
/// </summary>
/// <param name="Env">Environment name (<see cref="ContinuousEnvs.Names"/>).</param>
/// <param name="Seed">Run seed: every random stream derives from it.</param>
/// <param name="Preset">The preset the learner settings came from (informative).</param>
/// <param name="Threads">Torch intra-op threads (results are reproducible for a fixed count).</param>
/// <param name="EvalEpisodes">Seeded evaluation episodes per metrics row (deterministic policy), &gt;= 1.</param>
/// <param name="Anchors">Normalisation anchors of <see cref="Env"/>.</param>
/// <param name="Learner">PPO or SAC settings.</param>
public sealed record RlRunSettings(string Env, long Seed, string Preset, int Threads, int EvalEpisodes, ReturnAnchors Anchors, LearnerSettings Learner)
{
    /// <summary>Default evaluation episodes per row (and for <c>summary.json</c>).</summary>
    public const int DefaultEvalEpisodes = 20;

    /// <summary>
    /// Metrics rows between evaluations (default 1: every row). Rows in between carry NaN in the evaluation columns; the
    /// row that ends a <see cref="RlRun.Train"/> call is always evaluated. Written to JSON only when not 1.
    /// </summary>
    public int EvalEvery { get; init; } = 1;

    /// <summary>Copy with another evaluation interval (rows).</summary>
    public RlRunSettings WithEvalEvery(int rows) => this with { EvalEvery = rows };

    /// <summary>The algorithm (<see cref="LearnerSettings.Algo"/>).</summary>
    public string Algo => Learner.Algo;

    /// <summary>
    /// Settings for <paramref name="env"/> and <paramref name="algo"/> under <paramref name="preset"/> with the default
    /// anchors (<see cref="ReturnAnchors.For"/>), <see cref="DefaultEvalEpisodes"/> and <see cref="TorchRuntime.DefaultThreads"/>.
    /// </summary>
    public static RlRunSettings Create(string env, string algo, long seed, string preset = RlPreset.Default)
    {
        var e = ContinuousEnvs.Create(env);
        string p = RlPreset.Parse(preset);
        return new RlRunSettings(e.Name, seed, p, TorchRuntime.DefaultThreads, DefaultEvalEpisodes, ReturnAnchors.For(e), RlPreset.Settings(algo, p));
    }

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
        w.WriteString("preset", Preset);
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
                e.GetProperty("env").GetString() ?? "", e.GetProperty("seed").GetInt64(), e.GetProperty("preset").GetString() ?? "",
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
