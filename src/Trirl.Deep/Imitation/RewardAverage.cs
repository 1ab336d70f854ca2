namespace Trirl.Deep;

/// <summary>
/// Which reward a TRIRL run exports (<see cref="ImitationSettings.AverageReward"/>): its last iterate, or a running
/// average of its iterates (<see cref="Trirl.Functional.Irl.AverageReward"/>) kept beside it by the recursive model.
/// </summary>
public enum RewardAverage
{
    /// <summary>The last iterate <c>r_n</c> (the enum's zero; every preset but the default).</summary>
    None,

    /// <summary><c>(1/n) sum_i r_i</c>: every iterate alike (Polyak-Ruppert).</summary>
    Uniform,

    /// <summary><c>sum_i (r_i / i) / H_n</c>: early iterates first (the default preset's).</summary>
    Harmonic,
}

/// <summary>Parses <see cref="RewardAverage"/> names (none, uniform, harmonic) and gives each kind's weights.</summary>
public static class RewardAverages
{
    /// <summary>The kind named <paramref name="name"/> (case-insensitive).</summary>
    public static RewardAverage Parse(string name, string field = "average_reward") => EnumNames.Parse<RewardAverage>(name, field, "reward average");

    /// <summary>
    /// The weight of the <paramref name="n"/>-th iterate (from 1) in the running average of <paramref name="kind"/>
    /// (<see cref="Trirl.Functional.Irl.UniformAverageWeight"/>, <see cref="Trirl.Functional.Irl.HarmonicAverageWeight"/>).
    /// </summary>
    public static double Weight(RewardAverage kind, long n) => kind switch
    {
        RewardAverage.Uniform => Irl.UniformAverageWeight(n),
        RewardAverage.Harmonic => Irl.HarmonicAverageWeight(n),
        _ => throw new TrirlInputException("average_reward", $"'{EnumNames.Name(kind, "average_reward")}' keeps no average", "use uniform or harmonic"),
    };
}
