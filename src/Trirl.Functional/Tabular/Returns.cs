namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The normalised expected return of a policy under a reward, from its occupancy:
    /// <code>J(pi) = sum_{s,a} rho_pi(s,a) r(s,a) = (1-gamma) E[sum_t gamma^t r(s_t, a_t)]</code>
    /// </summary>
    public static double ExpectedReturn(StateActionTable occupancy, StateActionTable reward)
    {
        StateActionTable.RequireSameShape(occupancy, reward, nameof(reward));
        return System.Numerics.Tensors.TensorPrimitives.Dot(occupancy.Span, reward.Span);
    }

    /// <summary>
    /// Return normalised so that the uniform policy scores 0 and the expert 1:
    /// <c>(J(pi) - J(uniform)) / (J(pi_E) - J(uniform))</c>.
    /// </summary>
    public static double NormalizedReturn(double policyReturn, double uniformReturn, double expertReturn) =>
        (policyReturn - uniformReturn) / (expertReturn - uniformReturn);
}
