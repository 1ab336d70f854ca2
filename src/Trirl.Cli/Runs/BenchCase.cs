namespace Trirl.Cli.Runs;

/// <summary>The timings of one MDP in <c>trirl bench tabular</c>.</summary>
/// <param name="Name">The MDP's name.</param>
/// <param name="States">States <c>S</c>.</param>
/// <param name="Actions">Actions <c>A</c>.</param>
/// <param name="Transitions">Stored transition entries (CSR non-zeros).</param>
/// <param name="Sweeps">Timed soft Bellman sweeps (and read-floor passes).</param>
/// <param name="SweepSeconds">Seconds of the sweeps.</param>
/// <param name="FloorSeconds">Seconds of as many passes of the memory-read floor.</param>
/// <param name="GatherSeconds">Seconds of as many passes reading every entry's next index and <c>V(next)</c>
/// (<see cref="Trirl.Cli.Benchmarks.KernelBenchmarks.GatherFloor"/>).</param>
/// <param name="ExpSeconds">Seconds of as many passes of a sweep's <c>S*A</c> exponentials
/// (<see cref="Trirl.Cli.Benchmarks.KernelBenchmarks.ExpFloor"/>).</param>
/// <param name="IterationSeconds">Seconds of each timed TRIRL iteration.</param>
public sealed record BenchCase(
    string Name,
    int States,
    int Actions,
    int Transitions,
    int Sweeps,
    double SweepSeconds,
    double FloorSeconds,
    double GatherSeconds,
    double ExpSeconds,
    IReadOnlyList<double> IterationSeconds)
{
    /// <summary>Soft-VI throughput: transition entries processed per second.</summary>
    public double EntriesPerSecond => (double)Transitions * Sweeps / SweepSeconds;

    /// <summary>Sweep time over read-floor time (1 would be as fast as reading the arrays).</summary>
    public double SweepToFloor => SweepSeconds / FloorSeconds;

    /// <summary>The random reads of <c>V(next)</c> alone, over the read floor.</summary>
    public double GatherToFloor => GatherSeconds / FloorSeconds;

    /// <summary>The exponentials alone, over the read floor.</summary>
    public double ExpToFloor => ExpSeconds / FloorSeconds;

    /// <summary>Median of <see cref="IterationSeconds"/>.</summary>
    public double IterationMedian
    {
        get
        {
            var sorted = IterationSeconds.Order().ToArray();
            int m = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
        }
    }
}
