using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>
/// An RL run on the true reward (or on a <see cref="NeuralReward"/>, <see cref="StartOnReward"/>), or an imitation run
/// (<see cref="ImitationSettings"/>, <see cref="StartImitation"/>): a PPO, SAC or imitation learner
/// (<see cref="RlRunSettings"/>), its metrics rows and its checkpoints. Evaluation always scores the true reward. <see cref="Train"/> is the loop, an unfold that yields one <see cref="RlProgress"/> per metrics interval
/// (PPO: one iteration; SAC: <c>LogEvery</c> steps), each with a deterministic evaluation: the mean return of
/// <see cref="RlRunSettings.EvalEpisodes"/> seeded episodes of the deterministic policy (the same episode seeds at every
/// row) and its normalised value. <see cref="Checkpoint"/> captures everything (weights, Adam states, the replay
/// buffer, environment states, episode accumulators, step and generator counters, torch's generator state, the rows so
/// far), so <see cref="Resume"/> continues bit for bit: training to <c>2k</c> steps, checkpointing, resuming and training to
/// <c>4k</c> gives the rows of a straight run to <c>4k</c>.
/// </summary>
public sealed class RlRun : IDisposable
{
    /// <summary>The columns every run has before the learner's own.</summary>
    public static ImmutableArray<string> CommonColumns { get; } =
        ["env_steps", "normalized_return", "eval_return", "eval_return_std", "train_return_mean", "train_return_min", "train_return_max", "train_episodes"];

    private readonly RlLearner learner;
    private readonly List<MetricsRow> rows = [];
    private readonly List<TimingRow> timings = [];
    private readonly long evalSeed;
    private readonly NeuralReward? reward;

    private RlRun(RlRunSettings settings, torch.Device device, BinaryReader? resume, TransitionDataset? demos = null, NeuralReward? reward = null,
        bool savedReward = false)
    {
        Settings = settings;
        Device = device;
        Env = ContinuousEnvs.Create(settings.Env, "env");
        TorchRuntime.Configure(settings.Threads, settings.Seed);
        evalSeed = RunStreams.Seed(settings.Seed, RunStreams.Eval);
        if (resume is not null)
        {
            resume.ExpectTag("run");
            int count = resume.ReadInt32();
            for (int i = 0; i < count; i++) rows.Add(new MetricsRow(Columns(settings.Learner), [.. resume.ReadDoubles()]));
            int timingCount = resume.ReadInt32();
            for (int i = 0; i < timingCount; i++)
            {
                var t = resume.ReadDoubles();
                timings.Add(new TimingRow((long)t[0], t[1], t[2], t[3], t[4], t[5]) { PhaseNames = PhaseColumns(settings.Learner), Phases = [.. t[6..]] });
            }
            resume.ExpectTag("torch-rng");
            using var rngState = TensorExtensionMethods.Load(resume);
            torch.random.set_rng_state(rngState);
            if (savedReward)
            {
                resume.ExpectTag("learned-reward");
                reward = NeuralReward.FromCheckpoint(CheckpointFile.Read(resume.ReadBytes(resume.ReadInt32()), "the checkpoint's reward"), "the checkpoint's reward");
            }
        }
        this.reward = reward;
        learner = settings.Learner switch
        {
            PpoSettings p => new PpoLearner(Env, p, settings.Seed, device, resume, reward is null ? PpoRewardSource.Task : PpoRewardSource.Learned(reward, p.AbsorbingFloor)),
            SacSettings s => new SacLearner(Env, s, settings.Seed, device, resume, reward),
            ImitationSettings i => new ImitationLearner(Env, i, settings.Seed, device, resume, demos),
            _ => throw new TrirlInputException("learner", "is neither PPO, SAC nor imitation", "use PpoSettings, SacSettings or ImitationSettings"),
        };
        ResumedFrom = resume is null ? 0 : learner.EnvSteps;
    }

    /// <summary>A fresh run on <paramref name="device"/> (see <see cref="Devices.Parse"/>).</summary>
    public static RlRun Start(RlRunSettings settings, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(device);
        settings.Validated();
        if (settings.Learner is ImitationSettings)
            throw new TrirlInputException("learner", "is an imitation learner, which needs demonstrations", "start it with RlRun.StartImitation");
        if (settings.Learner is PpoSettings { AbsorbingFloor: true })
            throw new TrirlInputException("ppo.absorbing_floor", "caps a learned reward's absorbing rewards; the task's own reward has none",
                "remove it, or optimise a learned reward (RlRun.StartOnReward)");
        TorchRuntime.Ensure();
        return new RlRun(settings, device, null);
    }

