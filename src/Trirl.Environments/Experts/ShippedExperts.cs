using System.Reflection;
using System.Text.Json;
using Trirl.Environments.Data;

namespace Trirl.Environments;

/// <summary>
/// The experts shipped inside this assembly, one per task of <see cref="Names"/>: SAC policies trained by
/// <c>trirl expert</c> on the true reward (commands, seeds and returns in <c>docs/results.md</c>). For each task:
/// <list type="bullet">
/// <item><see cref="PolicyBytes"/>: the policy file (the format of <c>Trirl.Deep.PolicyFile</c>, which opens it;
/// <c>Trirl.Deep.ShippedPolicies.Load</c> does both in one call). This assembly only carries the bytes.</item>
/// <item><see cref="Demonstrations"/>: 20 episodes of the expert's deterministic policy as a
/// <see cref="TransitionDataset"/> (stored as a compressed <c>.npz</c>; the last transition of each episode has the final
/// observation in <c>next_obs</c>).</item>
/// <item><see cref="Anchors"/>: the expert's and the uniform-random policy's mean returns over 100 episodes seeded 0,
/// the normalisation anchors of the task.</item>
/// </list>
/// The shifted twins have experts of their own, trained on the shifted dynamics, so their anchors measure what is
/// achievable there (the base expert fails on <c>pointmaze-shifted</c>, whose gap moved).
/// </summary>
public static class ShippedExperts
{
    private const string Prefix = "Trirl.Environments.Experts.";

    /// <summary>Resource suffix of the policy file.</summary>
    public const string PolicyResource = "policy.ckpt";

    /// <summary>Resource suffix of the demonstrations.</summary>
    public const string DemonstrationsResource = "demos.npz";

    /// <summary>Resource suffix of the anchors.</summary>
    public const string AnchorsResource = "anchors.json";

    private static readonly Assembly Self = typeof(ShippedExperts).Assembly;

    /// <summary>The tasks with a shipped expert, in the order of <see cref="ContinuousEnvs.Names"/>.</summary>
    public static ImmutableArray<string> Names { get; } = FindNames();

    private static ImmutableArray<string> FindNames()
    {
        var resources = Self.GetManifestResourceNames().ToHashSet(StringComparer.Ordinal);
        return ContinuousEnvs.Names
            .Where(n => resources.Contains(Name(n, PolicyResource)) && resources.Contains(Name(n, DemonstrationsResource)) && resources.Contains(Name(n, AnchorsResource)))
            .ToImmutableArray();
    }

    private static string Name(string env, string suffix) => $"{Prefix}{env}.{suffix}";

    /// <summary>Whether <paramref name="env"/> has a shipped expert.</summary>
    public static bool Has(string env) => env is not null && Names.Contains(env);

    /// <summary>
    /// The expert's policy file (a <c>TRIRLCKP</c> checkpoint of kind <c>policy</c>; open it with
    /// <c>Trirl.Deep.PolicyFile</c> or <c>Trirl.Deep.ShippedPolicies</c>). A fresh copy on every call.
    /// </summary>
    public static byte[] PolicyBytes(string env, string field = "env") => Read(env, PolicyResource, field);

    /// <summary>The expert's demonstration episodes (20 episodes of its deterministic policy).</summary>
    public static TransitionDataset Demonstrations(string env, string field = "env")
    {
        var bytes = Read(env, DemonstrationsResource, field);
        using var stream = new MemoryStream(bytes, writable: false);
        return TransitionDataset.Read(stream, $"shipped demonstrations of {env}");
    }

    /// <summary>The normalisation anchors of <paramref name="env"/> (expert and uniform-random returns over 100 seeded episodes).</summary>
    public static ShippedAnchors Anchors(string env, string field = "env")
    {
        var bytes = Read(env, AnchorsResource, field);
        string source = $"shipped anchors of {env}";
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            ImmutableArray<double> Doubles(string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToImmutableArray();
            var anchors = new ShippedAnchors(
                root.GetProperty("env").GetString() ?? "", root.GetProperty("expert_return").GetDouble(), root.GetProperty("random_return").GetDouble(),
                root.GetProperty("episodes").GetInt32(), root.GetProperty("seed").GetInt64(), Doubles("expert_returns"), Doubles("random_returns"),
                root.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : source);
            if (anchors.Env != env) throw new InvalidDataException($"it names '{anchors.Env}'");
            return anchors;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"{source} are damaged ({ex.Message}); rebuild Trirl.Environments", ex);
        }
    }

    /// <summary>
    /// Seed of the demonstration episodes: episode <c>k</c> of <see cref="Demonstrations"/> starts from copy
    /// <c>DemonstrationEpisodes(env)[k]</c> of <c>env.Reset(DemonstrationCandidates(env), seed)</c>, so replaying its
    /// actions from there reproduces every transition.
    /// </summary>
    public static long DemonstrationSeed(string env, string field = "env") => DemosBlock(env, field, d => d.GetProperty("seed").GetInt64());

    /// <summary>
    /// The seeded episode each demonstration episode is, in order: <c>0, 1, ..., n - 1</c>, or for demonstrations kept
    /// from more candidates by return (<c>trirl rollout --min-return</c>: halfcheetah's expert flips over in some episodes)
    /// the kept candidates' indices.
    /// </summary>
    public static ImmutableArray<int> DemonstrationEpisodes(string env, string field = "env") => DemosBlock(env, field, d =>
        d.TryGetProperty("episode_indices", out var e)
            ? e.EnumerateArray().Select(x => x.GetInt32()).ToImmutableArray()
            : Enumerable.Range(0, d.GetProperty("episodes").GetInt32()).ToImmutableArray());

    /// <summary>How many seeded episodes were recorded in one batch to choose the demonstrations from (their number when none was dropped).</summary>
    public static int DemonstrationCandidates(string env, string field = "env") => DemosBlock(env, field, d =>
        d.TryGetProperty("candidates", out var c) ? c.GetInt32() : d.GetProperty("episodes").GetInt32());

    private static T DemosBlock<T>(string env, string field, Func<JsonElement, T> read)
    {
        var bytes = Read(env, AnchorsResource, field);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return read(doc.RootElement.GetProperty("demos"));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"shipped anchors of {env} are damaged ({ex.Message}); rebuild Trirl.Environments", ex);
        }
    }

    private static byte[] Read(string env, string suffix, string field)
    {
        if (!Has(env))
            throw new TrirlInputException(field,
                string.IsNullOrWhiteSpace(env) ? "is empty" : $"'{env}' has no shipped expert",
                $"use one of {string.Join(", ", Names)}, or train one with trirl expert");
        using var stream = Self.GetManifestResourceStream(Name(env, suffix))
            ?? throw new InvalidDataException($"the resource {Name(env, suffix)} is missing; rebuild Trirl.Environments");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
