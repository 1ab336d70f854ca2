namespace Trirl.FSharp

// The deep half, curried (Trirl.Deep): settings, the deep imitation learner as start/step/run, its five phases, full
// runs with evaluations and checkpoints, and learned rewards. Each function calls the C# member its doc names; nothing
// is re-implemented. States and runs hold TorchSharp modules: `Deep.using` and `Runs.using` dispose them when done (a
// top-level `use` in a script is a plain `let`, warning FS0524).

open Trirl.Environments
open Trirl.Environments.Data
open Trirl.Deep

/// Settings of an imitation learner (ImitationSettings).
[<RequireQualifiedAccess>]
module Imitation =

    /// The settings of an imitation algorithm (trirl, gail, airl, bc) under a preset (ImitationSettings.Preset).
    let preset (preset: DeepPreset) (algorithm: DeepAlgorithm) : ImitationSettings =
        ImitationSettings.Preset(DeepAlgorithms.Method algorithm, Trirl.Functional.EnumNames.Name(preset))

    /// TRIRL under a preset (ImitationSettings.Preset).
    let trirl (p: DeepPreset) : ImitationSettings = preset p DeepAlgorithm.Trirl

    /// Copy with another reward step size eps (ImitationSettings.WithEps).
    let withEps (eps: float) (settings: ImitationSettings) : ImitationSettings = settings.WithEps eps

    /// Copy with another number K of discriminators kept (ImitationSettings.WithBufferSize).
    let withBufferSize (k: int) (settings: ImitationSettings) : ImitationSettings = settings.WithBufferSize k

    /// Copy with another reward model (ImitationSettings.WithRewardModel).
    let withRewardModel (model: RewardModelKind) (settings: ImitationSettings) : ImitationSettings = settings.WithRewardModel model

    /// Copy with another eta schedule kind (ImitationSettings.WithEtaSchedule).
    let withEtaSchedule (kind: EtaScheduleKind) (settings: ImitationSettings) : ImitationSettings = settings.WithEtaSchedule kind

    /// Copy with the reward step decaying as eps(t) = eps / (1 + t / steps), 0 for none (ImitationSettings.WithEpsDecaySteps).
    let withEpsDecaySteps (steps: int64) (settings: ImitationSettings) : ImitationSettings = settings.WithEpsDecaySteps steps

    /// Copy that exports an average of the reward iterates, or the last one (ImitationSettings.WithAverageReward).
    let withAverageReward (average: RewardAverage) (settings: ImitationSettings) : ImitationSettings = settings.WithAverageReward average

/// Settings of a full run (RlRunSettings): the task, the seed, the preset, the learner, evaluation and threads.
[<RequireQualifiedAccess>]
module RunSettings =

    /// The settings of `algorithm` on `task` under `preset` (RlRunSettings.Create).
    let create (preset: DeepPreset) (algorithm: DeepAlgorithm) (seed: int64) (task: ContinuousTask) : RlRunSettings =
        RlRunSettings.Create(task, algorithm, seed, preset)

    /// Copy with other learner settings (RlRunSettings.WithLearner).
    let withLearner (learner: LearnerSettings) (settings: RlRunSettings) : RlRunSettings = settings.WithLearner learner

    /// Copy with another torch thread count (RlRunSettings.WithThreads).
    let withThreads (threads: int) (settings: RlRunSettings) : RlRunSettings = settings.WithThreads threads

    /// Copy with another number of evaluation episodes per row (RlRunSettings.WithEvalEpisodes).
    let withEvalEpisodes (episodes: int) (settings: RlRunSettings) : RlRunSettings = settings.WithEvalEpisodes episodes

