using TorchSharp;
using static TorchSharp.torch;

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
public static class DiscriminatorLoss
{
    /// <summary>Binary cross-entropy of expert logits with label 1 plus that of policy logits with label 0, each averaged.</summary>
    public static Tensor Logistic(Tensor expertLogits, Tensor policyLogits)
    {
        using var scope = NewDisposeScope();
        var loss = nn.functional.softplus(-expertLogits).mean() + nn.functional.softplus(policyLogits).mean();
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
        using (no_grad())
        {
            x = alpha * expertInputs + (1 - alpha) * policyInputs;
            if (x.shape[1] > featureSize) x.narrow(1, featureSize, x.shape[1] - featureSize).zero_();
        }
        x = x.detach().requires_grad_(true);
        var y = logits(x).sum();
        var grad = torch.autograd.grad([y], [x], retain_graph: true, create_graph: true)[0];
        var norm = (grad.narrow(1, 0, featureSize).square().sum(dim: 1) + 1e-12).sqrt();
        return (norm - 1).square().mean().MoveToOuterDisposeScope();
    }

    /// <summary>Fraction of rows classified correctly (expert logit &gt; 0, policy logit &lt; 0), over both sets together.</summary>
    public static double Accuracy(Tensor expertLogits, Tensor policyLogits)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        long right = expertLogits.gt(0).sum().cpu().item<long>() + policyLogits.lt(0).sum().cpu().item<long>();
        return (double)right / (expertLogits.shape[0] + policyLogits.shape[0]);
    }
}
