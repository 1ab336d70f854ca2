using System.CommandLine;
using System.Globalization;
using Trirl.Cli.Runs;
using Trirl.Deep;
using Trirl.FSharp;
using Trirl.Functional;

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
        var device = Flags.Text("--device", "Device: cpu or cuda.", "cpu");
        var threads = Flags.OptionalWhole("--threads", "Torch intra-op threads (default 1; results are reproducible for a fixed count).");
        var noise = RlCommand.NoiseFlag();
        var command = new Command("expert", "Train a SAC expert on the true reward; write its run folder, policy.ckpt, demos.npz and anchors.json.")
        {
            env, steps, seed, output, demos, preset, device, threads, noise,
        };
        command.SetAction(parse => Execute(parse.GetRequiredValue(env), parse.GetValue(steps) ?? DefaultSteps, parse.GetValue(seed),
            parse.GetRequiredValue(output), parse.GetValue(demos), parse.GetRequiredValue(preset), parse.GetRequiredValue(device), parse.GetValue(threads),
            parse.GetValue(noise)));
        return command;
    }

    /// <summary>Trains, records and writes; prints the expert's returns beside the random policy's.</summary>
    public static int Execute(string env, long steps, long seed, string output, int demos, string preset, string device, int? threads, string? noise = null)
    {
        if (demos < 1) throw new TrirlInputException("--demos", $"must be >= 1, got {demos}", "record at least one demonstration episode");
        using var plan = RlPlan.Create(new RlArgs(env, RlAlgo.Sac, steps, seed, output, null, preset, device, threads, Noise: noise));
        RlCommand.Execute(plan);
        var run = plan.Run;
        var artifacts = ExpertArtifacts.Measure(run.Env, run.Policy, demos, seed);
        string noiseText = run.Settings.Learner is SacSettings { NoiseExponent: > 0 } sac ? $" --noise {ColoredNoise.Name(sac.NoiseExponent)}" : "";
        string presetText = run.Settings.Preset == RlPreset.Default ? "" : $" --preset {run.Settings.Preset}";
        artifacts = artifacts with
        {
            Anchors = artifacts.Anchors with
            {
                Source = $"trirl expert --env {run.Env.Name} --steps {run.EnvSteps} --seed {seed}{presetText}{noiseText} --demos {demos}; " + artifacts.Anchors.Source,
            },
        };
        artifacts.Demos.Dataset.Save(Path.Combine(plan.Dir, ExpertArtifacts.DemosFile), Trirl.Environments.Data.NpzCompression.Deflated);
        Charts.writeAtomic(Path.Combine(plan.Dir, ExpertArtifacts.AnchorsFile), artifacts.AnchorsJson());
        string F(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
        double Std(IEnumerable<double> xs)
        {
            var a = xs.ToArray();
            double m = a.Average();
            return Math.Sqrt(a.Select(v => (v - m) * (v - m)).Average());
        }
        System.Console.Out.WriteLine(
            $"expert return {F(artifacts.Anchors.ExpertReturn)} +/- {F(Std(artifacts.ExpertReturns))}, random return {F(artifacts.Anchors.RandomReturn)}" +
            $" +/- {F(Std(artifacts.RandomReturns))} over {ReturnAnchors.RandomEpisodes} seeded episodes; published SAC: {F(ReturnAnchors.PublishedExpertReturn(run.Env.Name))}");
        System.Console.Out.WriteLine($"wrote {ExpertArtifacts.DemosFile} ({demos} episodes, {artifacts.Demos.Dataset.Count} transitions) and {ExpertArtifacts.AnchorsFile}");
        var published = ReturnAnchors.Published(run.Env);
        if (double.IsFinite(published.ExpertReturn) && published.Normalize(artifacts.Anchors.ExpertReturn) < 0.9)
            Trirl.Cli.Terminal.Messages.Warning(
                $"the expert's return {F(artifacts.Anchors.ExpertReturn)} is far below the published SAC return {F(published.ExpertReturn)}:" +
                " train longer, or explore with --noise pink (plain SAC never finds the goal of mountaincar)");
        return ExitCodes.Success;
    }
}
