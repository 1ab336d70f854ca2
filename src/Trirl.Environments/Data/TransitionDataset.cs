using System.Runtime.InteropServices;

namespace Trirl.Environments.Data;

/// <summary>
/// Transitions <c>(obs, acts, next_obs, rews, dones)</c> with the imitation library's field meanings, stored as an
/// <c>.npz</c> file that <c>numpy.load</c> reads:
/// <list type="bullet">
/// <item><c>obs</c>: float32 <c>[n, obsDim]</c>, the observation the action was taken in;</item>
/// <item><c>acts</c>: float32 <c>[n, actDim]</c>, the action as the policy emitted it (before the task's clipping);</item>
/// <item><c>next_obs</c>: float32 <c>[n, obsDim]</c>, the observation after the step; for the last transition of an
/// episode the final observation, never the reset one;</item>
/// <item><c>rews</c>: float32 <c>[n]</c>, the reward of the step;</item>
/// <item><c>dones</c>: bool <c>[n]</c>, whether the transition ends its episode (terminated or truncated).</item>
/// </list>
/// Arrays are copy-major: row <c>i</c> of <c>obs</c> is <c>Obs[i * obsDim .. (i + 1) * obsDim - 1]</c>.
/// </summary>
public sealed record TransitionDataset
{
    /// <summary>The npz keys, in the order they are written.</summary>
    public static ImmutableArray<string> FieldNames { get; } = ["obs", "acts", "next_obs", "rews", "dones"];

    private readonly float[] obs, acts, nextObs, rews;
    private readonly bool[] dones;

    /// <summary>
    /// A validated copy: <c>n = rews.Count &gt;= 1</c> transitions; <paramref name="obs"/> and <paramref name="nextObs"/>
    /// hold <c>n * observationSize</c> values, <paramref name="acts"/> <c>n * actionSize</c>, <paramref name="dones"/>
    /// <c>n</c>; every float is finite.
    /// </summary>
    public TransitionDataset(int observationSize, int actionSize, IReadOnlyList<float> obs, IReadOnlyList<float> acts,
        IReadOnlyList<float> nextObs, IReadOnlyList<float> rews, IReadOnlyList<bool> dones)
        : this("dataset", observationSize, actionSize, obs, acts, nextObs, rews, dones)
    {
    }

    private TransitionDataset(string source, int observationSize, int actionSize, IReadOnlyList<float> obs, IReadOnlyList<float> acts,
        IReadOnlyList<float> nextObs, IReadOnlyList<float> rews, IReadOnlyList<bool> dones)
    {
        Check.PositiveInt(observationSize, Field(source, nameof(observationSize)));
        Check.PositiveInt(actionSize, Field(source, nameof(actionSize)));
        Check.NotNull(obs, Field(source, "obs"));
        Check.NotNull(acts, Field(source, "acts"));
        Check.NotNull(nextObs, Field(source, "next_obs"));
        Check.NotNull(rews, Field(source, "rews"));
        Check.NotNull(dones, Field(source, "dones"));
        int n = rews.Count;
        if (n == 0) throw new TrirlInputException(Field(source, "rews"), "is empty: a dataset needs at least one transition", "record at least one step");
        this.obs = Floats(source, "obs", obs, (long)n * observationSize, $"[{n}, {observationSize}]");
        this.acts = Floats(source, "acts", acts, (long)n * actionSize, $"[{n}, {actionSize}]");
        this.nextObs = Floats(source, "next_obs", nextObs, (long)n * observationSize, $"[{n}, {observationSize}]");
        this.rews = Floats(source, "rews", rews, n, $"[{n}]");
        if (dones.Count != n)
            throw new TrirlInputException(Field(source, "dones"), $"has {dones.Count} entries but rews has {n}", "pass one done flag per transition");
        this.dones = dones.ToArray();
        ObservationSize = observationSize;
        ActionSize = actionSize;
    }

    private static string Field(string source, string field) => source == "dataset" ? field : $"{source}: {field}";

