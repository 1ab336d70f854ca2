using System.Collections.Immutable;
using System.Text.Json;

namespace Trirl.Functional;

/// <summary>
/// Recorded demonstrations of a tabular MDP: episodes of state and action indices, from flat arrays in the field
/// names of the imitation library (<c>obs</c>, <c>acts</c>, <c>dones</c>: step <c>i</c> is state <c>obs[i]</c>, action
/// <c>acts[i]</c>, and <c>dones[i]</c> marks the last step of an episode) or from JSON. Step <c>t</c> of an episode is
/// time step <c>t</c> (on a finite horizon, <c>pi_t</c>'s step). Every index is checked against the MDP, with errors
/// that name the array and the step.
/// </summary>
public static class RecordedDemonstrations
{
    /// <summary>
    /// The episodes of flat arrays: a new episode starts after every step with <c>dones[i]</c> set. Errors name the
    /// field: arrays of different lengths, no steps, a state or action index outside the MDP, a last step not marked
    /// done, an episode longer than the MDP's horizon.
    /// </summary>
    /// <param name="mdp">The MDP the indices refer to.</param>
    /// <param name="obs">State index of every step.</param>
    /// <param name="acts">Action index of every step.</param>
    /// <param name="dones">Whether the step ends its episode.</param>
    public static ImmutableArray<Trajectory> FromArrays(TabularMdp mdp, IReadOnlyList<long> obs, IReadOnlyList<long> acts, IReadOnlyList<bool> dones)
    {
        if (obs.Count == 0)
            throw new TrirlInputException("obs", "holds no steps: the demonstrations are empty", "record at least one episode of (state, action) steps");
        if (acts.Count != obs.Count)
            throw new TrirlInputException("acts", $"has {acts.Count} entries but obs has {obs.Count}", "give one action per recorded state");
        if (dones.Count != obs.Count)
            throw new TrirlInputException("dones", $"has {dones.Count} entries but obs has {obs.Count}", "give one done flag per recorded step");
        if (!dones[^1])
            throw new TrirlInputException($"dones[{dones.Count - 1}]", "is false: the last episode never ends",
                "mark the last step of every episode with dones = 1 (true)");
        var episodes = ImmutableArray.CreateBuilder<Trajectory>();
        var states = new List<int>();
        var actions = new List<int>();
        for (int i = 0; i < obs.Count; i++)
        {
            states.Add(Index(obs[i], mdp.States, $"obs[{i}]", "state", "states"));
            actions.Add(Index(acts[i], mdp.Actions, $"acts[{i}]", "action", "actions"));
            if (!dones[i]) continue;
            episodes.Add(Episode(mdp, states, actions, $"episode {episodes.Count} (ending at dones[{i}])"));
            states.Clear();
            actions.Clear();
        }
        return episodes.ToImmutable();
    }

    /// <summary>
    /// Episodes from JSON, either flat (<c>{"obs": [...], "acts": [...], "dones": [...]}</c>, <c>dones</c> as booleans or
    /// 0/1) or as a list (<c>{"episodes": [{"obs": [...], "acts": [...]}, ...]}</c>), checked against <paramref name="mdp"/>.
    /// </summary>
    public static ImmutableArray<Trajectory> Parse(TabularMdp mdp, string json) =>
        MdpJson.ReadObject(json, "write {\"obs\": [...], \"acts\": [...], \"dones\": [...]} or {\"episodes\": [{\"obs\": [...], \"acts\": [...]}]}",
            root => FromJson(mdp, root));

    private static ImmutableArray<Trajectory> FromJson(TabularMdp mdp, JsonElement root)
    {
        if (!root.TryGetProperty("episodes", out var list))
            return FromArrays(mdp, Integers(MdpJson.Required(root, "obs"), "obs"), Integers(MdpJson.Required(root, "acts"), "acts"),
                Flags(MdpJson.Required(root, "dones"), "dones"));
        var items = MdpJson.Array(list, "episodes");
        if (items.Count == 0)
            throw new TrirlInputException("episodes", "is empty: the demonstrations hold no episode", "record at least one episode");
        var episodes = ImmutableArray.CreateBuilder<Trajectory>(items.Count);
        for (int j = 0; j < items.Count; j++)
        {
            string field = $"episodes[{j}]";
            if (items[j].ValueKind != JsonValueKind.Object)
                throw new TrirlInputException(field, "is not an object", "write each episode as {\"obs\": [...], \"acts\": [...]}");
            var obs = Integers(Property(items[j], "obs", field), $"{field}.obs");
            var acts = Integers(Property(items[j], "acts", field), $"{field}.acts");
            if (obs.Count == 0) throw new TrirlInputException($"{field}.obs", "holds no steps", "record at least one step per episode");
            if (acts.Count != obs.Count)
                throw new TrirlInputException($"{field}.acts", $"has {acts.Count} entries but obs has {obs.Count}", "give one action per recorded state");
            var states = obs.Select((s, t) => Index(s, mdp.States, $"{field}.obs[{t}]", "state", "states")).ToList();
            var actions = acts.Select((a, t) => Index(a, mdp.Actions, $"{field}.acts[{t}]", "action", "actions")).ToList();
            episodes.Add(Episode(mdp, states, actions, field));
        }
        return episodes.MoveToImmutable();
    }

    /// <summary>Reads and parses a JSON demonstrations file; a missing file is an error naming the path.</summary>
    public static ImmutableArray<Trajectory> Load(TabularMdp mdp, string path)
    {
        if (!File.Exists(path)) throw new TrirlInputException(path, "does not exist", "pass the path of a demonstrations file");
        return Parse(mdp, File.ReadAllText(path));
    }

    private static Trajectory Episode(TabularMdp mdp, List<int> states, List<int> actions, string field)
    {
        if (mdp.Horizon is { } h && states.Count > h)
            throw new TrirlInputException(field, $"has {states.Count} steps, more than the MDP's horizon {h}",
                $"cut episodes to at most {h} steps, or give the MDP a longer horizon");
        return new Trajectory(states.ToImmutableArray(), actions.ToImmutableArray());
    }

    private static int Index(long value, int count, string field, string what, string plural) =>
        value >= 0 && value < count
            ? (int)value
            : throw new TrirlInputException(field, $"{what} index {value} is outside the MDP's {count} {plural} [0, {count})",
                $"record {what} indices of this MDP (0..{count - 1})");

    private static JsonElement Property(JsonElement obj, string name, string field) =>
        obj.TryGetProperty(name, out var e) ? e : throw new TrirlInputException($"{field}.{name}", "is missing", $"add the field \"{name}\"");

    private static List<long> Integers(JsonElement e, string field)
    {
        var items = MdpJson.Array(e, field);
        var values = new List<long>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            double x = MdpJson.Number(items[i], $"{field}[{i}]");
            if (x != Math.Floor(x) || Math.Abs(x) > int.MaxValue)
                throw new TrirlInputException($"{field}[{i}]", $"is {Check.Format(x)}, not an integer index", "write whole numbers");
            values.Add((long)x);
        }
        return values;
    }

    private static List<bool> Flags(JsonElement e, string field)
    {
        var items = MdpJson.Array(e, field);
        var values = new List<bool>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            values.Add(item.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when item.GetDouble() is 0 or 1 => item.GetDouble() == 1,
                _ => throw new TrirlInputException($"{field}[{i}]", "is neither a boolean nor 0 or 1", "write true/false or 1/0"),
            });
        }
        return values;
    }
}
