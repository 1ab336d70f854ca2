namespace Trirl.Deep;

/// <summary>
/// The random streams of a run, all derived from its seed: stream <c>(purpose, index)</c> is
/// <c>Rng.Derive(seed, purpose &lt;&lt; 48 ^ index)</c>, a fresh generator per use (e.g. per rollout step or per gradient
/// step). A checkpoint therefore needs only the counters, not generator states, to resume the exact same draws.
/// </summary>
internal static class RunStreams
{
    public const long Init = 1;       // network initialisation, index = network id
    public const long TrainEnv = 2;   // seed of the training environment copies
    public const long Eval = 3;       // seed of the evaluation episodes
    public const long Act = 4;        // exploration noise, index = vector step
    public const long Update = 5;     // minibatch shuffles, replay samples and SAC noise, index = update counter
    public const long ColoredAct = 16;  // per-copy stream of SAC's colored exploration noise, index = copy

    public static Rng For(long seed, long purpose, long index) => Rng.Derive(seed, (purpose << 48) ^ index);

    public static long Seed(long seed, long purpose) => unchecked((long)For(seed, purpose, 0).NextUInt64());

    /// <summary>Standard normal draws into <paramref name="target"/>.</summary>
    public static void Gaussians(Rng rng, Span<float> target)
    {
        for (int i = 0; i < target.Length; i++) target[i] = (float)rng.NextGaussian();
    }
}
