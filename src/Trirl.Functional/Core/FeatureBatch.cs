using System.Collections.Immutable;

namespace Trirl.Functional;

/// <summary>
/// A read-only batch of rows by features (observations, actions, discriminator inputs): row <c>i</c> holds
/// <see cref="Features"/> values, stored row-major. F# indexes it as <c>batch.[i, j]</c> and reads whole rows with
/// <see cref="Row"/> or <see cref="Rows"/>.
/// </summary>
public sealed class FeatureBatch
{
    private readonly float[] values;

    private FeatureBatch(float[] values, int features)
    {
        this.values = values;
        Features = features;
    }

    /// <summary>A copy of <paramref name="rowMajor"/> as rows of <paramref name="features"/> values.</summary>
    public static FeatureBatch Of(IReadOnlyList<float> rowMajor, int features)
    {
        Check.NotNull(rowMajor, "rowMajor");
        Check.PositiveInt(features, nameof(features));
        if (rowMajor.Count % features != 0)
            throw new TrirlInputException("rowMajor", $"has {rowMajor.Count} values, not a multiple of {features} features", "pass whole rows");
        return new FeatureBatch([.. rowMajor], features);
    }

    /// <summary>The batch over <paramref name="rowMajor"/> without a copy (the caller never writes the array again).</summary>
    internal static FeatureBatch Wrap(float[] rowMajor, int features) => new(rowMajor, features);

    /// <summary>Number of rows.</summary>
    public int Count => values.Length / Features;

    /// <summary>Values per row.</summary>
    public int Features { get; }

    /// <summary>Value <paramref name="j"/> of row <paramref name="i"/>.</summary>
    public float this[int i, int j]
    {
        get
        {
            if ((uint)i >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(i), $"row {i} of {Count}");
            if ((uint)j >= (uint)Features) throw new ArgumentOutOfRangeException(nameof(j), $"feature {j} of {Features}");
            return values[i * Features + j];
        }
    }

    /// <summary>Row <paramref name="i"/> (a copy).</summary>
    public ImmutableArray<float> Row(int i) => [.. values.AsSpan(i * Features, Features)];

    /// <summary>Every row, in order.</summary>
    public IEnumerable<ImmutableArray<float>> Rows => Enumerable.Range(0, Count).Select(Row);

    /// <summary>Column <paramref name="j"/>: feature <paramref name="j"/> of every row.</summary>
    public ImmutableArray<float> Column(int j) => [.. Enumerable.Range(0, Count).Select(i => this[i, j])];

    /// <summary>The values, row-major (a copy).</summary>
    public ImmutableArray<float> Values => [.. values];

    /// <summary>The values without a copy, for the libraries' hot paths.</summary>
    internal float[] Array => values;
}
