using System.Collections.Immutable;
using System.CommandLine;
using Spectre.Console;
using Trirl.Cli.Output;
using Trirl.Cli.Runs;
using Trirl.Cli.Terminal;
using TorchSharp;
using Trirl.Environments;

using Trirl.Cli.Benchmarks;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl bench trirl [--env pendulum] [--preset paper] [--iterations K] [--threads T] [--demos FILE] [--reference none|pytorch] [--python EXE] [--device cpu] [--out FILE]</c>:
/// env steps per second of the whole TRIRL loop with a full buffer (<see cref="ImitationBenchmark"/>; the paper preset on
/// the pendulum: 4,000 copies, K = 100), with the seconds of each phase beside its floor (<see cref="PhaseFloors"/>: its
/// multiply-adds at the GEMM rate measured on its own shapes in the same run) and their ratio; the loop's floor is the
/// sum of the phases'. The simulator is timed alone too: reported beside the floors on the classic tasks, part of the
/// acting floor on the MuJoCo tasks. The issue's goal: the loop within 1.3x of its floor. With <c>--reference pytorch</c>
/// the PyTorch re-creation of the same loop (<see cref="PyTorchReference"/>) runs right after, with the same settings,
/// threads and iterations, and each phase's PyTorch seconds and the ratio PyTorch / ours are printed beside it (the
/// issue's other goal: the whole loop at least <see cref="PyTorchReference.TargetRatio"/>x).
/// </summary>
public static class TrirlBenchCommand
{
    /// <summary>What the floors leave out, printed under the table and written to the JSON.</summary>
    public const string Note =
        "floors count the GEMMs only (forward, backward, the gradient penalty's double backward) at the GEMM rate of each phase's shapes measured in this run; " +
        "activations, LayerNorm, Adam, gradient clipping, row gathers and host copies are memory-bound work with no bandwidth figure measured here, so they are left out " +
        "(a ratio above 1 includes them); truncation bootstraps and absorbing-state rows are not counted";

    /// <summary>The line that says which kernels ran: the variable's value, or the default and how to change it.</summary>
    public static string KernelsText(string? capability) => capability is { } c
        ? $"{Machine.CpuCapabilityVariable}={c}"
        : $"the CPU's widest ({Machine.CpuCapabilityVariable} unset; if acting and the policy update run twice their usual time, try {Machine.CpuCapabilityVariable}=avx2: docs/performance.md)";

    /// <summary>The <c>trirl</c> subcommand of <c>bench</c>.</summary>
    public static Command Create()
    {
        var env = Flags.Text("--env", "Task: pendulum (default) or another continuous task with demonstrations (a MuJoCo task's simulator joins the acting floor).", "pendulum");
        var preset = Flags.Text("--preset", "Settings preset: paper (4,000 copies, K = 100), default, locomotion or tiny.", RlPreset.Paper);
        var iterations = Flags.Whole("--iterations", "Timed iterations (after one warm-up iteration).", 2);
        var threads = Flags.Whole("--threads", "Torch intra-op threads.", 1);
        var demos = Flags.OptionalText("--demos", "Expert transitions (.npz); default: the task's shipped demonstrations.");
        var reference = Flags.Text("--reference", $"none (default), or pytorch: then time the PyTorch re-creation of the same loop ({PyTorchReference.ScriptPath}) right after, on the pendulum, and print PyTorch / ours per phase.", "none");
        var python = Flags.OptionalText("--python", $"The Python for --reference pytorch; default: ${PyTorchReference.EnvironmentVariable}, else the first of python3 and /usr/bin/python3 that imports torch.");
        return BenchSubcommand.Create("trirl", "Time the whole TRIRL loop (paper preset: 4,000 pendulums, a full buffer of 100 discriminators), each phase beside its GEMM floor.",
            [env, preset, iterations, threads, demos, reference, python],
            (parse, device, output) => Execute(parse.GetRequiredValue(preset), parse.GetValue(iterations), parse.GetValue(threads), parse.GetValue(demos),
                device, output, parse.GetRequiredValue(env), parse.GetRequiredValue(reference), parse.GetValue(python)));
    }

