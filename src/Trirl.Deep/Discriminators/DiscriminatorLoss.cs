namespace Trirl.Deep;

/// <summary>
/// The discriminator's objective (math note, section 9): logistic regression with expert = 1 and policy = 0, plus a
/// gradient penalty on interpolates,
/// <code>
/// L  = mean_E softplus(-D(x_E)) + mean_pi softplus(D(x_pi)) + gp_lambda * GP
/// GP = mean (||grad_x D(x~)|| - 1)^2,   x~ = gp_alpha * x_E + (1 - gp_alpha) * x_pi   (flag set to 0)
/// </code>
/// (<c>softplus(-z) = -log sigmoid(z)</c>, the binary cross-entropy of a logit with label 1). The gradient is taken over
/// the feature entries only, per sample; interpolates are treated as non-absorbing (the reference's choice).
/// </summary>
/// <remarks>
/// Scalars are explicit and kept alive across the torch calls (<see cref="KeptScalars"/>), with the values and types of
/// the implicit conversions they replace (<c>norm - 1</c> and <c>gt(0)</c> with ints, <c>+ 1e-12</c> and the
/// interpolation weights as doubles, softplus's beta and threshold as doubles).
/// </remarks>
public static class DiscriminatorLoss
{
    private static readonly Scalar NormEps = 1e-12.ToScalar();

    /// <summary>Binary cross-entropy of expert logits with label 1 plus that of policy logits with label 0, each averaged.</summary>
    public static Tensor Logistic(Tensor expertLogits, Tensor policyLogits)
    {
        using var scope = NewDisposeScope();
        var loss = (-expertLogits).Softplus().mean().Plus(policyLogits.Softplus().mean());
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The penalty <c>mean (||grad D(x~)|| - 1)^2</c> over interpolates of paired rows of <paramref name="expertInputs"/> and
    /// <paramref name="policyInputs"/> (<c>[B, features + 1]</c>, the last column the flag), the gradient over the first
    /// <paramref name="featureSize"/> columns. The graph is kept (<c>create_graph</c>), so the penalty can be minimised.
    /// </summary>
    public static Tensor GradientPenalty(Func<Tensor, Tensor> logits, Tensor expertInputs, Tensor policyInputs, double alpha, int featureSize)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        Tensor x;
        using var expertWeight = alpha.ToScalar();
        using var policyWeight = (1 - alpha).ToScalar();
        using (no_grad())
        {
            x = expertInputs.mul(expertWeight).Plus(policyInputs.mul(policyWeight));
            if (x.shape[1] > featureSize) x.narrow(1, featureSize, x.shape[1] - featureSize).zero_();
        }
        x = x.detach().requires_grad_(true);
        var y = logits(x).sum();
        var grad = torch.autograd.grad([y], [x], retain_graph: true, create_graph: true)[0];
        var norm = grad.narrow(1, 0, featureSize).Squared().sum(dim: 1).Plus(NormEps).sqrt();
        return norm.sub(KeptScalars.One).Squared().mean().MoveToOuterDisposeScope();
    }

    /// <summary>Fraction of rows classified correctly (expert logit &gt; 0, policy logit &lt; 0), over both sets together.</summary>
    public static double Accuracy(Tensor expertLogits, Tensor policyLogits)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        long right = expertLogits.gt(KeptScalars.Zero).sum().cpu().item<long>() + policyLogits.lt(KeptScalars.Zero).sum().cpu().item<long>();
        return (double)right / (expertLogits.shape[0] + policyLogits.shape[0]);
    }
}
