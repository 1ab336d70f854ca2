using System.Globalization;

namespace Trirl.Deep;

/// <summary>
/// The device a run trains on: <c>cpu</c> (the default) or <c>cuda</c> / <c>cuda:N</c>. Every module and tensor of a
/// learner lives on that device; CUDA needs a CUDA build of libtorch referenced by the application (this repository
/// references the CPU build, so <c>cuda</c> is refused here with the fix).
/// </summary>
public static class Devices
{
    /// <summary>The CPU device.</summary>
    public static torch.Device Cpu
    {
        get
        {
            // Touching torch loads libtorch: the packaged one first (TorchRuntime.Ensure), never whichever is found by name.
            TorchRuntime.Ensure();
            return torch.CPU;
        }
    }

    /// <summary>
    /// The device named <paramref name="name"/> (<c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>, case-insensitive). An unknown
    /// name, or CUDA when libtorch has no usable CUDA device, is a <see cref="TrirlInputException"/> for
    /// <paramref name="field"/> naming the fix.
    /// </summary>
    public static torch.Device Parse(string name, string field = "device")
    {
        string n = (name ?? "").Trim().ToLowerInvariant();
        if (n == "cpu")
        {
            TorchRuntime.Ensure();
            return torch.CPU;
        }
        if (n == "cuda" || n.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (n.Length > 4 && !int.TryParse(n.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out index))
                throw new TrirlInputException(field, $"'{name}' is not a CUDA device", "write cuda or cuda:N with N a device index");
            TorchRuntime.Ensure();
            if (!torch.cuda.is_available())
                throw new TrirlInputException(field, "is cuda but no CUDA device is available to libtorch (this build references the CPU libtorch, libtorch-cpu-linux-x64)",
                    "use the cpu device, or reference a CUDA libtorch package (e.g. libtorch-cuda-12.8-linux-x64 instead of libtorch-cpu-linux-x64) on a machine with an NVIDIA GPU");
            int count = torch.cuda.device_count();
            if (index >= count)
                throw new TrirlInputException(field, $"asks for CUDA device {index} but there are {count}", $"use an index below {count}");
            return new torch.Device(DeviceType.CUDA, index);
        }
        throw new TrirlInputException(field, string.IsNullOrWhiteSpace(name) ? "is empty" : $"unknown device '{name}'", "use cpu or cuda");
    }
}
