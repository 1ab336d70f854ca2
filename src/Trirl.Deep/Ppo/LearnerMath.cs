namespace Trirl.Deep;

/// <summary>Small numeric helpers of the learners: seeded permutations and PPO's explained variance.</summary>
internal static class LearnerMath
{
    /// <summary>Fisher-Yates: a uniform permutation of <c>0..n-1</c>.</summary>
    public static void Shuffle(long[] perm, Rng rng)
    {
        for (int i = 0; i < perm.Length; i++) perm[i] = i;
        for (int i = perm.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }
    }

    /// <summary><c>1 - Var(R - V) / Var(R)</c> (NaN when the returns are constant).</summary>
    public static double ExplainedVariance(float[] values, float[] returns)
    {
        int n = values.Length;
        double mr = 0, md = 0;
        for (int i = 0; i < n; i++)
        {
            mr += returns[i];
            md += returns[i] - values[i];
        }
        mr /= n;
        md /= n;
        double vr = 0, vd = 0;
        for (int i = 0; i < n; i++)
        {
            vr += (returns[i] - mr) * (returns[i] - mr);
            double d = returns[i] - values[i] - md;
            vd += d * d;
        }
        return vr > 0 ? 1 - vd / vr : double.NaN;
    }
}
