namespace Trirl.Deep;

/// <summary>The imitation algorithms of one step function (math note, section 8), plus behaviour cloning.</summary>
public enum ImitationMethod
{
    /// <summary>TRIRL: a buffer of discriminators with the corrected weights and a KL-regularised PPO step.</summary>
    Trirl,

    /// <summary>GAIL: <c>eps = 1</c> (the latest discriminator only), no correction, a plain PPO step.</summary>
    Gail,

    /// <summary>AIRL: a reward/shaping discriminator <c>f = g(s) + gamma h(s') - h(s)</c>; the learned reward is <c>g</c>.</summary>
    Airl,

    /// <summary>Behaviour cloning: maximum likelihood of the expert's actions (no environment interaction).</summary>
    Bc,
}

/// <summary>
/// Parses <see cref="ImitationMethod"/> names as the <c>--algo</c> flag spells them (<see cref="EnumNames.Name{TEnum}"/>
/// prints them: <c>trirl</c>, <c>gail</c>, <c>airl</c> or <c>bc</c>).
/// </summary>
public static class ImitationMethods
{
    /// <summary>The method named <paramref name="name"/> (case-insensitive).</summary>
    public static ImitationMethod Parse(string name, string field = "algo") => EnumNames.Parse<ImitationMethod>(name, field, "algorithm");
}
