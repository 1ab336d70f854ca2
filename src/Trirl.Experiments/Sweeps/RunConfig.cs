using System.Text.Json;
using Trirl.Functional;

namespace Trirl.Experiments;

/// <summary>
/// <c>DIR/runs/&lt;id&gt;/config.json</c>: the run (index, id, command, flags) and the exact arguments of the command
/// without its output folder, as validated when the sweep was planned, e.g.
/// <c>["tabular", "--env", "cliff", "--algo", "trirl", "--seed", "0", "--iterations", "20"]</c>.
/// </summary>
/// <param name="Run">The run.</param>
/// <param name="Args">The command's arguments (the command name first), without <c>--out</c>.</param>
public sealed record RunConfig(SweepRun Run, IReadOnlyList<string> Args)
{
    /// <summary>The indented JSON text.</summary>
    public string Serialize()
    {
        return JsonText.Object(w =>
        {
            w.WriteNumber("index", Run.Index);
            w.WriteString("id", Run.Id);
            w.WriteString("command", Run.Command);
            w.WriteObject("flags", w =>
            {
                // A flag given several times (a spec's list, e.g. --set) is one key with a list of its values.
                foreach (var group in Run.Flags.GroupBy(f => f.Name))
                {
                    var values = group.Select(f => f.Value).ToArray();
                    if (values.Length == 1) w.WriteString(group.Key, values[0]);
                    else w.WriteStringArray(group.Key, values);
                }
            });
            w.WriteStringArray("args", Args);
        }) + "\n";
    }

    /// <summary>Parses the JSON text; <paramref name="source"/> names the file in errors.</summary>
    public static RunConfig Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            int index = root.GetProperty("index").GetInt32();
            string id = root.GetProperty("id").GetString() ?? throw new FormatException("id is null");
            string command = root.GetProperty("command").GetString() ?? throw new FormatException("command is null");
            var flags = root.GetProperty("flags").EnumerateObject()
                .SelectMany(p => p.Value.ValueKind == JsonValueKind.Array
                    ? p.Value.EnumerateArray().Select(v => new SweepFlag(p.Name, v.GetString() ?? ""))
                    : [new SweepFlag(p.Name, p.Value.GetString() ?? "")])
                .ToArray();
            var args = root.GetProperty("args").EnumerateArray().Select(a => a.GetString() ?? "").ToArray();
            return new RunConfig(new SweepRun(index, id, command, flags), args);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new TrirlInputException(source, $"is not a run config ({ex.Message})", "plan the sweep again with trirl sweep plan");
        }
    }
}
