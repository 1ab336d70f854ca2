using System.Text.Json;

namespace Trirl.Deep;

/// <summary>
/// What <c>trirl expert</c> ships beside the policy: demonstration episodes of the trained (deterministic) policy and
/// the normalisation anchors, the expert's and the uniform-random policy's returns over the same
/// <see cref="ReturnAnchors.RandomEpisodes"/> episodes seeded <see cref="ReturnAnchors.RandomSeed"/>.
/// </summary>
/// <param name="Demos">The demonstration episodes.</param>
/// <param name="DemoSeed">Seed of the demonstration episodes.</param>
/// <param name="ExpertReturns">The expert's return in each anchor episode.</param>
/// <param name="RandomReturns">The uniform-random policy's return in each anchor episode.</param>
/// <param name="Anchors">The anchors (means of the two).</param>
public sealed record ExpertArtifacts(RolloutResult Demos, long DemoSeed, ImmutableArray<double> ExpertReturns, ImmutableArray<double> RandomReturns, ReturnAnchors Anchors)
{
    /// <summary>Demonstration file name.</summary>
    public const string DemosFile = "demos.npz";

    /// <summary>Anchors file name.</summary>
    public const string AnchorsFile = "anchors.json";

    /// <summary>Records <paramref name="demoEpisodes"/> demonstrations and measures the anchors of <paramref name="policy"/>.</summary>
    public static ExpertArtifacts Measure(ContinuousEnv env, IContinuousPolicy policy, int demoEpisodes, long seed, string algo = RlAlgo.Sac)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(policy);
        long demoSeed = unchecked((long)Rng.Derive(seed, 0x44454D4F).NextUInt64());
        var demos = Rollouts.Record(env, policy, demoEpisodes, demoSeed);
        var expert = Rollouts.Returns(env, policy, ReturnAnchors.RandomEpisodes, ReturnAnchors.RandomSeed);
        var random = Rollouts.Returns(env, new RandomPolicy(env.Spec), ReturnAnchors.RandomEpisodes, ReturnAnchors.RandomSeed);
        var anchors = new ReturnAnchors(env.Name, random.Average(), expert.Average(),
            $"trirl expert: {algo.ToUpperInvariant()} policy and uniform-random policy, means over {ReturnAnchors.RandomEpisodes} episodes seeded {ReturnAnchors.RandomSeed}");
        return new ExpertArtifacts(demos, demoSeed, expert, random, anchors);
    }

    /// <summary>
    /// <c>anchors.json</c>: the four anchor fields (readable by <see cref="ReturnAnchors.Load"/>), the episode count and
    /// seed, both return lists, and the demonstrations' file, seed and returns.
    /// </summary>
    public string AnchorsJson()
    {
        return JsonText.Object(w =>
        {
            Anchors.WriteFields(w);
            w.WriteNumber("episodes", ReturnAnchors.RandomEpisodes);
            w.WriteNumber("seed", ReturnAnchors.RandomSeed);
            w.WriteNumberArray("expert_returns", ExpertReturns);
            w.WriteNumberArray("random_returns", RandomReturns);
            w.WriteObject("demos", w =>
            {
                w.WriteString("file", DemosFile);
                w.WriteNumber("episodes", Demos.Returns.Length);
                w.WriteNumber("transitions", Demos.Dataset.Count);
                w.WriteNumber("seed", DemoSeed);
                w.WriteNumberArray("returns", Demos.Returns);
            });
        }) + "\n";
    }
}
