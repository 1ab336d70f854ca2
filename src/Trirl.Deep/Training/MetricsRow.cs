using System.Collections.Immutable;

namespace Trirl.Deep;

/// <summary>
/// One row of <c>metrics.csv</c>: the values of the run's columns (<see cref="RlRun.Columns"/>) after a metrics
/// interval. Every value is a deterministic function of the seed and the settings (no wall-clock times: those are in
/// <see cref="TimingRow"/>), so the same seed gives the same rows, bit for bit, and a resumed run continues them exactly.
/// </summary>
/// <param name="Columns">Column names (the first is <c>env_steps</c>).</param>
/// <param name="Values">One value per column; NaN where a value does not exist (e.g. no episode ended in the interval).</param>
public sealed record MetricsRow(ImmutableArray<string> Columns, ImmutableArray<double> Values)
{
    /// <summary>Environment steps at the end of the interval.</summary>
    public long EnvSteps => (long)Values[0];

    /// <summary>The value of column <paramref name="name"/>.</summary>
    public double this[string name]
    {
        get
        {
            int i = Columns.IndexOf(name);
            if (i < 0) throw new KeyNotFoundException($"no column '{name}' (columns: {string.Join(", ", Columns)})");
            return Values[i];
        }
    }

    /// <summary>Value equality: the same columns and bit-identical values.</summary>
    public bool Equals(MetricsRow? other) =>
        other is not null && Columns.SequenceEqual(other.Columns)
        && Values.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(other.Values.Select(BitConverter.DoubleToInt64Bits));

    /// <summary>Hash of the step count.</summary>
    public override int GetHashCode() => HashCode.Combine(Columns.Length, Values.IsDefaultOrEmpty ? 0 : Values[0]);
}

/// <summary>
/// Wall-clock times of one metrics interval (<c>timings.csv</c>): seconds spent acting in the environments (and, for
/// PPO, computing advantages), in gradient updates and in evaluation; the run's cumulative seconds; and the interval's
/// environment steps per second (training phases only).
/// </summary>
/// <param name="EnvSteps">Environment steps at the end of the interval.</param>
/// <param name="RolloutSeconds">Acting (and PPO's advantage computation).</param>
/// <param name="UpdateSeconds">Gradient updates.</param>
/// <param name="EvalSeconds">Evaluation episodes.</param>
/// <param name="Seconds">Cumulative seconds of the run so far (across resumes).</param>
/// <param name="EnvStepsPerSecond">Interval steps / (rollout + update seconds).</param>
public sealed record TimingRow(long EnvSteps, double RolloutSeconds, double UpdateSeconds, double EvalSeconds, double Seconds, double EnvStepsPerSecond)
{
    /// <summary>Column names of <c>timings.csv</c> (before a learner's own phases).</summary>
    public static ImmutableArray<string> Columns { get; } =
        ["env_steps", "rollout_seconds", "update_seconds", "eval_seconds", "seconds", "env_steps_per_second"];

    /// <summary>Names of the learner's own phases (an imitation learner's acting, discriminator, reward and policy seconds); empty for RL.</summary>
    public ImmutableArray<string> PhaseNames { get; init; } = [];

    /// <summary>Seconds of those phases, one per name.</summary>
    public ImmutableArray<double> Phases { get; init; } = [];

    /// <summary><see cref="Columns"/> then <see cref="PhaseNames"/>.</summary>
    public ImmutableArray<string> Names => [.. Columns, .. PhaseNames];

    /// <summary>The values in the order of <see cref="Names"/>.</summary>
    public ImmutableArray<double> Values => [EnvSteps, RolloutSeconds, UpdateSeconds, EvalSeconds, Seconds, EnvStepsPerSecond, .. Phases];
}

/// <summary>What <see cref="RlRun.Train"/> yields after each metrics interval.</summary>
/// <param name="Metrics">The new <c>metrics.csv</c> row.</param>
/// <param name="Timing">The new <c>timings.csv</c> row.</param>
/// <param name="TotalSteps">The step budget of this <see cref="RlRun.Train"/> call (for progress).</param>
public sealed record RlProgress(MetricsRow Metrics, TimingRow Timing, long TotalSteps);
