namespace Trirl.Deep;

/// <summary>
/// Colored exploration noise of the training copies (<see cref="SacSettings.NoiseExponent"/>): copy <c>i</c> in its
/// episode <c>e</c> reads, at step <c>t</c> of the episode, sample <c>t</c> of the <see cref="ColoredNoise"/> sequences
/// (one per action entry, of the task's <c>MaxSteps</c> samples) drawn from
/// <c>Rng.Derive(stream(seed, i), e)</c>. The noise is a function of the run seed and of the step and episode counters
/// the environment state already holds, so a resumed run draws the same noise without saving any generator state.
/// </summary>
internal sealed class EpisodeNoise
{
    private readonly double exponent;
    private readonly int length, actDim;
    private readonly long[] streams;
    private readonly int[] cachedEpisode;
    private readonly double[][] cached;

    public EpisodeNoise(double exponent, int length, int actDim, long seed, int copies)
    {
        this.exponent = exponent;
        this.length = length;
        this.actDim = actDim;
        streams = new long[copies];
        cachedEpisode = new int[copies];
        cached = new double[copies][];
        for (int i = 0; i < copies; i++)
        {
            streams[i] = unchecked((long)RunStreams.For(seed, RunStreams.ColoredAct, i).NextUInt64());
            cachedEpisode[i] = -1;
        }
    }

    /// <summary>The standard normal noise of every copy at its current step: <c>target[i * actDim + j]</c>.</summary>
    public void Fill(VecEnvState state, Span<float> target)
    {
        var steps = state.Steps;
        var episodes = state.Episodes;
        for (int i = 0; i < streams.Length; i++)
        {
            if (cachedEpisode[i] != episodes[i])
            {
                var rng = Rng.Derive(streams[i], episodes[i]);
                var all = new double[actDim * length];
                for (int j = 0; j < actDim; j++)
                    ColoredNoise.Sequence(exponent, length, rng).CopyTo(all, j * length);
                cached[i] = all;
                cachedEpisode[i] = episodes[i];
            }
            int t = steps[i] % length;
            for (int j = 0; j < actDim; j++) target[i * actDim + j] = (float)cached[i][j * length + t];
        }
    }
}