    /// <summary>A fresh imitation run (<see cref="ImitationSettings"/>) on <paramref name="demonstrations"/> (checked against the task).</summary>
    public static RlRun StartImitation(RlRunSettings settings, TransitionDataset demonstrations, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(demonstrations);
        ArgumentNullException.ThrowIfNull(device);
        settings.Validated();
        if (settings.Learner is not ImitationSettings)
            throw new TrirlInputException("learner", $"is {settings.Algo}, not an imitation learner", "start RL runs with RlRun.Start");
        Demonstrations.Checked(demonstrations, ContinuousEnvs.Create(settings.Env, "env"), "demonstrations");
        TorchRuntime.Ensure();
        return new RlRun(settings, device, null, demos: demonstrations);
    }

    /// <summary>
    /// A fresh PPO or SAC run that optimises <paramref name="reward"/> (with its absorbing-state tail) instead of the task's
    /// reward, which still scores the evaluations: retraining on the reward's own task, transfer on its shifted twin. The
    /// run keeps its own copy of the reward (in its checkpoints too); dispose <paramref name="reward"/> as usual.
    /// </summary>
    public static RlRun StartOnReward(RlRunSettings settings, NeuralReward reward, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(reward);
        ArgumentNullException.ThrowIfNull(device);
        settings.Validated();
        if (settings.Learner is ImitationSettings)
            throw new TrirlInputException("learner", "is an imitation learner", "optimise a learned reward with PPO or SAC settings");
        var env = ContinuousEnvs.Create(settings.Env, "env");
        if (!reward.Fits(env))
            throw new TrirlInputException("reward", $"was learned on {reward.Env}, which {env.Name} cannot be scored with",
                $"optimise it on one of {string.Join(", ", ContinuousEnvs.Family(reward.Env))}");
        TorchRuntime.Ensure();
        var copy = NeuralReward.FromCheckpoint(reward.ToCheckpoint(), "reward");
        return new RlRun(settings, device, null, reward: copy);
    }

    /// <summary>The settings stored in a run checkpoint (its header), checked; <paramref name="source"/> names the file.</summary>
    public static RlRunSettings ReadSettings(CheckpointFile file, string source) => RunCheckpointHeader.ReadSettings(file, source);

