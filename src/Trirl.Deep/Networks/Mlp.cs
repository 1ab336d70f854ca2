using TorchSharp.Modules;

namespace Trirl.Deep;

/// <summary>
/// A multilayer perceptron <c>input -&gt; hidden... -&gt; output</c> built from an <see cref="MlpSpec"/>: each hidden
/// layer is <c>Linear</c> (then <c>LayerNorm</c> on the first when the spec asks) then the activation; the output layer
/// is linear. Weights are orthogonal (<see cref="OrthogonalInit"/>, gain <c>sqrt 2</c> for hidden layers and
/// <c>outputGain</c> for the output layer, as the reference implementation), biases 0, drawn from <c>rng</c>.
/// Created on the CPU; move it with <c>to(device)</c>.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Builds the network and initialises its weights from <paramref name="rng"/>.</summary>
    public Mlp(string name, int inputSize, MlpSpec spec, int outputSize, double outputGain, Rng rng) : base(name)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(rng);
        spec.Validate(name);
        Check.PositiveInt(inputSize, $"{name}.input", "pass the observation size");
        Check.PositiveInt(outputSize, $"{name}.output", "pass the output size");
        InputSize = inputSize;
        OutputSize = outputSize;
        Spec = spec;
        var list = new List<(string, nn.Module<Tensor, Tensor>)>();
        int previous = inputSize;
        for (int i = 0; i < spec.Hidden.Length; i++)
        {
            int width = spec.Hidden[i];
            list.Add(($"linear{i}", Layer(previous, width, Math.Sqrt(2.0), rng)));
            if (i == 0 && spec.LayerNorm) list.Add(("norm0", nn.LayerNorm(width)));
            list.Add(($"act{i}", spec.Activation switch
            {
                // nn.ELU() with kept Scalars (KeptScalars.EluModule): the same numbers and state_dict.
                Activation.Elu => new KeptScalars.EluModule(),
                Activation.Tanh => nn.Tanh(),
                _ => nn.ReLU(),
            }));
            previous = width;
        }
        list.Add(("output", Layer(previous, outputSize, outputGain, rng)));
        layers = nn.Sequential(list);
        RegisterComponents();
    }

    /// <summary>Input size.</summary>
    public int InputSize { get; }

    /// <summary>Output size.</summary>
    public int OutputSize { get; }

    /// <summary>The shape of the hidden layers.</summary>
    public MlpSpec Spec { get; }

    /// <summary>The network applied to a batch <c>[B, input]</c>: <c>[B, output]</c>.</summary>
    public override Tensor forward(Tensor input) => layers.forward(input);

    private static Linear Layer(int input, int output, double gain, Rng rng)
    {
        var linear = nn.Linear(input, output);
        using (no_grad())
        {
            using var w = tensor(OrthogonalInit.Matrix(output, input, gain, rng), [output, input]);
            linear.weight!.copy_(w);
            linear.bias!.zero_();
        }
        return linear;
    }

    /// <summary>Disposes the layers.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) layers.Dispose();
        base.Dispose(disposing);
    }
}
