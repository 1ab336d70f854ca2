using Trirl.Cli.Terminal;

namespace Trirl.Cli.Runs;

/// <summary>
/// The loop of a run command (<c>train</c>, <c>retrain</c>): trains to the budget with TensorBoard scalars at every row,
/// progress on the console, the progress files every <c>checkpointEvery</c> rows and every file at the end
/// (the writers are the command's own).
/// </summary>
public static class RunLoop
{
    /// <summary>Runs <paramref name="run"/> to <paramref name="steps"/> in <paramref name="dir"/>; returns the number of new metrics rows.</summary>
    public static int Run(string dir, RlRun run, long steps, int checkpointEvery, Action<string, RlRun> writeProgress, Action<string, RlRun> writeFinal,
        Action<string, RlRun, long>? afterRow = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        Directory.CreateDirectory(dir);
        var board = new TensorBoardLog(Path.Combine(dir, Output.RlFolder.TensorBoardDir));
        string label = $"{run.Settings.Algo} {run.Settings.Env}";
        int added = TrainingProgress.Track(label, steps, run.EnvSteps, report =>
        {
            int rows = 0;
            foreach (var p in run.Train(steps))
            {
                long before = run.Rows.Count > 1 ? run.Rows[^2].EnvSteps : 0;
                afterRow?.Invoke(dir, run, before);
                board.Write(p);
                report(p);
                rows++;
                if (rows % checkpointEvery == 0) writeProgress(dir, run);
            }
            return rows;
        });
        writeFinal(dir, run);
        return added;
    }
}
