/// The deep imitation iteration as five named phases (DeepPhases): each phase alone on a fixed start (seed 0, the tiny
/// preset, the pendulum's shipped demonstrations) against shapes and values computed by hand from the math note
/// (the schedule's eta, eps_tr = eps / (1 + eta), the buffer's weights, the proposal against the exported reward to
/// 1e-5), and the five calls against DeepLearner.Step bit for bit (every statistic, the checkpoint and the exported
/// reward) for each reward model and method. A stale rollout is refused with the field named.
module Trirl.Tests.PipelineTests

open System
open System.IO
open Expecto
open Trirl.Functional
open Trirl.Environments
open Trirl.Environments.Data
open Trirl.Deep

let private env () = ContinuousEnvs.Create "pendulum"
let private demos () = ShippedExperts.Demonstrations "pendulum"

let private tiny (method: ImitationMethod) (model: RewardModelKind) =
    ImitationSettings.Preset(method, RlPreset.Tiny).WithRewardModel model

let private start settings = DeepLearner.Start(env (), settings, demos (), 0L, Devices.Cpu)

/// The five phases by hand, as a notebook calls them.
let private byHand (state: ImitationState) =
    let rollout = DeepPhases.Collect state
    let fit = DeepPhases.FitDiscriminator(state, rollout)
    let proposal = DeepPhases.ProposeReward(state, rollout, fit)
    let step = DeepPhases.PolicyStep(state, rollout, proposal)
    let correction = DeepPhases.Correct(state, proposal, step)
    ImitationStatistics.Of(fit, proposal, step, correction), step.Ppo

let private checkpointBytes (state: ImitationState) =
    use stream = new MemoryStream()
    (use w = new BinaryWriter(stream, Text.Encoding.UTF8, true)
     state.Save w)
    stream.ToArray()

let private rewardBytes (state: ImitationState) =
    use reward = state.ExportReward()
    reward.ToCheckpoint().ToBytes()

