namespace Trirl.Deep;

/// <summary>Actions drawn uniformly from the action box <c>[low, high]</c>, independently per entry.</summary>
public sealed class RandomPolicy : IContinuousPolicy
{
    private readonly float[] low;
    private readonly float[] high;

    /// <summary>The uniform policy over the action box of <paramref name="spec"/>.</summary>
    public RandomPolicy(ContinuousEnvSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ObservationSize = spec.ObservationSize;
        low = spec.ActionLow.ToArray();
        high = spec.ActionHigh.ToArray();
    }

    /// <inheritdoc/>
    public int ObservationSize { get; }

    /// <inheritdoc/>
    public int ActionSize => low.Length;

    /// <summary>The lower bounds of the box.</summary>
    public ImmutableArray<float> Low => [.. low];

    /// <summary>The upper bounds of the box.</summary>
    public ImmutableArray<float> High => [.. high];

    /// <inheritdoc/>
    public float[] Act(float[] observations, int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int d = low.Length;
        var actions = new float[count * d];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < d; j++)
                actions[i * d + j] = (float)(low[j] + (high[j] - (double)low[j]) * rng.NextDouble());
        return actions;
    }
}
