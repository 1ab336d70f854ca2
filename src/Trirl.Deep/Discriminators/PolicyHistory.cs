namespace Trirl.Deep;

/// <summary>
/// A uniform sample of the discriminator inputs of every rollout so far (reservoir sampling, Vitter's algorithm R),
/// for a discriminator whose policy side is half the current rollout and half this history:
/// <code>
/// D_i ~ log( rho_E / q_i ),   q_i = (1/2) rho_{pi_i} + (1/2) (1/i) sum_{j&lt;i} rho_{pi_j}
/// </code>
/// instead of <c>log(rho_E / rho_{pi_i})</c> (math note, section 9). Late in training the policy is near the expert and
/// a discriminator trained on it alone is near chance on the policy's states and unconstrained elsewhere; with the
/// history it keeps scoring the states that earlier policies visited and the expert does not (the replay of
/// Kostrikov et al., "Discriminator-Actor-Critic", ICLR 2019). It is a change of the method, opt-in
/// (<see cref="ImitationSettings.DiscHistorySize"/>). Part of the learner's state: saved in the checkpoint.
/// </summary>
internal sealed class PolicyHistory
{
    private readonly float[] rows;

    /// <summary>An empty history of <paramref name="capacity"/> rows of <paramref name="width"/> floats.</summary>
    public PolicyHistory(int capacity, int width)
    {
        Capacity = capacity;
        Width = width;
        rows = new float[checked(capacity * width)];
    }

    /// <summary>Rows kept at most.</summary>
    public int Capacity { get; }

    /// <summary>Floats per row (the discriminator's input width).</summary>
    public int Width { get; }

    /// <summary>Rows kept now (<c>min(Seen, Capacity)</c>).</summary>
    public int Count => (int)Math.Min(Seen, Capacity);

    /// <summary>Rows offered so far, over every rollout.</summary>
    public long Seen { get; private set; }

    /// <summary>
    /// The discriminator's policy side: row <c>i</c> of <paramref name="current"/> (its first <paramref name="count"/>
    /// rows), or, with probability 1/2, a uniformly drawn row of the history; the current rows unchanged while the
    /// history is empty. Draws from <paramref name="rng"/> (two per row), not from the history's own state.
    /// </summary>
    public float[] Mix(float[] current, int count, Rng rng)
    {
        var mixed = current.AsSpan(0, count * Width).ToArray();
        if (Count == 0) return mixed;
        for (int i = 0; i < count; i++)
        {
            bool old = rng.NextDouble() < 0.5;
            int j = rng.NextInt(Count);
            if (old) rows.AsSpan(j * Width, Width).CopyTo(mixed.AsSpan(i * Width, Width));
        }
        return mixed;
    }

    /// <summary>
    /// Offers the first <paramref name="count"/> rows of <paramref name="current"/>: while the history has room each is
    /// kept; after that the <c>n</c>-th row offered replaces a uniform slot with probability <c>Capacity / n</c>, so the
    /// history stays a uniform sample of every row offered.
    /// </summary>
    public void Add(float[] current, int count, Rng rng)
    {
        for (int i = 0; i < count; i++)
        {
            long n = ++Seen;
            long slot = n <= Capacity ? n - 1 : Draw(rng, n);
            if (slot < Capacity) current.AsSpan(i * Width, Width).CopyTo(rows.AsSpan((int)slot * Width, Width));
        }
    }

    /// <summary>A uniform integer in <c>[0, n)</c> for <c>n</c> up to <see cref="long.MaxValue"/> (Lemire's method).</summary>
    private static long Draw(Rng rng, long n)
    {
        ulong bound = (ulong)n, threshold = (0UL - bound) % bound;
        while (true)
        {
            UInt128 m = (UInt128)rng.NextUInt64() * bound;
            if ((ulong)m >= threshold) return (long)(m >> 64);
        }
    }

    /// <summary>Row <paramref name="index"/> of the history (tests).</summary>
    public ReadOnlySpan<float> Row(int index) =>
        (uint)index < (uint)Count ? rows.AsSpan(index * Width, Width) : throw new ArgumentOutOfRangeException(nameof(index));

    internal void Save(BinaryWriter w)
    {
        w.Tag("disc-history");
        w.Write(Capacity);
        w.Write(Width);
        w.Write(Seen);
        w.WriteArray(rows, Count * Width);
    }

    internal void Load(BinaryReader r)
    {
        r.ExpectTag("disc-history");
        int capacity = r.ReadInt32(), width = r.ReadInt32();
        if (capacity != Capacity || width != Width)
            throw new InvalidDataException($"history of {capacity} rows x {width} differs from the settings' {Capacity} x {Width}");
        long seen = r.ReadInt64();
        if (seen < 0) throw new InvalidDataException("history counter out of range");
        int n = r.ReadInto(rows);
        if (n != (int)Math.Min(seen, capacity) * width) throw new InvalidDataException("history rows do not match its counter");
        Seen = seen;
    }
}