[<Tests>]
let tests =
    testSequenced <| testList "Deep phases" [
        testCase "collect: N x T rows of observations (3), actions (1), log-probabilities, task rewards; env steps advance by one batch" <| fun () ->
            use state = start (tiny ImitationMethod.Trirl RewardModelKind.Buffer)
            let rollout = DeepPhases.Collect state
            let p = state.Settings.Ppo
            Expect.equal rollout.Count (p.Copies * p.RolloutSteps) "N * T transitions"
            Expect.equal (rollout.Observations.Count, rollout.Observations.Features) (rollout.Count, 3) "observations: rows by 3"
            Expect.equal (rollout.Actions.Count, rollout.Actions.Features) (rollout.Count, 1) "actions: rows by 1"
            Expect.equal rollout.NextObservations.Count rollout.Count "next observations"
            Expect.equal rollout.LogProbabilities.Length rollout.Count "log-probabilities"
            Expect.equal state.EnvSteps (int64 rollout.Count) "env steps"
            Expect.equal rollout.Iteration 0L "the first PPO iteration"
            // The pendulum observes (cos theta, sin theta, theta dot): each row is on the unit circle.
            for i in 0 .. rollout.Count - 1 do
                let c, s = float rollout.Observations.[i, 0], float rollout.Observations.[i, 1]
                expectClose 1e-5 1.0 (c * c + s * s) "cos^2 + sin^2"
            // Pendulum reward -(theta^2 + 0.1 theta_dot^2 + 0.001 a^2) <= 0; it never terminates.
            Expect.isTrue (rollout.Rewards |> Seq.forall (fun r -> r <= 0.0)) "task rewards are costs"
            Expect.isFalse (rollout.Terminated |> Seq.exists id) "no termination"

        testCase "fit, propose, step, correct on the first iteration equal the math note by hand (trirl, buffer)" <| fun () ->
            use state = start (tiny ImitationMethod.Trirl RewardModelKind.Buffer)
            let s = state.Settings
            let rollout = DeepPhases.Collect state
            let fit = DeepPhases.FitDiscriminator(state, rollout)
            Expect.equal (fit.PolicyInputs.Count, fit.PolicyInputs.Features) (rollout.Count, 3 + 1 + 1) "policy inputs: (s, a) scaled plus the absorbing flag"
            Expect.equal fit.ExpertInputs.Count rollout.Count "as many expert rows"
            Expect.isTrue (fit.Accuracy >= 0.0 && fit.Accuracy <= 1.0 && Double.IsFinite fit.Loss && fit.GradientPenalty >= 0.0) "fit statistics"
            let proposal = DeepPhases.ProposeReward(state, rollout, fit)
            // One discriminator in the buffer, entered with eta = 0: r~ = eps * D_0 (r_0 = 0), which the exported reward
            // (the buffer with its weights) gives on the same transitions.
            Expect.equal proposal.BufferSize 1.0 "one discriminator"
            let data =
                TransitionDataset(3, 1, rollout.Observations.Values, rollout.Actions.Values, rollout.NextObservations.Values,
                                  Array.zeroCreate rollout.Count, Array.init rollout.Count (fun i -> rollout.Truncated.[i]))
            use exported = state.ExportReward()
            Expect.sequenceEqual exported.Weights [ s.Eps ] "w = [eps] before the correction"
            let direct = exported.Rewards(data, Array.zeroCreate rollout.Count)
            Expect.isLessThan (maxAbsDiff direct (Array.ofSeq proposal.Values)) 1e-5 "proposal = eps * D_0 on the rollout"
            Expect.isTrue (sameBitsArray (Array.ofSeq proposal.Values) (Array.ofSeq proposal.Rewards)) "no termination: TD rewards = rewards"
            let values = Array.ofSeq proposal.Values
            let mean = Array.average values
            expectClose 1e-12 mean proposal.Mean "mean"
            expectClose 1e-12 (sqrt (values |> Array.averageBy (fun v -> (v - mean) ** 2.0))) proposal.Std "std"
            let step = DeepPhases.PolicyStep(state, rollout, proposal)
            // The anneal schedule at the rollout's start (env step 0) is its initial value.
            Expect.equal step.Eta s.EtaSchedule.Initial "eta = the schedule's start"
            Expect.equal step.Ppo.Eta step.Eta "the update used it"
            Expect.isTrue (step.MeanKl >= 0.0 && Double.IsFinite step.MeanKl) "a KL"
            let correction = DeepPhases.Correct(state, proposal, step)
            expectClose 1e-15 (s.Eps / (1.0 + step.Eta)) correction.EpsTr "eps_tr = eps / (1 + eta)"
            Expect.equal (List.ofSeq correction.Weights) [ correction.EpsTr ] "w = [eps_tr] after the correction"
            Expect.equal state.Iteration 1L "one iteration"

        testCase "the five phases equal DeepLearner.Step bit for bit: statistics, checkpoint and exported reward, for every reward model and method" <| fun () ->
            for method, model in [ ImitationMethod.Trirl, RewardModelKind.Buffer; ImitationMethod.Trirl, RewardModelKind.Compressed
                                   ImitationMethod.Trirl, RewardModelKind.Recursive; ImitationMethod.Gail, RewardModelKind.Buffer
                                   ImitationMethod.Airl, RewardModelKind.Buffer ] do
                let settings = tiny method model
                use a = start settings
                use b = start settings
                for _ in 1 .. 3 do
                    let it = DeepLearner.Step a
                    let stats, ppo = byHand b
                    Expect.isTrue (sameBitsArray (Array.ofSeq it.Statistics.Values) (Array.ofSeq stats.Values)) $"{method} {model}: imitation statistics"
                    Expect.isTrue (sameBitsArray (Array.ofSeq it.Ppo.Values) (Array.ofSeq ppo.Values)) $"{method} {model}: PPO statistics"
                Expect.equal (checkpointBytes a) (checkpointBytes b) $"{method} {model}: checkpoints"
                Expect.equal (rewardBytes a) (rewardBytes b) $"{method} {model}: exported rewards"

        testCase "the run is a lazy sequence of immutable iterations; its columns derive from the typed statistics" <| fun () ->
            use state = start (tiny ImitationMethod.Trirl RewardModelKind.Buffer)
            let its = DeepLearner.Run state |> Seq.take 2 |> Seq.toArray
            Expect.equal (its |> Array.map _.Iteration) [| 1L; 2L |] "iterations"
            Expect.equal its.[1].EnvSteps (2L * int64 state.Settings.Ppo.BatchSize) "env steps"
            Expect.equal (List.ofSeq ImitationIteration.ColumnNames |> List.take 2) [ "eps_tr"; "disc_loss" ] "columns"
            Expect.equal its.[0].Values.Length ImitationIteration.ColumnNames.Length "one value per column"
            Expect.equal its.[0].Values.[0] its.[0].Statistics.EpsTr "eps_tr first"

        testCase "a stale rollout is refused, naming the field" <| fun () ->
            use state = start (tiny ImitationMethod.Gail RewardModelKind.Buffer)
            let old = DeepPhases.Collect state
            let fit = DeepPhases.FitDiscriminator(state, old)
            let proposal = DeepPhases.ProposeReward(state, old, fit)
            let step = DeepPhases.PolicyStep(state, old, proposal)
            DeepPhases.Correct(state, proposal, step) |> ignore
            expectInputError "rollout" [ "iteration 0" ] (fun () -> DeepPhases.PolicyStep(state, old, proposal)) |> ignore

        testCase "behaviour cloning is its own learner: policy loss and action std, the budget counts PPO batches" <| fun () ->
            let settings = ImitationSettings.Preset(ImitationMethod.Bc, RlPreset.Tiny)
            use state = BehaviourCloning.Start(env (), settings, demos (), 0L, Devices.Cpu)
            let its = BehaviourCloning.Run state |> Seq.take 2 |> Seq.toArray
            Expect.equal its.[1].EnvSteps (2L * int64 settings.Ppo.BatchSize) "budget"
            Expect.isTrue (Double.IsFinite its.[1].Ppo.PolicyLoss && its.[1].Ppo.ActionStd > 0.0) "loss and std"
            Expect.isTrue (Double.IsNaN its.[1].Statistics.DiscLoss && Double.IsNaN its.[1].Ppo.ValueLoss) "no discriminator, no critic"
            expectInputError "method" [ "behaviour cloning" ] (fun () -> DeepLearner.Start(env (), settings, demos (), 0L, Devices.Cpu)) |> ignore
    ]

