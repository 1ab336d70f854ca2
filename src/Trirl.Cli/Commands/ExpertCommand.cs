using System.CommandLine;
using Trirl.Cli.Runs;
using Trirl.FSharp;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl expert --env ENV --steps N [--seed S] --out DIR [--demos K] [--preset ...] [--noise white|pink|red] [--device cpu] [--threads T]</c>:
/// trains SAC on the true reward (everything <c>trirl rl --algo sac</c> writes), then writes the expert's
/// demonstrations (<c>demos.npz</c>, K episodes of the deterministic policy, compressed) and the normalisation anchors
/// (<c>anchors.json</c>: the expert's and the uniform-random policy's mean returns over 100 seeded episodes).
/// </summary>
public static class ExpertCommand
{
    /// <summary>Default <c>--steps</c>.</summary>
    public const long DefaultSteps = 30_000;

    /// <summary>Default <c>--demos</c>.</summary>
    public const int DefaultDemos = 20;

    /// <summary>The <c>expert</c> command with its flags.</summary>
    public static Command Create()
    {
        var env = Flags.Text("--env", $"Environment: {string.Join(", ", Trirl.Environments.ContinuousEnvs.Names)}.");
        var steps = Flags.OptionalLong("--steps", $"Total environment steps of SAC (default {DefaultSteps}).");
        var seed = Flags.Seed("--seed", "Run seed.");
        var output = Flags.Text("--out", "Output folder (created if missing).");
        var demos = Flags.Whole("--demos", "Demonstration episodes to record, >= 1.", DefaultDemos);
        var preset = Flags.Text("--preset", "SAC settings preset: default, paper or tiny.", RlPreset.Default);
        var device = Flags.Device();
        var threads = Flags.OptionalWhole("--threads", "Torch intra-op threads (default 1; results are reproducible for a fixed count).");
        var noise = RlCommand.NoiseFlag();
        var algo = Flags.Text("--algo", "Algorithm: sac (default) or ppo (with --preset locomotion for the MuJoCo tasks).", RlAlgo.Sac);
        var evalEvery = RunOptions.EvalEvery();
        var set = RunOptions.Set();
        var resume = Flags.OptionalText("--resume", "Folder of an interrupted trirl expert run to continue up to --steps (then record as usual).");
        var command = new Command("expert", "Train an expert (SAC, or PPO) on the true reward; write its run folder, policy.ckpt, demos.npz and anchors.json.")
        {
            env, steps, seed, output, demos, preset, device, threads, noise, algo, evalEvery, resume, set,
        };
        command.SetAction(parse => Execute(parse.GetRequiredValue(env), parse.GetValue(steps) ?? DefaultSteps, parse.GetValue(seed),
            parse.GetRequiredValue(output), parse.GetValue(demos), parse.GetRequiredValue(preset), parse.GetRequiredValue(device), parse.GetValue(threads),
            parse.GetValue(noise), parse.GetRequiredValue(algo), parse.GetValue(evalEvery), parse.GetValue(resume), parse.GetValue(set)));
        return command;
    }

    /// <summary>Trains, records and writes; prints the expert's returns beside the random policy's.</summary>
    public static int Execute(string env, long steps, long seed, string output, int demos, string preset, string device, int? threads, string? noise = null,
        string algo = RlAlgo.Sac, int? evalEvery = null, string? resume = null, IReadOnlyList<string>? set = null)
    {
        Check.PositiveInt(demos, "--demos", "record at least one demonstration episode");
        var args = resume is null
            ? new RlArgs(new RunArgs(env, RlAlgo.Parse(algo), steps, seed, output, null, preset, device, threads), Noise: noise, EvalEvery: evalEvery, Set: set)
            : new RlArgs(new RunArgs(env, RlAlgo.Parse(algo), steps, null, output, resume, null, device));
        using var plan = RlPlan.Create(args);
        RlCommand.Execute(plan);
        var run = plan.Run;
        seed = run.Settings.Seed;
        var artifacts = ExpertArtifacts.Measure(run.Env, run.Policy, demos, seed, run.Settings.Algo);
        string noiseText = run.Settings.Learner is SacSettings { NoiseExponent: > 0 } sac ? $" --noise {ColoredNoise.Name(sac.NoiseExponent)}" : "";
        string presetText = (run.Settings.Algo == RlAlgo.Sac ? "" : $" --algo {run.Settings.Algo}")
            + (run.Settings.Preset == DeepPreset.Default ? "" : $" --preset {run.Settings.PresetName}")
            + (run.Settings.EvalEvery == 1 ? "" : $" --eval-every {run.Settings.EvalEvery}");
        artifacts = artifacts with
        {
            Anchors = artifacts.Anchors with
            {
                Source = $"trirl expert --env {run.Env.Name} --steps {run.EnvSteps} --seed {seed}{presetText}{noiseText} --demos {demos}; " + artifacts.Anchors.Source,
            },
        };
        Trirl.Environments.Data.Npz.Save(Path.Combine(plan.Dir, ExpertArtifacts.DemosFile),
            run.Env is Trirl.Environments.LocomotionEnv ? Rollouts.ToNpz(artifacts.Demos, run.Env) : artifacts.Demos.Dataset.ToNpz(),
            Trirl.Environments.Data.NpzCompression.Deflated);
        AtomicFile.WriteAllText(Path.Combine(plan.Dir, ExpertArtifacts.AnchorsFile), artifacts.AnchorsJson());
        string F(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
        double Std(IEnumerable<double> xs)
        {
            var a = xs.ToArray();
            double m = a.Average();
            return Math.Sqrt(a.Select(v => (v - m) * (v - m)).Average());
        }
        System.Console.Out.WriteLine(
            $"expert return {F(artifacts.Anchors.ExpertReturn)} +/- {F(Std(artifacts.ExpertReturns))}, random return {F(artifacts.Anchors.RandomReturn)}" +
            $" +/- {F(Std(artifacts.RandomReturns))} over {ReturnAnchors.RandomEpisodes} seeded episodes; published (rl-baselines3-zoo): {F(ReturnAnchors.PublishedExpertReturn(run.Env.Name))}");
        System.Console.Out.WriteLine($"wrote {ExpertArtifacts.DemosFile} ({demos} episodes, {artifacts.Demos.Dataset.Count} transitions) and {ExpertArtifacts.AnchorsFile}");
        var published = ReturnAnchors.Published(run.Env);
        if (double.IsFinite(published.ExpertReturn) && published.Normalize(artifacts.Anchors.ExpertReturn) < 0.9)
            Trirl.Cli.Terminal.Messages.Warning(
                $"the expert's return {F(artifacts.Anchors.ExpertReturn)} is far below the published return {F(published.ExpertReturn)}:" +
                " train longer, or explore with --noise pink (plain SAC never finds the goal of mountaincar)");
        return ExitCodes.Success;
    }
}
