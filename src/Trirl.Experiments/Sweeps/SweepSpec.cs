using System.Text.Json;
using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// A sweep spec (JSON): the run command, a grid and fixed flags, keyed by the command's flag names without dashes:
/// <code>{"command": "tabular", "grid": {"env": ["gridworld:5", "cliff"], "algo": ["trirl", "mce"], "seed": [0, 1, 2]},
///  "fixed": {"beta": 3, "eps": 0.05, "delta": 0.01, "iterations": 20}}</code>
/// <see cref="Parse"/> checks the shape (command name, non-empty grid, scalar values or linked objects, no flag set
/// twice, no flag the sweep sets itself); whether the command accepts each flag and value is checked per run by the command's own validation.
/// A fixed flag's value may be a list for a flag the command takes repeatedly: <c>"set": ["ppo.gamma=0.98",
/// "ppo.epochs=20"]</c> gives <c>--set ppo.gamma=0.98 --set ppo.epochs=20</c>.
/// </summary>
/// <param name="Command">The run command: one of <see cref="Commands"/>.</param>
/// <param name="Grid">The grid's axes in spec order (the last one varies fastest); an axis whose values are objects sets
/// several flags together (<see cref="SweepAxis"/>).</param>
/// <param name="Fixed">Flags every run gets, in spec order (a list's values as one flag each, in list order).</param>
public sealed record SweepSpec(string Command, IReadOnlyList<SweepAxis> Grid, IReadOnlyList<SweepFlag> Fixed)
{
    /// <summary>The commands a sweep can run.</summary>
    public static readonly IReadOnlyList<string> Commands = ["tabular", "train", "retrain", "rl"];

    /// <summary>Flags the sweep sets itself (<c>out</c>: the run's folder; <c>resume</c>: on a restart).</summary>
    public static readonly IReadOnlyList<string> ReservedFlags = ["out", "resume"];

    /// <summary>Number of runs: the product of the axes' lengths.</summary>
    public int RunCount => Grid.Aggregate(1, (n, axis) => checked(n * axis.Values.Count));

