using System.Text.Json;

namespace Trirl.Functional;

/// <summary>
/// JSON import and export of tabular MDPs in the CLI's schema:
/// <code>{"name": str, "gamma": float, "horizon": int, "initial": [S floats], "transitions": [s][a] = [[next, prob], ...], "reward": [s][a]}</code>
/// (<c>horizon</c> and <c>reward</c> optional; without a horizon the MDP is discounted and infinite). Errors name the JSON path of the bad value (e.g. <c>transitions[3][1][0]</c>).
/// </summary>
public static class MdpJson
{
    /// <summary>
    /// Parses an MDP from JSON text and validates it like <see cref="TabularMdp.Create"/>; <paramref name="horizon"/>,
    /// when given, replaces the file's <c>"horizon"</c> (so a file with <c>"gamma": 1</c> and no horizon is read with one).
    /// </summary>
    public static TabularMdp Parse(string json, int? horizon = null) =>
        ReadObject(json, Shape, root => Read(root, horizon));

    /// <summary>The fix for a file that is not an MDP object.</summary>
    private const string Shape = "write {\"name\": ..., \"gamma\": ..., ...}";

    /// <summary>The MDP of a parsed top-level object (<see cref="Parse"/>).</summary>
    private static TabularMdp Read(JsonElement root, int? horizon)
    {
        string name = root.TryGetProperty("name", out var n)
            ? (n.ValueKind == JsonValueKind.String ? n.GetString()! : throw new TrirlInputException("name", "is not a string", "write \"name\": \"my-mdp\""))
            : "mdp";
        double gamma = Number(Required(root, "gamma"), "gamma");
        var initial = Array(Required(root, "initial"), "initial").Select((e, i) => Number(e, $"initial[{i}]")).ToArray();
        var transitionsElement = Array(Required(root, "transitions"), "transitions");
        var transitions = new IReadOnlyList<IReadOnlyList<Transition>>[transitionsElement.Count];
        for (int s = 0; s < transitions.Length; s++)
        {
            var actions = Array(transitionsElement[s], $"transitions[{s}]");
            var row = new IReadOnlyList<Transition>[actions.Count];
            for (int a = 0; a < actions.Count; a++)
            {
                var entries = Array(actions[a], $"transitions[{s}][{a}]");
                var list = new Transition[entries.Count];
                for (int k = 0; k < entries.Count; k++)
                {
                    // The well-formed entry without building its JSON path (a 50x50 grid has 50,000 entries); anything
                    // else takes the checks below, which name the path.
                    var e = entries[k];
                    if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 2
                        && e[0] is { ValueKind: JsonValueKind.Number } nextElement && e[1] is { ValueKind: JsonValueKind.Number } p)
                    {
                        double x = nextElement.GetDouble();
                        if (x == Math.Floor(x) && x >= int.MinValue && x <= int.MaxValue)
                        {
                            list[k] = new Transition((int)x, p.GetDouble());
                            continue;
                        }
                    }
                    string path = $"transitions[{s}][{a}][{k}]";
                    var pair = Array(entries[k], path);
                    if (pair.Count != 2)
                        throw new TrirlInputException(path, $"has {pair.Count} elements", "write each entry as [next, probability]");
                    double next = Number(pair[0], $"{path}[0]");
                    if (next != Math.Floor(next) || next < int.MinValue || next > int.MaxValue)
                        throw new TrirlInputException($"{path}[0]", $"next state {Check.Format(next)} is not an integer", "use a state index");
                    list[k] = new Transition((int)next, Number(pair[1], $"{path}[1]"));
                }
                row[a] = list;
            }
            transitions[s] = row;
        }
        StateActionTable? reward = null;
        if (root.TryGetProperty("reward", out var r) && r.ValueKind != JsonValueKind.Null)
        {
            var rows = Array(r, "reward");
            if (rows.Count != transitions.Length)
                throw new TrirlInputException("reward", $"has {rows.Count} rows but transitions has {transitions.Length} states",
                    "give one reward row per state");
            var values = rows.Select((row, s) => (IReadOnlyList<double>)Array(row, $"reward[{s}]").Select((e, a) => Number(e, $"reward[{s}][{a}]")).ToArray()).ToArray();
            if (transitions.Length > 0 && values.Any(v => v.Count != transitions[0].Count))
            {
                int bad = System.Array.FindIndex(values, v => v.Count != transitions[0].Count);
                throw new TrirlInputException($"reward[{bad}]", $"has {values[bad].Count} entries but the MDP has {transitions[0].Count} actions",
                    "give one reward per action");
            }
            reward = StateActionTable.FromRows(values, "reward");
        }
        return TabularMdp.Create(name, gamma, initial, transitions, reward, horizon ?? Horizon(root));
    }

    /// <summary>The optional field <c>"horizon"</c>: a positive integer, or absent / null for none.</summary>
    private static int? Horizon(JsonElement root)
    {
        if (!root.TryGetProperty("horizon", out var h) || h.ValueKind == JsonValueKind.Null) return null;
        double x = Number(h, "horizon");
        if (x < 1 || x != Math.Floor(x) || x > int.MaxValue)
            throw new TrirlInputException("horizon", $"is {Check.Format(x)}, not a positive integer",
                "give the number of time steps, e.g. \"horizon\": 20, or leave the field out for the discounted infinite-horizon problem");
        return (int)x;
    }

    /// <summary>Reads and parses an MDP file (<paramref name="horizon"/> as in <see cref="Parse"/>); a missing file is an error naming the path.</summary>
    public static TabularMdp Load(string path, int? horizon = null)
    {
        if (!File.Exists(path)) throw new TrirlInputException(path, "does not exist", "pass the path of an MDP JSON file");
        // Parsed from the file's UTF-8 bytes: no UTF-16 copy of a file of megabytes, no transcoding back.
        var bytes = File.ReadAllBytes(path);
        int bom = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        return ReadObject(() => JsonDocument.Parse(bytes.AsMemory(bom)), Shape, root => Read(root, horizon));
    }

    /// <summary>The MDP as JSON text in the schema above (doubles in round-trip precision).</summary>
    public static string Serialize(TabularMdp mdp)
    {
        return JsonText.Object(w =>
        {
            w.WriteString("name", mdp.Name);
            w.WriteNumber("gamma", mdp.Gamma);
            if (mdp.Horizon is { } horizon) w.WriteNumber("horizon", horizon);
            w.WriteNumberArray("initial", mdp.Initial);
            w.WriteStartArray("transitions");
            for (int s = 0; s < mdp.States; s++)
            {
                w.WriteStartArray();
                for (int a = 0; a < mdp.Actions; a++)
                {
                    w.WriteStartArray();
                    foreach (var t in mdp.TransitionsOf(s, a))
                    {
                        w.WriteStartArray();
                        w.WriteNumberValue(t.Next);
                        w.WriteNumberValue(t.Probability);
                        w.WriteEndArray();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndArray();
            }
            w.WriteEndArray();
            if (mdp.Reward is { } reward) WriteTable(w, "reward", reward);
        });
    }

    internal static void WriteTable(Utf8JsonWriter w, string property, StateActionTable table)
    {
        w.WriteStartArray(property);
        for (int s = 0; s < table.States; s++)
        {
            w.WriteStartArray();
            foreach (var x in table.Row(s)) w.WriteNumberValue(x);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// Parses <paramref name="json"/> and hands its top-level object to <paramref name="read"/>; invalid JSON and a
    /// top level that is not an object are errors naming <c>json</c> (with <paramref name="shape"/> as the fix).
    /// </summary>
    internal static T ReadObject<T>(string json, string shape, Func<JsonElement, T> read) =>
        ReadObject(() => JsonDocument.Parse(json), shape, read);

    /// <summary><see cref="ReadObject{T}(string, string, Func{JsonElement, T})"/> on a document that <paramref name="parse"/> parses.</summary>
    private static T ReadObject<T>(Func<JsonDocument> parse, string shape, Func<JsonElement, T> read)
    {
        JsonDocument doc;
        try { doc = parse(); }
        catch (JsonException ex) { throw new TrirlInputException("json", $"is not valid JSON ({ex.Message})", "fix the syntax of the file"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new TrirlInputException("json", $"top level is {root.ValueKind.ToString().ToLowerInvariant()}, not an object", shape);
            return read(root);
        }
    }

    internal static JsonElement Required(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var e) ? e : throw new TrirlInputException(property, "is missing", $"add the field \"{property}\"");

    internal static IReadOnlyList<JsonElement> Array(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().ToArray()
            : throw new TrirlInputException(path, $"is {Describe(e)}, not an array", "write a JSON array");

    internal static double Number(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Number) throw new TrirlInputException(path, $"is {Describe(e)}, not a number", "write a JSON number");
        return e.GetDouble();
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Null => "null",
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };
}
