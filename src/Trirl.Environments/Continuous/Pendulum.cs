namespace Trirl.Environments;

/// <summary>
/// Physical constants of <see cref="Pendulum"/>. <see cref="Default"/> is Gymnasium's <c>Pendulum-v1</c>;
/// <see cref="Shifted"/> the dynamics-shifted twin (a heavier bob).
/// </summary>
/// <param name="Gravity">Gravity <c>g</c> (10 in Pendulum-v1).</param>
/// <param name="Mass">Mass <c>m</c> of the bob (1; 1.3 in the shifted twin).</param>
/// <param name="Length">Length <c>l</c> of the rod (1).</param>
/// <param name="Dt">Time step <c>dt</c> (0.05).</param>
/// <param name="MaxSpeed">Angular velocity limit (8).</param>
/// <param name="MaxTorque">Torque limit, the action box is <c>[-MaxTorque, MaxTorque]</c> (2).</param>
/// <param name="MaxSteps">Time limit (200).</param>
public sealed record PendulumParameters(double Gravity, double Mass, double Length, double Dt, double MaxSpeed, double MaxTorque, int MaxSteps)
{
    /// <summary>Gymnasium's Pendulum-v1: <c>g = 10, m = 1, l = 1, dt = 0.05</c>, max speed 8, max torque 2, 200 steps.</summary>
    public static PendulumParameters Default { get; } = new(10.0, 1.0, 1.0, 0.05, 8.0, 2.0, 200);

    /// <summary>The shifted twin: Pendulum-v1 with mass 1.3.</summary>
    public static PendulumParameters Shifted { get; } = Default with { Mass = 1.3 };

    /// <summary>Copy with another mass (F# cannot use C#'s <c>with</c>).</summary>
    public PendulumParameters WithMass(double mass) => this with { Mass = mass };
}

/// <summary>
/// Gymnasium's <c>Pendulum-v1</c>, exactly: the state is <c>(theta, thetadot)</c> in float64 (<c>theta = 0</c> upright,
/// never wrapped), the action one torque. A step from <c>(th, thdot)</c> with action <c>a</c>:
/// <code>
/// u       = clip(a, -max_torque, max_torque)
/// cost    = angle_normalize(th)^2 + 0.1 thdot^2 + 0.001 u^2        (from the state BEFORE the update)
/// thdot'  = clip(thdot + (3 g / (2 l) sin(th) + 3 / (m l^2) u) dt, -max_speed, max_speed)
/// th'     = th + thdot' dt
/// reward  = -cost;  observation = (cos th', sin th', thdot') as float32
/// </code>
/// with <c>angle_normalize(x) = ((x + pi) mod 2 pi) - pi</c> and Python's modulo (the result takes the sign of
/// <c>2 pi</c>). Never terminated; truncated after <c>MaxSteps</c> (200) steps. Reset: <c>th ~ U[-pi, pi]</c>,
/// <c>thdot ~ U[-1, 1]</c>. Arithmetic is float64 from the float32 action, as Gymnasium does for a float64 action (for
/// a float32 action NumPy 2 evaluates the torque terms in float32, which moves them by at most one float32 rounding).
/// </summary>
public sealed class Pendulum : ContinuousEnv
{
    /// <summary>The pendulum with the given constants, registered under <paramref name="name"/>.</summary>
    public Pendulum(PendulumParameters parameters, string name = "pendulum")
        : base(MakeSpec(parameters, name)) => Parameters = parameters;

    /// <summary>The physical constants.</summary>
    public PendulumParameters Parameters { get; }

    private static ContinuousEnvSpec MakeSpec(PendulumParameters p, string name)
    {
        Check.NotNull(p, "parameters");
        Check.Positive(p.Gravity, nameof(p.Gravity));
        Check.Positive(p.Mass, nameof(p.Mass));
        Check.Positive(p.Length, nameof(p.Length));
        Check.Positive(p.Dt, nameof(p.Dt));
        Check.Positive(p.MaxSpeed, nameof(p.MaxSpeed));
        Check.Positive(p.MaxTorque, nameof(p.MaxTorque));
        Check.PositiveInt(p.MaxSteps, nameof(p.MaxSteps));
        return new ContinuousEnvSpec(name, ["theta", "thetadot"], ["cos_theta", "sin_theta", "thetadot"],
            [(float)-p.MaxTorque], [(float)p.MaxTorque], p.MaxSteps);
    }

    /// <summary><c>((x + pi) mod 2 pi) - pi</c> with Python's (and NumPy's) floating-point modulo: the remainder takes the sign of the divisor.</summary>
    public static double AngleNormalize(double x) => PythonMod(x + Math.PI, 2 * Math.PI) - Math.PI;

    /// <summary>Python's float <c>a % b</c>: <c>fmod</c>, shifted by <c>b</c> when the signs differ; a zero result takes the sign of <c>b</c>.</summary>
    internal static double PythonMod(double a, double b)
    {
        double mod = a % b;
        if (mod != 0)
        {
            if ((b < 0) != (mod < 0)) mod += b;
        }
        else
        {
            mod = Math.CopySign(0.0, b);
        }
        return mod;
    }

    private protected override void Sample(Rng rng, Span<double> state)
    {
        // Gymnasium: np_random.uniform(low=-high, high=high) with high = (pi, 1), one draw per component in order.
        state[0] = -Math.PI + (Math.PI - -Math.PI) * rng.NextDouble();
        state[1] = -1.0 + (1.0 - -1.0) * rng.NextDouble();
    }

    private protected override void Dynamics(double[][] state, float[] actions, double[][] next, double[] rewards, bool[] terminated, double[] info)
    {
        var p = Parameters;
        double g = p.Gravity, m = p.Mass, l = p.Length, dt = p.Dt;
        var th = state[0];
        var thdot = state[1];
        var th1 = next[0];
        var thdot1 = next[1];
        for (int i = 0; i < rewards.Length; i++)
        {
            double t = th[i], w = thdot[i];
            double u = Math.Clamp((double)actions[i], -p.MaxTorque, p.MaxTorque);
            double n = AngleNormalize(t);
            double cost = n * n + 0.1 * (w * w) + 0.001 * (u * u);
            double w1 = w + (3 * g / (2 * l) * Math.Sin(t) + 3.0 / (m * (l * l)) * u) * dt;
            w1 = Math.Clamp(w1, -p.MaxSpeed, p.MaxSpeed);
            th1[i] = t + w1 * dt;
            thdot1[i] = w1;
            rewards[i] = -cost;
            terminated[i] = false;
        }
    }

    private protected override void ObserveInto(double[][] state, float[] observations)
    {
        var th = state[0];
        var thdot = state[1];
        for (int i = 0; i < th.Length; i++)
        {
            observations[3 * i] = (float)Math.Cos(th[i]);
            observations[3 * i + 1] = (float)Math.Sin(th[i]);
            observations[3 * i + 2] = (float)thdot[i];
        }
    }
}
