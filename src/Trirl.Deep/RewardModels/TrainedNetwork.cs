using TorchSharp.Modules;

namespace Trirl.Deep;

/// <summary>
/// A network a reward model trains, with its Adam optimiser, saved in a checkpoint under its own tags (the network in
/// the networks section, the optimiser in the optimisers section). <see cref="Place"/> moves it to the device and makes
/// the optimiser, after a resumed network was read and before a resumed optimiser is.
/// </summary>
internal abstract class TrainedNetwork(nn.Module module, string tag, string optimizerTag, double learningRate) : IDisposable
{
    private Adam? optimizer;

    /// <summary>The optimiser (after <see cref="Place"/>).</summary>
    protected Adam Optimizer => optimizer ?? throw new InvalidOperationException($"the {tag} network is not placed on a device yet");

    public void Place(Device device)
    {
        module.to(device);
        // TorchSharp's Adam with its Scalars kept alive (KeptScalars): the same numbers and checkpoints.
        optimizer = new KeptScalars.Adam(module.parameters(), lr: learningRate);
    }

    public void ReadNetwork(BinaryReader r) => r.ReadModule(tag, module);
    public void WriteNetwork(BinaryWriter w) => w.WriteModule(tag, module);
    public void ReadOptimizer(BinaryReader r) => r.ReadOptimizer(optimizerTag, Optimizer);
    public void WriteOptimizer(BinaryWriter w) => w.WriteOptimizer(optimizerTag, Optimizer);

    public void Dispose()
    {
        optimizer?.Dispose();
        module.Dispose();
    }
}
