using System.CommandLine;
using Trirl.Environments;

namespace Trirl.Cli.Commands;

/// <summary>
/// <c>trirl rollout --env ENV --policy random|expert|DIR|FILE --episodes N [--seed S] --out FILE.npz [--sample] [--device cpu]</c>:
/// records seeded episodes as an <c>.npz</c> transition dataset (obs, acts, next_obs, rews, dones; terminated, truncated,
/// the task's info values such as x_position and x_velocity, and the state before each step: qpos and qvel for a MuJoCo
/// task, <see cref="Rollouts.ToNpz"/>) that <c>numpy.load</c> reads. <c>random</c> draws actions uniformly from the action box; <c>expert</c> replays the expert
/// shipped for ENV (<see cref="ShippedPolicies"/>); a folder of <c>trirl rl</c> or
/// <c>trirl expert</c> (its <c>policy.ckpt</c>) or a policy file replays a trained policy (its mean action, or a draw with
/// <c>--sample</c>). The last transition of each episode has the final observation in <c>next_obs</c>.
/// </summary>
public static class RolloutCommand
{
    /// <summary>Default <c>--episodes</c>.</summary>
    public const int DefaultEpisodes = 20;

    /// <summary>The <c>rollout</c> command with its flags.</summary>
    public static Command Create()
    {
        var env = Flags.Text("--env", $"Environment: {string.Join(", ", ContinuousEnvs.Names)}.");
        var policy = Flags.Text("--policy", "random, expert (the expert shipped for --env), or the folder of a trirl rl / trirl expert run (its policy.ckpt), or a policy file.");
        var episodes = Flags.Whole("--episodes", "Episodes to record, >= 1.", DefaultEpisodes);
        var seed = Flags.Seed("--seed", "Seed of the episodes' initial states and of the action noise.");
        var output = Flags.Text("--out", "The .npz file to write.");
        var sample = Flags.Switch("--sample", "Draw actions from a trained policy's distribution instead of taking its mean.");
        var device = Flags.Device();
        var minReturn = Flags.OptionalReal("--min-return", "Keep only episodes whose return is at least this (an expert's demonstrations without its failed episodes): the first --episodes of --candidates seeded episodes that reach it.");
        var candidates = Flags.OptionalWhole("--candidates", "Episodes recorded to choose from with --min-return (default 4 x --episodes).");
        var command = new Command("rollout", "Record seeded episodes of a random or trained policy as an .npz dataset (obs, acts, next_obs, rews, dones).")
        {
            env, policy, episodes, seed, output, sample, device, minReturn, candidates,
        };
        command.SetAction(parse => Execute(parse.GetRequiredValue(env), parse.GetRequiredValue(policy), parse.GetValue(episodes), parse.GetValue(seed),
            parse.GetRequiredValue(output), parse.GetValue(sample), parse.GetRequiredValue(device), parse.GetValue(minReturn), parse.GetValue(candidates)));
        return command;
    }

    /// <summary>Validates the flags, records the episodes, writes the file atomically and prints a summary.</summary>
    public static int Execute(string envName, string policySpec, int episodes, long seed, string outFile, bool sample, string device,
        double? minReturn = null, int? candidates = null)
    {
        var env = ContinuousEnvs.Create(envName);
        Check.PositiveInt(episodes, "--episodes", "record at least one episode");
        if (candidates is not null && minReturn is null)
            throw new TrirlInputException("--candidates", "chooses among episodes for --min-return", "pass --min-return too, or leave --candidates out");
        int pool = candidates ?? checked(4 * episodes);
        if (minReturn is not null && pool < episodes)
            throw new TrirlInputException("--candidates", $"is {pool}, fewer than --episodes {episodes}", "record at least as many candidates as episodes to keep");
        // Too few qualifying episodes is the library's error on minReturn, reported under --min-return (FieldFlags).
        RolloutResult Recorded(IContinuousPolicy p) =>
            minReturn is { } r ? Rollouts.RecordSuccessful(env, p, episodes, seed, r, pool) : Rollouts.Record(env, p, episodes, seed);
        string path = Flags.OutputFile(outFile, "demos.npz");
        RolloutResult result;
        if (policySpec.Trim().Equals("random", StringComparison.OrdinalIgnoreCase))
        {
            if (sample) throw new TrirlInputException("--sample", "applies to trained policies only", "omit --sample with --policy random");
            result = Recorded(new RandomPolicy(env.Spec));
        }
        else
        {
            var file = LoadPolicy(policySpec, env.Name);
            if (file.ObservationSize != env.Spec.ObservationSize || file.ActionSize != env.Spec.ActionSize)
                throw new TrirlInputException("--policy", $"was trained on {file.Env} ({file.ObservationSize} observations, {file.ActionSize} actions) but {env.Name} has {env.Spec.ObservationSize} and {env.Spec.ActionSize}",
                    $"use a policy trained on {env.Name} or its shifted twin");
            // One torch thread, as training uses: a small network gains nothing from more, and results stay the same.
            TorchRuntime.Configure(TorchRuntime.DefaultThreads, seed);
            using var policy = file.Open(Devices.Parse(device), sample);
            result = Recorded(policy);
        }
        Trirl.Environments.Data.Npz.Save(path, Rollouts.ToNpz(result, env));
        System.Console.Out.WriteLine($"wrote {path}");
        System.Console.Out.WriteLine(
            $"{episodes} episodes, {result.Dataset.Count} transitions, mean return {result.MeanReturn.ToString("0.###", CultureInfo.InvariantCulture)}" +
            $" +/- {Math.Sqrt(result.Returns.Select(r => (r - result.MeanReturn) * (r - result.MeanReturn)).Average()).ToString("0.###", CultureInfo.InvariantCulture)}" +
            $" (min {result.Returns.Min().ToString("0.###", CultureInfo.InvariantCulture)}, max {result.Returns.Max().ToString("0.###", CultureInfo.InvariantCulture)})");
        return ExitCodes.Success;
    }

    /// <summary>
    /// The policy named by <c>--policy</c>: the shipped expert of <paramref name="env"/> for <c>expert</c> (unless a
    /// folder or file has that name), <c>DIR/policy.ckpt</c> for a folder, else the file itself.
    /// </summary>
    public static PolicyFile LoadPolicy(string spec, string? env = null)
    {
        if (spec.Trim().Equals("expert", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(spec) && !File.Exists(spec))
        {
            if (env is null) throw new TrirlInputException("--policy", "'expert' needs the environment", "pass --env");
            if (!ShippedExperts.Has(env))
                throw new TrirlInputException("--policy", $"'expert': {env} has no shipped expert (shipped: {string.Join(", ", ShippedExperts.Names)})",
                    "train one with trirl expert --env ENV --out DIR and pass --policy DIR");
            return ShippedPolicies.File(env);
        }
        string path = Directory.Exists(spec) ? Path.Combine(spec, PolicyFile.FileName) : spec;
        if (!File.Exists(path))
            throw new TrirlInputException("--policy", Directory.Exists(spec) ? $"folder '{spec}' holds no {PolicyFile.FileName}" : $"'{spec}' is neither random, a folder nor a file",
                "pass random, expert, the folder of a trirl rl or trirl expert run, or a policy file");
        return PolicyFile.Load(path);
    }
}
