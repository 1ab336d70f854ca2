using System.Numerics;

namespace Trirl.Functional;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64). Every random draw in
/// the library goes through one of these, created from an explicit seed, so that the same seed gives
/// the same numbers, bit for bit, on every machine and .NET version (unlike <see cref="System.Random"/>,
/// whose algorithm is not specified).
/// </summary>
public sealed class Rng
{
    private ulong s0, s1, s2, s3;

    /// <summary>A generator whose whole stream is determined by <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    /// <summary>
    /// A generator for stream <paramref name="stream"/> of <paramref name="seed"/>: independent streams
    /// (one per iteration, per purpose) without sharing mutable state between them.
    /// </summary>
    public static Rng Derive(long seed, long stream)
    {
        ulong x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xD1B54A32D192ED03UL);
        return new Rng(SplitMix(ref x) ^ (ulong)stream);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="n"/>) (Lemire's unbiased method).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be >= 1");
        ulong bound = (ulong)n;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 m = (UInt128)r * bound;
            if ((ulong)m >= threshold) return (int)(m >> 64);
        }
    }

    /// <summary>A standard normal draw (Box-Muller; one draw per call, deterministic).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Index drawn from the categorical distribution with the given probabilities.</summary>
    public int NextCategorical(ReadOnlySpan<double> probabilities)
    {
        double u = NextDouble();
        double cumulative = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            cumulative += probabilities[i];
            if (u < cumulative) return i;
        }
        // Rounding can leave the cumulative sum just below 1: fall back to the last non-zero entry.
        for (int i = probabilities.Length - 1; i >= 0; i--)
            if (probabilities[i] > 0) return i;
        return probabilities.Length - 1;
    }
}
