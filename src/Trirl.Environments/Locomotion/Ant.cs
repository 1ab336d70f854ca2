using Trirl.MuJoCo;

namespace Trirl.Environments;

/// <summary>
/// Gymnasium's <c>Ant-v4</c> with its default <c>use_contact_forces=False</c>, on MuJoCo 2.2.2
/// (<see cref="LocomotionEnv"/> gives the step): a four-legged ant on a free joint, 8 torque controls in [-1, 1],
/// frame skip 5 (dt = 0.05 s). Observation (27): <c>qpos[2..14]</c> (height, orientation quaternion, 8 joint angles)
/// and <c>qvel</c>. Reward <c>v_x + 1 - 0.5 sum a^2</c>, with <c>v_x</c> from the torso position MuJoCo computed
/// last (Gymnasium's <c>get_body_com("torso")</c>: the position at the start of the last integration stage, carried
/// in the state as <c>torso_x</c>, <c>torso_y</c>). Healthy: every state entry finite and <c>z = qpos[2]</c> in
/// [0.2, 1]. Reset noise <c>U(-0.1, 0.1)</c> on positions (the quaternion included, as Gymnasium), <c>0.1 N(0, 1)</c>
/// on velocities. Info: <c>x_position</c>, <c>x_velocity</c>, <c>y_position</c>, <c>y_velocity</c>. The twin
/// <c>ant-disabled</c> has shortened, switched-off front legs.
/// </summary>
public sealed class Ant : LocomotionEnv
{
    private static readonly ImmutableArray<string> Legs = ["hip_1", "ankle_1", "hip_2", "ankle_2", "hip_3", "ankle_3", "hip_4", "ankle_4"];
    private static readonly ImmutableArray<string> Positions = ["x", "y", "z", "qw", "qx", "qy", "qz", .. Legs];
    private static readonly ImmutableArray<string> Velocities = ["vx", "vy", "vz", "wx", "wy", "wz", .. Legs];
    private readonly int torso;

    /// <summary>The ant with <paramref name="parameters"/> (default Gymnasium's), registered as <paramref name="name"/>.</summary>
    public Ant(LocomotionParameters? parameters = null, string name = "ant")
        : base(name, parameters ?? LocomotionParameters.Ant, Positions, Velocities, ["torso_x", "torso_y"],
            [.. Positions.Skip(2), .. Velocities.Select(j => "v_" + j)], ["x_position", "x_velocity", "y_position", "y_velocity"]) =>
        torso = Model.BodyId("torso");

    private protected override double VelocityNoise(Rng rng, double scale) => scale * rng.NextGaussian();

    private protected override void ReadExtra(MjData data, Span<double> extra)
    {
        var xpos = data.Xpos;
        extra[0] = xpos[3 * torso];
        extra[1] = xpos[3 * torso + 1];
    }

    private protected override (double X, double Y) Position(ReadOnlySpan<double> qpos, ReadOnlySpan<double> extra) => (extra[0], extra[1]);

    private protected override bool IsHealthy(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel)
    {
        foreach (var v in qpos) if (!double.IsFinite(v)) return false;
        foreach (var v in qvel) if (!double.IsFinite(v)) return false;
        return Parameters.HealthyZRange.ContainsClosed(qpos[2]);
    }

    private protected override void Observe(ReadOnlySpan<double> qpos, ReadOnlySpan<double> qvel, Span<float> observation)
    {
        int k = 0;
        for (int j = 2; j < qpos.Length; j++) observation[k++] = (float)qpos[j];
        for (int j = 0; j < qvel.Length; j++) observation[k++] = (float)qvel[j];
    }

    private protected override void Info((double X, double Y) after, (double X, double Y) velocity, Span<double> info)
    {
        info[0] = after.X;
        info[1] = velocity.X;
        info[2] = after.Y;
        info[3] = velocity.Y;
    }
}
