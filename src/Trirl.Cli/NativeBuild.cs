using System.Runtime.CompilerServices;

namespace Trirl.Cli;

/// <summary>
/// What a native (NativeAOT) build of <c>trirl</c> runs. It starts in a few milliseconds and gives the tabular commands
/// the same numbers as the JIT build (published for the machine's own instruction set), but TorchSharp and the
/// reflection-based JSON of the deep settings need runtime code generation, so the deep, MuJoCo and sweep commands are
/// refused up front with the fix, never left to fail deep inside (<c>scripts/publish-cli.sh --native</c>).
/// </summary>
public static class NativeBuild
{
    /// <summary>True when this process runs ahead-of-time compiled code with no JIT (a NativeAOT build).</summary>
    public static bool IsCurrent => !RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>The build this process runs, as benchmarks label their timings: <c>native</c> or <c>JIT</c>.</summary>
    public static string Name => IsCurrent ? "native" : "JIT";

    /// <summary>The commands a native build runs, by the words that invoke them.</summary>
    public static readonly IReadOnlyList<string> Runs = ["trirl tabular", "trirl demo", "trirl bench tabular"];

    /// <summary><see cref="Runs"/> and the groups above them (<c>trirl</c> and <c>trirl bench</c>: their help and version).</summary>
    public static readonly IReadOnlyList<string> Supported = ["trirl", "trirl bench", .. Runs];

    /// <summary>
    /// Why <paramref name="commandPath"/> cannot run when <paramref name="native"/>, or null when it can (every command
    /// runs in a JIT build).
    /// </summary>
    public static string? Refusal(string commandPath, bool native) =>
        !native || Supported.Contains(commandPath)
            ? null
            : $"'{commandPath}' does not run in this native build of trirl, which runs {string.Join(", ", Runs.Select(c => $"'{c}'"))} only "
              + "(TorchSharp and the deep settings' JSON need the JIT); run it with the ReadyToRun build: bash scripts/publish-cli.sh, then artifacts/trirl/trirl, "
              + "or dotnet run --project src/Trirl.Cli -c Release --";
}
