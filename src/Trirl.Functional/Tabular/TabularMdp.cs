using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Trirl.Functional;

/// <summary>
/// A finite MDP (math note, section 1): states <c>0..S-1</c>, actions <c>0..A-1</c>,
/// transitions <c>P(s'|s,a)</c> stored sparse (CSR: the entries of pair <c>(s,a)</c> are
/// <c>RowStart[s*A+a] .. RowStart[s*A+a+1]-1</c> of <see cref="Next"/> and <see cref="Probability"/>),
/// initial distribution <c>p0</c>, discount <c>gamma</c>, an optional horizon <c>H</c>, and an optional true
/// reward used to build experts and to score policies. Terminal states are absorbing self-loops.
/// Without a horizon the problem is discounted and infinite (<c>gamma</c> in (0,1)); with one it runs
/// <c>t = 0..H-1</c> and <c>gamma</c> may be any value in [0, 1] (docs/finite-horizon.md).
/// Build one with <see cref="Create"/>, which validates every field.
/// </summary>
public sealed class TabularMdp
{
    /// <summary>Tolerance on <c>|sum_s' P(s'|s,a) - 1|</c> and <c>|sum_s p0(s) - 1|</c>.</summary>
    public const double SumTolerance = 1e-9;

    private readonly int[] rowStart;
    private readonly int[] next;
    private readonly double[] probability;
    private readonly double[] initial;
    private readonly Lazy<IncomingTransitions> incoming;
    private readonly Lazy<LaneTransitions> lanes;
    private readonly Lazy<IncomingLanes> incomingLanes;
    private readonly Lazy<double> discountedTime;
    private readonly Lazy<double[]> timeWeights;

    private TabularMdp(string name, int states, int actions, double gamma, double[] initial,
        int[] rowStart, int[] next, double[] probability, StateActionTable? reward, int? horizon)
    {
        Name = name;
        Horizon = horizon;
        States = states;
        Actions = actions;
        Gamma = gamma;
        this.initial = initial;
        this.rowStart = rowStart;
        this.next = next;
        this.probability = probability;
        Reward = reward;
        incoming = new Lazy<IncomingTransitions>(() => IncomingTransitions.Build(this));
        lanes = new Lazy<LaneTransitions>(() => LaneTransitions.Build(this));
        incomingLanes = new Lazy<IncomingLanes>(() => IncomingLanes.Build(this));
        discountedTime = new Lazy<double>(() =>
        {
            double z = 0, g = 1;
            for (int t = 0; t < (horizon ?? 0); t++, g *= gamma) z += g;
            return z;
        });
        timeWeights = new Lazy<double[]>(() =>
        {
            var w = new double[horizon ?? 0];
            double g = 1, z = discountedTime.Value;
            for (int t = 0; t < w.Length; t++, g *= gamma) w[t] = g / z;
            return w;
        });
    }

    /// <summary>A human-readable name (kept in JSON and reports).</summary>
    public string Name { get; }

    /// <summary>Number of states <c>S</c>.</summary>
    public int States { get; }

    /// <summary>Number of actions <c>A</c>.</summary>
    public int Actions { get; }

    /// <summary>Discount factor <c>gamma</c>: in (0, 1) without a horizon, in [0, 1] with one.</summary>
    public double Gamma { get; }

    /// <summary>
    /// The horizon <c>H</c> (time steps <c>t = 0..H-1</c>), or <c>null</c> for the discounted infinite-horizon problem.
    /// With a horizon, policies, values and occupancies are time-indexed (docs/finite-horizon.md).
    /// </summary>
    public int? Horizon { get; }

    /// <summary>Whether the MDP has a finite horizon.</summary>
    public bool IsFiniteHorizon => Horizon is not null;

    /// <summary>Time layers of a policy on this MDP: <c>H</c> with a horizon, else 1 (stationary).</summary>
    public int Steps => Horizon ?? 1;

    /// <summary>
    /// The normalised weight of time step <c>t</c>, <c>w_t = gamma^t / Z</c> with <c>Z = sum_{t&lt;H} gamma^t</c> (so
    /// the weights sum to 1); without a horizon <c>(1 - gamma) gamma^t</c>.
    /// </summary>
    public double TimeWeight(int t)
    {
        if (t < 0) throw new ArgumentOutOfRangeException(nameof(t), t, "time step must be >= 0");
        if (Horizon is not { } h) return (1 - Gamma) * Math.Pow(Gamma, t);
        if (t >= h) return 0;
        return timeWeights.Value[t];
    }

    /// <summary><c>w_t = gamma^t / Z</c> for <c>t = 0..H-1</c> (finite horizon only), summed in a fixed order.</summary>
    internal double[] TimeWeights => timeWeights.Value;

    /// <summary><c>Z = sum_{t&lt;H} gamma^t</c> (1 / (1 - gamma) without a horizon): the total discounted time.</summary>
    public double DiscountedTime => Horizon is { } ? discountedTime.Value : 1 / (1 - Gamma);