[<Tests>]
let typedSurface =
    testSequenced <| testList "Typed deep surface" [
        testCase "Create from names parses each once: Create(\"pendulum\", \"trirl\", 0) is trirl's settings, equal to the typed call" <| fun () ->
            let byName = RlRunSettings.Create("pendulum", "trirl", 0L)
            let typed = RlRunSettings.Create(ContinuousTask.Pendulum, DeepAlgorithm.Trirl, 0L)
            Expect.equal byName typed "same settings"
            Expect.equal typed.Algorithm DeepAlgorithm.Trirl "trirl"
            Expect.equal typed.Env "pendulum" "env name"
            Expect.isTrue (typed.Learner :? ImitationSettings) "imitation settings"
            for name, algo in [ "ppo", DeepAlgorithm.Ppo; "SAC", DeepAlgorithm.Sac; "gail", DeepAlgorithm.Gail; "airl", DeepAlgorithm.Airl; "bc", DeepAlgorithm.Bc ] do
                Expect.equal (RlRunSettings.Create("pendulum", name, 1L, "tiny").Algorithm) algo name
            expectInputError "algo" [ "unknown algorithm 'dqn'"; "trirl" ] (fun () -> RlRunSettings.Create("pendulum", "dqn", 0L)) |> ignore
            expectInputError "env" [ "unknown continuous environment 'cartpole'" ] (fun () -> RlRunSettings.Create("cartpole", "ppo", 0L)) |> ignore
            expectInputError "preset" [ "huge" ] (fun () -> RlRunSettings.Create("pendulum", "ppo", 0L, "huge")) |> ignore

        testCase "settings round-trip through their JSON with typed task and preset; the JSON keeps the names" <| fun () ->
            let settings = RlRunSettings.Create(ContinuousTask.Pendulum, DeepAlgorithm.Gail, 7L, DeepPreset.Tiny).WithEvalEpisodes 3
            use stream = new MemoryStream()
            (use w = new Text.Json.Utf8JsonWriter(stream)
             settings.WriteTo w)
            let json = Text.Encoding.UTF8.GetString(stream.ToArray())
            Expect.stringContains json "\"preset\":\"tiny\"" "preset name"
            Expect.stringContains json "\"algo\":\"gail\"" "algorithm name"
            use doc = Text.Json.JsonDocument.Parse json
            let back = RlRunSettings.Read(doc.RootElement, "test")
            Expect.equal back.Task settings.Task "task"
            Expect.equal back.Preset settings.Preset "preset"
            Expect.equal back.Algorithm settings.Algorithm "algorithm"

        testCase "observation batches are rows by features: d.Observations.[i, j] = Obs.[i * 3 + j]; out of range is an error" <| fun () ->
            let d = demos ()
            let o = d.Observations
            Expect.equal (o.Count, o.Features) (d.Count, 3) "shape"
            for i in [ 0; 17; d.Count - 1 ] do
                for j in 0 .. 2 do Expect.equal o.[i, j] d.Obs.[i * 3 + j] "value"
                Expect.sequenceEqual (o.Row i) [ for j in 0 .. 2 -> d.Obs.[i * 3 + j] ] "row"
            Expect.equal d.Actions.Features 1 "actions"
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> o.[d.Count, 0] |> ignore) "row out of range"
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> o.[0, 3] |> ignore) "feature out of range"
            expectInputError "rowMajor" [ "not a multiple" ] (fun () -> FeatureBatch.Of([| 1f; 2f; 3f |], 2)) |> ignore

        testCase "metrics rows read as records: Imitation() and Ppo() equal the columns, the common columns are properties" <| fun () ->
            let settings = RlRunSettings.Create(ContinuousTask.Pendulum, DeepAlgorithm.Trirl, 0L, DeepPreset.Tiny).WithEvalEpisodes 1
            use run = RlRun.StartImitation(settings, demos (), Devices.Cpu)
            let row = run.Train 400L |> Seq.last |> _.Metrics
            let imitation = row.Imitation()
            Expect.equal imitation.EpsTr row.["eps_tr"] "eps_tr"
            Expect.equal imitation.BufferSize row.["buffer_size"] "buffer_size"
            Expect.equal (row.Ppo().Eta) row.["eta"] "eta"
            Expect.equal row.NormalizedReturn row.["normalized_return"] "normalized_return"
            Expect.equal row.TrainEpisodes (int row.["train_episodes"]) "train_episodes"

        testCase "features: state_action clips each draw to the box, state_raw_action keeps it; the mode reads back from the reward" <| fun () ->
            let check (mode: FeatureMode) =
                use state = start ((tiny ImitationMethod.Trirl RewardModelKind.Buffer).WithFeatures mode)
                let rollout = DeepPhases.Collect state
                let fit = DeepPhases.FitDiscriminator(state, rollout)
                let low, high = float state.Low.[0], float state.High.[0]
                let mean, scale = float state.Scaling.Mean.[3], float state.Scaling.Scale.[3]
                let mutable outside = 0
                for i in 0 .. rollout.Count - 1 do
                    let a = float rollout.Actions.[i, 0]
                    if a < low || a > high then outside <- outside + 1
                    let seen = if mode = FeatureMode.StateRawAction then a else Math.Clamp(a, low, high)
                    expectClose 1e-5 ((seen - mean) / scale) (float fit.PolicyInputs.[i, 3]) (sprintf "row %d's action feature" i)
                Expect.isGreaterThan outside 0 "some draws fall outside the box (the check is not vacuous)"
                let proposal = DeepPhases.ProposeReward(state, rollout, fit)
                DeepPhases.Correct(state, proposal, DeepPhases.PolicyStep(state, rollout, proposal)) |> ignore
                use reward = state.ExportReward()
                use back = NeuralReward.FromCheckpoint(reward.ToCheckpoint(), "exported")
                Expect.equal back.Features mode "the reward file keeps the mode"
                reward.ToCheckpoint()
            check FeatureMode.StateAction |> ignore
            let raw = check FeatureMode.StateRawAction
            Expect.stringContains raw.HeaderJson "\"state_raw_action\"" "written by name"
            let bad = CheckpointFile(raw.HeaderJson.Replace("\"state_raw_action\"", "\"raw\""), raw.Payload.ToArray())
            expectInputError "exported: features" [ "'raw'"; "state_raw_action" ] (fun () -> NeuralReward.FromCheckpoint(bad, "exported")) |> ignore
            Expect.equal (FeatureModes.Parse "state_raw_action") FeatureMode.StateRawAction "parse"
            Expect.equal (FeatureModes.Size(FeatureMode.StateRawAction, 3, 1)) 4 "(s, a): 3 + 1 entries"
    ]
