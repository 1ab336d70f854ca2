using System.Diagnostics;
using System.Reflection;
using Trirl.Functional.Environments;

namespace Trirl.Cli.Runs;

/// <summary>The wall time of one whole process (start to exit), the fastest of <c>Runs</c>.</summary>
/// <param name="Name">What was run.</param>
/// <param name="Command">The command line.</param>
/// <param name="Seconds">Wall seconds of each run.</param>
/// <param name="ExitCode">Exit code of the last run.</param>
public sealed record ProcessTiming(string Name, string Command, IReadOnlyList<double> Seconds, int ExitCode)
{
    /// <summary>The fastest run (the one least disturbed by the rest of the machine).</summary>
    public double Best => Seconds.Count == 0 ? double.NaN : Seconds.Min();
}

/// <summary>
/// What the user waits for: whole <c>trirl tabular</c> processes on a small MDP (a 4x4 gridworld, one iteration) and a
/// large one (a 50x50 slippery gridworld, gamma 0.95, delta 0.001, 5 iterations), and, in the same run, the
/// scipy.sparse reference of the same algorithm on the large one (<c>scripts/bench/tabular_scipy.py</c>, embedded in
/// the CLI), so that the ratio compares two programs measured side by side on this machine.
/// </summary>
public static class ProcessBench
{
    /// <summary>Runs of the small case (the fastest counts).</summary>
    public const int SmallRuns = 5;

    /// <summary>Runs of the large case and of the reference.</summary>
    public const int LargeRuns = 2;

    /// <summary>The large case's MDP: 50x50 gridworld, slip 0.1, gamma 0.95.</summary>
    public static TabularMdp LargeMdp() => Gridworld.Create(50, 0.1, gamma: 0.95);

    /// <summary>The large case's learner flags (TRIRL, beta 3, eps 0.05, delta 0.001, 5 iterations).</summary>
    public static readonly string[] LargeFlags = ["--algo", "trirl", "--beta", "3", "--eps", "0.05", "--delta", "0.001", "--iterations", "5"];

    /// <summary>
    /// Times the two <c>trirl tabular</c> cases and the reference in <paramref name="workDir"/> (created; the runs write
    /// there). The reference is null when no Python with numpy and scipy is found.
    /// </summary>
    public static (ProcessTiming Small, ProcessTiming Large, ProcessTiming? Reference, string? ReferenceNote) Measure(string workDir)
    {
        Directory.CreateDirectory(workDir);
        string mdpFile = Path.Combine(workDir, "gridworld-50-gamma0.95.json");
        File.WriteAllText(mdpFile, MdpJson.Serialize(LargeMdp()));
        var (exe, prefix) = SelfCommand();
        // The whole process depends on the build that runs it (the bench times its own executable).
        string build = NativeBuild.Name + " build";
        var small = Time($"trirl tabular gridworld:4, 1 iteration ({build})", exe,
            [.. prefix, "tabular", "--env", "gridworld:4", "--algo", "trirl", "--iterations", "1", "--out", Path.Combine(workDir, "small")], SmallRuns);
        var large = Time($"trirl tabular 50x50, 5 iterations ({build})", exe,
            [.. prefix, "tabular", "--env", "file:" + mdpFile, .. LargeFlags, "--out", Path.Combine(workDir, "large")], LargeRuns);
        if (FindPython() is not { } python)
            return (small, large, null, "no python3 with numpy and scipy found (Debian: apt-get install python3-scipy)");
        string script = Path.Combine(workDir, "tabular_scipy.py");
        using (var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("tabular_scipy.py")
            ?? throw new InvalidOperationException("the CLI carries no tabular_scipy.py resource"))
        using (var file = File.Create(script)) resource.CopyTo(file);
        var reference = Time("scipy.sparse reference, 50x50, 5 iterations", python,
            [script, mdpFile, "3", "0.05", "0.001", "5"], LargeRuns);
        return (small, large, reference, null);
    }

    /// <summary>The command that starts this CLI again: its apphost, or <c>dotnet trirl.dll</c>.</summary>
    private static (string Exe, string[] Prefix) SelfCommand()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        string dll = Assembly.GetExecutingAssembly().Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? (process, [dll]) : (process, []);
    }

    private static string? FindPython()
    {
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo(candidate, ["-c", "import numpy, scipy.sparse"])
                    { RedirectStandardOutput = true, RedirectStandardError = true });
                if (p is null) continue;
                p.WaitForExit();
                if (p.ExitCode == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception) { }
        }
        return null;
    }

    private static ProcessTiming Time(string name, string exe, string[] args, int runs)
    {
        var seconds = new List<double>();
        int code = 0;
        for (int k = 0; k < runs; k++)
        {
            var info = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
            var watch = Stopwatch.StartNew();
            using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {exe}");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            seconds.Add(watch.Elapsed.TotalSeconds);
            code = p.ExitCode;
            if (code != 0)
                throw new InvalidOperationException($"'{name}' exited with code {code}: {stderr.Result.Trim()} {stdout.Result.Trim()}");
        }
        string command = string.Join(' ', new[] { exe }.Concat(args).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
        return new ProcessTiming(name, command, seconds, code);
    }

    /// <summary>Seconds with three decimals.</summary>
    public static string Format(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);
}
