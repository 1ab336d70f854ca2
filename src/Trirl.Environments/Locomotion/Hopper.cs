namespace Trirl.Environments;

/// <summary>
/// Gymnasium's <c>Hopper-v4</c> on MuJoCo 2.2.2 (<see cref="LocomotionEnv"/> gives the step): a one-legged hopper in
/// the plane, 3 torque controls in [-1, 1], frame skip 4 (dt = 0.008 s). Observation (11): <c>qpos[1..5]</c>
/// (height, pitch, thigh, leg, foot angles) and <c>clip(qvel, -10, 10)</c>. Healthy:
/// every entry of <c>(qpos, qvel)[2..]</c> in (-100, 100), <c>z = qpos[1]</c> in (0.7, inf), pitch <c>qpos[2]</c> in
/// (-0.2, 0.2). Reset noise <c>U(-0.005, 0.005)</c> on positions and velocities.
/// </summary>
public sealed class Hopper : LocomotionEnv
{
    private static readonly ImmutableArray<string> Joints = ["rootx", "rootz", "rooty", "thigh", "leg", "foot"];

    /// <summary>The hopper with <paramref name="parameters"/> (default Gymnasium's), registered as <paramref name="name"/>.</summary>
    public Hopper(LocomotionParameters? parameters = null, string name = "hopper")
        : base(name, parameters ?? LocomotionParameters.Hopper, Joints)
    {
    }

    private protected override double VelocityNoise(Rng rng, double scale) => -scale + 2 * scale * rng.NextDouble();

    private protected override bool IsHealthy(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel)
    {
        var p = Parameters;
        for (int j = 2; j < qpos.Length; j++)
            if (!p.HealthyStateRange.ContainsOpen(qpos[j])) return false;
        for (int j = 0; j < qvel.Length; j++)
            if (!p.HealthyStateRange.ContainsOpen(qvel[j])) return false;
        return p.HealthyZRange.ContainsOpen(qpos[1]) && p.HealthyAngleRange.ContainsOpen(qpos[2]);
    }

    private protected override void Observe(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel, Span<float> observation) =>
        Planar.Observe(qpos, qvel, 10.0, observation);
}

/// <summary>The observation of the planar walkers: <c>qpos[1..]</c>, then <c>qvel</c> clipped to <c>[-clip, clip]</c>, as float32.</summary>
internal static class Planar
{
    public static void Observe(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel, double clip, Span<float> observation)
    {
        int k = 0;
        for (int j = 1; j < qpos.Length; j++) observation[k++] = (float)qpos[j];
        for (int j = 0; j < qvel.Length; j++) observation[k++] = (float)Math.Clamp(qvel[j], -clip, clip);
    }
}
