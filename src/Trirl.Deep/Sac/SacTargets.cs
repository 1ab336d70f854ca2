using static TorchSharp.torch;

namespace Trirl.Deep;

/// <summary>SAC's soft Bellman target and its temperature loss, on tensors.</summary>
public static class SacTargets
{
    /// <summary>
    /// <c>y = r + gamma * (1 - terminated) * (min(q1Next, q2Next) - alpha * logProbNext)</c>, all <c>[B]</c>
    /// (<paramref name="terminated"/> as 0/1 floats). A truncated transition is not terminated: it bootstraps.
    /// </summary>
    public static Tensor Compute(Tensor rewards, Tensor terminated, Tensor q1Next, Tensor q2Next, Tensor logProbNext, double alpha, double gamma)
    {
        using var scope = NewDisposeScope();
        var soft = minimum(q1Next, q2Next) - alpha * logProbNext;
        return (rewards + gamma * (1 - terminated) * soft).MoveToOuterDisposeScope();
    }

    /// <summary>Temperature loss <c>-mean(log alpha * (logProb + targetEntropy))</c>, the log-probabilities detached.</summary>
    public static Tensor TemperatureLoss(Tensor logAlpha, Tensor logProb, double targetEntropy)
    {
        using var scope = NewDisposeScope();
        return (-(logAlpha * (logProb.detach() + targetEntropy)).mean()).MoveToOuterDisposeScope();
    }
}
