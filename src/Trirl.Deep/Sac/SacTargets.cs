namespace Trirl.Deep;

/// <summary>SAC's soft Bellman target and its temperature loss, on tensors.</summary>
/// <remarks>
/// Scalars are explicit and kept alive across the torch calls (<see cref="KeptScalars"/>), with the values and types of
/// the implicit conversions they replace (<c>1 - t</c> with int 1s, <c>gamma * t</c> with a double).
/// </remarks>
public static class SacTargets
{
    /// <summary>
    /// <c>y = r + gamma * (1 - terminated) * (min(q1Next, q2Next) - alpha * logProbNext)</c>, all <c>[B]</c>
    /// (<paramref name="terminated"/> as 0/1 floats). A truncated transition is not terminated: it bootstraps.
    /// </summary>
    public static Tensor Compute(Tensor rewards, Tensor terminated, Tensor q1Next, Tensor q2Next, Tensor logProbNext, double alpha, double gamma)
    {
        using var scope = NewDisposeScope();
        using var alphaScalar = alpha.ToScalar();
        using var gammaScalar = gamma.ToScalar();
        var soft = minimum(q1Next, q2Next) - logProbNext.mul(alphaScalar);
        return rewards.Plus(terminated.OneMinus().mul(gammaScalar) * soft).MoveToOuterDisposeScope();
    }

    /// <summary>Temperature loss <c>-mean(log alpha * (logProb + targetEntropy))</c>, the log-probabilities detached.</summary>
    public static Tensor TemperatureLoss(Tensor logAlpha, Tensor logProb, double targetEntropy)
    {
        using var scope = NewDisposeScope();
        using var target = targetEntropy.ToScalar();
        return (-(logAlpha * logProb.detach().Plus(target)).mean()).MoveToOuterDisposeScope();
    }
}
