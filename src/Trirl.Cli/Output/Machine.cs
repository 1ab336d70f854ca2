using System.Runtime.InteropServices;
using System.Text.Json;

namespace Trirl.Cli.Output;

/// <summary>
/// The machine a run or benchmark ran on. A run is reproducible bit for bit on the same machine, not across CPU models:
/// the BLAS under libtorch chooses its matrix kernels by CPU, so the same command on another CPU can train to other
/// numbers (docs/results.md, "Another CPU, other numbers"). Every <c>summary.json</c> and benchmark file records it, so
/// that two results that differ can be told apart from a regression.
/// </summary>
public static class Machine
{
    /// <summary>The CPU model (<c>model name</c> in <c>/proc/cpuinfo</c>), or the process architecture where that is not readable.</summary>
    public static string Cpu { get; } = ReadCpu();

    /// <summary>The environment variable by which libtorch's elementwise kernels are chosen when it loads (unset: the CPU's widest).</summary>
    public const string CpuCapabilityVariable = "ATEN_CPU_CAPABILITY";

    /// <summary>
    /// The kernel set this process asked libtorch for (<see cref="CpuCapabilityVariable"/>), or none: recorded with every
    /// measurement, because on the project's VM the paper preset's acting and policy phases ran twice as fast with
    /// <c>avx2</c> as with the AVX-512 kernels chosen by default, with the same bits (docs/performance.md, "The slow speed's
    /// cause").
    /// </summary>
    public static string? CpuCapability => Environment.GetEnvironmentVariable(CpuCapabilityVariable) is { Length: > 0 } v ? v.Trim() : null;

    /// <summary>Writes the <c>machine</c> object: <c>cpu</c>, <c>processors</c>, <c>os</c>, <c>runtime</c>, <c>aten_cpu_capability</c>.</summary>
    public static void Write(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WritePropertyName("machine");
        w.WriteStartObject();
        w.WriteString("cpu", Cpu);
        w.WriteNumber("processors", Environment.ProcessorCount);
        w.WriteString("os", RuntimeInformation.OSDescription);
        w.WriteString("runtime", RuntimeInformation.FrameworkDescription);
        w.WriteString("aten_cpu_capability", CpuCapability ?? "default");
        w.WriteEndObject();
    }

    private static string ReadCpu()
    {
        const string file = "/proc/cpuinfo", key = "model name";
        try
        {
            if (File.Exists(file))
                foreach (var line in File.ReadLines(file))
                    if (line.StartsWith(key, StringComparison.Ordinal) && line.IndexOf(':') is var colon and >= 0 && line[(colon + 1)..].Trim() is { Length: > 0 } model)
                        return model;
        }
        catch (IOException) { } // unreadable: fall back to the architecture, which still says something
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
