using Trirl.Cli.Output;

namespace Trirl.Cli.Runs;

/// <summary>
/// The checkpoint of a run given to <c>--resume</c>, opened and read: its folder, the file, and the settings it saved.
/// <see cref="Open"/> refuses a folder that is missing or holds no checkpoint; the checks against the saved settings
/// (<see cref="Same"/>, <see cref="Unchanged"/>, <see cref="NotBehind"/>, <see cref="SameFolder"/>) name the flag that contradicts them.
/// </summary>
internal sealed record ResumedCheckpoint(string Resume, string Dir, string Path, CheckpointFile File, RlRunSettings Saved)
{
    /// <summary>Opens the checkpoint of the run folder <paramref name="resume"/> of a <c>trirl <paramref name="command"/></c> run.</summary>
    public static ResumedCheckpoint Open(string resume, string command)
    {
        string dir = System.IO.Path.GetFullPath(resume);
        string fix = $"pass the folder of an earlier trirl {command} run";
        if (!Directory.Exists(dir)) throw new TrirlInputException("--resume", $"'{resume}' is not a folder", fix);
        string path = System.IO.Path.Combine(dir, RlFolder.CheckpointPath);
        if (!System.IO.File.Exists(path)) throw new TrirlInputException("--resume", $"'{resume}' holds no checkpoint ({RlFolder.CheckpointPath})", fix);
        var file = CheckpointFile.Load(path);
        return new ResumedCheckpoint(resume, dir, path, file, RlRun.ReadSettings(file, path));
    }

    /// <summary>Refuses a <paramref name="flag"/> given as other than the checkpoint's <paramref name="what"/> <paramref name="saved"/>.</summary>
    public void Same(string flag, string? given, string saved, string what)
    {
        if (given is not null && !string.Equals(given.Trim(), saved, StringComparison.OrdinalIgnoreCase))
            throw new TrirlInputException(flag, $"is '{given}' but the checkpoint in '{Resume}' is a {what} '{saved}' run",
                $"omit {flag} when resuming (a run continues with its own settings), or start a new run in another folder");
    }

    /// <summary>Refuses an <c>--env</c>, <c>--algo</c>, <c>--preset</c> or <c>--seed</c> other than the checkpoint's.</summary>
    public void SameRun(RunArgs args)
    {
        Same("--env", args.Env, Saved.Env, "env");
        Same("--algo", args.Algo, Saved.Algo, "algo");
        Same("--preset", args.Preset, Saved.PresetName, "preset");
        Same("--seed", args.Seed?.ToString(CultureInfo.InvariantCulture), Saved.Seed.ToString(CultureInfo.InvariantCulture), "seed");
    }

    /// <summary>Refuses each given flag of <paramref name="flags"/> (null when absent): <paramref name="why"/> they cannot change.</summary>
    public void Unchanged(string why, params (string Flag, object? Given)[] flags)
    {
        foreach (var (flag, given) in flags)
            if (given is not null)
                throw new TrirlInputException(flag, $"cannot change when resuming ({why})", $"omit {flag}");
    }

    /// <summary>Refuses a step budget below the checkpoint's <c>env_steps</c>.</summary>
    public void NotBehind(long steps)
    {
        using var doc = File.ParseHeader();
        RunFlags.NotBehind(steps, doc.RootElement, Resume);
    }

    /// <summary>Refuses an <c>--out</c> other than the run's own folder.</summary>
    public void SameFolder(string? output) => RunFlags.SameFolder(output, Dir, Resume);

    /// <summary>The run, resumed from the checkpoint on <paramref name="device"/>.</summary>
    public RlRun Run(string device) => RlRun.Resume(File, Path, Devices.Parse(device));
}
