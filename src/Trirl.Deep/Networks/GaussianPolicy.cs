using TorchSharp.Modules;

namespace Trirl.Deep;

/// <summary>
/// PPO's Gaussian policy <c>pi(a|s) = N(mu(s), diag(sigma^2))</c>: an <see cref="Mlp"/> for the mean (output gain 0.01)
/// and a state-independent log standard deviation <c>log sigma</c>, one learnable entry per action dimension,
/// initialised to <c>log initialStd</c> (as the reference implementation). Actions are not squashed: the environment
/// clips them to its box.
/// </summary>
public sealed class GaussianPolicy : nn.Module<Tensor, Tensor>
{
    private readonly Mlp mean;
    private readonly Parameter log_std;
    private readonly ObservationNormalizer? obs_norm;

    /// <summary>
    /// The policy for <paramref name="observationSize"/> inputs and <paramref name="actionSize"/> actions; with
    /// <paramref name="normalizeObservations"/> its inputs pass through an <see cref="ObservationNormalizer"/> first.
    /// </summary>
    public GaussianPolicy(int observationSize, int actionSize, MlpSpec spec, double initialStd, Rng rng, bool normalizeObservations = false) : base("policy")
    {
        if (!(initialStd > 0) || !double.IsFinite(initialStd))
            throw new TrirlInputException("initial_std", $"must be a positive finite number, got {initialStd}", "pass e.g. 1.0");
        mean = new Mlp("mean", observationSize, spec, actionSize, 0.01, rng);
        using (var value = Math.Log(initialStd).ToScalar()) // kept across the call (KeptScalars)
            log_std = nn.Parameter(full(actionSize, value, ScalarType.Float32));
        ObservationSize = observationSize;
        ActionSize = actionSize;
        if (normalizeObservations) obs_norm = new ObservationNormalizer(observationSize);
        RegisterComponents();
    }

    /// <summary>Observation size.</summary>
    public int ObservationSize { get; }

    /// <summary>Action size.</summary>
    public int ActionSize { get; }

    /// <summary>The mean network.</summary>
    public Mlp Mean => mean;

    /// <summary>The log standard deviation <c>[actDim]</c> (a parameter).</summary>
    public Parameter LogStd => log_std;

    /// <summary>The observation normaliser, when the policy has one.</summary>
    public ObservationNormalizer? Normalizer => obs_norm;

    /// <summary>The observations as the networks see them: normalised when the policy has a normaliser, else unchanged.</summary>
    public Tensor Normalize(Tensor observations) => obs_norm is null ? observations : obs_norm.forward(observations);

    /// <summary>The mean action <c>[B, actDim]</c> of a batch of observations <c>[B, obsDim]</c>.</summary>
    public override Tensor forward(Tensor observations)
    {
        if (obs_norm is null) return mean.forward(observations);
        using var scope = NewDisposeScope();
        return mean.forward(obs_norm.forward(observations)).MoveToOuterDisposeScope();
    }

    /// <summary>Disposes the mean network and the parameter.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            mean.Dispose();
            log_std.Dispose();
            obs_norm?.Dispose();
        }
        base.Dispose(disposing);
    }
}
