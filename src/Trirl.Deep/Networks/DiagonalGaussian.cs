namespace Trirl.Deep;

/// <summary>
/// Closed forms for diagonal Gaussians <c>N(mu, diag(sigma^2))</c> given <c>mu</c> and <c>log sigma</c> (shapes
/// broadcast; the last axis is the action dimension, summed over):
/// <list type="bullet">
/// <item><c>log N(x) = sum_j [-(x_j - mu_j)^2 / (2 sigma_j^2) - log sigma_j - log(2 pi) / 2]</c>;</item>
/// <item>entropy <c>H = sum_j [log sigma_j + log(2 pi e) / 2]</c>;</item>
/// <item><c>KL(p || q) = sum_j [log(sigma_q,j / sigma_p,j) + (sigma_p,j^2 + (mu_p,j - mu_q,j)^2) / (2 sigma_q,j^2) - 1/2]</c>;</item>
/// <item>tanh squashing <c>u = tanh(x)</c>: <c>log pi(u) = log N(x) - sum_j log(1 - tanh(x_j)^2)</c>, with
/// <c>log(1 - tanh(x)^2) = 2 (log 2 - x - softplus(-2x))</c> (exact and stable for large <c>|x|</c>).</item>
/// </list>
/// </summary>
public static class DiagonalGaussian
{
    // Scalars are explicit and kept alive across the torch calls (KeptScalars), with the values and types of the
    // implicit conversions they replace: doubles for the double literals, ints for 2 * t and -2 * t.
    private static readonly Scalar HalfLog2Pi = (0.5 * Math.Log(2 * Math.PI)).ToScalar();
    private static readonly Scalar HalfLog2PiE = (0.5 * Math.Log(2 * Math.PI * Math.E)).ToScalar();
    private static readonly Scalar Log2 = Math.Log(2.0).ToScalar();
    private static readonly Scalar MinusHalf = (-0.5).ToScalar();
    private static readonly Scalar MinusTwo = (-2).ToScalar();
    private static readonly Scalar TwoDouble = 2.0.ToScalar();
    private static readonly Scalar MinusTwoDouble = (-2.0).ToScalar();

    /// <summary><c>log N(x; mu, sigma)</c> summed over the last axis: <c>[...]</c>.</summary>
    public static Tensor LogProb(Tensor x, Tensor mean, Tensor logStd)
    {
        using var scope = NewDisposeScope();
        var z = (x - mean) * (-logStd).exp();
        var perDim = (z.Squared().mul(MinusHalf) - logStd).sub(HalfLog2Pi);
        return perDim.sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Entropy summed over the last axis of <paramref name="logStd"/>.</summary>
    public static Tensor Entropy(Tensor logStd)
    {
        using var scope = NewDisposeScope();
        return logStd.Plus(HalfLog2PiE).sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>KL(p || q)</c> for <c>p = N(meanP, sigmaP)</c> and <c>q = N(meanQ, sigmaQ)</c>, summed over the last axis. PPO's
    /// trust-region term is <c>KL(pi_theta || pi_old)</c>: <c>p</c> the policy being optimised, <c>q</c> the rollout policy
    /// (the reference implementation's form).
    /// </summary>
    public static Tensor Kl(Tensor meanP, Tensor logStdP, Tensor meanQ, Tensor logStdQ)
    {
        using var scope = NewDisposeScope();
        var varRatio = (logStdP - logStdQ).mul(KeptScalars.Two).exp();
        var maha = (meanP - meanQ).Squared() * logStdQ.mul(MinusTwo).exp();
        var perDim = (logStdQ - logStdP).Plus(varRatio.Plus(maha).mul(KeptScalars.Half)).sub(KeptScalars.Half);
        return perDim.sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary><c>sum_j log(1 - tanh(x_j)^2)</c> over the last axis, computed as <c>2 (log 2 - x - softplus(-2x))</c>.</summary>
    public static Tensor TanhLogDetJacobian(Tensor x)
    {
        using var scope = NewDisposeScope();
        var perDim = (x.SubtractedFrom(Log2) - x.mul(MinusTwoDouble).Softplus()).mul(TwoDouble);
        return perDim.sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Log density of the squashed action <c>u = tanh(x)</c> for a pre-squash sample <c>x ~ N(mu, sigma)</c>:
    /// <c>log N(x) - sum_j log(1 - tanh(x_j)^2)</c>.
    /// </summary>
    public static Tensor SquashedLogProb(Tensor x, Tensor mean, Tensor logStd)
    {
        using var scope = NewDisposeScope();
        return (LogProb(x, mean, logStd) - TanhLogDetJacobian(x)).MoveToOuterDisposeScope();
    }
}
