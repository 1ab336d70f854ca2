using Trirl.Cli.Output;
using Trirl.Cli.Terminal;

namespace Trirl.Cli.Runs;

/// <summary>
/// Trains a validated <see cref="RlPlan"/> to its step budget: TensorBoard scalars at every row, progress on the
/// console, the checkpoint, policy and CSV files every <c>--checkpoint-every</c> rows, and every output at the end.
/// </summary>
public static class RlTraining
{
    /// <summary>Runs the plan; returns the number of new metrics rows.</summary>
    public static int Run(RlPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var run = plan.Run;
        Directory.CreateDirectory(plan.Dir);
        var board = new TensorBoardLog(Path.Combine(plan.Dir, RlFolder.TensorBoardDir));
        string label = $"{run.Settings.Algo} {run.Settings.Env}";
        int added = TrainingProgress.Track(label, plan.Steps, run.EnvSteps, report =>
        {
            int rows = 0;
            foreach (var p in run.Train(plan.Steps))
            {
                board.Write(p);
                report(p);
                rows++;
                if (rows % plan.Args.Shared.CheckpointEvery == 0) RlFolder.WriteProgress(plan.Dir, run);
            }
            return rows;
        });
        RlFolder.WriteFinal(plan.Dir, run, plan.DeviceName);
        return added;
    }
}
