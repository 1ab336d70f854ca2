using System.Collections.Immutable;

namespace Trirl.Cli.Benchmarks;

/// <summary>What the PyTorch re-creation of the loop measured (<see cref="PyTorchReference.Run"/>; means over its timed iterations).</summary>
/// <param name="Python">The Python executable that ran it.</param>
/// <param name="PythonVersion">Its version.</param>
/// <param name="TorchVersion">PyTorch's version.</param>
/// <param name="Blas">The BLAS library torch's GEMMs ran on (<c>mkl</c>, or the mapped library's path).</param>
/// <param name="Threads">torch's intra-op threads.</param>
/// <param name="Iterations">Timed iterations.</param>
/// <param name="StepsPerIteration">Environment steps per iteration.</param>
/// <param name="Phases">Mean seconds per iteration of each phase, in the order of <see cref="ImitationLoopTiming.PhaseNames"/>.</param>
/// <param name="EnvStepsPerSecond">Environment steps per second of the whole loop.</param>
/// <param name="FloorSeconds">Each phase's GEMM floor on torch's BLAS: its distinct products (<see cref="PhaseFloors"/>) timed alone, as <see cref="GemmRate"/> times them on libtorch's.</param>
/// <param name="MultiplyAddsPerSecond">Each phase's GEMM rate on torch's BLAS (NaN for a phase without products).</param>
public sealed record PyTorchTiming(string Python, string PythonVersion, string TorchVersion, string Blas, int Threads, int Iterations,
    int StepsPerIteration, ImmutableArray<double> Phases, double EnvStepsPerSecond, ImmutableArray<double> FloorSeconds,
    ImmutableArray<double> MultiplyAddsPerSecond)
{
    /// <summary>Each phase's GEMM rate on torch's BLAS in GFLOP/s (two flops per multiply-add).</summary>
    public ImmutableArray<double> Gflops => [.. MultiplyAddsPerSecond.Select(r => 2 * r / 1e9)];

    /// <summary>The whole loop's seconds per iteration: the sum of the phases'.</summary>
    public double LoopSeconds => Phases.Sum();

    /// <summary>
    /// Whether torch ran on Debian's reference BLAS (netlib's <c>libblas3</c>, unoptimised Fortran: GEMMs about 40x
    /// slower than OpenBLAS here), which would make the comparison meaningless.
    /// </summary>
    public bool ReferenceBlas => Blas.Contains("/blas/libblas.so", StringComparison.Ordinal) && !Blas.Contains("openblas", StringComparison.OrdinalIgnoreCase);
}
