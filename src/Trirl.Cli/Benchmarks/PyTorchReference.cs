using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Trirl.Cli.Benchmarks;

/// <summary>
/// The PyTorch re-creation of one deep TRIRL iteration (<c>scripts/bench/trirl_pytorch.py</c>, embedded in the CLI), run
/// by <c>trirl bench trirl --reference pytorch</c> right after the library's own measurement, on the same machine, with
/// the same settings (<see cref="PyTorchReferenceSpec"/>), threads and iterations: the side-by-side ratio of issue 22.
/// The Python is <c>--python</c>, else the <see cref="EnvironmentVariable"/>, else the first of <c>python3</c> and
/// <c>/usr/bin/python3</c> that imports torch (Debian's <c>python3-torch</c> is for <c>/usr/bin/python3</c>, which another
/// <c>python3</c> first on the PATH may shadow).
/// </summary>
public static class PyTorchReference
{
    /// <summary>The environment variable naming the Python to run the reference with (when <c>--python</c> is not given).</summary>
    public const string EnvironmentVariable = "TRIRL_PYTHON";

    /// <summary>Where the script lives in the repository (what the JSON names).</summary>
    public const string ScriptPath = "scripts/bench/trirl_pytorch.py";

    /// <summary>The issue's target: the PyTorch re-creation's whole loop at least this many times the library's seconds.</summary>
    public const double TargetRatio = 2.5;

    /// <summary>The fix printed when no Python with torch is found.</summary>
    public const string InstallFix =
        "apt-get install python3-torch (Debian; with libopenblas0-openmp so that torch's GEMMs do not run on the reference BLAS), " +
        $"or pass --python (or set {EnvironmentVariable}) naming a Python that imports torch";

    /// <summary>What the re-creation does not share with the library's loop, printed under the table and written to the JSON.</summary>
    public const string Note =
        "the same work per phase (shapes, counts, losses, optimisers, clipping) in PyTorch's own kernels and BLAS; " +
        "not the same: the buffer's K networks evaluated one after another with addmm (no fused bias-activation-dot pass), " +
        "the pendulum vectorised in NumPy, noise and shuffles from torch's generator, random expert rows, PyTorch's Adam (single-tensor on the CPU)";

    /// <summary>
    /// The Python to run the reference with and its torch version: <paramref name="python"/> when given, else
    /// <see cref="EnvironmentVariable"/> when set, else the first of <c>python3</c> and <c>/usr/bin/python3</c> that imports
    /// torch. None is a <see cref="TrirlInputException"/> naming the flag (or variable) and <see cref="InstallFix"/>.
    /// </summary>
    public static (string Python, string TorchVersion) Find(string? python)
    {
        string? variable = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var (field, candidates) = !string.IsNullOrWhiteSpace(python) ? ("--python", new[] { python })
            : !string.IsNullOrWhiteSpace(variable) ? (EnvironmentVariable, new[] { variable })
            : ("--reference", new[] { "python3", "/usr/bin/python3" });
        var problems = new List<string>();
        foreach (var candidate in candidates)
        {
            var (version, problem) = Probe(candidate);
            if (version is not null) return (candidate, version);
            problems.Add($"{candidate} {problem}");
        }
        throw new TrirlInputException(field, $"the PyTorch reference needs a Python that imports torch: {string.Join("; ", problems)}", InstallFix);
    }

    /// <summary>torch's version under <paramref name="python"/>, or why there is none.</summary>
    private static (string? Version, string Problem) Probe(string python)
    {
        try
        {
            var info = new ProcessStartInfo(python, ["-c", "import torch; print(torch.__version__)"])
                { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(info);
            if (process is null) return (null, "cannot be started");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode == 0) return (stdout.Result.Trim(), "");
            string last = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            return (null, $"cannot import torch ({last})");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"cannot be started ({e.Message})");
        }
    }

    /// <summary>
    /// Runs the script under <paramref name="python"/> on <paramref name="specText"/> (<see cref="PyTorchReferenceSpec.Text"/>)
    /// in a temporary folder (removed afterwards), with BLAS and OpenMP held to <paramref name="threads"/> threads; its
    /// progress lines go to <paramref name="progress"/>. A failed run is an <see cref="InvalidOperationException"/> with
    /// the script's last lines.
    /// </summary>
    public static PyTorchTiming Run(string python, string specText, int threads, Action<string>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(python);
        ArgumentException.ThrowIfNullOrEmpty(specText);
        Check.PositiveInt(threads, "--threads", "pass a positive thread count");
        var folder = Directory.CreateTempSubdirectory("trirl-pytorch-");
        try
        {
            string script = Path.Combine(folder.FullName, "trirl_pytorch.py");
            string spec = Path.Combine(folder.FullName, "spec.json");
            using (var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("trirl_pytorch.py")
                ?? throw new InvalidOperationException("the CLI carries no trirl_pytorch.py resource"))
            using (var file = File.Create(script)) resource.CopyTo(file);
            File.WriteAllText(spec, specText);
            var info = new ProcessStartInfo(python, [script, spec])
                { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            // torch.set_num_threads covers torch's own pool and OpenMP; OpenBLAS built with pthreads (and MKL before
            // torch sets it) read their own variables, so the child is held to the same thread count from its start.
            string count = threads.ToString(CultureInfo.InvariantCulture);
            foreach (var name in new[] { "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS" }) info.Environment[name] = count;
            var errors = new List<string>();
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {python}");
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (errors) errors.Add(e.Data);
                progress?.Invoke(e.Data);
            };
            process.BeginErrorReadLine();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                string tail;
                lock (errors) tail = string.Join(" | ", errors.TakeLast(5));
                throw new InvalidOperationException($"the PyTorch reference ({python} {ScriptPath}) exited with code {process.ExitCode}: {tail}");
            }
            string line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
                ?? throw new InvalidOperationException($"the PyTorch reference ({ScriptPath}) printed no result");
            return Parse(python, line);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>An object's value under each phase name, in phase order (null, for a phase without products, as NaN).</summary>
    private static ImmutableArray<double> PerPhase(JsonElement byPhase) =>
        [.. ImitationLoopTiming.PhaseNames.Select(p => byPhase.GetProperty(p) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : double.NaN)];

    /// <summary>The script's result line (one JSON object) as a <see cref="PyTorchTiming"/>.</summary>
    public static PyTorchTiming Parse(string python, string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            return new PyTorchTiming(python, r.GetProperty("python_version").GetString() ?? "", r.GetProperty("torch_version").GetString() ?? "",
                r.GetProperty("blas").GetString() ?? "", r.GetProperty("threads").GetInt32(), r.GetProperty("iterations").GetInt32(),
                r.GetProperty("steps_per_iteration").GetInt32(),
                [.. ImitationLoopTiming.PhaseNames.Select(p => r.GetProperty(p).GetDouble())], r.GetProperty("env_steps_per_second").GetDouble(),
                PerPhase(r.GetProperty("gemm_floor_seconds")), PerPhase(r.GetProperty("gemm_multiply_adds_per_second")));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidOperationException($"the PyTorch reference's result is not the expected JSON ({e.Message}): {json}", e);
        }
    }
}
