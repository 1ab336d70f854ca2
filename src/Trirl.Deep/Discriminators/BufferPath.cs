namespace Trirl.Deep;

/// <summary>How <see cref="DiscriminatorBuffer"/> evaluates <c>sum_k w_k D_k(x)</c>; every path gives the same sums (to float rounding).</summary>
public enum BufferPath
{
    /// <summary>The fastest path the device and networks allow: <see cref="Fused"/> on the CPU for tanh or ReLU networks, else <see cref="Loop"/>.</summary>
    Auto,

    /// <summary>One network after the other with plain torch operations (the reference path the others are tested against).</summary>
    Loop,

    /// <summary>Chunks of networks at once: stacked weights and <c>bmm</c> (then <c>add_</c> for the biases).</summary>
    Batched,

    /// <summary>
    /// One network after the other: each layer's GEMM into a reused buffer (no allocation), then one vectorised pass that
    /// adds the bias and applies the activation, fused for the last hidden layer with the output dot product and the
    /// weighted sum (CPU only; tanh and ReLU).
    /// </summary>
    Fused,
}

/// <summary>The concrete <see cref="BufferPath"/> values (<see cref="EnumNames.Name{TEnum}"/> names them).</summary>
public static class BufferPaths
{
    /// <summary>Every path but <see cref="BufferPath.Auto"/>.</summary>
    public static IReadOnlyList<BufferPath> Concrete { get; } = [BufferPath.Loop, BufferPath.Batched, BufferPath.Fused];
}
