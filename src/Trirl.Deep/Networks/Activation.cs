namespace Trirl.Deep;

/// <summary>Hidden-layer nonlinearity of an <see cref="MlpSpec"/>.</summary>
public enum Activation
{
    /// <summary>ELU (the paper's networks).</summary>
    Elu,

    /// <summary>tanh (PPO's classic small networks).</summary>
    Tanh,

    /// <summary>ReLU (SAC's classic networks).</summary>
    Relu,
}

/// <summary>
/// Parses <see cref="Activation"/> names as written in settings and reports (<see cref="EnumNames.Name{TEnum}"/> prints
/// them: <c>elu</c>, <c>tanh</c> or <c>relu</c>).
/// </summary>
public static class Activations
{
    /// <summary>The activation called <paramref name="name"/> (case-insensitive).</summary>
    public static Activation Parse(string name, string field = "activation") => EnumNames.Parse<Activation>(name, field, "activation");
}
