namespace Trirl.Functional;

/// <summary>
/// A stochastic policy <c>pi(a|s)</c>, kept in log space (<see cref="LogProbabilities"/>) because the
/// algorithm works with <c>log pi</c> (entropy, KL, the trust-region reward <c>eta * log pi_i</c>).
/// Every row is a distribution; the probabilities are precomputed once.
/// A policy of a finite-horizon MDP is time-indexed, <c>pi_t(a|s)</c> for <c>t = 0..Steps-1</c>: its tables have
/// <c>Steps * S</c> rows, row <c>t * S + s</c> holding <c>pi_t(.|s)</c> (docs/finite-horizon.md). A stationary policy has
/// one step; on a finite-horizon MDP it acts the same at every time step.
/// </summary>
public sealed class Policy
{
    /// <summary>Tolerance on <c>|sum_a pi(a|s) - 1|</c> when a policy is built from user data.</summary>
    public const double SumTolerance = 1e-9;

    private Policy(StateActionTable logProbabilities, StateActionTable probabilities, int steps = 1)
    {
        LogProbabilities = logProbabilities;
        Probabilities = probabilities;
        Steps = steps;
    }

    /// <summary><c>log pi(a|s)</c> (may be <c>-infinity</c> for an action the policy never takes); <c>Steps * S</c> rows.</summary>
    public StateActionTable LogProbabilities { get; }

    /// <summary><c>pi(a|s)</c>; <c>Steps * S</c> rows.</summary>
    public StateActionTable Probabilities { get; }

    /// <summary>Number of time steps: 1 for a stationary policy, <c>H</c> for a time-indexed one.</summary>
    public int Steps { get; }

    /// <summary>Number of states.</summary>
    public int States => LogProbabilities.States / Steps;

    /// <summary>Number of actions.</summary>
    public int Actions => LogProbabilities.Actions;

    /// <summary>Wraps normalised log-probabilities computed by the library (no validation).</summary>
    internal static Policy OwnLog(StateActionTable logProbabilities, int steps = 1) =>
        new(logProbabilities, logProbabilities.Map(Math.Exp), steps);

    /// <summary>The uniform policy <c>pi(a|s) = 1/A</c> (the TRIRL start <c>pi_0</c>), with <paramref name="steps"/> time steps.</summary>
    public static Policy Uniform(int states, int actions, int steps = 1)
    {
        Check.PositiveInt(states, nameof(states));
        Check.PositiveInt(actions, nameof(actions));
        Check.PositiveInt(steps, nameof(steps));
        return new Policy(StateActionTable.Constant(steps * states, actions, -Math.Log(actions)),
            StateActionTable.Constant(steps * states, actions, 1.0 / actions), steps);
    }

    /// <summary>
    /// A time-indexed policy <c>pi_t = steps[t]</c> from stationary policies of one shape (e.g. read from a file, or
    /// built step by step).
    /// </summary>
    public static Policy FromSteps(IReadOnlyList<Policy> steps)
    {
        if (steps.Count == 0) throw new TrirlInputException(nameof(steps), "is empty", "pass one policy per time step");
        int states = steps[0].States, actions = steps[0].Actions;
        var log = new double[steps.Count * states * actions];
        var prob = new double[log.Length];
        for (int t = 0; t < steps.Count; t++)
        {
            var p = steps[t];
            if (p.Steps != 1 || p.States != states || p.Actions != actions)
                throw new TrirlInputException($"{nameof(steps)}[{t}]",
                    $"is a {p.Steps}-step {p.States} x {p.Actions} policy, expected a stationary {states} x {actions} one (as step 0)",
                    "pass stationary policies of one shape, one per time step");
            p.LogProbabilities.Span.CopyTo(log.AsSpan(t * states * actions));
            p.Probabilities.Span.CopyTo(prob.AsSpan(t * states * actions));
        }
        return new Policy(StateActionTable.Own(steps.Count * states, actions, log), StateActionTable.Own(steps.Count * states, actions, prob), steps.Count);
    }

    /// <summary>The stationary policy <c>pi_t</c> of time step <paramref name="t"/> (a stationary policy is its own step 0).</summary>
    public Policy AtStep(int t)
    {
        if ((uint)t >= (uint)Steps) throw new ArgumentOutOfRangeException(nameof(t), t, $"time step must be in [0, {Steps})");
        if (Steps == 1) return this;
        int n = States * Actions;
        return new Policy(StateActionTable.Own(States, Actions, LogProbabilities.Span.Slice(t * n, n).ToArray()),
            StateActionTable.Own(States, Actions, Probabilities.Span.Slice(t * n, n).ToArray()));
    }

