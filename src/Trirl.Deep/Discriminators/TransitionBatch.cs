using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>
/// Transitions as flat float32 arrays, copy-major (<c>obs[i * obsDim + j]</c>): observations, actions as emitted,
/// next observations (the final observation where an episode ended) and whether the transition terminated (reached an
/// absorbing state; a time-limit truncation does not).
/// </summary>
internal sealed record TransitionBatch(int ObsDim, int ActDim, float[] Obs, float[] Acts, float[] NextObs, bool[] Terminated)
{
    public int Count => Terminated.Length;

    /// <summary>The transitions of a dataset, with the termination flags given separately (a dataset only records <c>dones</c>).</summary>
    public static TransitionBatch Of(TransitionDataset data, bool[] terminated) =>
        new(data.ObservationSize, data.ActionSize, [.. data.Obs], [.. data.Acts], [.. data.NextObs], terminated);

    /// <summary>The rows at <paramref name="indices"/>, gathered into new arrays.</summary>
    public TransitionBatch Gather(ReadOnlySpan<int> indices)
    {
        int n = indices.Length;
        var o = new float[n * ObsDim];
        var a = new float[n * ActDim];
        var no = new float[n * ObsDim];
        var t = new bool[n];
        for (int k = 0; k < n; k++)
        {
            int i = indices[k];
            Array.Copy(Obs, i * ObsDim, o, k * ObsDim, ObsDim);
            Array.Copy(Acts, i * ActDim, a, k * ActDim, ActDim);
            Array.Copy(NextObs, i * ObsDim, no, k * ObsDim, ObsDim);
            t[k] = Terminated[i];
        }
        return new TransitionBatch(ObsDim, ActDim, o, a, no, t);
    }
}
