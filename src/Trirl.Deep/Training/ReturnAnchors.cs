using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Trirl.Deep;

/// <summary>
/// The two returns that normalise a score: <c>normalised = (R - RandomReturn) / (ExpertReturn - RandomReturn)</c>, so
/// the uniform-random policy scores 0 and the expert 1 (the paper's evaluation). A run records the anchors it used (in
/// its checkpoint and <c>summary.json</c>), so a resumed run normalises the same way. The defaults (<see cref="For"/>) are
/// the shipped experts' anchors; pass the <c>anchors.json</c> written by <c>trirl expert</c> (<see cref="Load"/>) to
/// replace them.
/// </summary>
/// <param name="Env">The environment the anchors belong to.</param>
/// <param name="RandomReturn">Mean return of the uniform-random policy.</param>
/// <param name="ExpertReturn">The expert's mean return (NaN when unknown: normalised returns are then NaN).</param>
/// <param name="Source">Where the two numbers come from.</param>
public sealed record ReturnAnchors(string Env, double RandomReturn, double ExpertReturn, string Source)
{
    /// <summary>Episodes of the uniform-random policy behind <see cref="MeasureRandom"/>.</summary>
    public const int RandomEpisodes = 100;

    /// <summary>Seed of those episodes (<see cref="Rollouts"/>; the same for every run, so the anchor is a constant of the task).</summary>
    public const long RandomSeed = 0;

    private static readonly ConcurrentDictionary<string, double> RandomCache = new();

    /// <summary>The normalised return of <paramref name="score"/>.</summary>
    public double Normalize(double score) => (score - RandomReturn) / (ExpertReturn - RandomReturn);

    /// <summary>
    /// Published expert returns: rl-baselines3-zoo's benchmark table (benchmark.md, DLR-RM/rl-baselines3-zoo, commit
    /// 22e3ff2) for SAC: Pendulum-v1 <c>-156.995 +/- 88.714</c> (20k training steps, 750 evaluation episodes) and
    /// MountainCarContinuous-v0 <c>94.679 +/- 1.134</c> (50k steps, 1,443 episodes). NaN for tasks without a published
    /// result (<c>pointmaze</c> and the shifted twins). The fallback of <see cref="Published"/>; the registered tasks use
    /// their shipped experts' anchors instead. For the MuJoCo locomotion tasks the figure is the same table's PPO row
    /// (<see cref="PublishedPpoReturn"/>, the goal of their shipped experts).
    /// </summary>
    public static double PublishedExpertReturn(string env) => env switch
    {
        "pendulum" => -156.995,
        "mountaincar" => 94.679,
        _ => PublishedPpoReturn(env),
    };

    /// <summary>
    /// rl-baselines3-zoo's published PPO returns on the v3 MuJoCo tasks (benchmark.md, DLR-RM/rl-baselines3-zoo, commit
    /// 0088472; 1M training steps, deterministic policy): Hopper-v3 <c>2410.435 +/- 10.026</c>, Walker2d-v3
    /// <c>3478.798 +/- 821.708</c>, HalfCheetah-v3 <c>5819.099 +/- 663.530</c>, Ant-v3 <c>1327.158 +/- 451.577</c>.
    /// (The v3 and v4 tasks share their models and rewards; v4 moved to the new mujoco bindings.) NaN for other tasks.
    /// </summary>
    public static double PublishedPpoReturn(string env) => env switch
    {
        "hopper" => 2410.435,
        "walker2d" => 3478.798,
        "halfcheetah" => 5819.099,
        "ant" => 1327.158,
        _ => double.NaN,
    };

    /// <summary>
    /// Mean return of the uniform-random policy (<see cref="RandomPolicy"/>) over <see cref="RandomEpisodes"/> episodes
    /// seeded with <see cref="RandomSeed"/> (computed once per process and environment; deterministic).
    /// </summary>
    public static double MeasureRandom(ContinuousEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return RandomCache.GetOrAdd(env.Name, _ => Rollouts.Returns(env, new RandomPolicy(env.Spec), RandomEpisodes, RandomSeed).Average());
    }

    /// <summary>
    /// The default anchors of <paramref name="env"/>: those of its shipped expert (<see cref="Shipped"/>) when
    /// <see cref="ShippedExperts"/> has one (every registered task does); otherwise the measured uniform-random return
    /// (<see cref="MeasureRandom"/>) and the published expert return (<see cref="PublishedExpertReturn"/>, NaN when there
    /// is none).
    /// </summary>
    public static ReturnAnchors For(ContinuousEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return ShippedExperts.Has(env.Name) ? Shipped(env.Name) : Published(env);
    }

