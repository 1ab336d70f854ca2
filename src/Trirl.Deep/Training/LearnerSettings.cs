using System.Text.Json.Serialization;

namespace Trirl.Deep;

/// <summary>
/// The settings of one learner: <see cref="PpoSettings"/> or <see cref="SacSettings"/>. Serialised in checkpoints and
/// <c>summary.json</c> with an <c>algo</c> discriminator.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "algo")]
[JsonDerivedType(typeof(PpoSettings), RlAlgo.Ppo)]
[JsonDerivedType(typeof(SacSettings), RlAlgo.Sac)]
public abstract record LearnerSettings
{
    private protected LearnerSettings()
    {
    }

    /// <summary>The algorithm: <c>ppo</c> or <c>sac</c>.</summary>
    [JsonIgnore]
    public abstract string Algo { get; }

    /// <summary>Number of environment copies stepped together.</summary>
    [JsonIgnore]
    public abstract int VectorSize { get; }

    /// <summary>Environment steps per metrics row (PPO: one iteration; SAC: the log interval).</summary>
    [JsonIgnore]
    public abstract int RowInterval { get; }

    /// <summary>Throws a <see cref="Trirl.Functional.TrirlInputException"/> naming the first unusable field.</summary>
    public abstract LearnerSettings Validated();
}
