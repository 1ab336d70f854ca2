namespace Trirl.Environments;

/// <summary>
/// Gymnasium's <c>HalfCheetah-v4</c> on MuJoCo 2.2.2 (<see cref="LocomotionEnv"/> gives the step): a planar cheetah,
/// 6 torque controls in [-1, 1], frame skip 5 (dt = 0.05 s). Observation (17): <c>qpos[1..8]</c> and <c>qvel</c>
/// (not clipped). Reward <c>v_x - 0.1 sum a^2</c>; never terminates. Reset noise <c>U(-0.1, 0.1)</c> on positions,
/// <c>0.1 N(0, 1)</c> on velocities. The twins <c>halfcheetah-mars</c> and <c>halfcheetah-wind</c> change its gravity
/// and its medium (<see cref="LocomotionShift"/>).
/// </summary>
public sealed class HalfCheetah : LocomotionEnv
{
    private static readonly ImmutableArray<string> Joints =
        ["rootx", "rootz", "rooty", "bthigh", "bshin", "bfoot", "fthigh", "fshin", "ffoot"];

    /// <summary>The cheetah with <paramref name="parameters"/> (default Gymnasium's), registered as <paramref name="name"/>.</summary>
    public HalfCheetah(LocomotionParameters? parameters = null, string name = "halfcheetah")
        : base(name, parameters ?? LocomotionParameters.HalfCheetah, Joints)
    {
    }

    private protected override double VelocityNoise(Rng rng, double scale) => scale * rng.NextGaussian();

    private protected override bool IsHealthy(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel) => true;

    private protected override void Observe(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel, Span<float> observation) =>
        Planar.Observe(qpos, qvel, double.PositiveInfinity, observation);
}
