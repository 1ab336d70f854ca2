namespace Trirl.Cli.Benchmarks;

/// <summary>
/// One phase of the deep imitation loop beside its floor (<see cref="PhaseFloors"/>): the measured seconds per
/// iteration, the multiply-adds it makes, the GEMM rate measured on its shapes in the same run, the floor
/// <c>multiply-adds / rate</c> (plus the simulator's measured seconds where those join the floor) and the ratio.
/// </summary>
/// <param name="Phase">The phase's name.</param>
/// <param name="Seconds">Measured seconds per iteration (mean over the timed iterations).</param>
/// <param name="MultiplyAdds">Multiply-adds per iteration.</param>
/// <param name="Rate">The GEMM rate on the phase's shapes.</param>
/// <param name="SimulatorSeconds">Measured simulator seconds added to the floor (0 unless the simulator joins it).</param>
public sealed record PhaseFloor(string Phase, double Seconds, long MultiplyAdds, MeasuredGemmRate Rate, double SimulatorSeconds)
{
    /// <summary>The floor: <c>multiply-adds / rate + simulator seconds</c> (the GEMM part 0 for a phase without products).</summary>
    public double FloorSeconds => (MultiplyAdds > 0 ? PhaseFloors.FloorSeconds(MultiplyAdds, Rate.MultiplyAddsPerSecond) : 0) + SimulatorSeconds;

    /// <summary>Measured over floor (<see cref="PhaseFloors.Ratio"/>).</summary>
    public double Ratio => PhaseFloors.Ratio(Seconds, FloorSeconds);
}
