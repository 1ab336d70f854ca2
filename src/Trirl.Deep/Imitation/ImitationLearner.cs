using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>
/// An imitation run's learner for <see cref="RlRun"/>: each metrics interval is one <see cref="DeepLearner.Step"/> (trirl,
/// gail, airl) or <see cref="BehaviourCloning.Step"/> (bc), its typed statistics turned into the row's columns
/// (<see cref="ImitationIteration.ColumnNames"/>) and its phase times into <c>timings.csv</c>.
/// </summary>
internal sealed class ImitationLearner : RlLearner
{
    private readonly ImitationState? state;
    private readonly CloningState? cloning;

    /// <summary>A fresh learner on <paramref name="demonstrations"/>, or the one saved in <paramref name="resume"/>.</summary>
    public ImitationLearner(ContinuousEnv env, ImitationSettings settings, long seed, Device device, BinaryReader? resume, TransitionDataset? demonstrations)
        : base(env, seed, device)
    {
        if (settings.Method == ImitationMethod.Bc) cloning = new CloningState(env, settings, seed, device, resume, demonstrations);
        else state = new ImitationState(env, settings, seed, device, resume, demonstrations);
    }

    public static ImmutableArray<string> ColumnNames => ImitationIteration.ColumnNames;

    public static ImmutableArray<string> Phases => ImitationIteration.PhaseNames;

    private PpoLearner Ppo => state?.Ppo ?? cloning!.Ppo;

    public override ImmutableArray<string> Columns => ColumnNames;
    public override ImmutableArray<string> PhaseColumns => Phases;
    public override long EnvSteps => cloning?.CloningSteps ?? Ppo.EnvSteps;
    public override IContinuousPolicy EvaluationPolicy => Ppo.EvaluationPolicy;
    public override PolicyFile ExportPolicy() => Ppo.ExportPolicy();

    /// <summary>The state of a trirl, gail or airl run (none for behaviour cloning).</summary>
    public ImitationState? State => state;

    /// <summary>The reward learned so far (trirl, gail, airl); behaviour cloning learns none.</summary>
    public NeuralReward ExportReward() => state is not null
        ? state.ExportReward()
        : throw new Trirl.Functional.TrirlInputException("algo", "bc learns no reward", "retrain the reward of a trirl, gail or airl run");

    /// <summary>Fills the reward model's buffer to one below its capacity (benchmarks; see <see cref="RewardModel.FillBuffer"/>).</summary>
    public void FillBuffer(double eta) => state?.Model.FillBuffer(state, eta);

    public override LearnerInterval Advance()
    {
        var it = state is not null ? DeepLearner.Step(state) : BehaviourCloning.Step(cloning!);
        double acting = it.Phases[0];
        return new LearnerInterval([.. it.Values], [.. it.EpisodeReturns], acting, it.Phases.Sum() - acting) { Phases = [.. it.Phases] };
    }

    public override void Save(BinaryWriter w)
    {
        if (state is not null) state.Save(w);
        else cloning!.Save(w);
    }

    public override void Dispose()
    {
        state?.Dispose();
        cloning?.Dispose();
    }
}
