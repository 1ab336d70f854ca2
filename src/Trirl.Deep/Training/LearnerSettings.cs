using System.Text.Json.Serialization;

namespace Trirl.Deep;

/// <summary>
/// The settings of one learner: <see cref="PpoSettings"/>, <see cref="SacSettings"/> or <see cref="ImitationSettings"/>.
/// Serialised in checkpoints and <c>summary.json</c> with an <c>algo</c> discriminator (<c>imitation</c> for the
/// last, whose <c>method</c> names the algorithm).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "algo")]
[JsonDerivedType(typeof(PpoSettings), RlAlgo.Ppo)]
[JsonDerivedType(typeof(SacSettings), RlAlgo.Sac)]
[JsonDerivedType(typeof(ImitationSettings), "imitation")]
public abstract record LearnerSettings
{
    private protected LearnerSettings()
    {
    }

    /// <summary>The algorithm: PPO or SAC, or an imitation method (trirl, gail, airl, bc).</summary>
    [JsonIgnore]
    public abstract DeepAlgorithm Algorithm { get; }

    /// <summary>The algorithm's name: <c>ppo</c> or <c>sac</c>, or an imitation method (<c>trirl</c>, <c>gail</c>, <c>airl</c>, <c>bc</c>).</summary>
    [JsonIgnore]
    public string Algo => EnumNames.Name(Algorithm);

    /// <summary>Number of environment copies stepped together.</summary>
    [JsonIgnore]
    public abstract int VectorSize { get; }

    /// <summary>Environment steps per metrics row (PPO: one iteration; SAC: the log interval).</summary>
    [JsonIgnore]
    public abstract int RowInterval { get; }

    /// <summary>Throws a <see cref="Trirl.Functional.TrirlInputException"/> naming the first unusable field.</summary>
    public abstract LearnerSettings Validated();
}
