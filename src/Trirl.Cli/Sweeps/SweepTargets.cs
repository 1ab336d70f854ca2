using System.CommandLine;
using Trirl.Cli.Commands;
using Trirl.Cli.Output;
using Trirl.Cli.Runs;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// The run commands of this build that a sweep can run: <c>tabular</c> (no <c>--resume</c>: an interrupted run starts
/// again), and <c>rl</c>, <c>train</c> and <c>retrain</c> (an interrupted run continues from
/// <c>checkpoints/checkpoint.ckpt</c> with <c>--resume</c>).
/// </summary>
public static class SweepTargets
{
    /// <summary>The commands a sweep can run in this build.</summary>
    public static readonly IReadOnlyList<SweepTarget> Available =
    [
        new("tabular", TabularCommand.Create, ValidateTabular, (_, _) => [], p => TabularCommand.Execute(TabularCommand.ArgsOf(p))),
        new("rl", RlCommand.Create, ValidateRl, ResumeRl, p => RlCommand.Execute(RlCommand.ArgsOf(p))),
        new("train", TrainCommand.Create, ValidateTrain, (dir, args) => ResumeRun("train", dir, args), p => TrainCommand.Execute(TrainCommand.ArgsOf(p))),
        new("retrain", RetrainCommand.Create, ValidateRetrain, (dir, args) => ResumeRun("retrain", dir, args), p => RetrainCommand.Execute(RetrainCommand.ArgsOf(p))),
    ];

    private static void ValidateTrain(ParseResult p)
    {
        using var plan = TrainPlan.Create(TrainCommand.ArgsOf(p));
    }

    /// <summary>A retrain on a reward that a planned train run will write is checked without it (<see cref="PendingReward"/>).</summary>
    private static void ValidateRetrain(ParseResult p)
    {
        var args = RetrainCommand.ArgsOf(p);
        var pending = args.Reward is { } reward ? PendingReward.TaskOf(reward) : [];
        if (pending.Count == 1) RetrainPlan.CheckPending(args, pending[0]);
        else RetrainPlan.Create(args).Dispose();
    }

    /// <summary>The target for <paramref name="command"/>; a command this build does not have is bad input.</summary>
    public static SweepTarget Find(string command) =>
        Available.FirstOrDefault(t => t.Name == command)
        ?? throw new TrirlInputException("spec.command", $"'{command}' is not available in this build (it comes with the deep TRIRL commands)",
            $"sweep over one of {string.Join(", ", Available.Select(t => t.Name))}");

    private static void ValidateTabular(ParseResult p) => TabularPlan.Create(TabularCommand.ArgsOf(p));

    private static void ValidateRl(ParseResult p)
    {
        using var plan = RlPlan.Create(RlCommand.ArgsOf(p));
    }

    /// <summary>
    /// <c>rl --resume DIR --steps N</c> (with the planned <c>--device</c> and <c>--checkpoint-every</c>) when a checkpoint
    /// exists. N is the planned budget, or the checkpoint's own step count when that is already past it (a run rounds its
    /// budget up to whole metrics rows, so a run that ended before writing its summary is finished, not refused).
    /// </summary>
    private static IReadOnlyList<string> ResumeRl(string runDir, IReadOnlyList<string> args) => ResumeRun("rl", runDir, args);

    /// <summary><c>COMMAND --resume DIR --steps N</c> as <see cref="ResumeRl"/>, for <c>rl</c>, <c>train</c> and <c>retrain</c>.</summary>
    private static IReadOnlyList<string> ResumeRun(string command, string runDir, IReadOnlyList<string> args)
    {
        string checkpoint = Path.Combine(runDir, RlFolder.CheckpointPath);
        if (!File.Exists(checkpoint)) return [];
        var resume = new List<string> { command, "--resume", runDir };
        for (int i = 1; i + 1 < args.Count; i++)
            if (args[i] is "--device" or "--checkpoint-every" or "--reward-every") resume.AddRange([args[i], args[i + 1]]);
        long planned = 0;
        for (int i = 1; i + 1 < args.Count; i++)
            if (args[i] == "--steps") planned = long.Parse(args[i + 1], CultureInfo.InvariantCulture);
        long at;
        using (var header = CheckpointFile.Load(checkpoint).ParseHeader())
            at = RunFlags.EnvSteps(header.RootElement);
        resume.AddRange(["--steps", Math.Max(planned, at).ToString(CultureInfo.InvariantCulture)]);
        return resume;
    }
}
