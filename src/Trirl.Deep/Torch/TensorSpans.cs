using System.Runtime.InteropServices;

namespace Trirl.Deep;

/// <summary>A float32 CPU tensor's memory as a span, for the fused kernels that read and write it in place.</summary>
internal static class TensorSpans
{
    /// <summary>The entries of <paramref name="t"/> (float32, CPU, contiguous: the caller checks) as floats.</summary>
    public static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>Whether <paramref name="t"/> is float32, on the CPU and contiguous: what <see cref="Floats"/> reads.</summary>
    public static bool IsPlainCpuFloat(Tensor t) => t.dtype == ScalarType.Float32 && t.device_type == DeviceType.CPU && t.is_contiguous();
}
