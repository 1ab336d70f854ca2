using System.CommandLine;
using Spectre.Console;
using Trirl.Cli.Output;
using Trirl.Cli.Terminal;

using Trirl.Cli.Benchmarks;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl bench buffer [--networks K] [--batch B] [--input I] [--repeats R] [--threads T] [--device cpu] [--out FILE]</c>:
/// the corrected-reward buffer's evaluation (K networks I-512-256-1 tanh, forward only) by every path, against the GEMM
/// floor of the same shapes measured in the same run (<see cref="BufferBenchmark"/>); the goal is a path within 1.25x of
/// the floor. Defaults: the issue's shape (100 networks 4-512-256-1 on 2,048 rows) and one torch thread.
/// </summary>
public static class BufferBenchCommand
{
    /// <summary>The goal: the best path's median within this factor of the floor's.</summary>
    public const double Goal = 1.25;

    /// <summary>The <c>buffer</c> subcommand of <c>bench</c>.</summary>
    public static Command Create()
    {
        var networks = Flags.Whole("--networks", "Networks in the buffer (K).", 100);
        var batch = Flags.Whole("--batch", "Rows evaluated.", 2048);
        var input = Flags.Whole("--input", "Input size of each network.", 4);
        var repeats = Flags.Whole("--repeats", "Timed evaluations per path (after one warm-up), interleaved with the floor.", 7);
        var threads = Flags.Whole("--threads", "Torch intra-op threads.", 1);
        return BenchSubcommand.Create("buffer", "Time the corrected-reward buffer's evaluation (every path) against the GEMM floor of the same shapes.",
            [networks, batch, input, repeats, threads],
            (parse, device, output) => Execute(parse.GetValue(networks), parse.GetValue(batch), parse.GetValue(input), parse.GetValue(repeats),
                parse.GetValue(threads), device, output));
    }

    /// <summary>Validates, measures, prints a table and writes the JSON atomically.</summary>
    public static int Execute(int networks, int batch, int input, int repeats, int threads, string deviceName, string path)
    {
        foreach (var (flag, value) in new[] { ("--networks", networks), ("--batch", batch), ("--input", input), ("--repeats", repeats), ("--threads", threads) })
            Check.PositiveInt(value, flag, "pass a positive number");
        var device = Devices.Parse(deviceName);
        TorchRuntime.Configure(threads, 0);
        var net = BufferBenchmark.PaperNetwork;
        System.Console.Out.WriteLine($"buffer of {networks} networks {input}-{net.Description.Replace(' ', '-')}... on {batch} rows, {threads} thread(s), {repeats} repeats");
        var result = BufferBenchmark.Measure(networks, batch, input, net, repeats, device,
            progress: new Progress<string>(line => System.Console.Out.WriteLine(line)));
        var table = new Table().AddColumns("path", "median ms", "min ms", "x floor", "max |diff| to loop");
        table.AddRow("GEMM floor", F(result.FloorMedianMs), F(result.FloorMinMs), "1.00", $"({result.FloorGflops.ToString("0.0", CultureInfo.InvariantCulture)} GFLOP/s)");
        foreach (var p in result.Paths)
            table.AddRow(p.Path, F(p.MedianMs), F(p.MinMs), p.ToFloor.ToString("0.00", CultureInfo.InvariantCulture), p.MaxAbsDifference.ToString("0.0e+00", CultureInfo.InvariantCulture));
        Ansi.Stdout().Write(table);
        var best = result.Best;
        System.Console.Out.WriteLine($"best: {best.Path}, {best.ToFloor.ToString("0.00", CultureInfo.InvariantCulture)}x the GEMM floor (goal {Goal.ToString("0.00", CultureInfo.InvariantCulture)}x): " +
            (best.ToFloor <= Goal ? "reached" : "not reached"));
        return BenchFile.Write(path, Json(result, deviceName));
    }

    private static string F(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Json(BufferBenchResult r, string device)
    {
        return BenchFile.Text(w =>
        {
            w.WriteString("benchmark", "buffer");
            w.WriteString("device", device);
            w.WriteNumber("threads", r.Threads);
            w.WriteNumber("processor_count", Environment.ProcessorCount);
            w.WriteNumber("networks", r.Networks);
            w.WriteNumber("batch", r.Batch);
            w.WriteNumber("input", r.InputSize);
            w.WriteString("network", r.Network.Description);
            w.WriteNumber("repeats", r.Repeats);
            w.WriteNumberOrNull("floor_median_ms", r.FloorMedianMs);
            w.WriteNumberOrNull("floor_min_ms", r.FloorMinMs);
            w.WriteNumberOrNull("floor_gflops", r.FloorGflops);
            w.WriteObjects("paths", r.Paths, (w, p) =>
            {
                w.WriteString("path", p.Path);
                w.WriteNumberOrNull("median_ms", p.MedianMs);
                w.WriteNumberOrNull("min_ms", p.MinMs);
                w.WriteNumberOrNull("to_floor", p.ToFloor);
                w.WriteNumberOrNull("max_abs_diff_to_loop", p.MaxAbsDifference);
            });
            w.WriteString("best", r.Best.Path);
            w.WriteNumberOrNull("best_to_floor", r.Best.ToFloor);
            w.WriteNumber("goal_to_floor", Goal);
        });
    }
}