    /// <summary>
    /// The run saved in <paramref name="file"/>, on <paramref name="device"/> (it may differ from the device that wrote
    /// it). A payload that does not match its header is a <see cref="TrirlInputException"/> naming <paramref name="source"/>.
    /// </summary>
    public static RlRun Resume(CheckpointFile file, string source, torch.Device device)
    {
        var settings = ReadSettings(file, source);
        TorchRuntime.Ensure();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(file.Payload.ToArray()), Encoding.UTF8);
            var run = new RlRun(settings, device, reader, savedReward: RunCheckpointHeader.HasLearnedReward(file));
            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                run.Dispose();
                throw new InvalidDataException($"{reader.BaseStream.Length - reader.BaseStream.Position} bytes are left after the last section");
            }
            return run;
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or ArgumentException or IOException
                                       && ex is not TrirlInputException)
        {
            throw PayloadIO.Corrupt(source, ex);
        }
    }

    /// <summary>The run's settings.</summary>
    public RlRunSettings Settings { get; }

    /// <summary>The device the learner's tensors live on.</summary>
    public torch.Device Device { get; }

    /// <summary>The training environment.</summary>
    public ContinuousEnv Env { get; }

    /// <summary>Environment steps taken so far.</summary>
    public long EnvSteps => learner.EnvSteps;

    /// <summary>Environment steps at which this run was resumed (0 for a fresh run).</summary>
    public long ResumedFrom { get; }

    /// <summary>Column names of the metrics rows: <see cref="CommonColumns"/> then the learner's.</summary>
    public ImmutableArray<string> MetricsColumns => Columns(Settings.Learner);

    /// <summary>The metrics columns of a learner.</summary>
    public static ImmutableArray<string> Columns(LearnerSettings learner) =>
        [.. CommonColumns, .. learner switch
        {
            PpoSettings => PpoLearner.ColumnNames,
            ImitationSettings => ImitationLearner.ColumnNames,
            _ => SacLearner.ColumnNames,
        }];

    /// <summary>The names of a learner's own phases in <c>timings.csv</c> (after <see cref="TimingRow.Columns"/>).</summary>
    public static ImmutableArray<string> PhaseColumns(LearnerSettings learner) => learner is ImitationSettings ? ImitationLearner.Phases : [];

    /// <summary>Column names of <c>timings.csv</c>: <see cref="TimingRow.Columns"/> then the learner's phases.</summary>
    public ImmutableArray<string> TimingColumns => [.. TimingRow.Columns, .. PhaseColumns(Settings.Learner)];

    /// <summary>The reward a PPO or SAC run optimises instead of the task's (<see cref="StartOnReward"/>), if any.</summary>
    public NeuralReward? OptimisedReward => reward;

    /// <summary>The reward an imitation run has learned so far (trirl, gail, airl; behaviour cloning learns none). Dispose it.</summary>
    public NeuralReward ExportReward() => learner is ImitationLearner imitation
        ? imitation.ExportReward()
        : throw new TrirlInputException("run", $"is a {Settings.Algo} run, which learns no reward", "export the reward of a trirl, gail or airl run");

    /// <summary>Every metrics row so far (across resumes).</summary>
    public IReadOnlyList<MetricsRow> Rows => rows;

    /// <summary>Every timing row so far (across resumes).</summary>
    public IReadOnlyList<TimingRow> Timings => timings;

    /// <summary>Cumulative wall-clock seconds of training and evaluation (across resumes).</summary>
    public double Seconds => timings.Count == 0 ? 0 : timings[^1].Seconds;

    /// <summary>
    /// Trains until at least <paramref name="totalSteps"/> environment steps (whole metrics intervals: the run ends at
    /// the first interval boundary at or beyond the budget), yielding each new row. Nothing happens when the run is
    /// already there.
    /// </summary>
    public IEnumerable<RlProgress> Train(long totalSteps)
    {
        Check.PositiveInt(totalSteps, "steps", "pass the total number of environment steps");
        while (learner.EnvSteps < totalSteps)
        {
            var interval = learner.Advance();
            var watch = Stopwatch.StartNew();
            bool evaluate = (rows.Count + 1) % Settings.EvalEvery == 0 || learner.EnvSteps >= totalSteps;
            double mean = double.NaN, std = double.NaN;
            if (evaluate)
            {
                var returns = Rollouts.Returns(Env, learner.EvaluationPolicy, Settings.EvalEpisodes, evalSeed);
                mean = returns.Average();
                std = Math.Sqrt(returns.Select(r => (r - mean) * (r - mean)).Average());
            }
            double evalSeconds = watch.Elapsed.TotalSeconds;
            var ep = interval.EpisodeReturns;
            var values = new List<double>
            {
                learner.EnvSteps, evaluate ? Settings.Anchors.Normalize(mean) : double.NaN, mean, std,
                ep.Length > 0 ? ep.Average() : double.NaN, ep.Length > 0 ? ep.Min() : double.NaN, ep.Length > 0 ? ep.Max() : double.NaN, ep.Length,
            };
            values.AddRange(interval.Values);
            var row = new MetricsRow(MetricsColumns, [.. values]);
            double train = interval.RolloutSeconds + interval.UpdateSeconds;
            long stepsBefore = rows.Count > 0 ? rows[^1].EnvSteps : 0;
            var timing = new TimingRow(learner.EnvSteps, interval.RolloutSeconds, interval.UpdateSeconds, evalSeconds,
                Seconds + train + evalSeconds, train > 0 ? (learner.EnvSteps - stepsBefore) / train : double.NaN)
            {
                PhaseNames = learner.PhaseColumns,
                Phases = [.. interval.Phases],
            };
            rows.Add(row);
            timings.Add(timing);
            yield return new RlProgress(row, timing, totalSteps);
        }
    }

    /// <summary>The deterministic policy being trained (valid while the run is alive).</summary>
    public IContinuousPolicy Policy => learner.EvaluationPolicy;

    /// <summary>The current policy as a standalone <see cref="PolicyFile"/>.</summary>
    public PolicyFile ExportPolicy() => learner.ExportPolicy();

    /// <summary>The returns of <paramref name="episodes"/> episodes of the deterministic policy seeded with <paramref name="seed"/>.</summary>
    public ImmutableArray<double> EvaluateReturns(int episodes, long seed) => Rollouts.Returns(Env, learner.EvaluationPolicy, episodes, seed);

    /// <summary>Everything needed to continue this run exactly, as a checkpoint file (kind <c>run</c>).</summary>
    public CheckpointFile Checkpoint()
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Tag("run");
            w.Write(rows.Count);
            foreach (var r in rows) w.WriteArray(r.Values.ToArray());
            w.Write(timings.Count);
            foreach (var t in timings) w.WriteArray(t.Values.ToArray());
            // Torch's global generator: the learners never draw from it (every draw comes from a seeded Rng stream), but
            // a checkpoint holds every generator state, so anything else drawing from it resumes exactly too.
            w.Tag("torch-rng");
            using (var rngState = torch.random.get_rng_state()) rngState.Save(w);
            if (reward is not null)
            {
                w.Tag("learned-reward");
                var bytes = reward.ToCheckpoint().ToBytes();
                w.Write(bytes.Length);
                w.Write(bytes);
            }
            learner.Save(w);
        }
        return new CheckpointFile(RunCheckpointHeader.Write(Settings, EnvSteps, rows.Count, reward is not null, MetricsColumns), payload.ToArray());
    }

    /// <summary>Disposes the learner's modules and optimisers.</summary>
    public void Dispose()
    {
        learner.Dispose();
        reward?.Dispose();
    }
}
