namespace Trirl.Deep;

/// <summary>
/// The terms of PPO's loss on one minibatch, each a scalar tensor (means over the minibatch):
/// <see cref="Total"/> <c>= Policy - alpha * Entropy + c_v * Value + eta * Kl</c>.
/// </summary>
/// <param name="Total">The loss to minimise.</param>
/// <param name="Policy">Clipped surrogate (<see cref="PpoLoss.ClippedSurrogate"/>).</param>
/// <param name="Value">Value loss <c>0.5 (V(s) - R)^2</c>.</param>
/// <param name="Entropy">Policy entropy.</param>
/// <param name="Kl">Closed-form <c>KL(pi_theta || pi_old)</c>.</param>
/// <param name="ApproxKl">The sample estimate <c>(ratio - 1) - log ratio</c> (a diagnostic).</param>
/// <param name="ClipFraction">Fraction of samples with <c>|ratio - 1| &gt; clip</c> (a diagnostic).</param>
public sealed record PpoLossTerms(Tensor Total, Tensor Policy, Tensor Value, Tensor Entropy, Tensor Kl, Tensor ApproxKl, Tensor ClipFraction) : IDisposable
{
    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        Total.Dispose();
        Policy.Dispose();
        Value.Dispose();
        Entropy.Dispose();
        Kl.Dispose();
        ApproxKl.Dispose();
        ClipFraction.Dispose();
    }
}

/// <summary>PPO's loss (math note, section 9; Schulman et al. 2017) on tensors.</summary>
/// <remarks>
/// Scalars are explicit and kept alive across the torch calls (<see cref="KeptScalars"/>), with the values and types of
/// the implicit conversions they replace (<c>ratio - 1</c> with an int 1, the coefficients and clip bounds as doubles).
/// </remarks>
public static class PpoLoss
{
    private static readonly Scalar AdvantageEps = 1e-8.ToScalar();

    /// <summary>
    /// Clipped surrogate <c>mean max(-A * rho, -A * clip(rho, 1 - eps, 1 + eps))</c> with <c>rho = exp(logp - oldLogp)</c>,
    /// all <c>[B]</c>.
    /// </summary>
    public static Tensor ClippedSurrogate(Tensor logProb, Tensor oldLogProb, Tensor advantages, double clipRange)
    {
        using var scope = NewDisposeScope();
        var ratio = (logProb - oldLogProb).exp();
        var unclipped = -advantages * ratio;
        using var low = (1 - clipRange).ToScalar();
        using var high = (1 + clipRange).ToScalar();
        var clipped = -advantages * ratio.clamp(low, high);
        return maximum(unclipped, clipped).mean().MoveToOuterDisposeScope();
    }

    /// <summary>Advantages normalised to mean 0 and (population) standard deviation 1: <c>(A - mean) / (std + 1e-8)</c>.</summary>
    public static Tensor NormalizeAdvantages(Tensor advantages)
    {
        using var scope = NewDisposeScope();
        var centred = advantages - advantages.mean();
        var std = centred.Squared().mean().sqrt();
        return (centred / std.Plus(AdvantageEps)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every term on a minibatch: the policy's <paramref name="mean"/> <c>[B, d]</c> and <paramref name="logStd"/>
    /// <c>[d]</c>, the taken <paramref name="actions"/>, the rollout policy's log-probabilities, means and log-std,
    /// the (already normalised) advantages, the critic's <paramref name="values"/> and the <paramref name="returns"/>.
    /// </summary>
    public static PpoLossTerms Compute(Tensor mean, Tensor logStd, Tensor actions, Tensor oldLogProb, Tensor oldMean, Tensor oldLogStd,
        Tensor advantages, Tensor values, Tensor returns, PpoSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var scope = NewDisposeScope();
        var logProb = DiagonalGaussian.LogProb(actions, mean, logStd);
        var policy = ClippedSurrogate(logProb, oldLogProb, advantages, settings.ClipRange);
        var value = (values - returns).Squared().mul(KeptScalars.Half).mean();
        var entropy = DiagonalGaussian.Entropy(logStd).mean();
        var kl = DiagonalGaussian.Kl(mean, logStd.expand_as(mean), oldMean, oldLogStd.expand_as(oldMean)).mean();
        using var entropyCoef = settings.EntropyCoef.ToScalar();
        using var valueCoef = settings.ValueCoef.ToScalar();
        using var eta = settings.Eta.ToScalar();
        using var clipRange = settings.ClipRange.ToScalar();
        var total = (policy - entropy.mul(entropyCoef)).Plus(value.mul(valueCoef)).Plus(kl.mul(eta));
        Tensor approxKl, clipFraction;
        using (no_grad())
        {
            var logRatio = logProb - oldLogProb;
            var ratio = logRatio.exp();
            approxKl = (ratio.sub(KeptScalars.One) - logRatio).mean();
            clipFraction = ratio.sub(KeptScalars.One).abs().gt(clipRange).to(ScalarType.Float32).mean();
        }
        var terms = new PpoLossTerms(total, policy, value, entropy, kl, approxKl, clipFraction);
        foreach (var t in new[] { total, policy, value, entropy, kl, approxKl, clipFraction }) t.MoveToOuterDisposeScope();
        return terms;
    }
}
