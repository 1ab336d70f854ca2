using System.Text.Json;

namespace Trirl.Functional;

/// <summary>A learned reward with what produced it, as stored in <c>reward.json</c>.</summary>
/// <param name="Mdp">Name of the MDP it was learned on.</param>
/// <param name="Algorithm">The algorithm (trirl, mce, adversarial).</param>
/// <param name="Beta">The <c>beta</c> of the run.</param>
/// <param name="Iteration">The iteration whose reward this is.</param>
/// <param name="Reward">The reward <c>r(s,a)</c>.</param>
public sealed record LearnedReward(string Mdp, string Algorithm, double Beta, int Iteration, StateActionTable Reward);

/// <summary>
/// JSON form of a learned reward:
/// <code>{"mdp": str, "algorithm": str, "beta": float, "iteration": int, "states": S, "actions": A, "reward": [s][a]}</code>
/// </summary>
public static class RewardJson
{
    /// <summary>The reward as JSON text (doubles in round-trip precision).</summary>
    public static string Serialize(LearnedReward reward)
    {
        return JsonText.Object(w =>
        {
            w.WriteString("mdp", reward.Mdp);
            w.WriteString("algorithm", reward.Algorithm);
            w.WriteNumber("beta", reward.Beta);
            w.WriteNumber("iteration", reward.Iteration);
            w.WriteNumber("states", reward.Reward.States);
            w.WriteNumber("actions", reward.Reward.Actions);
            MdpJson.WriteTable(w, "reward", reward.Reward);
        });
    }

    /// <summary>Parses a learned reward; errors name the JSON field.</summary>
    public static LearnedReward Parse(string json) =>
        MdpJson.ReadObject(json, "write a reward.json as produced by trirl tabular", root =>
        {
            var rows = MdpJson.Array(MdpJson.Required(root, "reward"), "reward")
                .Select((row, s) => (IReadOnlyList<double>)MdpJson.Array(row, $"reward[{s}]").Select((e, a) => MdpJson.Number(e, $"reward[{s}][{a}]")).ToArray())
                .ToArray();
            var table = StateActionTable.FromRows(rows, "reward");
            for (int s = 0; s < rows.Length; s++)
                for (int a = 0; a < rows[s].Count; a++)
                    if (!double.IsFinite(rows[s][a]))
                        throw new TrirlInputException($"reward[{s}][{a}]", $"is {Check.Format(rows[s][a])}", "use finite rewards");
            if (root.TryGetProperty("states", out var st) && Count(st, "states") != table.States)
                throw new TrirlInputException("states", $"says {Count(st, "states")} but reward has {table.States} rows", "make states match the reward table");
            if (root.TryGetProperty("actions", out var ac) && Count(ac, "actions") != table.Actions)
                throw new TrirlInputException("actions", $"says {Count(ac, "actions")} but reward rows have {table.Actions} entries", "make actions match the reward table");
            string Text(string p) => root.TryGetProperty(p, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
            double beta = root.TryGetProperty("beta", out var b) ? MdpJson.Number(b, "beta") : double.NaN;
            int iteration = root.TryGetProperty("iteration", out var it) ? Count(it, "iteration") : 0;
            return new LearnedReward(Text("mdp"), Text("algorithm"), beta, iteration, table);
        });

    /// <summary>A non-negative integer field (a count or an index).</summary>
    private static int Count(JsonElement e, string path)
    {
        double x = MdpJson.Number(e, path);
        if (x < 0 || x != Math.Floor(x) || x > int.MaxValue)
            throw new TrirlInputException(path, $"is {Check.Format(x)}, not a non-negative integer", "write a whole number");
        return (int)x;
    }

    /// <summary>Reads and parses a reward file.</summary>
    public static LearnedReward Load(string path)
    {
        if (!File.Exists(path)) throw new TrirlInputException(path, "does not exist", "pass the path of a reward.json");
        return Parse(File.ReadAllText(path));
    }
}