    private static float[] Floats(string source, string field, IReadOnlyList<float> values, long expected, string shape)
    {
        if (values.Count != expected)
            throw new TrirlInputException(Field(source, field), $"has {values.Count} values but shape {shape} needs {expected}",
                "pass observations, actions and next observations for every transition");
        var copy = values.ToArray();
        for (int i = 0; i < copy.Length; i++)
            if (!float.IsFinite(copy[i]))
                throw new TrirlInputException(Field(source, field), $"value {i} is {copy[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                    "record finite values only");
        return copy;
    }

    /// <summary>Number of transitions <c>n</c>.</summary>
    public int Count => rews.Length;

    /// <summary>Observation size <c>obsDim</c>.</summary>
    public int ObservationSize { get; }

    /// <summary>Action size <c>actDim</c>.</summary>
    public int ActionSize { get; }

    /// <summary><c>obs</c>, <c>[n, obsDim]</c> copy-major.</summary>
    public ImmutableArray<float> Obs => ImmutableCollectionsMarshal.AsImmutableArray(obs);

    /// <summary><c>acts</c>, <c>[n, actDim]</c> copy-major.</summary>
    public ImmutableArray<float> Acts => ImmutableCollectionsMarshal.AsImmutableArray(acts);

    /// <summary><c>next_obs</c>, <c>[n, obsDim]</c> copy-major.</summary>
    public ImmutableArray<float> NextObs => ImmutableCollectionsMarshal.AsImmutableArray(nextObs);

    /// <summary>The episodes in order: each runs from its first row to a done flag (a trailing run without one is an episode too).</summary>
    public ImmutableArray<EpisodeRange> EpisodeRanges
    {
        get
        {
            var ranges = ImmutableArray.CreateBuilder<EpisodeRange>();
            int first = 0;
            for (int i = 0; i < dones.Length; i++)
            {
                if (!dones[i]) continue;
                ranges.Add(new EpisodeRange(first, i - first + 1));
                first = i + 1;
            }
            if (first < dones.Length) ranges.Add(new EpisodeRange(first, dones.Length - first));
            return ranges.ToImmutable();
        }
    }

    /// <summary>The observations as rows by <see cref="ObservationSize"/> (F#: <c>d.Observations.[i, j]</c>).</summary>
    public FeatureBatch Observations => FeatureBatch.Wrap(obs, ObservationSize);

    /// <summary>The actions as rows by <see cref="ActionSize"/>.</summary>
    public FeatureBatch Actions => FeatureBatch.Wrap(acts, ActionSize);

    /// <summary>The next observations as rows by <see cref="ObservationSize"/>.</summary>
    public FeatureBatch NextObservations => FeatureBatch.Wrap(nextObs, ObservationSize);

    /// <summary><c>rews</c>, <c>[n]</c>.</summary>
    public ImmutableArray<float> Rews => ImmutableCollectionsMarshal.AsImmutableArray(rews);

    /// <summary><c>dones</c>, <c>[n]</c>.</summary>
    public ImmutableArray<bool> Dones => ImmutableCollectionsMarshal.AsImmutableArray(dones);

    /// <summary>Number of episodes that end in the dataset (the count of <c>dones</c>).</summary>
    public int Episodes => dones.Count(d => d);

    /// <summary>The five arrays as an <c>.npz</c> archive, in the order of <see cref="FieldNames"/>.</summary>
    public NpzArchive ToNpz() => new(
    [
        new NpzEntry("obs", NpyArray.FromFloat32([Count, ObservationSize], obs)),
        new NpzEntry("acts", NpyArray.FromFloat32([Count, ActionSize], acts)),
        new NpzEntry("next_obs", NpyArray.FromFloat32([Count, ObservationSize], nextObs)),
        new NpzEntry("rews", NpyArray.FromFloat32([Count], rews)),
        new NpzEntry("dones", NpyArray.FromBool([Count], dones)),
    ]);

    /// <summary>
    /// The dataset in <paramref name="npz"/>: the five fields with the dtypes and shapes above (other arrays are
    /// ignored). A missing field, a wrong dtype or shapes that disagree are a <see cref="TrirlInputException"/> whose
    /// field is <c>"source: name"</c>.
    /// </summary>
    public static TransitionDataset FromNpz(NpzArchive npz, string source = "dataset")
    {
        Check.NotNull(npz, nameof(npz));
        NpyArray Get(string name, NpyDtype dtype, int rank)
        {
            string field = $"{source}: {name}";
            if (!npz.Contains(name))
                throw new TrirlInputException(field, $"is missing (the archive holds {(npz.Entries.Length == 0 ? "nothing" : string.Join(", ", npz.Names))})",
                    $"save the fields {string.Join(", ", FieldNames)}");
            var a = npz[name];
            if (a.Dtype != dtype)
                throw new TrirlInputException(field, $"has dtype {NpyArray.Descr(a.Dtype)}, expected {NpyArray.Descr(dtype)}",
                    $"save it as {NpyArray.Descr(dtype)} (numpy: arr.astype('{NpyArray.Descr(dtype)}'))");
            if (a.Shape.Length != rank)
                throw new TrirlInputException(field, $"has shape {a.ShapeText}, expected {(rank == 1 ? "[n]" : "[n, size]")}",
                    rank == 1 ? "save one value per transition" : "save one row per transition");
            return a;
        }
        var o = Get("obs", NpyDtype.Float32, 2);
        var ac = Get("acts", NpyDtype.Float32, 2);
        if (!npz.Contains("next_obs") && npz.Contains(FinalObsField)) return FromCompactNpz(npz, source, o, ac, Get);
        var no = Get("next_obs", NpyDtype.Float32, 2);
        var r = Get("rews", NpyDtype.Float32, 1);
        var d = Get("dones", NpyDtype.Bool, 1);
        int n = r.Shape[0];
        void Rows(string name, NpyArray a)
        {
            if (a.Shape[0] != n)
                throw new TrirlInputException($"{source}: {name}", $"has {a.Shape[0]} rows (shape {a.ShapeText}) but rews has {n}",
                    "save one row per transition in every field");
        }
        Rows("obs", o);
        Rows("acts", ac);
        Rows("next_obs", no);
        Rows("dones", d);
        if (no.Shape[1] != o.Shape[1])
            throw new TrirlInputException($"{source}: next_obs", $"has shape {no.ShapeText} but obs has {o.ShapeText}", "save observations of one size");
        if (o.Shape[1] == 0) throw new TrirlInputException($"{source}: obs", $"has shape {o.ShapeText}: no observation entries", "save observations");
        if (ac.Shape[1] == 0) throw new TrirlInputException($"{source}: acts", $"has shape {ac.ShapeText}: no action entries", "save actions");
        return new TransitionDataset(source, o.Shape[1], ac.Shape[1], o.ToFloat32(), ac.ToFloat32(), no.ToFloat32(), r.ToFloat32(), d.ToBool());
    }

    /// <summary>The field of the compact form that holds each episode's final observation (<see cref="ToCompactNpz"/>).</summary>
    public const string FinalObsField = "final_obs";

    /// <summary>
    /// The dataset as an <c>.npz</c> archive without <c>next_obs</c>, which repeats <c>obs</c> within an episode:
    /// <c>obs</c>, <c>acts</c>, <c>final_obs</c> (<c>[episodes, obsDim]</c>: the <c>next_obs</c> of each transition with
    /// <c>dones</c> set), <c>rews</c>, <c>dones</c>. About half the size; <see cref="FromNpz"/> reads it back to the same
    /// dataset when every <c>next_obs</c> of a transition that is not done equals the next transition's <c>obs</c>, which
    /// holds for recorded episodes (the last transition must be done).
    /// </summary>
    public NpzArchive ToCompactNpz()
    {
        int n = Count, o = ObservationSize;
        if (n == 0 || !dones[n - 1])
            throw new TrirlInputException("dataset", "does not end with a finished episode", "store complete episodes in the compact form");
        var finals = new List<float>();
        for (int k = 0; k < n; k++)
        {
            if (dones[k]) finals.AddRange(nextObs.AsSpan(k * o, o));
            else if (!nextObs.AsSpan(k * o, o).SequenceEqual(obs.AsSpan((k + 1) * o, o)))
                throw new TrirlInputException("dataset", $"transition {k} is not done but its next_obs is not the next transition's obs",
                    "store consecutive transitions of whole episodes in the compact form");
        }
        return new NpzArchive(
        [
            new NpzEntry("obs", NpyArray.FromFloat32([n, o], obs)),
            new NpzEntry("acts", NpyArray.FromFloat32([n, ActionSize], acts)),
            new NpzEntry(FinalObsField, NpyArray.FromFloat32([finals.Count / o, o], finals)),
            new NpzEntry("rews", NpyArray.FromFloat32([n], rews)),
            new NpzEntry("dones", NpyArray.FromBool([n], dones)),
        ]);
    }

    private static TransitionDataset FromCompactNpz(NpzArchive npz, string source, NpyArray o, NpyArray ac, Func<string, NpyDtype, int, NpyArray> get)
    {
        var f = get(FinalObsField, NpyDtype.Float32, 2);
        var r = get("rews", NpyDtype.Float32, 1);
        var d = get("dones", NpyDtype.Bool, 1);
        int n = r.Shape[0], size = o.Shape[1];
        if (o.Shape[0] != n || ac.Shape[0] != n || d.Shape[0] != n)
            throw new TrirlInputException($"{source}: obs", $"obs, acts, rews and dones have {o.Shape[0]}, {ac.Shape[0]}, {n} and {d.Shape[0]} rows",
                "save one row per transition in every field");
        var done = d.ToBool();
        var observations = o.ToFloat32();
        var finals = f.ToFloat32();
        int episodes = done.Count(x => x);
        if (f.Shape[0] != episodes || f.Shape[1] != size)
            throw new TrirlInputException($"{source}: {FinalObsField}", $"has shape {f.ShapeText} but the dataset has {episodes} finished episodes of {size} observations",
                "save one final observation per finished episode");
        if (n == 0 || !done[n - 1]) throw new TrirlInputException($"{source}: dones", "does not end with a finished episode", "save complete episodes");
        var next = new float[n * size];
        int e = 0;
        for (int k = 0; k < n; k++)
        {
            var row = done[k] ? finals.AsSpan(e++ * size, size) : observations.AsSpan((k + 1) * size, size);
            row.CopyTo(next.AsSpan(k * size, size));
        }
        return new TransitionDataset(source, size, ac.Shape[1], observations, ac.ToFloat32(), next, r.ToFloat32(), done);
    }

    /// <summary>Writes the dataset to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public void Save(string path, NpzCompression compression = NpzCompression.Stored) => Npz.Save(path, ToNpz(), compression);

    /// <summary>The bytes of the dataset's <c>.npz</c> file.</summary>
    public byte[] ToBytes(NpzCompression compression = NpzCompression.Stored) => Npz.Write(ToNpz(), compression);

    /// <summary>The dataset in the <c>.npz</c> file at <paramref name="path"/>; every problem names the file and the field.</summary>
    public static TransitionDataset Load(string path) => FromNpz(Npz.Load(path), path);

    /// <summary>The dataset in an <c>.npz</c> stream (e.g. an embedded resource); <paramref name="source"/> names it in errors.</summary>
    public static TransitionDataset Read(Stream stream, string source) => FromNpz(Npz.Read(stream, source), source);

    /// <summary>Value equality: the same sizes and bit-for-bit the same arrays.</summary>
    public bool Equals(TransitionDataset? other) =>
        other is not null && ObservationSize == other.ObservationSize && ActionSize == other.ActionSize
        && Bits(obs).SequenceEqual(Bits(other.obs)) && Bits(acts).SequenceEqual(Bits(other.acts))
        && Bits(nextObs).SequenceEqual(Bits(other.nextObs)) && Bits(rews).SequenceEqual(Bits(other.rews))
        && dones.AsSpan().SequenceEqual(other.dones);

    private static ReadOnlySpan<byte> Bits(float[] values) => MemoryMarshal.AsBytes(values.AsSpan());

    /// <summary>Hash of the sizes.</summary>
    public override int GetHashCode() => HashCode.Combine(Count, ObservationSize, ActionSize);
}

/// <summary>One episode of a <see cref="TransitionDataset"/>: rows <c>First .. First + Length - 1</c>.</summary>
/// <param name="First">Its first row.</param>
/// <param name="Length">Its number of transitions.</param>
public sealed record EpisodeRange(int First, int Length);
