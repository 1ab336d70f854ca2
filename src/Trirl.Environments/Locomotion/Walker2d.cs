namespace Trirl.Environments;

/// <summary>
/// Gymnasium's <c>Walker2d-v4</c> on MuJoCo 2.2.2 (<see cref="LocomotionEnv"/> gives the step): a two-legged walker in
/// the plane, 6 torque controls in [-1, 1], frame skip 4 (dt = 0.008 s). Observation (17): <c>qpos[1..8]</c> and
/// <c>clip(qvel, -10, 10)</c>. Healthy: <c>z = qpos[1]</c> in (0.8, 2) and pitch <c>qpos[2]</c> in (-1, 1). Reset
/// noise <c>U(-0.005, 0.005)</c> on positions and velocities.
/// </summary>
public sealed class Walker2d : LocomotionEnv
{
    private static readonly ImmutableArray<string> Joints =
        ["rootx", "rootz", "rooty", "thigh", "leg", "foot", "thigh_left", "leg_left", "foot_left"];

    /// <summary>The walker with <paramref name="parameters"/> (default Gymnasium's), registered as <paramref name="name"/>.</summary>
    public Walker2d(LocomotionParameters? parameters = null, string name = "walker2d")
        : base(name, parameters ?? LocomotionParameters.Walker2d, Joints)
    {
    }

    private protected override double VelocityNoise(Rng rng, double scale) => -scale + 2 * scale * rng.NextDouble();

    private protected override bool IsHealthy(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel) =>
        Parameters.HealthyZRange.ContainsOpen(qpos[1]) && Parameters.HealthyAngleRange.ContainsOpen(qpos[2]);

    private protected override void Observe(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel, Span<float> observation) =>
        Planar.Observe(qpos, qvel, 10.0, observation);
}
