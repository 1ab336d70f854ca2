namespace Trirl.Functional;

/// <summary>
/// A stochastic policy <c>pi(a|s)</c>, kept in log space (<see cref="LogProbabilities"/>) because the
/// algorithm works with <c>log pi</c> (entropy, KL, the trust-region reward <c>eta * log pi_i</c>).
/// Every row is a distribution; the probabilities are precomputed once.
/// </summary>
public sealed class Policy
{
    /// <summary>Tolerance on <c>|sum_a pi(a|s) - 1|</c> when a policy is built from user data.</summary>
    public const double SumTolerance = 1e-9;

    private Policy(StateActionTable logProbabilities, StateActionTable probabilities)
    {
        LogProbabilities = logProbabilities;
        Probabilities = probabilities;
    }

    /// <summary><c>log pi(a|s)</c> (may be <c>-infinity</c> for an action the policy never takes).</summary>
    public StateActionTable LogProbabilities { get; }

    /// <summary><c>pi(a|s)</c>.</summary>
    public StateActionTable Probabilities { get; }

    /// <summary>Number of states.</summary>
    public int States => LogProbabilities.States;

    /// <summary>Number of actions.</summary>
    public int Actions => LogProbabilities.Actions;

    /// <summary>Wraps normalised log-probabilities computed by the library (no validation).</summary>
    internal static Policy OwnLog(StateActionTable logProbabilities) =>
        new(logProbabilities, logProbabilities.Map(Math.Exp));

    /// <summary>The uniform policy <c>pi(a|s) = 1/A</c> (the TRIRL start <c>pi_0</c>).</summary>
    public static Policy Uniform(int states, int actions)
    {
        Check.PositiveInt(states, nameof(states));
        Check.PositiveInt(actions, nameof(actions));
        return new Policy(StateActionTable.Constant(states, actions, -Math.Log(actions)),
            StateActionTable.Constant(states, actions, 1.0 / actions));
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

    /// <summary><c>pi(a|s)</c>.</summary>
    public double Probability(int s, int a) => Probabilities[s, a];

    /// <summary>Entropy <c>H(pi(.|s)) = -sum_a pi(a|s) log pi(a|s)</c> of state <paramref name="s"/>.</summary>
    public double Entropy(int s)
    {
        var p = Probabilities.Row(s);
        var l = LogProbabilities.Row(s);
        double h = 0;
        for (int a = 0; a < p.Length; a++)
            if (p[a] > 0) h -= p[a] * l[a];
        return h;
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
    public override string ToString() => $"Policy {States} x {Actions}";
}