    /// <summary>This stationary policy repeated over <paramref name="steps"/> time steps (library-internal).</summary>
    internal Policy Repeat(int steps)
    {
        if (steps == Steps) return this;
        System.Diagnostics.Debug.Assert(Steps == 1);
        int n = States * Actions;
        var log = new double[steps * n];
        var prob = new double[steps * n];
        for (int t = 0; t < steps; t++)
        {
            LogProbabilities.Span.CopyTo(log.AsSpan(t * n));
            Probabilities.Span.CopyTo(prob.AsSpan(t * n));
        }
        return new Policy(StateActionTable.Own(steps * States, Actions, log), StateActionTable.Own(steps * States, Actions, prob), steps);
    }

    /// <summary>A policy from probabilities <c>pi(a|s)</c>; each row must be a distribution (tolerance 1e-9).</summary>
    public static Policy FromProbabilities(StateActionTable probabilities)
    {
        for (int s = 0; s < probabilities.States; s++)
        {
            var row = probabilities.Row(s);
            double sum = 0;
            for (int a = 0; a < row.Length; a++)
            {
                if (!(row[a] >= 0) || double.IsInfinity(row[a]))
                    throw new TrirlInputException($"probabilities[{s}][{a}]", $"is {Check.Format(row[a])}", "use probabilities in [0, 1]");
                sum += row[a];
            }
            if (Math.Abs(sum - 1) > SumTolerance)
                throw new TrirlInputException($"probabilities[{s}]", $"sums to {Check.Format(sum)}, not 1", "normalise each row");
        }
        return new Policy(probabilities.Map(Math.Log), probabilities);
    }

    /// <summary>
    /// The softmax policy <c>pi(a|s) = exp(l(s,a)) / sum_b exp(l(s,b))</c> of arbitrary finite logits.
    /// </summary>
    public static Policy FromLogits(StateActionTable logits)
    {
        int actions = logits.Actions;
        var log = new double[logits.States * actions];
        var src = logits.Span;
        for (int s = 0; s < logits.States; s++)
        {
            var row = src.Slice(s * actions, actions);
            double lse = LogSumExp(row);
            if (!double.IsFinite(lse))
                throw new TrirlInputException($"logits[{s}]", "has no finite entry or overflows", "pass finite logits");
            for (int a = 0; a < actions; a++) log[s * actions + a] = row[a] - lse;
        }
        return OwnLog(StateActionTable.Own(logits.States, actions, log));
    }

    /// <summary><c>pi_t(a|s)</c> (<paramref name="t"/> = 0 for a stationary policy).</summary>
    public double Probability(int s, int a, int t = 0) => Probabilities[Row(s, t), a];

    /// <summary>Entropy <c>H(pi_t(.|s)) = -sum_a pi_t(a|s) log pi_t(a|s)</c> of state <paramref name="s"/> at step <paramref name="t"/>.</summary>
    public double Entropy(int s, int t = 0)
    {
        int row = Row(s, t);
        var p = Probabilities.Row(row);
        var l = LogProbabilities.Row(row);
        double h = 0;
        for (int a = 0; a < p.Length; a++)
            if (p[a] > 0) h -= p[a] * l[a];
        return h;
    }

    private int Row(int s, int t)
    {
        if ((uint)s >= (uint)States) throw new ArgumentOutOfRangeException(nameof(s), s, $"state must be in [0, {States})");
        if ((uint)t >= (uint)Steps) throw new ArgumentOutOfRangeException(nameof(t), t, $"time step must be in [0, {Steps})");
        return t * States + s;
    }

    /// <summary>Numerically stable <c>log sum_i exp(x_i)</c>.</summary>
    internal static double LogSumExp(ReadOnlySpan<double> x)
    {
        double m = double.NegativeInfinity;
        foreach (var v in x) if (v > m) m = v;
        if (double.IsNegativeInfinity(m) || double.IsNaN(m)) return m;
        double sum = 0;
        foreach (var v in x) sum += Math.Exp(v - m);
        return m + Math.Log(sum);
    }

    /// <summary>A short description.</summary>
    public override string ToString() => Steps == 1 ? $"Policy {States} x {Actions}" : $"Policy {States} x {Actions}, {Steps} time steps";
}
