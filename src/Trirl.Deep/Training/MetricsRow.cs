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

    /// <summary>Normalised return of the evaluation (random = 0, expert = 1; NaN on rows without an evaluation).</summary>
    public double NormalizedReturn => this["normalized_return"];

    /// <summary>Mean true return of the evaluation episodes.</summary>
    public double EvalReturn => this["eval_return"];

    /// <summary>Standard deviation of the evaluation returns.</summary>
    public double EvalReturnStd => this["eval_return_std"];

    /// <summary>Mean return of the training episodes that ended in the interval (NaN if none).</summary>
    public double TrainReturnMean => this["train_return_mean"];

    /// <summary>Training episodes that ended in the interval.</summary>
    public int TrainEpisodes => (int)this["train_episodes"];

    /// <summary>The row's PPO statistics (PPO runs and imitation runs; a <see cref="KeyNotFoundException"/> for SAC).</summary>
    public PpoStatistics Ppo() => Read(PpoStatistics.ColumnNames, v => new PpoStatistics(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));

    /// <summary>The row's imitation statistics (imitation runs only; a <see cref="KeyNotFoundException"/> otherwise).</summary>
    public ImitationStatistics Imitation() =>
        Read(ImitationStatistics.ColumnNames, v => new ImitationStatistics(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));

    private T Read<T>(ImmutableArray<string> names, Func<double[], T> make) => make([.. names.Select(n => this[n])]);

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
