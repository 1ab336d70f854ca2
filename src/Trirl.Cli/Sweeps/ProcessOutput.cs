using System.Diagnostics;

namespace Trirl.Cli.Sweeps;

/// <summary>The exit code and the output of a finished external command (sbatch, squeue).</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Stdout">What it printed on stdout.</param>
/// <param name="Stderr">What it printed on stderr.</param>
public sealed record ProcessOutput(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> to its end and returns its exit code and output.</summary>
    public static ProcessOutput Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new ProcessOutput(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Stderr (or stdout when stderr is empty) on one line.</summary>
    public string Message => Terminal.Messages.OneLine(Stderr.Trim().Length > 0 ? Stderr : Stdout);
}
