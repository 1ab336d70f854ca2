using System.Runtime.InteropServices;

namespace Trirl.Deep;

/// <summary>
/// Loads the libtorch that this library's packages ship, by absolute path, before TorchSharp looks for one by name.
/// TorchSharp's loader first asks the dynamic loader for <c>torch_cpu</c> by name; where another libtorch is installed
/// system-wide (Debian's <c>python3-torch</c> brings <c>libtorch1.13</c>: <c>libtorch_cpu.so</c> and <c>libc10.so</c> in
/// <c>/usr/lib/x86_64-linux-gnu</c>) the loader finds that one first in an F# script or notebook (a built program
/// resolves through its <c>deps.json</c> and is not affected), and TorchSharp's native glue then binds to the wrong
/// version. Loading the packaged <c>libgomp</c>, <c>libc10</c>, <c>libtorch_cpu</c> and <c>libtorch</c> first, by path and
/// in dependency order, makes every later lookup by name find them (the loader reuses a loaded library of the same
/// name). <see cref="Foreign"/> names a libtorch from elsewhere that is loaded anyway, for the error message.
/// </summary>
internal static class PackagedLibtorch
{
    /// <summary>The libraries to load, in dependency order (<c>libgomp</c>'s name carries a hash, so it is matched by prefix).</summary>
    private static readonly string[] Order = ["libgomp-", "libc10.so", "libtorch_cpu.so", "libtorch.so"];

    /// <summary>The folder whose libraries were loaded (empty when none was found or this is not Linux).</summary>
    public static string LoadedFrom { get; private set; } = "";

    /// <summary>
    /// Finds the packaged libtorch (the <c>cpu</c> folder TorchSharp fills next to its assembly in scripts and notebooks,
    /// the program's own <c>runtimes/linux-x64/native</c>, or the NuGet packages folder) and loads it. Does nothing off
    /// Linux or when no packaged copy is found; a library that fails to load is left to TorchSharp's own loader, whose
    /// error <see cref="TorchRuntime.Explain"/> then explains.
    /// </summary>
    public static void Preload()
    {
        if (!OperatingSystem.IsLinux() || LoadedFrom.Length > 0) return;
        // A libtorch already in the process (something touched TorchSharp first) must not be loaded a second time from
        // another folder: libtorch aborts when its operators register twice.
        if (Mapped().Length > 0) return;
        foreach (var dir in Candidates())
        {
            if (!File.Exists(Path.Combine(dir, "libtorch_cpu.so"))) continue;
            foreach (var prefix in Order)
            {
                var file = Directory.EnumerateFiles(dir, prefix + "*").Order(StringComparer.Ordinal).FirstOrDefault(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal));
                if (file is not null) NativeLibrary.TryLoad(file, out _);
            }
            LoadedFrom = dir;
            return;
        }
    }

    /// <summary>The folders that may hold the packaged libtorch, in the order they are tried.</summary>
    internal static IEnumerable<string> Candidates()
    {
        string torchSharp = Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? "";
        if (torchSharp.Length > 0) yield return Path.Combine(torchSharp, "cpu");
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        yield return AppContext.BaseDirectory;
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string libtorch = Path.Combine(packages, "libtorch-cpu-linux-x64");
        if (Directory.Exists(libtorch))
            foreach (var version in Directory.EnumerateDirectories(libtorch).OrderDescending(StringComparer.Ordinal))
                yield return Path.Combine(version, "runtimes", "linux-x64", "native");
    }

    /// <summary>
    /// A libtorch loaded into this process from outside the packaged folders (its path), or empty.
    /// </summary>
    public static string Foreign() =>
        Mapped().FirstOrDefault(path => !Candidates().Any(c => path.StartsWith(c, StringComparison.Ordinal))) ?? "";

    /// <summary>
    /// The paths of the <c>libtorch_cpu</c> and <c>libc10</c> files mapped into this process: read from
    /// <c>/proc/self/maps</c>, the loader's own list of mapped files (empty off Linux).
    /// </summary>
    internal static string[] Mapped()
    {
        const string maps = "/proc/self/maps";
        if (!OperatingSystem.IsLinux() || !File.Exists(maps)) return [];
        try
        {
            return [.. File.ReadLines(maps)
                .Select(line => line.IndexOf('/') is var at and >= 0 ? line[at..] : "")
                .Where(path => Path.GetFileName(path) is var name
                               && (name.StartsWith("libtorch_cpu.so", StringComparison.Ordinal) || name.StartsWith("libc10.so", StringComparison.Ordinal)))
                .Distinct()];
        }
        catch (IOException)
        {
            return [];
        }
    }
}
