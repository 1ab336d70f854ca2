namespace Trirl.Deep;

/// <summary>
/// A discriminator <c>D_phi</c> (math note, section 9): an <see cref="Mlp"/> from normalised features and the
/// termination flag (<see cref="TransitionFeatures"/>) to one logit, output gain 0.1 (the reference's). Trained by
/// logistic regression with expert = 1 and policy = 0 (<see cref="DiscriminatorLoss"/>), its logit estimates
/// <c>log rho_E - log rho_pi</c>.
/// </summary>
public sealed class Discriminator : nn.Module<Tensor, Tensor>
{
    private readonly Mlp net;

    /// <summary>A discriminator over <paramref name="featureSize"/> features plus the flag, initialised from <paramref name="rng"/>.</summary>
    public Discriminator(int featureSize, MlpSpec spec, Rng rng) : base("discriminator")
    {
        Check.PositiveInt(featureSize, "featureSize");
        net = new Mlp("net", featureSize + 1, spec, 1, 0.1, rng);
        FeatureSize = featureSize;
        RegisterComponents();
    }

    /// <summary>Feature entries (the input has one more: the flag).</summary>
    public int FeatureSize { get; }

    /// <summary>The network.</summary>
    public Mlp Network => net;

    /// <summary>Logits <c>[B]</c> of input rows <c>[B, features + 1]</c>.</summary>
    public override Tensor forward(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return net.forward(inputs).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Disposes the network.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) net.Dispose();
        base.Dispose(disposing);
    }
}
