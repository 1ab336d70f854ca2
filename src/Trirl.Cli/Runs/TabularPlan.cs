using Trirl.Functional.Environments;

namespace Trirl.Cli.Runs;

/// <summary>
/// A validated <c>trirl tabular</c> run: everything is parsed, checked and built (environment, transfer
/// environment, settings, expert, demonstrations) before the first iteration, so bad input fails fast and
/// nothing is written.
/// </summary>
/// <param name="Args">The flags as given.</param>
/// <param name="Env">The environment.</param>
/// <param name="Transfer">The transfer environment (same states and actions, with a true reward), or null.</param>
/// <param name="Settings">The learner's settings (with sampling when <c>--demos</c> is given).</param>
/// <param name="Problem">The problem (expert from the true reward, demonstrations when sampling).</param>
/// <param name="ExpertBeta">The expert's inverse temperature.</param>
/// <param name="OutDir">The absolute output folder.</param>
public sealed record TabularPlan(
    TabularArgs Args,
    TabularEnv Env,
    TabularEnv? Transfer,
    TrirlSettings Settings,
    TrirlProblem Problem,
    double ExpertBeta,
    string OutDir)
{
    /// <summary>The algorithm's name as written on the command line and in the outputs.</summary>
    public string AlgoName => Settings.Algorithm.ToString().ToLowerInvariant();

    /// <summary>Validates <paramref name="args"/> and builds the run; bad input throws <see cref="TrirlInputException"/>.</summary>
    public static TabularPlan Create(TabularArgs args)
    {
        Check.PositiveInt(args.Iterations, "--iterations", "run at least one iteration, e.g. --iterations 60");
        var algorithm = ParseAlgorithm(args.Algo);
        string outDir = ValidateOut(args.Out);
        if (args.Rollouts is not null && args.Demos is null && args.DemosFile is null)
            throw new TrirlInputException("--rollouts", "is given without --demos or --demos-file",
                "add --demos N (or --demos-file PATH) for the sample-based learner, or drop --rollouts");
        if (args.Demos is not null && args.DemosFile is not null)
            throw new TrirlInputException("--demos", "is given with --demos-file: the demonstrations are either sampled or recorded",
                "drop --demos to learn from the file, or --demos-file to sample from the expert");
        if (args.ExpertBeta is not null && args.DemosFile is not null)
            throw new TrirlInputException("--expert-beta", "is given with --demos-file: the recorded demonstrations are the expert",
                "drop --expert-beta");
        if (args.Horizon is < 1)
            throw new TrirlInputException("--horizon", $"must be a positive integer, got {args.Horizon}",
                "give the number of time steps, e.g. --horizon 20, or leave the flag out for the discounted infinite-horizon problem");
        Check.PositiveInt(args.Demos, "--demos", "sample at least one demonstration, e.g. --demos 50");
        Check.PositiveInt(args.Rollouts, "--rollouts", "use at least one rollout per iteration, e.g. --rollouts 50");

        // Every numeric flag is checked even where the preset ignores it (mce: delta, adversarial: eps).
        _ = TrirlSettings.Trirl(args.Beta, args.Eps, args.Delta);
        var settings = TrirlSettings.Preset(algorithm, args.Beta, args.Eps, args.Delta);
        if (args.Eta is { } eta)
        {
            if (algorithm == Algorithm.Mce)
                throw new TrirlInputException("--eta", "is given with --algo mce, which takes a full solve (eta = 0)", "drop --eta, or use --algo trirl or adversarial");
            settings = settings.WithFixedEta(eta);
        }
        if (args.StateRewards) settings = settings.WithStateRewards(true);
        double expertBeta = args.ExpertBeta ?? args.Beta;

        var env = ParseEnv(args.Env, args.Seed, "--env", args.Horizon);
        var transfer = args.TransferEnv is { } spec ? ParseTransfer(spec, args.Seed, env, args.Horizon) : null;
        int horizon = Sampling.HorizonOf(env.Mdp);
        TrirlProblem problem;
        if (args.DemosFile is { } file)
        {
            problem = TrirlProblem.FromDemonstrations(env.Mdp, DemosFile.Load(file, env.Mdp), settings.Solver);
            if (args.Rollouts is { } rollouts)
                settings = settings.WithSampling(new SampleSettings(rollouts, horizon, SampleSettings.DefaultL2, args.Seed));
        }
        else
        {
            problem = TrirlProblem.FromTrueReward(env.Mdp, expertBeta, settings.Solver);
            if (args.Demos is { } demos)
            {
                problem = problem.WithDemonstrations(demos, horizon, args.Seed);
                settings = settings.WithSampling(new SampleSettings(args.Rollouts ?? demos, horizon, SampleSettings.DefaultL2, args.Seed));
            }
        }
        return new TabularPlan(args, env, transfer, settings, problem, expertBeta, outDir);
    }

    private static Algorithm ParseAlgorithm(string algo) => algo.ToLowerInvariant() switch
    {
        "trirl" => Algorithm.Trirl,
        "mce" => Algorithm.Mce,
        "adversarial" => Algorithm.Adversarial,
        _ => throw new TrirlInputException("--algo", $"unknown algorithm '{algo}'", "use trirl, mce or adversarial"),
    };

    private static string ValidateOut(string path)
    {
        string full = Commands.Flags.OutputFolder(path, "pass an output folder such as runs/gridworld");
        for (var dir = Path.GetDirectoryName(full); dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
            if (File.Exists(dir)) throw new TrirlInputException("--out", $"'{dir}' is a file, so '{path}' cannot be created", "pass a folder path whose parents are folders");
        return full;
    }

    private static TabularEnv ParseTransfer(string spec, long seed, TabularEnv env, int? horizon)
    {
        var transfer = ParseEnv(spec, seed, "--transfer-env", horizon);
        var (m, t) = (env.Mdp, transfer.Mdp);
        if (t.States != m.States || t.Actions != m.Actions)
            throw new TrirlInputException("--transfer-env",
                $"'{spec}' has {t.States} states and {t.Actions} actions but --env '{env.Spec}' has {m.States} and {m.Actions}",
                "transfer to an environment of the same shape, e.g. the same grid with another slip");
        if (!t.HasReward)
            throw new TrirlInputException("--transfer-env", $"'{spec}' has no true reward to score the transfer with",
                "give the transfer MDP a reward (the JSON field \"reward\": [s][a])");
        return transfer;
    }

    /// <summary>
    /// <see cref="TabularEnvs.Parse"/>, with errors of the environment builders (which name their parameters, such
    /// as <c>slip</c>) attributed to the flag: <c>--env (slip): ...</c>.
    /// </summary>
    private static TabularEnv ParseEnv(string spec, long seed, string flag, int? horizon)
    {
        try { return TabularEnvs.Parse(spec, seed, flag, horizon); }
        catch (TrirlInputException ex) when (ex.Field != flag && !spec.StartsWith("file:", StringComparison.Ordinal))
        {
            throw new TrirlInputException($"{flag} ({ex.Field})", $"{ex.Problem} in '{spec}'", ex.Fix);
        }
    }
}
