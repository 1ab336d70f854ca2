using System.Globalization;

namespace Trirl.Functional.Environments;

/// <summary>The grid geometry of a gridworld-like MDP (for heatmaps): state <c>s</c> is cell <c>(s / Width, s % Width)</c>.</summary>
/// <param name="Width">Cells per row.</param>
/// <param name="Height">Rows.</param>
public sealed record GridShape(int Width, int Height);

/// <summary>A tabular environment built from a spec string: the MDP and, for grids, its geometry.</summary>
/// <param name="Spec">The spec it was built from.</param>
/// <param name="Mdp">The MDP.</param>
/// <param name="Grid">The grid geometry, or <c>null</c> when the MDP is not a grid.</param>
public sealed record TabularEnv(string Spec, TabularMdp Mdp, GridShape? Grid);

/// <summary>
/// Builds tabular environments from the spec strings of the command line:
/// <c>gridworld:SIZE[:SLIP]</c>, <c>icy:SIZE[:SLIP]</c> (the paper's icy grid, <see cref="IcyGridworld"/>),
/// <c>garnet:S:A:BRANCHING</c>, <c>cliff[:SLIP]</c> and <c>file:PATH.json</c>.
/// </summary>
public static class TabularEnvs
{
    /// <summary>The accepted forms, for error messages and help.</summary>
    public const string Forms = "gridworld:SIZE[:SLIP], icy:SIZE[:SLIP], garnet:S:A:BRANCHING, cliff[:SLIP] or file:PATH.json";

    /// <summary>
    /// Parses <paramref name="spec"/>; <paramref name="seed"/> draws the random parts (traps, Garnet dynamics), and
    /// <paramref name="horizon"/>, when given, makes the MDP finite-horizon (replacing a JSON file's <c>"horizon"</c>).
    /// </summary>
    public static TabularEnv Parse(string spec, long seed, string field = "env", int? horizon = null)
    {
        var env = ParseSpec(spec, seed, field, horizon);
        return horizon is { } h && env.Mdp.Horizon != h ? env with { Mdp = env.Mdp.WithHorizon(h) } : env;
    }

    private static TabularEnv ParseSpec(string spec, long seed, string field, int? horizon)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new TrirlInputException(field, "is empty", $"use {Forms}");
        if (spec.StartsWith("file:", StringComparison.Ordinal))
        {
            string path = spec["file:".Length..];
            if (path.Length == 0) throw new TrirlInputException(field, "file: has no path", "use file:PATH.json");
            try
            {
                return new TabularEnv(spec, MdpJson.Load(path, horizon), null);
            }
            catch (TrirlInputException ex) when (ex.Field != path)
            {
                throw new TrirlInputException($"{path}: {ex.Field}", ex.Problem, ex.Fix);
            }
        }
        var parts = spec.Split(':');
        switch (parts[0])
        {
            case "gridworld":
                if (parts.Length is < 2 or > 3) throw new TrirlInputException(field, $"'{spec}' is not gridworld:SIZE[:SLIP]", "write e.g. gridworld:5 or gridworld:8:0.2");
                int size = Int(parts[1], field, "SIZE");
                double slip = parts.Length == 3 ? Real(parts[2], field, "SLIP") : 0.1;
                return new TabularEnv(spec, Gridworld.Create(size, slip, seed: seed), new GridShape(size, size));
            case "icy":
                if (parts.Length is < 2 or > 3) throw new TrirlInputException(field, $"'{spec}' is not icy:SIZE[:SLIP]", "write e.g. icy:5 (the paper's grid) or icy:5:0.2");
                int side = Int(parts[1], field, "SIZE");
                return new TabularEnv(spec, IcyGridworld.Create(side, parts.Length == 3 ? Real(parts[2], field, "SLIP") : IcyGridworld.PaperSlip),
                    new GridShape(side, side));
            case "garnet":
                if (parts.Length != 4) throw new TrirlInputException(field, $"'{spec}' is not garnet:S:A:BRANCHING", "write e.g. garnet:100:4:5");
                return new TabularEnv(spec, Garnet.Create(Int(parts[1], field, "S"), Int(parts[2], field, "A"), Int(parts[3], field, "BRANCHING"), seed), null);
            case "cliff":
                if (parts.Length > 2) throw new TrirlInputException(field, $"'{spec}' is not cliff[:SLIP]", "write cliff or cliff:0.1");
                return new TabularEnv(spec, CliffWalk.Create(parts.Length == 2 ? Real(parts[1], field, "SLIP") : 0.0),
                    new GridShape(CliffWalk.Width, CliffWalk.Height));
            default:
                throw new TrirlInputException(field, $"unknown environment '{spec}'", $"use {Forms}");
        }
    }

    private static int Int(string text, string field, string part) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new TrirlInputException(field, $"{part} '{text}' is not an integer", $"write {part} as a whole number");

    private static double Real(string text, string field, string part) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new TrirlInputException(field, $"{part} '{text}' is not a number", $"write {part} as a decimal number such as 0.1");
}
