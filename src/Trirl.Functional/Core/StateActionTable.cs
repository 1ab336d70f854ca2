using System.Collections.Immutable;
using System.Globalization;

namespace Trirl.Functional;

/// <summary>
/// An immutable <c>S x A</c> table of doubles: a reward <c>r(s,a)</c>, a log-policy, an occupancy
/// <c>rho(s,a)</c> or a log-ratio <c>D(s,a)</c>. Row-major over a private array that is never
/// exposed for writing; hot loops read it through <see cref="Span"/>.
/// </summary>
public sealed class StateActionTable : IEquatable<StateActionTable>
{
    private readonly double[] values;

    private StateActionTable(int states, int actions, double[] values)
    {
        States = states;
        Actions = actions;
        this.values = values;
    }

    /// <summary>Number of states <c>S</c> (rows).</summary>
    public int States { get; }

    /// <summary>Number of actions <c>A</c> (columns).</summary>
    public int Actions { get; }

    /// <summary>The entry for state <paramref name="s"/> and action <paramref name="a"/>.</summary>
    public double this[int s, int a]
    {
        get
        {
            if ((uint)s >= (uint)States) throw new ArgumentOutOfRangeException(nameof(s), s, $"state must be in [0, {States})");
            if ((uint)a >= (uint)Actions) throw new ArgumentOutOfRangeException(nameof(a), a, $"action must be in [0, {Actions})");
            return values[s * Actions + a];
        }
    }

    /// <summary>All entries, row-major (<c>index = s * A + a</c>), read-only.</summary>
    public ReadOnlySpan<double> Span => values;

    /// <summary>The backing array (library-internal; never written after construction).</summary>
    internal double[] Raw => values;

    /// <summary>The row of state <paramref name="s"/>: the values of its <c>A</c> actions.</summary>
    public ReadOnlySpan<double> Row(int s) => values.AsSpan(s * Actions, Actions);

    /// <summary>Takes ownership of <paramref name="values"/> without copying (library-internal).</summary>
    internal static StateActionTable Own(int states, int actions, double[] values)
    {
        System.Diagnostics.Debug.Assert(values.Length == states * actions);
        return new StateActionTable(states, actions, values);
    }

    /// <summary>The table <c>t(s,a) = f(s,a)</c>.</summary>
    public static StateActionTable Create(int states, int actions, Func<int, int, double> f)
    {
        Check.PositiveInt(states, nameof(states));
        Check.PositiveInt(actions, nameof(actions));
        var v = new double[states * actions];
        for (int s = 0; s < states; s++)
            for (int a = 0; a < actions; a++)
                v[s * actions + a] = f(s, a);
        return new StateActionTable(states, actions, v);
    }

    /// <summary>The table with every entry equal to <paramref name="value"/> (e.g. <c>r_0 = 0</c>).</summary>
    public static StateActionTable Constant(int states, int actions, double value)
    {
        Check.PositiveInt(states, nameof(states));
        Check.PositiveInt(actions, nameof(actions));
        var v = new double[states * actions];
        Array.Fill(v, value);
        return new StateActionTable(states, actions, v);
    }

    /// <summary>A copy of row-major <paramref name="values"/> of length <c>states * actions</c>.</summary>
    public static StateActionTable FromFlat(int states, int actions, IReadOnlyList<double> values)
    {
        Check.PositiveInt(states, nameof(states));
        Check.PositiveInt(actions, nameof(actions));
        if (values.Count != states * actions)
            throw new TrirlInputException(nameof(values), $"has {values.Count} entries, expected states * actions = {states * actions}",
                "pass one value per (state, action), row-major");
        var v = new double[values.Count];
        for (int i = 0; i < v.Length; i++) v[i] = values[i];
        return new StateActionTable(states, actions, v);
    }

    /// <summary>
    /// A table from its rows (<c>rows[s][a]</c>). Every row must have the same length; the error
    /// names the first row that does not.
    /// </summary>
    public static StateActionTable FromRows(IReadOnlyList<IReadOnlyList<double>> rows, string field = "rows")
    {
        if (rows.Count == 0) throw new TrirlInputException(field, "has no rows", "pass one row per state");
        int actions = rows[0].Count;
        if (actions == 0) throw new TrirlInputException($"{field}[0]", "is empty", "pass one value per action");
        var v = new double[rows.Count * actions];
        for (int s = 0; s < rows.Count; s++)
        {
            if (rows[s].Count != actions)
                throw new TrirlInputException($"{field}[{s}]", $"has {rows[s].Count} entries, expected {actions} (the length of row 0)",
                    "give every state the same number of actions");
            for (int a = 0; a < actions; a++) v[s * actions + a] = rows[s][a];
        }
        return new StateActionTable(rows.Count, actions, v);
    }