    /// <summary>Initial state distribution <c>p0</c>.</summary>
    public ImmutableArray<double> Initial => ImmutableCollectionsMarshal.AsImmutableArray(initial);

    /// <summary>CSR row offsets, length <c>S*A + 1</c>.</summary>
    public ImmutableArray<int> RowStart => ImmutableCollectionsMarshal.AsImmutableArray(rowStart);

    /// <summary>CSR next-state indices, one per stored transition entry.</summary>
    public ImmutableArray<int> Next => ImmutableCollectionsMarshal.AsImmutableArray(next);

    /// <summary>CSR probabilities, one per stored transition entry.</summary>
    public ImmutableArray<double> Probability => ImmutableCollectionsMarshal.AsImmutableArray(probability);

    /// <summary>The true reward <c>r(s,a)</c>, or <c>null</c> when the MDP carries none (see <see cref="HasReward"/>).</summary>
    public StateActionTable? Reward { get; }

    /// <summary>Whether the MDP carries a true reward.</summary>
    public bool HasReward => Reward is not null;

    /// <summary>Number of stored transition entries (non-zeros of <c>P</c>).</summary>
    public int TransitionCount => next.Length;

    internal ReadOnlySpan<int> RowStartSpan => rowStart;
    internal ReadOnlySpan<int> NextSpan => next;
    internal ReadOnlySpan<double> ProbabilitySpan => probability;
    internal ReadOnlySpan<double> InitialSpan => initial;
    internal int[] RowStartArray => rowStart;
    internal int[] NextArray => next;
    internal double[] ProbabilityArray => probability;
    internal IncomingTransitions Incoming => incoming.Value;
    internal LaneTransitions Lanes => lanes.Value;
    internal IncomingLanes IncomingLanes => incomingLanes.Value;

    /// <summary>The transitions of pair <c>(s, a)</c>.</summary>
    public IReadOnlyList<Transition> TransitionsOf(int s, int a)
    {
        if ((uint)s >= (uint)States) throw new ArgumentOutOfRangeException(nameof(s), s, $"state must be in [0, {States})");
        if ((uint)a >= (uint)Actions) throw new ArgumentOutOfRangeException(nameof(a), a, $"action must be in [0, {Actions})");
        int i = s * Actions + a;
        var list = new Transition[rowStart[i + 1] - rowStart[i]];
        for (int k = 0; k < list.Length; k++) list[k] = new Transition(next[rowStart[i] + k], probability[rowStart[i] + k]);
        return list;
    }

    /// <summary>The true reward, or an error naming <paramref name="purpose"/> and the fix when the MDP has none.</summary>
    public StateActionTable RequireReward(string purpose) =>
        Reward ?? throw new TrirlInputException("reward", $"MDP '{Name}' has no true reward, which {purpose} needs",
            "give the MDP a reward (the JSON field \"reward\": [s][a]) or supply an expert policy directly");

    /// <summary>A copy with another true reward (or none).</summary>
    public TabularMdp WithReward(StateActionTable? reward)
    {
        if (reward is not null) MdpChecks.Reward(reward, States, Actions, "reward");
        return new TabularMdp(Name, States, Actions, Gamma, initial, rowStart, next, probability, reward, Horizon);
    }

    /// <summary>A copy with another name.</summary>
    public TabularMdp WithName(string name) =>
        new(name, States, Actions, Gamma, initial, rowStart, next, probability, Reward, Horizon);

    /// <summary>
    /// A copy with horizon <paramref name="horizon"/> (<c>null</c>: the discounted infinite-horizon problem), validated
    /// like <see cref="Create"/>: a horizon is a positive integer, and a discount of 1 needs one.
    /// </summary>
    public TabularMdp WithHorizon(int? horizon)
    {
        MdpChecks.Discount(Gamma, horizon);
        return new TabularMdp(Name, States, Actions, Gamma, initial, rowStart, next, probability, Reward, horizon);
    }

