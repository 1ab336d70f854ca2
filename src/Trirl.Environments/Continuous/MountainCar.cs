namespace Trirl.Environments;

/// <summary>
/// Constants of <see cref="MountainCar"/>. <see cref="Default"/> is Gymnasium's <c>MountainCarContinuous-v0</c>;
/// <see cref="Shifted"/> the dynamics-shifted twin (a weaker engine).
/// </summary>
/// <param name="Power">Engine power: velocity change per unit of force (0.0015; 0.0012 in the shifted twin).</param>
/// <param name="MinPosition">Left wall (-1.2).</param>
/// <param name="MaxPosition">Right bound (0.6).</param>
/// <param name="MaxSpeed">Speed limit (0.07).</param>
/// <param name="GoalPosition">Goal position (0.45).</param>
/// <param name="GoalVelocity">Smallest velocity that counts at the goal (0).</param>
/// <param name="MaxSteps">Time limit (999).</param>
public sealed record MountainCarParameters(
    double Power, double MinPosition, double MaxPosition, double MaxSpeed, double GoalPosition, double GoalVelocity, int MaxSteps)
{
    /// <summary>Gymnasium's MountainCarContinuous-v0: power 0.0015, positions [-1.2, 0.6], speed 0.07, goal 0.45, 999 steps.</summary>
    public static MountainCarParameters Default { get; } = new(0.0015, -1.2, 0.6, 0.07, 0.45, 0.0, 999);

    /// <summary>The shifted twin: MountainCarContinuous-v0 with power 0.0012.</summary>
    public static MountainCarParameters Shifted { get; } = Default with { Power = 0.0012 };

    /// <summary>Copy with another engine power (F# cannot use C#'s <c>with</c>).</summary>
    public MountainCarParameters WithPower(double power) => this with { Power = power };
}

/// <summary>
/// Gymnasium's <c>MountainCarContinuous-v0</c>, exactly: the state is <c>(x, v)</c>, the action one force. A step from
/// <c>(x, v)</c> with action <c>a</c>:
/// <code>
/// force = clip(a, -1, 1)
/// v'    = clip(v + force * power - 0.0025 cos(3 x), -max_speed, max_speed)
/// x'    = clip(x + v', min_position, max_position);   if x' == min_position and v' &lt; 0 then v' = 0
/// terminated = x' &gt;= goal_position and v' &gt;= goal_velocity
/// reward = (terminated ? 100 : 0) - 0.1 a^2        (a unclipped, as Gymnasium's math.pow(action[0], 2) * 0.1)
/// state  = (x', v') rounded to float32 (Gymnasium stores np.float32); observation = the state as float32
/// </code>
/// The termination test and the reward use the values before the float32 rounding, as Gymnasium does. Truncated after
/// <c>MaxSteps</c> (999) steps. Reset: <c>x ~ U[-0.6, -0.4]</c>, <c>v = 0</c>, kept in float64 until the first step
/// (Gymnasium's reset state is a float64 array). Arithmetic is float64 (NumPy 1.x promotion); NumPy 2 (NEP 50) rounds
/// some intermediates of a float32 state to float32, which can move the result by one float32 rounding.
/// </summary>
public sealed class MountainCar : ContinuousEnv
{
    /// <summary>Reward for reaching the goal.</summary>
    public const double GoalReward = 100.0;

    /// <summary>Coefficient of the action cost <c>0.1 a^2</c>.</summary>
    public const double ActionCost = 0.1;

    /// <summary>Coefficient of the hill term <c>0.0025 cos(3 x)</c>.</summary>
    public const double Hill = 0.0025;

    /// <summary>The mountain car with the given constants, registered under <paramref name="name"/>.</summary>
    public MountainCar(MountainCarParameters parameters, string name = "mountaincar")
        : base(MakeSpec(parameters, name)) => Parameters = parameters;

    /// <summary>The constants.</summary>
    public MountainCarParameters Parameters { get; }

    private static ContinuousEnvSpec MakeSpec(MountainCarParameters p, string name)
    {
        Check.NotNull(p, "parameters");
        Check.Positive(p.Power, nameof(p.Power));
        Check.Finite(p.MinPosition, nameof(p.MinPosition));
        Check.Finite(p.MaxPosition, nameof(p.MaxPosition));
        if (!(p.MinPosition < p.MaxPosition))
            throw new TrirlInputException(nameof(p.MaxPosition), $"must exceed MinPosition ({Check.Format(p.MinPosition)}), got {Check.Format(p.MaxPosition)}", "pass an interval");
        Check.Positive(p.MaxSpeed, nameof(p.MaxSpeed));
        Check.Finite(p.GoalPosition, nameof(p.GoalPosition));
        Check.Finite(p.GoalVelocity, nameof(p.GoalVelocity));
        Check.PositiveInt(p.MaxSteps, nameof(p.MaxSteps));
        return new ContinuousEnvSpec(name, ["position", "velocity"], ["position", "velocity"], [-1f], [1f], p.MaxSteps);
    }

    private protected override void Sample(Rng rng, Span<double> state)
    {
        // Gymnasium: np_random.uniform(low=-0.6, high=-0.4), velocity 0.
        const double low = -0.6, high = -0.4;
        state[0] = low + (high - low) * rng.NextDouble();
        state[1] = 0.0;
    }

    private protected override void Dynamics(double[][] state, float[] actions, double[][] next, double[] rewards, bool[] terminated, double[] info)
    {
        var p = Parameters;
        var xs = state[0];
        var vs = state[1];
        var x1 = next[0];
        var v1 = next[1];
        for (int i = 0; i < rewards.Length; i++)
        {
            double position = xs[i], velocity = vs[i];
            double a = actions[i];
            double force = Math.Min(Math.Max(a, -1.0), 1.0);
            velocity += force * p.Power - Hill * Math.Cos(3 * position);
            if (velocity > p.MaxSpeed) velocity = p.MaxSpeed;
            if (velocity < -p.MaxSpeed) velocity = -p.MaxSpeed;
            position += velocity;
            if (position > p.MaxPosition) position = p.MaxPosition;
            if (position < p.MinPosition) position = p.MinPosition;
            if (position == p.MinPosition && velocity < 0) velocity = 0;
            bool done = position >= p.GoalPosition && velocity >= p.GoalVelocity;
            double reward = done ? GoalReward : 0.0;
            reward -= a * a * ActionCost;
            terminated[i] = done;
            rewards[i] = reward;
            x1[i] = (float)position;
            v1[i] = (float)velocity;
        }
    }

    private protected override void ObserveInto(double[][] state, float[] observations)
    {
        var xs = state[0];
        var vs = state[1];
        for (int i = 0; i < xs.Length; i++)
        {
            observations[2 * i] = (float)xs[i];
            observations[2 * i + 1] = (float)vs[i];
        }
    }
}