    /// <summary>Whether <paramref name="reference"/> (<c>--reference</c>) asks for the PyTorch re-creation: <c>none</c> or <c>pytorch</c>.</summary>
    public static bool WantsPyTorch(string reference) => (reference ?? "").Trim().ToLowerInvariant() switch
    {
        "none" => false,
        "pytorch" => true,
        _ => throw new TrirlInputException("--reference", $"must be none or pytorch, got '{reference}'", "pass --reference pytorch, or leave it out"),
    };

    /// <summary>
    /// Validates, measures, runs the PyTorch re-creation when <paramref name="reference"/> is <c>pytorch</c> (with
    /// <paramref name="python"/>, see <see cref="PyTorchReference.Find"/>), prints a table and writes the JSON atomically.
    /// The reference's requirements (the pendulum, the CPU, a Python with torch) are checked before anything is timed.
    /// </summary>
    public static int Execute(string preset, int iterations, int threads, string? demosPath, string deviceName, string path, string envName = "pendulum",
        string reference = "none", string? python = null)
    {
        Check.PositiveInt(iterations, "--iterations", "time at least one iteration");
        Check.PositiveInt(threads, "--threads", "pass a positive thread count");
        bool pytorch = WantsPyTorch(reference);
        // The buffer model under every preset: it is the loop the floors count and the PyTorch reference re-creates
        // (the default preset's recursive model would add its reward regressions).
        var settings = ImitationSettings.Preset(ImitationMethod.Trirl, preset).WithRewardModel(RewardModelKind.Buffer);
        var env = ContinuousEnvs.Create(envName, "--env");
        var (demos, source) = TrainPlan.LoadDemos(demosPath, env);
        var device = Devices.Parse(deviceName);
        (string Python, string Spec)? plan = null;
        if (pytorch)
        {
            var pendulum = env as Pendulum ?? throw new TrirlInputException("--env", $"the PyTorch reference simulates the pendulum only, got {env.Name}",
                "bench --env pendulum with --reference pytorch, or leave --reference out");
            if (device.type != DeviceType.CPU)
                throw new TrirlInputException("--device", $"the PyTorch reference runs on the CPU, got {deviceName}", "bench --device cpu with --reference pytorch");
            string spec = PyTorchReferenceSpec.Text(pendulum, settings, demos.Count, threads, iterations, ImitationBenchmark.FillEta);
            plan = (PyTorchReference.Find(python).Python, spec);
        }
        System.Console.Out.WriteLine($"timing the TRIRL loop: {settings.Ppo.Copies} {env.Name} copies x {settings.Ppo.RolloutSteps} steps, buffer of {settings.BufferSize} " +
                                     $"{settings.Discriminator.Description} discriminators, {threads} thread(s), {iterations} iteration(s) after a warm-up");
        var t = ImitationBenchmark.Loop(env.Name, settings, demos, iterations, threads, device, new Progress<string>(line => System.Console.Out.WriteLine(line)));
        PyTorchTiming? torchTiming = null;
        if (plan is { } p)
        {
            System.Console.Out.WriteLine($"timing the PyTorch re-creation of the same loop ({p.Python} {PyTorchReference.ScriptPath}), {threads} thread(s), {iterations} iteration(s) after a warm-up");
            torchTiming = PyTorchReference.Run(p.Python, p.Spec, threads, System.Console.Out.WriteLine);
        }
        string F(double x, string format) => double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "-";
        // Beside each phase: PyTorch's seconds, PyTorch / ours, and PyTorch's GEMM rate on the same shapes (its BLAS's share).
        string[] Torch(int phase, double ours) => torchTiming is { } r
            ? [F(phase < 0 ? r.LoopSeconds : r.Phases[phase], "G4"), F((phase < 0 ? r.LoopSeconds : r.Phases[phase]) / ours, "0.00"),
               phase < 0 ? "" : F(r.Gflops[phase], "0.0")]
            : [];
        string[] Blank() => torchTiming is null ? [] : ["", "", ""];
        // The spread over the timed iterations, beside the mean: the loop can run at two speeds (docs/performance.md, "Two speeds").
        string Range(ImmutableArray<double> xs) => $"{F(xs.Min(), "G4")}-{F(xs.Max(), "G4")}";
        var table = new Table().AddColumns("phase (per iteration)", "seconds", "min-max s", "floor s", "x floor", "multiply-adds", "GEMM GFLOP/s");
        if (torchTiming is not null) table.AddColumns("PyTorch s", "PyTorch / ours", "PyTorch GEMM GFLOP/s");
        for (int i = 0; i < t.Floors.Length; i++)
        {
            var f = t.Floors[i];
            table.AddRow([Markup.Escape(f.Phase + (f.SimulatorSeconds > 0 ? " (floor: GEMMs + simulator)" : "")), F(f.Seconds, "G4"), Range(t.PhaseSeconds(i)),
                F(f.FloorSeconds, "G4"), F(f.Ratio, "0.00"), f.MultiplyAdds.ToString("0.000e+00", CultureInfo.InvariantCulture), F(f.Rate.Gflops, "0.0"),
                .. Torch(i, f.Seconds)]);
        }
        table.AddRow([Markup.Escape(t.SimulatorInFloor ? "  simulator (measured, in acting's floor)" : "  simulator (measured, not floored; inside acting)"),
            F(t.SimulatorSeconds, "G4"), "", "", "", "", "", .. Blank()]);
        table.AddRow(["whole loop (floor = sum of the phases')", F(t.Phases.Sum(), "G4"), Range(t.LoopSeconds), F(t.FloorSeconds, "G4"), F(t.Ratio, "0.00"),
            t.Floors.Sum(f => f.MultiplyAdds).ToString("0.000e+00", CultureInfo.InvariantCulture), "", .. Torch(-1, t.Phases.Sum())]);
        Ansi.Stdout().Write(table);
        System.Console.Out.WriteLine($"whole loop x floor per timed iteration: {string.Join(", ", t.LoopRatios.Select(r => F(r, "0.00")))}");
        System.Console.Out.WriteLine($"env steps per second (whole loop): {F(t.EnvStepsPerSecond, "0")}");
        System.Console.Out.WriteLine($"libtorch kernels: {KernelsText(Machine.CpuCapability)}");
        System.Console.Out.WriteLine($"note: {Note}.");
        if (torchTiming is { } torchRun)
        {
            System.Console.Out.WriteLine($"PyTorch re-creation: torch {torchRun.TorchVersion} (Python {torchRun.PythonVersion}), {torchRun.Threads} thread(s), BLAS {torchRun.Blas}; " +
                                         $"env steps per second {F(torchRun.EnvStepsPerSecond, "0")}; whole loop PyTorch / ours = {F(torchRun.LoopSeconds / t.Phases.Sum(), "0.00")} " +
                                         $"(target >= {PyTorchReference.TargetRatio.ToString(CultureInfo.InvariantCulture)})");
            System.Console.Out.WriteLine($"reference note: {PyTorchReference.Note}.");
            if (torchRun.ReferenceBlas)
                Messages.Warning("torch ran on Debian's reference BLAS (netlib libblas3), whose GEMMs are tens of times slower than an optimised BLAS: " +
                                 "apt-get install libopenblas0-openmp and rerun for a meaningful ratio");
        }
        return BenchFile.Write(path, BenchFile.Text(w =>
        {
            w.WriteString("benchmark", "trirl");
            w.WriteString("preset", RlPreset.Parse(preset));
            w.WriteString("env", t.Env);
            w.WriteString("demos", source);
            w.WriteString("device", deviceName);
            w.WriteNumber("threads", t.Threads);
            w.WriteNumber("copies", t.Copies);
            w.WriteNumber("buffer_size", t.BufferSize);
            w.WriteString("aten_cpu_capability", Machine.CpuCapability ?? "default");
            w.WriteString("cpu", Machine.Cpu);
            WriteLoopTiming(w, t.Iterations, t.StepsPerIteration, t.Phases, t.EnvStepsPerSecond);
            w.WriteObjects("phases", t.Floors.Select((f, i) => (f, i)), (w, x) =>
            {
                var (f, i) = x;
                w.WriteString("phase", f.Phase);
                w.WriteNumberOrNull("seconds", f.Seconds);
                w.WriteNumberArrayOrNulls("seconds_per_iteration", t.PhaseSeconds(i));
                w.WriteNumber("multiply_adds", f.MultiplyAdds);
                w.WriteNumberOrNull("gemm_multiply_adds_per_second", f.Rate.MultiplyAddsPerSecond);
                w.WriteNumberOrNull("gemm_gflops", f.Rate.Gflops);
                w.WriteNumberOrNull("simulator_seconds_in_floor", f.SimulatorSeconds);
                w.WriteNumberOrNull("floor_seconds", f.FloorSeconds);
                w.WriteNumberOrNull("ratio", f.Ratio);
            });
            w.WriteNumberOrNull("simulator_seconds", t.SimulatorSeconds);
            w.WriteBoolean("simulator_in_floor", t.SimulatorInFloor);
            w.WriteNumberOrNull("loop_seconds", t.Phases.Sum());
            w.WriteNumberArrayOrNulls("loop_seconds_per_iteration", t.LoopSeconds);
            w.WriteNumberOrNull("floor_seconds", t.FloorSeconds);
            w.WriteNumberOrNull("ratio", t.Ratio);
            w.WriteNumberArrayOrNulls("ratio_per_iteration", t.LoopRatios);
            w.WriteString("note", Note);
            if (torchTiming is { } r) WriteReference(w, r, t);
        }));
    }

