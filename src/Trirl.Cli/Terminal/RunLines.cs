namespace Trirl.Cli.Terminal;

/// <summary>
/// The lines that <c>rl</c>, <c>train</c> and <c>retrain</c> print around a run on stdout: where a resumed run
/// continues, then where the outputs went and the last metrics row's returns.
/// </summary>
public static class RunLines
{
    /// <summary>Prints <c>resuming ALGO on ENV at N env steps</c> when <paramref name="run"/> continues a checkpoint; returns whether it does.</summary>
    public static bool Resuming(RlRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.ResumedFrom <= 0) return false;
        System.Console.Out.WriteLine($"resuming {run.Settings.Algo} on {run.Settings.Env} at {run.ResumedFrom} env steps");
        return true;
    }

    /// <summary>
    /// Prints <c>wrote DIR</c>, then (when the run has a metrics row) its normalised return, between
    /// <paramref name="prefix"/> and <paramref name="suffix"/> (what kind of score it is), the evaluation return, the env
    /// steps and the seconds.
    /// </summary>
    public static void Finished(string dir, RlRun run, string prefix = "", string suffix = "")
    {
        ArgumentNullException.ThrowIfNull(run);
        System.Console.Out.WriteLine($"wrote {dir}");
        if (run.Rows.Count == 0) return;
        var last = run.Rows[^1];
        System.Console.Out.WriteLine(
            $"{prefix}normalized return {last["normalized_return"].ToString("0.####", CultureInfo.InvariantCulture)}{suffix}" +
            $" (eval return {last["eval_return"].ToString("0.##", CultureInfo.InvariantCulture)} over {run.Settings.EvalEpisodes} episodes)" +
            $" after {run.EnvSteps} env steps, {run.Seconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
    }
}
