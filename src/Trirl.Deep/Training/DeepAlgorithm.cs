namespace Trirl.Deep;

/// <summary>The learners of a deep run: RL on a reward (<see cref="Ppo"/>, <see cref="Sac"/>) and imitation (the rest).</summary>
public enum DeepAlgorithm
{
    /// <summary>Proximal policy optimisation (<see cref="PpoSettings"/>).</summary>
    Ppo,

    /// <summary>Soft actor-critic (<see cref="SacSettings"/>).</summary>
    Sac,

    /// <summary>TRIRL (<see cref="ImitationMethod.Trirl"/>).</summary>
    Trirl,

    /// <summary>GAIL (<see cref="ImitationMethod.Gail"/>).</summary>
    Gail,

    /// <summary>AIRL (<see cref="ImitationMethod.Airl"/>).</summary>
    Airl,

    /// <summary>Behaviour cloning (<see cref="ImitationMethod.Bc"/>).</summary>
    Bc,
}

/// <summary>
/// The one place an algorithm's name is parsed (<see cref="EnumNames.Name{TEnum}"/> prints them: <c>ppo</c>, <c>sac</c>,
/// <c>trirl</c>, <c>gail</c>, <c>airl</c>, <c>bc</c>), and the imitation algorithms' methods.
/// </summary>
public static class DeepAlgorithms
{
    /// <summary>The algorithm named <paramref name="name"/> (case-insensitive).</summary>
    public static DeepAlgorithm Parse(string name, string field = "algo") => EnumNames.Parse<DeepAlgorithm>(name, field, "algorithm");

    /// <summary>Whether <paramref name="algorithm"/> learns from demonstrations (trirl, gail, airl, bc).</summary>
    public static bool IsImitation(DeepAlgorithm algorithm) => algorithm is not (DeepAlgorithm.Ppo or DeepAlgorithm.Sac);

    /// <summary>The imitation method of an imitation algorithm.</summary>
    public static ImitationMethod Method(DeepAlgorithm algorithm) => algorithm switch
    {
        DeepAlgorithm.Trirl => ImitationMethod.Trirl,
        DeepAlgorithm.Gail => ImitationMethod.Gail,
        DeepAlgorithm.Airl => ImitationMethod.Airl,
        DeepAlgorithm.Bc => ImitationMethod.Bc,
        _ => throw new TrirlInputException("algo", $"{EnumNames.Name(algorithm)} is an RL algorithm, not an imitation method", "use trirl, gail, airl or bc"),
    };

    /// <summary>The algorithm of an imitation method.</summary>
    public static DeepAlgorithm Of(ImitationMethod method) => method switch
    {
        ImitationMethod.Trirl => DeepAlgorithm.Trirl,
        ImitationMethod.Gail => DeepAlgorithm.Gail,
        ImitationMethod.Airl => DeepAlgorithm.Airl,
        _ => DeepAlgorithm.Bc,
    };
}

/// <summary>The named settings bundles of <see cref="RlPreset"/>, as a type.</summary>
public enum DeepPreset
{
    /// <summary>Fast on a CPU.</summary>
    Default,

    /// <summary>The paper's networks and the reference defaults.</summary>
    Paper,

    /// <summary>Tiny networks and budgets (tests, smoke runs).</summary>
    Tiny,

    /// <summary>PPO for the MuJoCo locomotion tasks.</summary>
    Locomotion,

    /// <summary>The locomotion preset with rl-baselines3-zoo's HalfCheetah PPO (the halfcheetah experts' settings).</summary>
    HalfCheetah,
}

/// <summary>
/// Parses <see cref="DeepPreset"/> names (<see cref="EnumNames.Name{TEnum}"/> prints them: <c>default</c>, <c>paper</c>,
/// <c>tiny</c>, <c>locomotion</c>, <c>halfcheetah</c>), and the learner settings of each algorithm under each.
/// </summary>
public static class DeepPresets
{
    /// <summary>The preset named <paramref name="name"/> (case-insensitive).</summary>
    public static DeepPreset Parse(string name, string field = "preset") => RlPreset.Parse(name, field) switch
    {
        RlPreset.Paper => DeepPreset.Paper,
        RlPreset.Tiny => DeepPreset.Tiny,
        RlPreset.Locomotion => DeepPreset.Locomotion,
        RlPreset.HalfCheetah => DeepPreset.HalfCheetah,
        _ => DeepPreset.Default,
    };

    /// <summary>The learner settings of <paramref name="algorithm"/> under <paramref name="preset"/> (imitation: the shipped demonstrations' label left empty).</summary>
    public static LearnerSettings Learner(DeepAlgorithm algorithm, DeepPreset preset) => algorithm switch
    {
        DeepAlgorithm.Ppo => PpoSettings.Preset(EnumNames.Name(preset)),
        DeepAlgorithm.Sac => SacSettings.Preset(EnumNames.Name(preset)),
        _ => ImitationSettings.Preset(DeepAlgorithms.Method(algorithm), EnumNames.Name(preset)),
    };
}