    /// <summary>
    /// The anchors shipped with the expert of <paramref name="env"/> (<see cref="ShippedExperts.Anchors"/>): the means of
    /// the expert and of the uniform-random policy over <see cref="RandomEpisodes"/> episodes seeded <see cref="RandomSeed"/>.
    /// </summary>
    public static ReturnAnchors Shipped(string env)
    {
        var a = ShippedExperts.Anchors(env);
        return new ReturnAnchors(env, a.RandomReturn, a.ExpertReturn,
            $"shipped expert of {env} (ShippedExperts.Anchors): expert and uniform-random means over {a.Episodes} episodes seeded {a.Seed}");
    }

    /// <summary>
    /// The fallback anchors for a task without a shipped expert: the measured uniform-random return
    /// (<see cref="MeasureRandom"/>) and the published rl-baselines3-zoo SAC return (<see cref="PublishedExpertReturn"/>,
    /// NaN when none is published).
    /// </summary>
    public static ReturnAnchors Published(ContinuousEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        double expert = PublishedExpertReturn(env.Name);
        string expertSource = double.IsNaN(expert)
            ? "expert: none published (pass the anchors.json that trirl expert writes)"
            : double.IsNaN(PublishedPpoReturn(env.Name))
                ? $"expert: rl-baselines3-zoo benchmark.md, SAC on the Gymnasium twin of {env.Name}"
                : $"expert: rl-baselines3-zoo benchmark.md, PPO on the Gymnasium twin of {env.Name} (v3)";
        return new ReturnAnchors(env.Name, MeasureRandom(env), expert,
            $"random: uniform policy, mean over {RandomEpisodes} episodes seeded {RandomSeed}; {expertSource}");
    }

    /// <summary>The anchors as a JSON object: <c>env</c>, <c>random_return</c>, <c>expert_return</c> (null when NaN), <c>source</c>.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        WriteFields(w);
        w.WriteEndObject();
    }

    /// <summary>Writes the four fields into the current JSON object.</summary>
    public void WriteFields(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteString("env", Env);
        Number(w, "random_return", RandomReturn);
        Number(w, "expert_return", ExpertReturn);
        w.WriteString("source", Source);
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    /// <summary>The anchors in a JSON object (as written by <see cref="WriteTo"/>; other fields are ignored).</summary>
    public static ReturnAnchors Read(JsonElement e, string source)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new TrirlInputException(source, "is not a JSON object", "write {\"env\": ..., \"random_return\": ..., \"expert_return\": ...}");
        string env = e.TryGetProperty("env", out var en) && en.ValueKind == JsonValueKind.String ? en.GetString()! :
            throw new TrirlInputException($"{source}: env", "is missing", "name the environment the anchors belong to");
        double Get(string name, bool nullable)
        {
            if (!e.TryGetProperty(name, out var v) || (v.ValueKind == JsonValueKind.Null && !nullable))
                throw new TrirlInputException($"{source}: {name}", "is missing", "write the return as a number");
            if (v.ValueKind == JsonValueKind.Null) return double.NaN;
            if (v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()))
                throw new TrirlInputException($"{source}: {name}", $"is {v.GetRawText()}, not a finite number", "write the return as a number");
            return v.GetDouble();
        }
        double random = Get("random_return", false), expert = Get("expert_return", true);
        if (expert == random)
            throw new TrirlInputException($"{source}: expert_return", $"equals random_return ({random.ToString("R", CultureInfo.InvariantCulture)})", "anchors must differ");
        string src = e.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : source;
        return new ReturnAnchors(env, random, expert, src);
    }

    /// <summary>
    /// The anchors in the JSON file at <paramref name="path"/> (e.g. <c>anchors.json</c> of <c>trirl expert</c>); they must
    /// belong to <paramref name="env"/>.
    /// </summary>
    public static ReturnAnchors Load(string path, string env, string field = "anchors")
    {
        if (!File.Exists(path)) throw new TrirlInputException(field, $"'{path}' does not exist", "pass the anchors.json written by trirl expert");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new TrirlInputException(field, $"'{path}' is not valid JSON ({ex.Message})", "pass the anchors.json written by trirl expert");
        }
        using (doc)
        {
            var anchors = Read(doc.RootElement, path);
            if (anchors.Env != env)
                throw new TrirlInputException(field, $"'{path}' holds the anchors of '{anchors.Env}', not '{env}'", $"pass the anchors of {env}");
            return anchors with { Source = $"{anchors.Source} (from {Path.GetFileName(path)})" };
        }
    }
}
