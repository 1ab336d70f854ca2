namespace Trirl.Deep;

/// <summary>
/// AIRL's reward/shaping discriminator (Fu et al. 2018): a state-only reward <c>g(s)</c> and a shaping potential
/// <c>h(s)</c>, two <see cref="Mlp"/>s over normalised observations, combined as
/// <code>
/// f(s, s') = g(s) + gamma h(s') - h(s)                 (s' not absorbing)
/// f(s, s') = g(s) + gamma / (1 - gamma) g(s') - h(s)    (s' absorbing: it loops with reward g(s') forever)
/// </code>
/// The discriminator's logit is <c>f - log pi(a|s)</c>; the policy's reward is that logit, and the learned
/// (disentangled) reward that retraining and transfer re-optimise is <c>g</c>.
/// </summary>
public sealed class AirlDiscriminator : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Mlp g;
    private readonly Mlp h;

    /// <summary>The two networks over <paramref name="observationSize"/> inputs (g first, then h from the same stream).</summary>
    public AirlDiscriminator(int observationSize, MlpSpec spec, double gamma, Rng rng) : base("airl")
    {
        Check.UnitInterval(gamma, "gamma", closedRight: false);
        g = new Mlp("g", observationSize, spec, 1, 0.1, rng);
        h = new Mlp("h", observationSize, spec, 1, 0.1, rng);
        Gamma = gamma;
        RegisterComponents();
    }

    /// <summary>The discount of the shaping term.</summary>
    public double Gamma { get; }

    /// <summary>The reward network <c>g</c>.</summary>
    public Mlp Reward => g;

    /// <summary>
    /// <c>f(s, s')</c> <c>[B]</c> for normalised states <c>[B, obsDim]</c>, next states and termination flags <c>[B]</c> (0/1).
    /// </summary>
    public override Tensor forward(Tensor states, Tensor nextStates, Tensor terminated)
    {
        using var scope = NewDisposeScope();
        var gs = g.forward(states).squeeze(-1);
        var hs = h.forward(states).squeeze(-1);
        var gn = g.forward(nextStates).squeeze(-1);
        var hn = h.forward(nextStates).squeeze(-1);
        // Scalars explicit and kept alive across the torch calls (KeptScalars), with the values and types of the
        // implicit conversions they replace: 1 - t with int 1s, the discounts as doubles.
        using var gamma = Gamma.ToScalar();
        using var tail = (Gamma / (1 - Gamma)).ToScalar();
        var next = terminated.OneMinus().mul(gamma).mul(hn).Plus(terminated.mul(tail).mul(gn));
        return (gs.Plus(next) - hs).MoveToOuterDisposeScope();
    }

    /// <summary>Disposes both networks.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            g.Dispose();
            h.Dispose();
        }
        base.Dispose(disposing);
    }
}
