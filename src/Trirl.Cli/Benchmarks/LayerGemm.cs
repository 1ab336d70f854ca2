namespace Trirl.Cli.Benchmarks;

/// <summary>
/// One matrix product of a linear layer (<see cref="GemmKind"/>) on a batch, and how many times a phase makes it per
/// iteration: <c>Count * Batch * Inputs * Outputs</c> multiply-adds.
/// </summary>
/// <param name="Kind">Forward, input gradient or weight gradient.</param>
/// <param name="Batch">Rows <c>B</c>.</param>
/// <param name="Inputs">The layer's input width.</param>
/// <param name="Outputs">The layer's output width.</param>
/// <param name="Count">Times per iteration, &gt;= 0.</param>
public sealed record LayerGemm(GemmKind Kind, int Batch, int Inputs, int Outputs, long Count)
{
    /// <summary>Multiply-adds of one product: <c>Batch * Inputs * Outputs</c>.</summary>
    public long MultiplyAddsEach => checked((long)Batch * Inputs * Outputs);

    /// <summary>Multiply-adds per iteration: <c>Count * Batch * Inputs * Outputs</c>.</summary>
    public long MultiplyAdds => checked(Count * MultiplyAddsEach);

    /// <summary>The product's shape and kind without the count (what a timing measures).</summary>
    public LayerGemm Shape => this with { Count = 1 };
}
