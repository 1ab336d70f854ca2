namespace Trirl.Deep;

/// <summary>
/// SAC's actor: an <see cref="Mlp"/> whose output holds the mean <c>mu(s)</c> and the log standard deviation
/// <c>log sigma(s)</c> (clamped to <c>[-20, 2]</c>) of a Gaussian over pre-squash actions <c>x</c>; the action is
/// <c>u = tanh(x)</c> in <c>[-1, 1]^d</c>, mapped affinely to the environment's box. The standard deviation depends on
/// the state (as in SAC and Stable-Baselines3); PPO's <see cref="GaussianPolicy"/> keeps it state-independent.
/// </summary>
public sealed class SquashedGaussianActor : nn.Module<Tensor, (Tensor Mean, Tensor LogStd)>
{
    /// <summary>Lower clamp of <c>log sigma</c>.</summary>
    public const double LogStdMin = -20.0;

    /// <summary>Upper clamp of <c>log sigma</c>.</summary>
    public const double LogStdMax = 2.0;

    // The clamp's bounds as kept double Scalars (KeptScalars), as clamp(LogStdMin, LogStdMax) converts them.
    private static readonly Scalar LogStdMinScalar = LogStdMin.ToScalar();
    private static readonly Scalar LogStdMaxScalar = LogStdMax.ToScalar();

    private readonly Mlp net;

    /// <summary>The actor for <paramref name="observationSize"/> inputs and <paramref name="actionSize"/> actions.</summary>
    public SquashedGaussianActor(int observationSize, int actionSize, MlpSpec spec, Rng rng) : base("actor")
    {
        net = new Mlp("net", observationSize, spec, 2 * actionSize, 0.01, rng);
        ObservationSize = observationSize;
        ActionSize = actionSize;
        RegisterComponents();
    }

    /// <summary>Observation size.</summary>
    public int ObservationSize { get; }

    /// <summary>Action size.</summary>
    public int ActionSize { get; }

    /// <summary>Mean and clamped log standard deviation, each <c>[B, actDim]</c>, of a batch <c>[B, obsDim]</c>.</summary>
    public override (Tensor Mean, Tensor LogStd) forward(Tensor observations)
    {
        using var scope = NewDisposeScope();
        var output = net.forward(observations);
        var parts = output.chunk(2, dim: -1);
        var mean = parts[0];
        var logStd = parts[1].clamp(LogStdMinScalar, LogStdMaxScalar);
        return (mean.MoveToOuterDisposeScope(), logStd.MoveToOuterDisposeScope());
    }

    /// <summary>Disposes the network.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) net.Dispose();
        base.Dispose(disposing);
    }
}