    /// <summary>The table <c>f(t(s,a))</c>.</summary>
    public StateActionTable Map(Func<double, double> f)
    {
        var v = new double[values.Length];
        for (int i = 0; i < v.Length; i++) v[i] = f(values[i]);
        return new StateActionTable(States, Actions, v);
    }

    /// <summary>The table <c>f(x(s,a), y(s,a))</c>; the shapes must agree.</summary>
    public static StateActionTable Combine(StateActionTable x, StateActionTable y, Func<double, double, double> f)
    {
        RequireSameShape(x, y, nameof(y));
        var v = new double[x.values.Length];
        for (int i = 0; i < v.Length; i++) v[i] = f(x.values[i], y.values[i]);
        return new StateActionTable(x.States, x.Actions, v);
    }

    /// <summary>The affine combination <c>a * x + b * y</c> (vectorised; used by the reward updates).</summary>
    public static StateActionTable Affine(double a, StateActionTable x, double b, StateActionTable y)
    {
        RequireSameShape(x, y, nameof(y));
        var v = new double[x.values.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(x.values, a, v);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(y.values, b, v, v);
        return new StateActionTable(x.States, x.Actions, v);
    }

    /// <summary>The table <c>c * t(s,a)</c>.</summary>
    public StateActionTable Scale(double c)
    {
        var v = new double[values.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(values, c, v);
        return new StateActionTable(States, Actions, v);
    }

    /// <summary>Fails with a message naming <paramref name="field"/> unless the two tables have the same shape.</summary>
    internal static void RequireSameShape(StateActionTable expected, StateActionTable actual, string field)
    {
        if (expected.States != actual.States || expected.Actions != actual.Actions)
            throw new TrirlInputException(field, $"is {actual.States} x {actual.Actions}, expected {expected.States} x {expected.Actions}",
                "pass a table with one entry per (state, action) of the MDP");
    }

    /// <summary>Largest absolute entry of <c>x - y</c> (the sup-norm distance).</summary>
    public static double MaxAbsDifference(StateActionTable x, StateActionTable y)
    {
        RequireSameShape(x, y, nameof(y));
        double m = 0;
        for (int i = 0; i < x.values.Length; i++) m = Math.Max(m, Math.Abs(x.values[i] - y.values[i]));
        return m;
    }

    /// <summary>Sum of all entries (1 for an occupancy).</summary>
    public double Sum() => System.Numerics.Tensors.TensorPrimitives.Sum<double>(values);

    /// <summary>Smallest entry.</summary>
    public double Min() => System.Numerics.Tensors.TensorPrimitives.Min<double>(values);

    /// <summary>Largest entry.</summary>
    public double Max() => System.Numerics.Tensors.TensorPrimitives.Max<double>(values);

    /// <summary>The row sums <c>sum_a t(s,a)</c>, e.g. the state occupancy <c>rho(s)</c>.</summary>
    public ImmutableArray<double> RowSums()
    {
        var v = new double[States];
        for (int s = 0; s < States; s++) v[s] = System.Numerics.Tensors.TensorPrimitives.Sum<double>(Row(s));
        return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(v);
    }

    /// <summary>A fresh jagged copy <c>[s][a]</c> (for JSON, charts and F# arrays).</summary>
    public double[][] ToJagged()
    {
        var rows = new double[States][];
        for (int s = 0; s < States; s++) rows[s] = Row(s).ToArray();
        return rows;
    }

    /// <summary>A fresh rectangular copy <c>[s, a]</c> (F# <c>Array2D</c>).</summary>
    public double[,] ToArray2D()
    {
        var m = new double[States, Actions];
        for (int s = 0; s < States; s++)
            for (int a = 0; a < Actions; a++) m[s, a] = values[s * Actions + a];
        return m;
    }

    /// <summary>A fresh flat copy, row-major.</summary>
    public double[] ToFlatArray() => (double[])values.Clone();

    /// <summary>Value equality: same shape and bitwise-equal entries.</summary>
    public bool Equals(StateActionTable? other) =>
        other is not null && other.States == States && other.Actions == Actions && values.AsSpan().SequenceEqual(other.values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as StateActionTable);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(States);
        h.Add(Actions);
        foreach (var x in values) h.Add(x);
        return h.ToHashCode();
    }

    /// <summary>A short description such as <c>StateActionTable 16 x 4 [min -1, max 0.5]</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"StateActionTable {States} x {Actions} [min {Min():G6}, max {Max():G6}]");
}
