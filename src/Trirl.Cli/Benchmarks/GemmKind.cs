namespace Trirl.Cli.Benchmarks;

/// <summary>
/// The three matrix products of a linear layer <c>z = h W^T + b</c> (<c>h</c>: <c>[B, in]</c>, <c>W</c>: <c>[out, in]</c>),
/// each <c>B * in * out</c> multiply-adds, in the operand layouts libtorch's <c>linear</c> and its backward use.
/// </summary>
public enum GemmKind
{
    /// <summary>The forward product <c>h W^T</c>: <c>[B, in] x [in, out]</c> (the weight a transposed view).</summary>
    Forward,

    /// <summary>The input gradient <c>g_h = g_z W</c>: <c>[B, out] x [out, in]</c>.</summary>
    InputGradient,

    /// <summary>The weight gradient <c>g_W = g_z^T h</c>: <c>[out, B] x [B, in]</c> (a reduction over the batch).</summary>
    WeightGradient,
}
