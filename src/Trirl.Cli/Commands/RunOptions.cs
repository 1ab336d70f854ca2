using System.CommandLine;
using Trirl.Cli.Runs;
using Trirl.Environments;

namespace Trirl.Cli.Commands;

/// <summary>
/// The help of the flags that <c>rl</c>, <c>train</c> and <c>retrain</c> share but read each in its own way: the
/// task, the algorithm, the step budget, the folder to resume and the preset.
/// </summary>
/// <param name="Env">Help of <c>--env</c>; the task names follow it.</param>
/// <param name="Algo">Help of <c>--algo</c>.</param>
/// <param name="Steps">Help of <c>--steps</c>.</param>
/// <param name="Resume">Help of <c>--resume</c>.</param>
/// <param name="Preset">Help of <c>--preset</c>.</param>
public sealed record RunFlagHelp(string Env, string Algo, string Steps, string Resume, string Preset);

/// <summary>
/// The commands that train on a continuous task (<c>rl</c>, <c>train</c>, <c>retrain</c>), declared alike: the flags
/// they share (task, algorithm, step budget, seed, output and resume folders, preset, device, threads, anchors,
/// evaluation episodes, checkpoint interval) once here, then each command's own flags, and one action that binds the
/// parsed line to the command's flags record and runs it. The shared flags are bound once too (<see cref="ArgsOf"/>),
/// into the <see cref="RunArgs"/> that each command's record carries.
/// </summary>
public static class RunOptions
{
    /// <summary>
    /// The command <paramref name="name"/> with the shared flags (help from <paramref name="help"/>) and
    /// <paramref name="own"/>; its action runs <paramref name="execute"/> on the flags <paramref name="bind"/> reads.
    /// </summary>
    public static Command Create<TArgs>(string name, string description, RunFlagHelp help, Func<ParseResult, TArgs> bind, Action<TArgs> execute, params Option[] own)
    {
        ArgumentNullException.ThrowIfNull(help);
        var steps = Flags.OptionalLong("--steps", help.Steps);
        steps.Required = true;
        var command = new Command(name, description)
        {
            Flags.OptionalText("--env", $"{help.Env}: {string.Join(", ", ContinuousEnvs.Names)}."),
            Flags.OptionalText("--algo", help.Algo),
            steps,
            Flags.OptionalSeed("--seed", "Run seed (default 0)."),
            Flags.OptionalText("--out", "Output folder (created if missing)."),
            Flags.OptionalText("--resume", help.Resume),
            Flags.OptionalText("--preset", help.Preset),
            Flags.Device(),
            Flags.OptionalWhole("--threads", "Torch intra-op threads (default 1; results are reproducible for a fixed count; more help the paper preset)."),
            Flags.OptionalText("--anchors", "anchors.json (from trirl expert) replacing the task's default normalisation anchors."),
            Flags.OptionalWhole("--eval-episodes", $"Seeded evaluation episodes per metrics row (default {RlRunSettings.DefaultEvalEpisodes})."),
            Flags.Whole("--checkpoint-every", "Metrics rows between checkpoints (the run also checkpoints at its end).", RunArgs.DefaultCheckpointEvery),
        };
        foreach (var option in own) command.Add(option);
        command.SetAction(parse =>
        {
            execute(bind(parse));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The shared flags of a parsed <c>rl</c>, <c>train</c> or <c>retrain</c> line (a command made by <see cref="Create{TArgs}"/>).</summary>
    public static RunArgs ArgsOf(ParseResult p) =>
        new(p.GetValue<string?>("--env"), p.GetValue<string?>("--algo"), p.GetValue<long?>("--steps"), p.GetValue<long?>("--seed"),
            p.GetValue<string?>("--out"), p.GetValue<string?>("--resume"), p.GetValue<string?>("--preset"), p.GetRequiredValue<string>("--device"),
            p.GetValue<int?>("--threads"), p.GetValue<string?>("--anchors"), p.GetValue<int?>("--eval-episodes"), p.GetValue<int>("--checkpoint-every"));

    /// <summary>The <c>--eval-every</c> flag of the runs on the true reward and of imitation.</summary>
    public static Option<int?> EvalEvery() =>
        Flags.OptionalWhole("--eval-every", "Metrics rows between evaluations (default 1: every row; the last row is always evaluated).");

    /// <summary>The repeatable <c>--set path=value</c> flag (learner settings overrides).</summary>
    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a learner setting, path=value in the settings' JSON names (e.g. initial_std=0.135, policy.hidden=[256,256], normalize_observations=true); repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };
}
