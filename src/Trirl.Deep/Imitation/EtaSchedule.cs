namespace Trirl.Deep;

/// <summary>How the trust region's multiplier <c>eta</c> (the weight of PPO's KL term) evolves over a run.</summary>
public enum EtaScheduleKind
{
    /// <summary>Linear from <see cref="EtaSchedule.Initial"/> to 0 over <see cref="EtaSchedule.AnnealSteps"/> env steps (the reference: 100 to 0).</summary>
    Anneal,

    /// <summary><see cref="EtaSchedule.Initial"/> throughout.</summary>
    Constant,

    /// <summary>Dual ascent on <c>eta</c> that holds the measured KL near <see cref="EtaSchedule.TargetKl"/> (closer to the theory).</summary>
    Adaptive,
}

/// <summary>
/// The schedule of <c>eta</c> (math note, section 9). <c>eta</c> is the Lagrange multiplier of the trust region
/// <c>KL(pi || pi_old) &lt;= delta</c> and sets the correction <c>eps_tr = eps / (1 + eta)</c>.
/// <list type="bullet">
/// <item><c>anneal</c>: <c>eta(t) = Initial * max(0, 1 - t / AnnealSteps)</c> at env step <c>t</c> (the step count before the
/// iteration's update). The horizon is a setting, not the run's budget, so a run resumed to a larger budget continues
/// the same schedule.</item>
/// <item><c>constant</c>: <c>eta = Initial</c>.</item>
/// <item><c>adaptive</c>: start at <c>Initial</c>; after each policy step with measured mean KL <c>k</c>,
/// <c>eta &lt;- max(0, eta + LearningRate * (k - TargetKl) / TargetKl)</c>: projected gradient ascent on the dual
/// (whose gradient in <c>eta</c> is <c>k - delta</c>), with the step measured in units of the target.</item>
/// </list>
/// </summary>
/// <param name="Kind">anneal, constant or adaptive.</param>
/// <param name="Initial">Starting (anneal, adaptive) or fixed (constant) value, &gt;= 0.</param>
/// <param name="AnnealSteps">Env steps over which <c>anneal</c> reaches 0, &gt;= 1.</param>
/// <param name="TargetKl">The trust-region radius <c>delta</c> that <c>adaptive</c> holds, &gt; 0.</param>
/// <param name="LearningRate">Step size of <c>adaptive</c> (in units of <c>eta</c> per relative KL violation), &gt; 0.</param>
public sealed record EtaSchedule(EtaScheduleKind Kind, double Initial, long AnnealSteps, double TargetKl, double LearningRate)
{
    /// <summary>A constant <c>eta = 0</c>: a plain PPO step (the adversarial presets' local step).</summary>
    public static EtaSchedule Zero { get; } = new(EtaScheduleKind.Constant, 0.0, 1, 0.01, 1.0);

    /// <summary>The kind named <paramref name="name"/> (case-insensitive).</summary>
    public static EtaScheduleKind Parse(string name, string field = "eta_schedule") => EnumNames.Parse<EtaScheduleKind>(name, field, "eta schedule");

    /// <summary>
    /// The smallest value <c>eta</c> takes (default 0; written to JSON only when set): a floor keeps
    /// <c>eps_tr = eps / (1 + eta)</c> small late in training, so the corrected weights
    /// <c>w_k = eps_tr,k prod_{j&gt;k} (1 - eps_tr,j)</c> average over many discriminators instead of the last few.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public double Minimum { get; init; }

    /// <summary>Copy with another floor (F# cannot use C#'s <c>with</c>).</summary>
    public EtaSchedule WithMinimum(double minimum) => this with { Minimum = minimum };

    /// <summary>Copy with another kind (F# cannot use C#'s <c>with</c>).</summary>
    public EtaSchedule WithKind(EtaScheduleKind kind) => this with { Kind = kind };

    /// <summary>
    /// <c>eta</c> for the policy step taken at env step <paramref name="envSteps"/>, given the current value
    /// <paramref name="current"/> (which only <c>adaptive</c> uses).
    /// </summary>
    public double At(long envSteps, double current) => Math.Max(Minimum, Kind switch
    {
        EtaScheduleKind.Anneal => Initial * Math.Max(0.0, 1.0 - (double)envSteps / AnnealSteps),
        EtaScheduleKind.Constant => Initial,
        _ => current,
    });

    /// <summary>The value after a step whose measured mean KL was <paramref name="kl"/> (<c>adaptive</c>; the others ignore it).</summary>
    public double Adapt(double current, double kl) =>
        Kind == EtaScheduleKind.Adaptive && double.IsFinite(kl) ? Math.Max(Minimum, current + LearningRate * (kl - TargetKl) / TargetKl) : current;

    /// <summary>Throws a <see cref="TrirlInputException"/> naming the first unusable field.</summary>
    public EtaSchedule Validated(string field = "eta_schedule")
    {
        _ = EnumNames.Name(Kind, "eta_schedule");
        Check.NonNegative(Initial, $"{field}.initial");
        Check.Finite(Initial, $"{field}.initial");
        Check.PositiveInt(AnnealSteps, $"{field}.anneal_steps", "anneal over a positive number of env steps");
        Check.Positive(TargetKl, $"{field}.target_kl");
        Check.Positive(LearningRate, $"{field}.learning_rate");
        Check.NonNegative(Minimum, $"{field}.minimum");
        return this;
    }
}
