using System.Globalization;
using System.Text.Json.Serialization;

namespace Trirl.Deep;

/// <summary>
/// Shape of a multilayer perceptron: hidden layer widths, their activation, and whether a LayerNorm follows the first
/// linear layer (the paper's networks: <c>512 LayerNorm - 256 - 128</c>, ELU). Weights are initialised orthogonally
/// (gain <c>sqrt 2</c> for hidden layers; the output layer's gain is chosen by the network using the spec), biases 0.
/// </summary>
/// <param name="Hidden">Widths of the hidden layers, in order, each &gt;= 1 (at least one layer).</param>
/// <param name="Activation">Nonlinearity after each hidden layer (after the LayerNorm on the first).</param>
/// <param name="LayerNorm">Whether a LayerNorm follows the first linear layer.</param>
public sealed record MlpSpec(ImmutableArray<int> Hidden, Activation Activation, bool LayerNorm)
{
    /// <summary>The paper's network: 512 (LayerNorm) - 256 - 128, ELU.</summary>
    public static MlpSpec Paper { get; } = new([512, 256, 128], Activation.Elu, true);

    /// <summary>Throws a <see cref="TrirlInputException"/> naming <paramref name="field"/> when the spec is not usable.</summary>
    public MlpSpec Validate(string field)
    {
        if (Hidden.IsDefaultOrEmpty) throw new TrirlInputException($"{field}.hidden", "is empty", "give at least one hidden layer width, e.g. [64, 64]");
        for (int i = 0; i < Hidden.Length; i++)
            Check.PositiveInt(Hidden[i], $"{field}.hidden[{i}]", "use positive layer widths");
        _ = EnumNames.Name(Activation, "activation");
        return this;
    }

    /// <summary>Text such as <c>512(LayerNorm)-256-128 elu</c>.</summary>
    [JsonIgnore]
    public string Description =>
        string.Join("-", Hidden.Select((h, i) => h.ToString(CultureInfo.InvariantCulture) + (i == 0 && LayerNorm ? "(LayerNorm)" : ""))) + " " + EnumNames.Name(Activation);

    /// <summary>Value equality over the widths, the activation and the LayerNorm flag.</summary>
    public bool Equals(MlpSpec? other) =>
        other is not null && Hidden.SequenceEqual(other.Hidden) && Activation == other.Activation && LayerNorm == other.LayerNorm;

    /// <summary>Hash of the depth and the flags.</summary>
    public override int GetHashCode() => HashCode.Combine(Hidden.Length, Activation, LayerNorm);
}
