using System.Text;
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
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("mdp", reward.Mdp);
            w.WriteString("algorithm", reward.Algorithm);
            w.WriteNumber("beta", reward.Beta);
            w.WriteNumber("iteration", reward.Iteration);
            w.WriteNumber("states", reward.Reward.States);
            w.WriteNumber("actions", reward.Reward.Actions);
            MdpJson.WriteTable(w, "reward", reward.Reward);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses a learned reward; errors name the JSON field.</summary>
    public static LearnedReward Parse(string json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException ex) { throw new TrirlInputException("json", $"is not valid JSON ({ex.Message})", "fix the syntax of the file"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new TrirlInputException("json", "top level is not an object", "write a reward.json as produced by trirl tabular");
            var rows = MdpJson.Array(MdpJson.Required(root, "reward"), "reward")
                .Select((row, s) => (IReadOnlyList<double>)MdpJson.Array(row, $"reward[{s}]").Select((e, a) => MdpJson.Number(e, $"reward[{s}][{a}]")).ToArray())
                .ToArray();
            var table = StateActionTable.FromRows(rows, "reward");
            string Text(string p) => root.TryGetProperty(p, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
            double beta = root.TryGetProperty("beta", out var b) ? MdpJson.Number(b, "beta") : double.NaN;
            int iteration = root.TryGetProperty("iteration", out var it) ? (int)MdpJson.Number(it, "iteration") : 0;
            return new LearnedReward(Text("mdp"), Text("algorithm"), beta, iteration, table);
        }
    }

    /// <summary>Reads and parses a reward file.</summary>
    public static LearnedReward Load(string path)
    {
        if (!File.Exists(path)) throw new TrirlInputException(path, "does not exist", "pass the path of a reward.json");
        return Parse(File.ReadAllText(path));
    }
}
