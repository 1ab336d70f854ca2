namespace Trirl.Environments;

/// <summary>
/// The normalisation anchors shipped with an expert (<see cref="ShippedExperts.Anchors"/>): the mean returns of the
/// expert's deterministic policy and of the uniform-random policy over the same <see cref="Episodes"/> episodes seeded
/// <see cref="Seed"/> (episode <c>k</c> starts from copy <c>k</c> of <c>env.Reset(Episodes, Seed)</c>). A score
/// <c>R</c> normalises to <c>(R - RandomReturn) / (ExpertReturn - RandomReturn)</c>: the random policy scores 0, the
/// expert 1.
/// </summary>
/// <param name="Env">The task (a name of <see cref="ContinuousEnvs.Names"/>).</param>
/// <param name="ExpertReturn">Mean return of the expert.</param>
/// <param name="RandomReturn">Mean return of the uniform-random policy.</param>
/// <param name="Episodes">Episodes behind each mean (100).</param>
/// <param name="Seed">Seed of those episodes (0).</param>
/// <param name="ExpertReturns">The expert's return in each episode.</param>
/// <param name="RandomReturns">The random policy's return in each episode.</param>
/// <param name="Source">How the numbers were made (the training command and the measurement).</param>
public sealed record ShippedAnchors(
    string Env, double ExpertReturn, double RandomReturn, int Episodes, long Seed,
    ImmutableArray<double> ExpertReturns, ImmutableArray<double> RandomReturns, string Source)
{
    /// <summary>The normalised return of <paramref name="score"/>.</summary>
    public double Normalize(double score) => (score - RandomReturn) / (ExpertReturn - RandomReturn);

    /// <summary>Population standard deviation of <see cref="ExpertReturns"/>.</summary>
    public double ExpertStd => Std(ExpertReturns);

    /// <summary>Population standard deviation of <see cref="RandomReturns"/>.</summary>
    public double RandomStd => Std(RandomReturns);

    private static double Std(ImmutableArray<double> xs)
    {
        if (xs.IsDefaultOrEmpty) return double.NaN;
        double m = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / xs.Length);
    }

    /// <summary>Value equality (the return lists element by element).</summary>
    public bool Equals(ShippedAnchors? other) =>
        other is not null && Env == other.Env && ExpertReturn.Equals(other.ExpertReturn) && RandomReturn.Equals(other.RandomReturn)
        && Episodes == other.Episodes && Seed == other.Seed && ExpertReturns.SequenceEqual(other.ExpertReturns)
        && RandomReturns.SequenceEqual(other.RandomReturns) && Source == other.Source;

    /// <summary>Hash of the env and the two means.</summary>
    public override int GetHashCode() => HashCode.Combine(Env, ExpertReturn, RandomReturn);
}