/// The deep imitation learner (trirl, gail, airl) as an (init, step) pair (DeepLearner).
[<RequireQualifiedAccess>]
module Deep =

    /// A fresh learner on the CPU (DeepLearner.Start).
    let start (settings: ImitationSettings) (seed: int64) (demonstrations: TransitionDataset) (task: ContinuousTask) : ImitationState =
        DeepLearner.Start(task.Create(), settings, demonstrations, seed, Devices.Cpu)

    /// One iteration: the five phases (DeepLearner.Step).
    let step (state: ImitationState) : ImitationIteration = DeepLearner.Step state

    /// The iterations, lazily (DeepLearner.Run).
    let run (state: ImitationState) : seq<ImitationIteration> = DeepLearner.Run state

    /// `f state`, then the state disposed (ImitationState.Dispose).
    let using (f: ImitationState -> 'a) (state: ImitationState) : 'a =
        try f state finally state.Dispose()

    /// The reward learned so far, on the CPU (ImitationState.ExportReward; dispose it).
    let exportReward (state: ImitationState) : NeuralReward = state.ExportReward()

/// The five phases of one deep imitation iteration, in order (DeepPhases).
[<RequireQualifiedAccess>]
module Phase =

    /// 1. A rollout of the current policy (DeepPhases.Collect).
    let collect (state: ImitationState) : PpoRollout = DeepPhases.Collect state

    /// 2. The discriminator trained on the rollout against as many expert transitions (DeepPhases.FitDiscriminator).
    let fitDiscriminator (state: ImitationState) (rollout: PpoRollout) : DiscriminatorFit = DeepPhases.FitDiscriminator(state, rollout)

    /// 3. The proposal U_eps(r_i) on the rollout (DeepPhases.ProposeReward).
    let propose (state: ImitationState) (rollout: PpoRollout) (fit: DiscriminatorFit) : RewardProposal =
        DeepPhases.ProposeReward(state, rollout, fit)

    /// 4. The trust-region policy step: eta and the KL (DeepPhases.PolicyStep).
    let policyStep (state: ImitationState) (rollout: PpoRollout) (proposal: RewardProposal) : PolicyStep =
        DeepPhases.PolicyStep(state, rollout, proposal)

    /// 5. The correction: eps_tr = eps / (1 + eta) and the buffer's weights (DeepPhases.Correct).
    let correct (state: ImitationState) (proposal: RewardProposal) (step: PolicyStep) : Correction = DeepPhases.Correct(state, proposal, step)

/// Behaviour cloning as its own (init, step) pair (BehaviourCloning).
[<RequireQualifiedAccess>]
module Cloning =

    /// A fresh learner on the CPU (BehaviourCloning.Start).
    let start (seed: int64) (demonstrations: TransitionDataset) (task: ContinuousTask) : CloningState =
        BehaviourCloning.Start(task.Create(), ImitationSettings.Preset(ImitationMethod.Bc, "default"), demonstrations, seed, Devices.Cpu)

    /// One iteration (BehaviourCloning.Step).
    let step (state: CloningState) : ImitationIteration = BehaviourCloning.Step state

    /// The iterations, lazily (BehaviourCloning.Run).
    let run (state: CloningState) : seq<ImitationIteration> = BehaviourCloning.Run state

/// Full runs with seeded evaluations on the true reward, metrics rows and checkpoints (RlRun).
[<RequireQualifiedAccess>]
module Runs =

    /// A fresh imitation run on `demonstrations` on the CPU (RlRun.StartImitation).
    let imitate (demonstrations: TransitionDataset) (settings: RlRunSettings) : RlRun = RlRun.StartImitation(settings, demonstrations, Devices.Cpu)

    /// A fresh PPO or SAC run on the task's reward on the CPU (RlRun.Start).
    let rl (settings: RlRunSettings) : RlRun = RlRun.Start(settings, Devices.Cpu)

    /// Trains to at least `steps` environment steps and returns the new metrics rows (RlRun.Train).
    let train (steps: int64) (run: RlRun) : MetricsRow[] = run.Train steps |> Seq.map (fun p -> p.Metrics) |> Seq.toArray

    /// `f run`, then the run disposed (RlRun.Dispose).
    let using (f: RlRun -> 'a) (run: RlRun) : 'a =
        try f run finally run.Dispose()

    /// The reward an imitation run has learned so far (RlRun.ExportReward; dispose it).
    let exportReward (run: RlRun) : NeuralReward = run.ExportReward()

/// Learned rewards: load, score, save, retrain (NeuralReward, ShippedRewards, RlRun.StartOnReward).
[<RequireQualifiedAccess>]
module NeuralRewards =

    /// The task's shipped learned reward (ShippedRewards.Load; dispose it).
    let shipped (task: ContinuousTask) : NeuralReward = ShippedRewards.Load task.Name

    /// The command line that made the task's shipped reward (ShippedRewards.Command).
    let shippedCommand (task: ContinuousTask) : string = ShippedRewards.Command task.Name

    /// A reward saved in a folder or file (NeuralReward.Load; dispose it).
    let load (path: string) : NeuralReward = NeuralReward.Load(path, "path")

    /// Writes the reward into `dir` (NeuralReward.Save).
    let save (dir: string) (reward: NeuralReward) : unit = reward.Save dir

    /// r(s, a) of each transition of `data`, with the task's termination flags (NeuralReward.Rewards).
    let score (task: ContinuousTask) (data: TransitionDataset) (reward: NeuralReward) : float[] =
        reward.Rewards(data, Datasets.terminations task data)

    /// Retraining: a fresh `algorithm` (ppo or sac) policy optimising the reward on `task` (its own, or the shifted
    /// twin for transfer), one torch thread, for `steps` environment steps; every row evaluates the true reward
    /// (RlRun.StartOnReward, RlRun.Train).
    let retrain (algorithm: DeepAlgorithm) (seed: int64) (steps: int64) (task: ContinuousTask) (reward: NeuralReward) : MetricsRow[] =
        let settings = RlRunSettings.Create(task, algorithm, seed).WithThreads 1
        RlRun.StartOnReward(settings, reward, Devices.Cpu) |> Runs.using (Runs.train steps)
