namespace Trirl.Deep;

/// <summary>
/// The input rows of a discriminator or reward network: the features of <see cref="FeatureMode"/> normalised with a
/// <see cref="FeatureScaling"/>, then the termination flag (0 or 1), <c>[count, features + 1]</c> row-major. Actions are
/// clipped to the action box first, as the environment applies them, except in <see cref="FeatureMode.StateRawAction"/>
/// (the policy's draw, the demonstrations' action as recorded). The absorbing state reached by a terminated
/// transition is the row <c>(s', a, 1)</c> (or <c>(s', s', 1)</c> in observation-only mode): the discriminators'
/// reward there is the absorbing reward <c>r_abs</c> of the math note's TD target.
/// </summary>
internal static class TransitionFeatures
{
    /// <summary>The raw (unnormalised) features of every transition, <c>[count, features]</c>.</summary>
    public static float[] Raw(FeatureMode mode, TransitionBatch b, float[] low, float[] high)
    {
        int f = FeatureModes.Size(mode, b.ObsDim, b.ActDim);
        var rows = new float[b.Count * f];
        for (int i = 0; i < b.Count; i++) WriteRaw(mode, b, low, high, i, absorbing: false, rows.AsSpan(i * f, f));
        return rows;
    }

    /// <summary>
    /// Input rows for the transitions (flag = terminated), then one absorbing row per index in
    /// <paramref name="absorbingRows"/> (flag 1): <c>[count + absorbingRows.Length, features + 1]</c>.
    /// </summary>
    public static float[] Inputs(FeatureMode mode, FeatureScaling scaling, TransitionBatch b, float[] low, float[] high, ReadOnlySpan<int> absorbingRows)
    {
        int f = scaling.Size, width = f + 1;
        int n = b.Count + absorbingRows.Length;
        var rows = new float[n * width];
        for (int i = 0; i < b.Count; i++) Write(mode, scaling, b, low, high, i, absorbing: false, rows.AsSpan(i * width, width));
        for (int k = 0; k < absorbingRows.Length; k++)
            Write(mode, scaling, b, low, high, absorbingRows[k], absorbing: true, rows.AsSpan((b.Count + k) * width, width));
        return rows;
    }

    /// <summary>Indices of the terminated transitions.</summary>
    public static int[] TerminatedRows(TransitionBatch b)
    {
        var rows = new List<int>();
        for (int i = 0; i < b.Count; i++)
            if (b.Terminated[i]) rows.Add(i);
        return [.. rows];
    }

    /// <summary>Normalised observations <c>[count, obsDim]</c> (AIRL's state-only networks), from <paramref name="source"/>.</summary>
    public static float[] States(FeatureScaling scaling, ReadOnlySpan<float> source, int count, int obsDim)
    {
        var rows = new float[count * obsDim];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < obsDim; j++)
                rows[i * obsDim + j] = (source[i * obsDim + j] - scaling.Mean[j]) / scaling.Scale[j];
        return rows;
    }

    private static void Write(FeatureMode mode, FeatureScaling scaling, TransitionBatch b, float[] low, float[] high, int i, bool absorbing, Span<float> row)
    {
        int f = scaling.Size;
        WriteRaw(mode, b, low, high, i, absorbing, row[..f]);
        for (int j = 0; j < f; j++) row[j] = (row[j] - scaling.Mean[j]) / scaling.Scale[j];
        row[f] = absorbing || b.Terminated[i] ? 1f : 0f;
    }

    private static void WriteRaw(FeatureMode mode, TransitionBatch b, float[] low, float[] high, int i, bool absorbing, Span<float> row)
    {
        int o = b.ObsDim, a = b.ActDim;
        // The absorbing state is the state the transition reached.
        var first = absorbing ? b.NextObs.AsSpan(i * o, o) : b.Obs.AsSpan(i * o, o);
        first.CopyTo(row);
        if (mode == FeatureMode.StateAction)
        {
            for (int j = 0; j < a; j++) row[o + j] = Math.Clamp(b.Acts[i * a + j], low[j], high[j]);
        }
        else if (mode == FeatureMode.StateRawAction)
        {
            b.Acts.AsSpan(i * a, a).CopyTo(row[o..]);
        }
        else
        {
            // (s, s'); the absorbing state loops onto itself: (s', s').
            b.NextObs.AsSpan(i * o, o).CopyTo(row[o..]);
        }
    }
}
