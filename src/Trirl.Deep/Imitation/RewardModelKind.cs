namespace Trirl.Deep;

/// <summary>How a TRIRL run represents its corrected reward <c>r = sum_k w_k D_k</c> (math note, section 9).</summary>
public enum RewardModelKind
{
    /// <summary>The last <c>K</c> discriminators with the corrected weights, evaluated exactly (cost grows with <c>K</c>).</summary>
    Buffer,

    /// <summary>One reward network regressed each iteration on the buffer's output (the reference's approximator).</summary>
    Compressed,

    /// <summary>
    /// One reward network regressed each iteration on <c>(1 - eps_tr) r_prev + eps_tr * D_new</c>: constant cost per
    /// iteration, no discriminator dropped.
    /// </summary>
    Recursive,
}

/// <summary>
/// Parses <see cref="RewardModelKind"/> names (<see cref="EnumNames.Name{TEnum}"/> prints them: <c>buffer</c>,
/// <c>compressed</c> or <c>recursive</c>).
/// </summary>
public static class RewardModels
{
    /// <summary>The kind named <paramref name="name"/> (case-insensitive).</summary>
    public static RewardModelKind Parse(string name, string field = "reward_model") => EnumNames.Parse<RewardModelKind>(name, field, "reward model");
}
