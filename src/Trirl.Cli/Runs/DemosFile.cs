using System.Collections.Immutable;
using Trirl.Environments.Data;

namespace Trirl.Cli.Runs;

/// <summary>
/// <c>--demos-file PATH</c>: recorded demonstrations of a tabular MDP, as <c>.json</c> (<see cref="RecordedDemonstrations.Parse"/>)
/// or numpy <c>.npz</c> with the integer arrays <c>obs</c>, <c>acts</c> and <c>dones</c> (the imitation library's names;
/// <c>dones</c> may be boolean). Errors name the flag, the file and the field.
/// </summary>
public static class DemosFile
{
    /// <summary>The episodes in <paramref name="path"/>, checked against <paramref name="mdp"/>.</summary>
    public static ImmutableArray<Trajectory> Load(string path, TabularMdp mdp)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new TrirlInputException("--demos-file", "is empty", "pass the path of a .json or .npz file");
        if (!File.Exists(path)) throw new TrirlInputException("--demos-file", $"'{path}' does not exist", "pass the path of a .json or .npz file");
        try
        {
            return Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".json" => RecordedDemonstrations.Load(mdp, path),
                ".npz" => FromNpz(Npz.Load(path), mdp),
                _ => throw new TrirlInputException("--demos-file", $"'{path}' is neither .json nor .npz",
                    "save the demonstrations as .json ({\"obs\", \"acts\", \"dones\"}) or numpy .npz (np.savez(path, obs=..., acts=..., dones=...))"),
            };
        }
        catch (TrirlInputException ex) when (!ex.Field.StartsWith("--demos-file", StringComparison.Ordinal))
        {
            throw new TrirlInputException($"--demos-file {path}: {ex.Field}", ex.Problem, ex.Fix);
        }
    }

    private static ImmutableArray<Trajectory> FromNpz(NpzArchive archive, TabularMdp mdp) =>
        RecordedDemonstrations.FromArrays(mdp, Integers(archive["obs"], "obs"), Integers(archive["acts"], "acts"), Flags(archive["dones"], "dones"));

    private static IReadOnlyList<long> Integers(NpyArray array, string field)
    {
        RequireVector(array, field);
        return array.Dtype switch
        {
            NpyDtype.Int64 => array.ToInt64(field),
            NpyDtype.Int32 => array.ToInt32(field).Select(x => (long)x).ToArray(),
            _ => throw new TrirlInputException(field, $"has dtype {NpyArray.Descr(array.Dtype)}, not an integer type",
                "save the state and action indices as integers (np.int64 or np.int32)"),
        };
    }

    private static IReadOnlyList<bool> Flags(NpyArray array, string field)
    {
        RequireVector(array, field);
        return array.Dtype == NpyDtype.Bool ? array.ToBool(field) : Integers(array, field).Select((x, i) => x switch
        {
            0 => false,
            1 => true,
            _ => throw new TrirlInputException($"{field}[{i}]", $"is {x}, neither 0 nor 1", "save dones as booleans or 0/1"),
        }).ToArray();
    }

    private static void RequireVector(NpyArray array, string field)
    {
        if (array.Shape.Length != 1)
            throw new TrirlInputException(field, $"has shape {array.ShapeText}, not one dimension", "save one entry per recorded step (shape (N,))");
    }
}