    /// <summary>Parses and checks the JSON text of a spec; bad input throws <see cref="TrirlInputException"/> naming the JSON path.</summary>
    public static SweepSpec Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException ex)
        {
            throw new TrirlInputException("spec", $"is not valid JSON ({ex.Message})", "write the spec as a JSON object with command, grid and fixed");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new TrirlInputException("spec", $"is a JSON {Kind(root)}, not an object", "write {\"command\": ..., \"grid\": {...}, \"fixed\": {...}}");
            var keys = Properties(root, "spec").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            foreach (var key in keys.Keys)
                if (key is not ("command" or "grid" or "fixed"))
                    throw new TrirlInputException($"spec.{key}", "is not a key of a sweep spec", "use only command, grid and fixed");

            if (!keys.TryGetValue("command", out var commandElement))
                throw new TrirlInputException("spec.command", "is missing", $"name the run command: {string.Join(", ", Commands)}");
            if (commandElement.ValueKind != JsonValueKind.String)
                throw new TrirlInputException("spec.command", $"is a JSON {Kind(commandElement)}, not a string", $"name the run command: {string.Join(", ", Commands)}");
            string command = commandElement.GetString()!;
            if (!Commands.Contains(command))
                throw new TrirlInputException("spec.command", $"'{command}' is not a run command", $"use one of {string.Join(", ", Commands)}");

            if (!keys.TryGetValue("grid", out var gridElement) || gridElement.ValueKind != JsonValueKind.Object)
                throw new TrirlInputException("spec.grid", gridElement.ValueKind == JsonValueKind.Undefined ? "is missing" : $"is a JSON {Kind(gridElement)}, not an object",
                    "give the grid as an object of flag lists, e.g. \"grid\": {\"seed\": [0, 1, 2]}");
            var grid = new List<SweepAxis>();
            var setBy = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, element) in Properties(gridElement, "spec.grid"))
            {
                string field = $"spec.grid.{name}";
                CheckName(name, field);
                if (element.ValueKind != JsonValueKind.Array)
                    throw new TrirlInputException(field, $"is a JSON {Kind(element)}, not a list", $"give the values as a list, e.g. \"{name}\": [{element.GetRawText()}] (or move it to fixed)");
                var items = element.EnumerateArray().ToArray();
                if (items.Length == 0)
                    throw new TrirlInputException(field, "is an empty list", "give at least one value, or remove the axis");
                bool linked = items[0].ValueKind == JsonValueKind.Object;
                var values = new List<IReadOnlyList<SweepFlag>>();
                for (int i = 0; i < items.Length; i++)
                {
                    string itemField = $"{field}[{i}]";
                    if ((items[i].ValueKind == JsonValueKind.Object) != linked)
                        throw new TrirlInputException(itemField, linked ? "is not an object like the axis' first value" : "is an object but the axis' first value is not",
                            "give every value of an axis as a scalar, or every value as an object of flags (a linked axis)");
                    IReadOnlyList<SweepFlag> flags = linked
                        ? Properties(items[i], itemField).Select(p => Flag(p.Key, p.Value, $"{itemField}.{p.Key}")).ToArray()
                        : [new SweepFlag(name, Scalar(items[i], itemField))];
                    if (flags.Count == 0)
                        throw new TrirlInputException(itemField, "is an empty object", "set at least one flag in each value of a linked axis");
                    if (values.Count > 0 && !flags.Select(f => f.Name).SequenceEqual(values[0].Select(f => f.Name)))
                        throw new TrirlInputException(itemField, $"sets {string.Join(", ", flags.Select(f => f.Name))} but the first value sets {string.Join(", ", values[0].Select(f => f.Name))}",
                            "set the same flags, in the same order, in every value of a linked axis");
                    if (values.Any(v => v.SequenceEqual(flags)))
                        throw new TrirlInputException(itemField, "repeats an earlier value", "list each value once");
                    values.Add(flags);
                }
                var axis = new SweepAxis(name, linked, values);
                foreach (var flag in axis.FlagNames)
                {
                    if (!setBy.TryAdd(flag, name))
                        throw new TrirlInputException(field, $"sets {flag}, which axis {setBy[flag]} sets too", $"set {flag} on one axis only");
                }
                grid.Add(axis);
            }
            if (grid.Count == 0)
                throw new TrirlInputException("spec.grid", "is empty", "sweep over at least one flag, e.g. \"grid\": {\"seed\": [0, 1, 2]}");

            var fixedFlags = new List<SweepFlag>();
            if (keys.TryGetValue("fixed", out var fixedElement))
            {
                if (fixedElement.ValueKind != JsonValueKind.Object)
                    throw new TrirlInputException("spec.fixed", $"is a JSON {Kind(fixedElement)}, not an object", "give the fixed flags as an object, e.g. \"fixed\": {\"iterations\": 20}");
                foreach (var (name, element) in Properties(fixedElement, "spec.fixed"))
                {
                    string field = $"spec.fixed.{name}";
                    CheckName(name, field);
                    if (setBy.TryGetValue(name, out var axisName))
                        throw new TrirlInputException(field, axisName == name ? "is also an axis of the grid" : $"is also set by the grid's axis {axisName}",
                            $"keep {name} in either grid or fixed");
                    if (element.ValueKind == JsonValueKind.Array)
                    {
                        // A repeatable flag (--set): each value is given in order, e.g. "set": ["a=1", "b=2"].
                        var items = element.EnumerateArray().ToArray();
                        if (items.Length == 0)
                            throw new TrirlInputException(field, "is an empty list", "give at least one value, or leave the flag out");
                        for (int i = 0; i < items.Length; i++)
                            fixedFlags.Add(new SweepFlag(name, Scalar(items[i], $"{field}[{i}]")));
                    }
                    else fixedFlags.Add(new SweepFlag(name, Scalar(element, field)));
                }
            }
            var spec = new SweepSpec(command, grid, fixedFlags);
            try { _ = spec.RunCount; }
            catch (OverflowException)
            {
                throw new TrirlInputException("spec.grid", "has more than 2^31 runs", "sweep over fewer values");
            }
            return spec;
        }
    }

    /// <summary>The properties of an object in document order, refusing a key given twice (JSON allows it, a spec does not).</summary>
    private static List<KeyValuePair<string, JsonElement>> Properties(JsonElement obj, string field)
    {
        var result = new List<KeyValuePair<string, JsonElement>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (!seen.Add(p.Name)) throw new TrirlInputException($"{field}.{p.Name}", "is given twice", "give each key once");
            result.Add(new(p.Name, p.Value));
        }
        return result;
    }

    private static void CheckName(string name, string field)
    {
        if (name.StartsWith('-'))
            throw new TrirlInputException(field, "starts with a dash", $"write flag names without dashes, e.g. \"{name.TrimStart('-')}\"");
        if (name.Length == 0 || !char.IsAsciiLetterLower(name[0]) || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            throw new TrirlInputException(field, $"'{name}' is not a flag name", "write the flag as the command spells it without dashes, e.g. expert-beta");
        if (ReservedFlags.Contains(name))
            throw new TrirlInputException(field, $"is set by the sweep itself (each run writes to DIR/runs/<id>)", $"remove {name} from the spec");
    }

    /// <summary>One flag of a linked axis' value: a checked name and a scalar.</summary>
    private static SweepFlag Flag(string name, JsonElement value, string field)
    {
        CheckName(name, field);
        return new SweepFlag(name, Scalar(value, field));
    }

    /// <summary>A string, number or boolean as a command-line token.</summary>
    private static string Scalar(JsonElement element, string field) => element.ValueKind switch
    {
        JsonValueKind.String when element.GetString() is { Length: > 0 } s => s,
        JsonValueKind.String => throw new TrirlInputException(field, "is an empty string", "give a value, or leave the flag out"),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new TrirlInputException(field, $"is a JSON {Kind(element)}", "give a string, a number or a boolean"),
    };

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();
}
