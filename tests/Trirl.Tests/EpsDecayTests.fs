/// The decaying reward step eps(t) = eps / (1 + t / T) (ImitationSettings.EpsDecaySteps): its values, its validation
/// (trirl's recursive model only, T >= 0, the field named), its JSON (absent when T = 0, so settings without it keep
/// their bytes), and the recursive model's second iteration correcting with eps(t) / (1 + eta) at the rollout's start.
module Trirl.Tests.EpsDecayTests

open Expecto
open Trirl.Environments
open Trirl.Deep

let private recursive (decay: int64) =
    ImitationSettings.Preset(ImitationMethod.Trirl, RlPreset.Tiny).WithRewardModel(RewardModelKind.Recursive).WithEpsDecaySteps decay

[<Tests>]
let tests =
    testList "EpsDecay" [
        testCase "eps(t) = eps / (1 + t / T): eps at 0, eps/2 at T, eps/4 at 3T; constant without a decay; t < 0 counts as 0" <| fun () ->
            let s = recursive 1000L
            expectClose 1e-15 s.Eps (s.EpsAt 0L) "t = 0"
            expectClose 1e-15 (s.Eps / 2.0) (s.EpsAt 1000L) "t = T"
            expectClose 1e-15 (s.Eps / 4.0) (s.EpsAt 3000L) "t = 3T"
            expectClose 1e-15 s.Eps (s.EpsAt -5L) "t < 0"
            let plain = recursive 0L
            for t in [ 0L; 1000L; 1_000_000L ] do Expect.equal (plain.EpsAt t) plain.Eps "no decay: eps"

        testCase "validation names the field: T < 0, and a decay with the buffer model (its weights assume one eps)" <| fun () ->
            expectInputError "imitation.eps_decay_steps" [ ">= 0" ] (fun () -> (recursive -1L).Validated()) |> ignore
            let buffer = ImitationSettings.Preset(ImitationMethod.Trirl, RlPreset.Tiny).WithEpsDecaySteps 10L
            expectInputError "imitation.eps_decay_steps" [ "recursive" ] (fun () -> buffer.Validated()) |> ignore
            Expect.equal ((recursive 10L).Validated() :?> ImitationSettings).EpsDecaySteps 10L "recursive accepts a decay"

        testCase "JSON: no eps_decay_steps when 0 (older settings keep their bytes); a decay round-trips" <| fun () ->
            let plain = SettingsJson.Serialize(recursive 0L)
            Expect.isFalse (plain.Contains "eps_decay_steps") "absent when 0"
            let text = SettingsJson.Serialize(recursive 20000L)
            Expect.stringContains text "\"eps_decay_steps\":20000" "written when set"
            let back = SettingsJson.ReadSettings(System.Text.Json.JsonDocument.Parse(text).RootElement) :?> ImitationSettings
            Expect.equal back (recursive 20000L) "round trip"

        testCase "the second iteration corrects with eps(t) / (1 + eta), t = the env steps before its rollout" <| fun () ->
            let settings = recursive 1000L
            use state = DeepLearner.Start(ContinuousEnvs.Create "pendulum", settings, ShippedExperts.Demonstrations "pendulum", 0L, Devices.Cpu)
            DeepLearner.Step state |> ignore
            let rollout = DeepPhases.Collect state
            let t = state.EnvSteps - int64 settings.Ppo.BatchSize
            Expect.equal t (int64 settings.Ppo.BatchSize) "one batch before the second rollout"
            let fit = DeepPhases.FitDiscriminator(state, rollout)
            let proposal = DeepPhases.ProposeReward(state, rollout, fit)
            let step = DeepPhases.PolicyStep(state, rollout, proposal)
            let correction = DeepPhases.Correct(state, proposal, step)
            let expected = settings.Eps / (1.0 + float t / 1000.0) / (1.0 + step.Eta)
            expectClose 1e-15 expected correction.EpsTr "eps_tr = eps(t) / (1 + eta)"
            Expect.isLessThan correction.EpsTr (settings.Eps / (1.0 + step.Eta)) "smaller than without the decay"
    ]
