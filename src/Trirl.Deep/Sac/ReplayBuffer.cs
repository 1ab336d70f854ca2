namespace Trirl.Deep;

/// <summary>
/// A ring buffer of transitions <c>(s, u, r, s', terminated)</c> in float32 arrays (struct-of-arrays). <c>s'</c> is the
/// observation after the step: the final observation when the episode ended there. Minibatches are drawn uniformly with
/// replacement from a seeded <see cref="Rng"/>.
/// </summary>
internal sealed class ReplayBuffer
{
    private readonly float[] obs, acts, rews, nextObs, terms;

    public ReplayBuffer(int capacity, int observationSize, int actionSize)
    {
        Capacity = capacity;
        ObservationSize = observationSize;
        ActionSize = actionSize;
        obs = new float[checked(capacity * observationSize)];
        nextObs = new float[checked(capacity * observationSize)];
        acts = new float[checked(capacity * actionSize)];
        rews = new float[capacity];
        terms = new float[capacity];
    }

    public int Capacity { get; }
    public int ObservationSize { get; }
    public int ActionSize { get; }
    public int Count { get; private set; }
    public int Position { get; private set; }

    public void Add(ReadOnlySpan<float> o, ReadOnlySpan<float> u, double r, ReadOnlySpan<float> next, bool terminated)
    {
        int p = Position;
        o.CopyTo(obs.AsSpan(p * ObservationSize, ObservationSize));
        next.CopyTo(nextObs.AsSpan(p * ObservationSize, ObservationSize));
        u.CopyTo(acts.AsSpan(p * ActionSize, ActionSize));
        rews[p] = (float)r;
        terms[p] = terminated ? 1f : 0f;
        Position = (p + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    /// <summary>A minibatch of <paramref name="size"/> transitions drawn with <paramref name="rng"/>, gathered into new arrays.</summary>
    public Batch Sample(int size, Rng rng)
    {
        var b = new Batch(size, ObservationSize, ActionSize);
        for (int k = 0; k < size; k++)
        {
            int i = rng.NextInt(Count);
            obs.AsSpan(i * ObservationSize, ObservationSize).CopyTo(b.Obs.AsSpan(k * ObservationSize));
            nextObs.AsSpan(i * ObservationSize, ObservationSize).CopyTo(b.NextObs.AsSpan(k * ObservationSize));
            acts.AsSpan(i * ActionSize, ActionSize).CopyTo(b.Acts.AsSpan(k * ActionSize));
            b.Rews[k] = rews[i];
            b.Terms[k] = terms[i];
        }
        return b;
    }

    public void Save(BinaryWriter w)
    {
        w.Tag("replay");
        w.Write(Capacity);
        w.Write(Count);
        w.Write(Position);
        w.WriteArray(obs, Count * ObservationSize);
        w.WriteArray(acts, Count * ActionSize);
        w.WriteArray(rews, Count);
        w.WriteArray(nextObs, Count * ObservationSize);
        w.WriteArray(terms, Count);
    }

    public void Load(BinaryReader r)
    {
        r.ExpectTag("replay");
        int capacity = r.ReadInt32();
        if (capacity != Capacity) throw new InvalidDataException($"replay capacity {capacity} differs from the settings' {Capacity}");
        int count = r.ReadInt32(), position = r.ReadInt32();
        if (count < 0 || count > Capacity || position < 0 || position >= Capacity) throw new InvalidDataException("replay counters out of range");
        if (r.ReadInto(obs) != count * ObservationSize || r.ReadInto(acts) != count * ActionSize || r.ReadInto(rews) != count
            || r.ReadInto(nextObs) != count * ObservationSize || r.ReadInto(terms) != count)
            throw new InvalidDataException("replay arrays do not match the counters");
        Count = count;
        Position = position;
    }

    internal sealed class Batch(int size, int observationSize, int actionSize)
    {
        public int Size { get; } = size;
        public float[] Obs { get; } = new float[size * observationSize];
        public float[] Acts { get; } = new float[size * actionSize];
        public float[] Rews { get; } = new float[size];
        public float[] NextObs { get; } = new float[size * observationSize];
        public float[] Terms { get; } = new float[size];
    }
}
