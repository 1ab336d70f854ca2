namespace Trirl.Deep;

/// <summary>
/// SAC's twin critics <c>Q1(s, u)</c>, <c>Q2(s, u)</c>: two <see cref="Mlp"/>s over the concatenation of observation and
/// squashed action <c>u</c> in <c>[-1, 1]^d</c>, output gain 1. Taking their minimum in targets curbs overestimation
/// (Fujimoto et al. 2018).
/// </summary>
public sealed class TwinQ : nn.Module<Tensor, Tensor, (Tensor Q1, Tensor Q2)>
{
    private readonly Mlp q1;
    private readonly Mlp q2;

    /// <summary>Two critics initialised from <paramref name="rng"/> (one after the other).</summary>
    public TwinQ(string name, int observationSize, int actionSize, MlpSpec spec, Rng rng) : base(name)
    {
        q1 = new Mlp("q1", observationSize + actionSize, spec, 1, 1.0, rng);
        q2 = new Mlp("q2", observationSize + actionSize, spec, 1, 1.0, rng);
        RegisterComponents();
    }

    /// <summary>Both critics' values <c>[B]</c> of observations <c>[B, obsDim]</c> and actions <c>[B, actDim]</c>.</summary>
    public override (Tensor Q1, Tensor Q2) forward(Tensor observations, Tensor actions)
    {
        using var scope = NewDisposeScope();
        var x = cat([observations, actions], 1);
        var a = q1.forward(x).squeeze(-1);
        var b = q2.forward(x).squeeze(-1);
        return (a.MoveToOuterDisposeScope(), b.MoveToOuterDisposeScope());
    }

    /// <summary>Disposes both critics.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            q1.Dispose();
            q2.Dispose();
        }
        base.Dispose(disposing);
    }
}
