using System.Runtime.InteropServices;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// The absolute command that starts this same <c>trirl</c>, for child processes and Slurm scripts: <c>dotnet trirl.dll</c>
/// with the host of this process when it is <c>dotnet</c> (else the host of this runtime,
/// <c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/../../../dotnet</c>) and the CLI assembly's path, which is
/// right for the apphost (<see cref="Environment.ProcessPath"/> is <c>trirl</c>), for <c>dotnet trirl.dll</c> and for the
/// CLI run in-process (tests). A single-file build, whose assembly has no path, runs its own executable.
/// </summary>
public static class TrirlExecutable
{
    /// <summary>The command tokens, e.g. <c>["/usr/share/dotnet/dotnet", "/opt/trirl/trirl.dll"]</c>.</summary>
    public static IReadOnlyList<string> Command()
    {
        string? process = Environment.ProcessPath;
        string dll = typeof(Program).Assembly.Location;
        if (dll.Length == 0 && process is not null) return [Path.GetFullPath(process)];
        return [Dotnet(process), Path.GetFullPath(dll)];
    }

    private static string Dotnet(string? process)
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (process is not null && Path.GetFileName(process) == exe) return Path.GetFullPath(process);
        // The runtime folder is <root>/shared/Microsoft.NETCore.App/<version>/; the host is <root>/dotnet.
        string fromRuntime = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", exe));
        if (File.Exists(fromRuntime)) return fromRuntime;
        foreach (var variable in new[] { "DOTNET_HOST_PATH", "DOTNET_ROOT" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v)
            {
                string candidate = variable == "DOTNET_ROOT" ? Path.Combine(v, exe) : v;
                if (File.Exists(candidate)) return Path.GetFullPath(candidate);
            }
        return OnPath(exe) ?? exe;
    }

    /// <summary>The first <paramref name="name"/> on PATH, or null.</summary>
    public static string? OnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }
}
