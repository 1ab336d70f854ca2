/// The average of the reward iterates (ImitationSettings.AverageReward, Irl.AverageReward): the running mean equals the
/// arithmetic mean of the iterates (FsCheck, 1e-12 relative), bad input names its field, the setting needs trirl's
/// recursive model and keeps older settings' JSON bytes, and a learner that keeps the average trains its policy bit
/// for bit as one that does not, while exporting the average (exact resume: TrainCliTests).
module Trirl.Tests.AverageRewardTests

open Expecto
open FsCheck
open FsCheck.FSharp
open Trirl.Functional
open Trirl.Environments
open Trirl.Deep

let private recursive (average: bool) =
    ImitationSettings.Preset(ImitationMethod.Trirl, RlPreset.Tiny).WithRewardModel(RewardModelKind.Recursive).WithAverageReward average

let private sameBits (a: float[]) (b: float[]) =
    a.Length = b.Length && Array.forall2 (fun (x: float) (y: float) -> System.BitConverter.DoubleToInt64Bits x = System.BitConverter.DoubleToInt64Bits y) a b

/// 1 to 30 iterates of 1 to 6 rows each, values in [-100, 100].
let private genIterates =
    gen {
        let! rows = Gen.choose (1, 6)
        let! count = Gen.choose (1, 30)
        let value = Gen.choose (-100000, 100000) |> Gen.map (fun v -> float v / 1000.0)
        return! Gen.listOfLength count (Gen.arrayOfLength rows value)
    }

[<Tests>]
let tests =
    testList "AverageReward" [
        property 200 "folding rbar_n = (1 - 1/n) rbar_{n-1} + (1/n) r_n from any start gives (1/n) sum r_i (1e-12 relative)" genIterates (fun (iterates: float[] list) ->
            let rows = iterates.Head.Length
            let start = Array.create rows 12345.0   // rbar_0 is ignored: the first weight is 1
            let folded = iterates |> List.fold (fun (avg, n) r -> Irl.AverageReward(avg, r, n), n + 1L) (start, 1L) |> fst
            for j in 0 .. rows - 1 do
                let mean = iterates |> List.averageBy (fun r -> r.[j])
                let scale = 1.0 + (iterates |> List.map (fun r -> abs r.[j]) |> List.max)
                Expect.isLessThanOrEqual (abs (folded.[j] - mean)) (1e-12 * scale) $"row {j}: {folded.[j]} against {mean}")

        testCase "the first iterate is the average, bit for bit; n < 1 and rows that differ are refused, naming the field" <| fun () ->
            Expect.isTrue (sameBits (Irl.AverageReward([| 5.0; -7.0 |], [| 0.1; 0.3 |], 1L)) [| 0.1; 0.3 |]) "n = 1"
            Expect.isTrue (sameBits (Irl.AverageReward([| 1.0 |], [| 4.0 |], 4L)) [| 1.75 |]) "n = 4: 3/4 * 1 + 1/4 * 4"
            expectInputError "n" [ ">= 1" ] (fun () -> Irl.AverageReward([| 1.0 |], [| 2.0 |], 0L)) |> ignore
            expectInputError "latest" [ "same rows" ] (fun () -> Irl.AverageReward([| 1.0 |], [| 2.0; 3.0 |], 2L)) |> ignore

        testCase "the setting needs trirl's recursive model, naming the field; absent from JSON when false, round-trips when true" <| fun () ->
            let buffer = ImitationSettings.Preset(ImitationMethod.Trirl, RlPreset.Tiny).WithAverageReward true
            expectInputError "imitation.average_reward" [ "recursive" ] (fun () -> buffer.Validated()) |> ignore
            Expect.isTrue ((recursive true).Validated() :?> ImitationSettings).AverageReward "recursive accepts it"
            Expect.isFalse ((SettingsJson.Serialize(recursive false)).Contains "average_reward") "absent when false"
            let text = SettingsJson.Serialize(recursive true)
            Expect.stringContains text "\"average_reward\":true" "written when set"
            let back = SettingsJson.ReadSettings(System.Text.Json.JsonDocument.Parse(text).RootElement) :?> ImitationSettings
            Expect.equal back (recursive true) "round trip"

        testCase "keeping the average leaves the run as it was (every statistic, bit for bit) and exports the average, a different reward" <| fun () ->
            let start settings = DeepLearner.Start(ContinuousEnvs.Create "pendulum", settings, ShippedExperts.Demonstrations "pendulum", 0L, Devices.Cpu)
            use plain = start (recursive false)
            use averaged = start (recursive true)
            for _ in 1 .. 3 do
                let a, b = DeepLearner.Step plain, DeepLearner.Step averaged
                Expect.isTrue (sameBits (Array.ofSeq a.Statistics.Values) (Array.ofSeq b.Statistics.Values)) "imitation statistics"
                Expect.isTrue (sameBits (Array.ofSeq a.Ppo.Values) (Array.ofSeq b.Ppo.Values)) "PPO statistics"
            use last = plain.ExportReward()
            use mean = averaged.ExportReward()
            Expect.equal (last.Model, mean.Model) ("recursive", "recursive-average") "the exported model names the average"
            let demos = ShippedExperts.Demonstrations "pendulum"
            let terminated = Array.create demos.Count false
            let r, rbar = last.Rewards(demos, terminated), mean.Rewards(demos, terminated)
            Expect.isGreaterThan (Array.map2 (fun x y -> abs (x - y)) r rbar |> Array.max) 1e-6 "the average is not the last iterate"
    ]
