using System.Collections.Immutable;

namespace Trirl.Cli.Benchmarks;

/// <summary>
/// The matrix products one phase of the deep imitation loop makes per iteration (<see cref="PhaseFloors"/>): what its
/// floor is counted from and what the GEMM rate of the phase is measured on.
/// </summary>
/// <param name="Phase">The phase's name (<see cref="ImitationLoopTiming.PhaseNames"/>).</param>
/// <param name="Gemms">The products, with their counts per iteration.</param>
public sealed record PhaseWork(string Phase, ImmutableArray<LayerGemm> Gemms)
{
    /// <summary>Multiply-adds per iteration: the sum of <see cref="LayerGemm.MultiplyAdds"/>.</summary>
    public long MultiplyAdds => Gemms.Aggregate(0L, (sum, g) => checked(sum + g.MultiplyAdds));

    /// <summary>The distinct shapes, each with the summed count of its products (what <see cref="GemmRate"/> times).</summary>
    public ImmutableArray<LayerGemm> Merged =>
        [.. Gemms.GroupBy(g => g.Shape).Select(group => group.Key with { Count = group.Sum(g => g.Count) }).Where(g => g.Count > 0)];
}
