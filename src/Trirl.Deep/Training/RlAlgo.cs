namespace Trirl.Deep;

/// <summary>The RL learners: <c>ppo</c> and <c>sac</c>.</summary>
public static class RlAlgo
{
    /// <summary>Proximal policy optimisation (on-policy, <see cref="PpoSettings"/>).</summary>
    public const string Ppo = "ppo";

    /// <summary>Soft actor-critic (off-policy, <see cref="SacSettings"/>).</summary>
    public const string Sac = "sac";

    /// <summary>The algorithm named <paramref name="name"/> (case-insensitive), normalised to lower case.</summary>
    public static string Parse(string name, string field = "algo") => (name ?? "").Trim().ToLowerInvariant() switch
    {
        Ppo => Ppo,
        Sac => Sac,
        _ => throw new TrirlInputException(field, string.IsNullOrWhiteSpace(name) ? "is empty" : $"unknown algorithm '{name}'", "use ppo or sac"),
    };
}

/// <summary>
/// Named settings bundles: <c>default</c> (fast on a CPU), <c>paper</c> (the reference implementation's defaults and
/// the paper's 512 LayerNorm-256-128 ELU networks), <c>tiny</c> (tiny networks and budgets for tests and smoke
/// runs; it learns little), <c>locomotion</c> (the MuJoCo tasks) and <c>halfcheetah</c> (locomotion with the
/// halfcheetah experts' own PPO settings).
/// </summary>
public static class RlPreset
{
    /// <summary>The CPU-friendly default.</summary>
    public const string Default = "default";

    /// <summary>The paper's networks and the reference defaults.</summary>
    public const string Paper = "paper";

    /// <summary>Tiny networks and budgets (tests, smoke runs).</summary>
    public const string Tiny = "tiny";

    /// <summary>Settings for the MuJoCo locomotion tasks (normalised observations and rewards, clipped actions).</summary>
    public const string Locomotion = "locomotion";

    /// <summary>
    /// The locomotion settings with rl-baselines3-zoo's HalfCheetah PPO (<see cref="PpoSettings.HalfCheetah"/>): the
    /// settings the shipped halfcheetah experts were trained with, for halfcheetah and its twins.
    /// </summary>
    public const string HalfCheetah = "halfcheetah";

    /// <summary>The preset named <paramref name="name"/> (case-insensitive), normalised to lower case.</summary>
    public static string Parse(string name, string field = "preset") => (name ?? "").Trim().ToLowerInvariant() switch
    {
        Default => Default,
        Paper => Paper,
        Tiny => Tiny,
        Locomotion => Locomotion,
        HalfCheetah => HalfCheetah,
        _ => throw new TrirlInputException(field, string.IsNullOrWhiteSpace(name) ? "is empty" : $"unknown preset '{name}'", "use default, paper, tiny, locomotion or halfcheetah"),
    };

    /// <summary>The settings of <paramref name="algo"/> under <paramref name="preset"/>.</summary>
    public static LearnerSettings Settings(string algo, string preset) => RlAlgo.Parse(algo, "algo") switch
    {
        RlAlgo.Ppo => PpoSettings.Preset(preset),
        _ => SacSettings.Preset(preset),
    };
}
