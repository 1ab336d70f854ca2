namespace Trirl.Cli.Runs;

/// <summary>
/// What a validated <c>rl</c>, <c>train</c> or <c>retrain</c> run holds alike: the flags as given, the absolute output
/// folder, the started or resumed <see cref="RlRun"/> and the step budget. The subclasses do the checks.
/// </summary>
/// <typeparam name="TArgs">The command's flags record.</typeparam>
/// <param name="args">The flags as given.</param>
/// <param name="dir">Absolute output folder.</param>
/// <param name="run">The run (fresh or resumed).</param>
/// <param name="steps">Total environment steps to reach.</param>
public abstract class RunPlan<TArgs>(TArgs args, string dir, RlRun run, long steps) : IDisposable
    where TArgs : IRunArgs
{
    /// <summary>The flags as given.</summary>
    public TArgs Args { get; } = args;

    /// <summary>Absolute output folder.</summary>
    public string Dir { get; } = dir;

    /// <summary>The run (fresh or resumed).</summary>
    public RlRun Run { get; } = run;

    /// <summary>Total environment steps to reach.</summary>
    public long Steps { get; } = steps;

    /// <summary>
    /// Checks the step budget and the run flags of <paramref name="args"/> (<see cref="RunFlags.Checked"/>; the fix
    /// suggests <paramref name="exampleSteps"/>), then starts the run (<paramref name="fresh"/>) or, with <c>--resume</c>,
    /// opens the checkpoint of the earlier <c>trirl <paramref name="command"/></c> run and resumes it (<paramref name="resumed"/>).
    /// </summary>
    private protected static TPlan Create<TPlan>(TArgs args, string command, long exampleSteps, Func<TArgs, long, TPlan> fresh,
        Func<TArgs, ResumedCheckpoint, long, TPlan> resumed)
    {
        ArgumentNullException.ThrowIfNull(args);
        long steps = RunFlags.Checked(args.Shared, exampleSteps);
        return args.Shared.Resume is { } resume ? resumed(args, ResumedCheckpoint.Open(resume, command), steps) : fresh(args, steps);
    }

    /// <summary>Disposes the run.</summary>
    public void Dispose()
    {
        Run.Dispose();
        GC.SuppressFinalize(this);
    }
}