    /// <summary>
    /// Builds and validates an MDP. <paramref name="transitions"/> is indexed <c>[s][a]</c> and lists
    /// the <c>(next, probability)</c> entries of each pair; zero-probability entries are dropped.
    /// Errors name the field and the fix: a negative or NaN probability, a row not summing to 1
    /// (tolerance 1e-9), a next state out of range, <c>p0</c> not a distribution, <c>gamma</c> outside
    /// (0,1) without a horizon or outside [0,1] with one, a horizon below 1, or shapes that disagree.
    /// </summary>
    /// <param name="name">A human-readable name.</param>
    /// <param name="gamma">The discount.</param>
    /// <param name="initial">The initial distribution <c>p0</c>.</param>
    /// <param name="transitions"><c>transitions[s][a]</c>: the <c>(next, probability)</c> entries of each pair.</param>
    /// <param name="reward">The true reward, or <c>null</c>.</param>
    /// <param name="horizon">The horizon <c>H</c>, or <c>null</c> for the discounted infinite-horizon problem.</param>
    public static TabularMdp Create(string name, double gamma, IReadOnlyList<double> initial,
        IReadOnlyList<IReadOnlyList<IReadOnlyList<Transition>>> transitions, StateActionTable? reward = null, int? horizon = null)
    {
        MdpChecks.Discount(gamma, horizon);
        int states = transitions.Count;
        if (states == 0) throw new TrirlInputException("transitions", "has no states", "give transitions[s][a] for every state s");
        if (initial.Count != states)
            throw new TrirlInputException("initial", $"has {initial.Count} entries but transitions has {states} states",
                "give one initial probability per state");
        MdpChecks.Initial(initial);
        int actions = transitions[0].Count;
        if (actions == 0) throw new TrirlInputException("transitions[0]", "has no actions", "give at least one action per state");

        var rowStart = new int[states * actions + 1];
        var nextList = new List<int>();
        var probList = new List<double>();
        for (int s = 0; s < states; s++)
        {
            if (transitions[s].Count != actions)
                throw new TrirlInputException($"transitions[{s}]", $"has {transitions[s].Count} actions, expected {actions} (as state 0)",
                    "give every state the same number of actions");
            for (int a = 0; a < actions; a++)
            {
                var row = transitions[s][a];
                string field = $"transitions[{s}][{a}]";
                if (row.Count == 0) throw new TrirlInputException(field, "is empty", "list at least one [next, probability] pair");
                double sum = 0;
                for (int k = 0; k < row.Count; k++)
                {
                    var (n, p) = (row[k].Next, row[k].Probability);
                    if ((uint)n >= (uint)states)
                        throw new TrirlInputException($"{field}[{k}]", $"next state {n} is out of range [0, {states})",
                            "use state indices 0..S-1");
                    if (double.IsNaN(p) || p < 0 || double.IsInfinity(p))
                        throw new TrirlInputException($"{field}[{k}]", $"probability {Check.Format(p)} is negative, infinite or NaN",
                            "use probabilities in [0, 1]");
                    sum += p;
                    if (p == 0) continue;
                    nextList.Add(n);
                    probList.Add(p);
                }
                if (Math.Abs(sum - 1) > SumTolerance)
                    throw new TrirlInputException(field, $"probabilities sum to {Check.Format(sum)}, not 1 (tolerance {SumTolerance:G})",
                        "make each P(.|s,a) a distribution");
                rowStart[s * actions + a + 1] = nextList.Count;
            }
        }
        if (reward is not null) MdpChecks.Reward(reward, states, actions, "reward");
        return new TabularMdp(name, states, actions, gamma, initial.ToArray(), rowStart, nextList.ToArray(), probList.ToArray(), reward, horizon);
    }

    /// <summary>
    /// Builds an MDP from CSR arrays directly (fast path for large generated MDPs); the arrays are
    /// copied and validated like <see cref="Create"/>.
    /// </summary>
    public static TabularMdp FromCsr(string name, int states, int actions, double gamma, IReadOnlyList<double> initial,
        IReadOnlyList<int> rowStart, IReadOnlyList<int> next, IReadOnlyList<double> probability, StateActionTable? reward = null,
        int? horizon = null)
    {
        Check.PositiveInt(states, nameof(states));
        Check.PositiveInt(actions, nameof(actions));
        if (rowStart.Count != states * actions + 1)
            throw new TrirlInputException(nameof(rowStart), $"has {rowStart.Count} entries, expected S*A+1 = {states * actions + 1}",
                "give one offset per (state, action) plus a final one");
        if (next.Count != probability.Count)
            throw new TrirlInputException(nameof(probability), $"has {probability.Count} entries but next has {next.Count}",
                "give one probability per next-state entry");
        var rows = new IReadOnlyList<Transition>[states][];
        for (int s = 0; s < states; s++)
        {
            rows[s] = new IReadOnlyList<Transition>[actions];
            for (int a = 0; a < actions; a++)
            {
                int i = s * actions + a, lo = rowStart[i], hi = rowStart[i + 1];
                if (lo < 0 || hi < lo || hi > next.Count)
                    throw new TrirlInputException($"{nameof(rowStart)}[{i}]", $"offsets {lo}..{hi} are not increasing within [0, {next.Count}]",
                        "give non-decreasing offsets starting at 0 and ending at the number of entries");
                var row = new Transition[hi - lo];
                for (int k = lo; k < hi; k++) row[k - lo] = new Transition(next[k], probability[k]);
                rows[s][a] = row;
            }
        }
        return Create(name, gamma, initial, rows, reward, horizon);
    }

    /// <summary>A short description: name, sizes and discount.</summary>
    public override string ToString() =>
        $"TabularMdp '{Name}': {States} states, {Actions} actions, {TransitionCount} transitions, gamma {Check.Format(Gamma)}" +
        (Horizon is { } h ? $", horizon {h}" : "");
}