    /// <summary>
    /// The timed loop's counts, seconds per phase (by <see cref="ImitationLoopTiming.PhaseNames"/>) and rate, written
    /// alike for our loop and the PyTorch re-creation so that their fields stay comparable.
    /// </summary>
    private static void WriteLoopTiming(System.Text.Json.Utf8JsonWriter w, int iterations, int stepsPerIteration, ImmutableArray<double> phases,
        double envStepsPerSecond)
    {
        w.WriteNumber("iterations", iterations);
        w.WriteNumber("steps_per_iteration", stepsPerIteration);
        for (int i = 0; i < phases.Length; i++) w.WriteNumberOrNull(ImitationLoopTiming.PhaseNames[i], phases[i]);
        w.WriteNumberOrNull("env_steps_per_second", envStepsPerSecond);
    }

    /// <summary>
    /// <c>"pytorch_reference": {...}</c>: where the figures came from (script, Python, torch, BLAS, threads), the
    /// re-creation's seconds per phase, and per phase and for the whole loop the ratio PyTorch / ours beside the target,
    /// with both sides' GEMM floors on the phase's shapes (how much of the ratio the two BLAS libraries alone make).
    /// </summary>
    private static void WriteReference(System.Text.Json.Utf8JsonWriter w, PyTorchTiming r, ImitationLoopTiming ours) => w.WriteObject("pytorch_reference", o =>
    {
        o.WriteString("script", PyTorchReference.ScriptPath);
        o.WriteString("python", r.Python);
        o.WriteString("python_version", r.PythonVersion);
        o.WriteString("torch_version", r.TorchVersion);
        o.WriteString("blas", r.Blas);
        o.WriteNumber("threads", r.Threads);
        WriteLoopTiming(o, r.Iterations, r.StepsPerIteration, r.Phases, r.EnvStepsPerSecond);
        o.WriteObjects("phases", Enumerable.Range(0, r.Phases.Length), (p, i) =>
        {
            p.WriteString("phase", ImitationLoopTiming.PhaseNames[i]);
            p.WriteNumberOrNull("pytorch_seconds", r.Phases[i]);
            p.WriteNumberOrNull("ours_seconds", ours.Phases[i]);
            p.WriteNumberOrNull("pytorch_to_ours_ratio", r.Phases[i] / ours.Phases[i]);
            p.WriteNumberOrNull("pytorch_floor_seconds", r.FloorSeconds[i]);
            p.WriteNumberOrNull("pytorch_gemm_gflops", r.Gflops[i]);
            p.WriteNumberOrNull("ours_floor_seconds", ours.Floors[i].FloorSeconds);
            p.WriteNumberOrNull("ours_gemm_gflops", ours.Floors[i].Rate.Gflops);
        });
        o.WriteNumberOrNull("loop_seconds", r.LoopSeconds);
        o.WriteNumberOrNull("ours_loop_seconds", ours.Phases.Sum());
        o.WriteNumberOrNull("pytorch_to_ours_ratio", r.LoopSeconds / ours.Phases.Sum());
        o.WriteNumberOrNull("pytorch_floor_seconds", r.FloorSeconds.Sum());
        o.WriteNumberOrNull("ours_floor_seconds", ours.FloorSeconds);
        o.WriteNumber("target_ratio", PyTorchReference.TargetRatio);
        o.WriteString("note", PyTorchReference.Note);
    });
}
