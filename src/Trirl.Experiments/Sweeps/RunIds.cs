using System.Security.Cryptography;
using System.Text;

namespace Trirl.Experiments;

/// <summary>
/// Stable run ids: a readable prefix and a hash of the canonical flag list, e.g. <c>gridworld-5_trirl_s0_3f9a1c2e</c>.
/// The prefix is the env, the algo, the other plain grid axes as <c>name value</c> and the seed as <c>s value</c>, each with
/// characters other than letters, digits, '.', '+' and '-' replaced by '-' (at most 64 characters). The hash is the
/// first 8 hex digits of SHA-256 over <c>command</c> and the flags sorted by name, one <c>name=value</c> a line: the
/// same flags give the same id whatever their order in the spec, and any other flag value gives another id.
/// </summary>
public static class RunIds
{
    /// <summary>Longest readable prefix.</summary>
    public const int MaxPrefixLength = 64;

    /// <summary>
    /// The id of a run of <paramref name="command"/> with <paramref name="flags"/>; <paramref name="prefixNames"/> are the
    /// swept flags the readable prefix names besides env, algo and seed (the plain axes).
    /// </summary>
    public static string Of(string command, IReadOnlyList<SweepFlag> flags, IReadOnlyList<string> prefixNames)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(prefixNames);
        string? Value(string name) => flags.FirstOrDefault(f => f.Name == name)?.Value;
        var parts = new List<string>();
        if (Value("env") is { } env) parts.Add(env);
        if (Value("algo") is { } algo) parts.Add(algo);
        foreach (var name in prefixNames)
            if (name is not ("env" or "algo" or "seed") && Value(name) is { } v) parts.Add(name + v);
        if (Value("seed") is { } seed) parts.Add("s" + seed);
        string prefix = string.Join('_', parts.Select(Sanitize).Where(p => p.Length > 0));
        if (prefix.Length > MaxPrefixLength) prefix = prefix[..MaxPrefixLength].TrimEnd('-', '_');
        string hash = Hash(command, flags);
        return prefix.Length == 0 ? hash : $"{prefix}_{hash}";
    }

    /// <summary>The canonical text the hash is taken of: the command, then <c>name=value</c> lines sorted by name.</summary>
    public static string Canonical(string command, IReadOnlyList<SweepFlag> flags)
    {
        var sb = new StringBuilder().Append("command=").Append(command).Append('\n');
        foreach (var f in flags.OrderBy(f => f.Name, StringComparer.Ordinal)) sb.Append(f.Name).Append('=').Append(f.Value).Append('\n');
        return sb.ToString();
    }

    private static string Hash(string command, IReadOnlyList<SweepFlag> flags) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(command, flags))))[..8];

    private static string Sanitize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            char d = char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-' ? c : '-';
            if (d == '-' && sb.Length > 0 && sb[^1] == '-') continue;
            sb.Append(d);
        }
        return sb.ToString().Trim('-');
    }
}
