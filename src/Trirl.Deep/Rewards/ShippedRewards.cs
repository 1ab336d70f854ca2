using System.Reflection;
using System.Text;

namespace Trirl.Deep;

/// <summary>
/// Learned rewards shipped inside this assembly, one per task of <see cref="Names"/>: the <c>reward/</c> folder
/// (<c>reward.ckpt</c> and <c>reward.json</c>) of a <c>trirl train</c> run on the task's shipped demonstrations, so that
/// a reward can be re-optimised (<see cref="RlRun.StartOnReward"/>, <c>trirl retrain</c>) or inspected without training
/// one first. <see cref="Command"/> is the command line that wrote it (same seed and thread count give the same bytes);
/// the pendulum's is TRIRL with the compressed reward model after 300,000 environment steps (normalised return 0.917 of
/// its policy at the end of that run, its <c>summary.json</c>).
/// </summary>
public static class ShippedRewards
{
    private const string Prefix = "Trirl.Deep.Rewards.";

    /// <summary>Resource suffix of the reward checkpoint: the run's <see cref="NeuralReward.FileName"/>.</summary>
    public const string CheckpointResource = NeuralReward.FileName;

    /// <summary>Resource suffix of the readable description: the run's <see cref="NeuralReward.DescriptionFile"/>.</summary>
    public const string DescriptionResource = NeuralReward.DescriptionFile;

    private static readonly Assembly Self = typeof(ShippedRewards).Assembly;

    // The command behind each resource. Kept next to the resources rather than inside them, so that the embedded files
    // stay exactly what NeuralReward.Save wrote (a test compares them with a fresh Save of the loaded reward).
    private static readonly ImmutableDictionary<string, string> Commands = new Dictionary<string, string>
    {
        ["pendulum"] = "trirl train --env pendulum --algo trirl --steps 300000 --seed 0 --reward-model compressed --threads 1 --out runs/shipped-reward-pendulum",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The tasks with a shipped reward, in the order of <see cref="ContinuousEnvs.Names"/>.</summary>
    public static ImmutableArray<string> Names { get; } = FindNames();

    private static ImmutableArray<string> FindNames()
    {
        var resources = Self.GetManifestResourceNames().ToHashSet(StringComparer.Ordinal);
        return ContinuousEnvs.Names
            .Where(n => resources.Contains(Name(n, CheckpointResource)) && resources.Contains(Name(n, DescriptionResource)) && Commands.ContainsKey(n))
            .ToImmutableArray();
    }

    private static string Name(string env, string suffix) => $"{Prefix}{env}.{suffix}";

    /// <summary>Whether <paramref name="env"/> has a shipped reward.</summary>
    public static bool Has(string env) => env is not null && Names.Contains(env);

    /// <summary>
    /// The shipped reward of <paramref name="env"/> on the CPU (a fresh copy on every call; dispose it). An
    /// <paramref name="env"/> without one is a <see cref="TrirlInputException"/> for <paramref name="field"/> that lists
    /// the tasks that have one.
    /// </summary>
    public static NeuralReward Load(string env, string field = "env")
    {
        var bytes = Read(env, CheckpointResource, field);
        string source = $"shipped reward of {env}";
        var reward = NeuralReward.FromCheckpoint(CheckpointFile.Read(bytes, source), source, field);
        if (reward.Env != env)
        {
            string learnedOn = reward.Env;
            reward.Dispose();
            throw new InvalidDataException($"the {source} was learned on '{learnedOn}'; rebuild Trirl.Deep");
        }
        return reward;
    }

    /// <summary>
    /// The command line that wrote the shipped reward of <paramref name="env"/>: a <c>trirl train</c> run whose
    /// <c>DIR/reward</c> folder is the resource (pass it to <c>trirl retrain --reward DIR/reward</c>).
    /// </summary>
    public static string Command(string env, string field = "env")
    {
        Require(env, field);
        return Commands[env];
    }

    /// <summary>The shipped <c>reward.ckpt</c> of <paramref name="env"/>, as <see cref="NeuralReward.Save"/> wrote it. A fresh copy on every call.</summary>
    public static byte[] CheckpointBytes(string env, string field = "env") => Read(env, CheckpointResource, field);

    /// <summary>The shipped <c>reward.json</c> of <paramref name="env"/> (networks, weights, normalisation), as <see cref="NeuralReward.Save"/> wrote it.</summary>
    public static string Description(string env, string field = "env") => Encoding.UTF8.GetString(Read(env, DescriptionResource, field));

    private static void Require(string env, string field)
    {
        if (!Has(env))
            throw new TrirlInputException(field,
                string.IsNullOrWhiteSpace(env) ? "is empty" : $"'{env}' has no shipped reward",
                $"use one of {string.Join(", ", Names)}, or learn one with trirl train (algorithm trirl) and load its reward/ folder with NeuralReward.Load");
    }

    private static byte[] Read(string env, string suffix, string field)
    {
        Require(env, field);
        using var stream = Self.GetManifestResourceStream(Name(env, suffix))
            ?? throw new InvalidDataException($"the resource {Name(env, suffix)} is missing; rebuild Trirl.Deep");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
