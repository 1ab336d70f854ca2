/// The average of the reward iterates (ImitationSettings.AverageReward, Irl.AverageReward): the running averages equal
/// the uniform mean and the 1/i-weighted mean of the iterates (FsCheck, 1e-12 relative), the weights' values, bad input
/// names its field, the setting needs trirl's recursive model and keeps older settings' JSON bytes, and a learner that
/// keeps an average trains its policy bit for bit as one that does not, while exporting the average (exact resume:
/// TrainCliTests).
module Trirl.Tests.AverageRewardTests

open Expecto
open FsCheck
open FsCheck.FSharp
open Trirl.Functional
open Trirl.Environments
open Trirl.Deep

let private recursive (average: RewardAverage) =
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

/// Folds the running average over the iterates with the weights w_n, from a start that the first weight (1) discards.
let private fold (weight: int64 -> float) (iterates: float[] list) =
    iterates |> List.fold (fun (avg, n) r -> Irl.AverageReward(avg, r, weight n), n + 1L) (Array.create iterates.Head.Length 12345.0, 1L) |> fst

let private expectCloseRows (got: float[]) (want: float[]) (scale: float[]) =
    for j in 0 .. got.Length - 1 do
        Expect.isLessThanOrEqual (abs (got.[j] - want.[j])) (1e-12 * scale.[j]) $"row {j}: {got.[j]} against {want.[j]}"

[<Tests>]
let tests =
    testList "AverageReward" [
        property 200 "uniform weights 1/n give (1/n) sum r_i (1e-12 relative)" genIterates (fun (iterates: float[] list) ->
            let rows = iterates.Head.Length
            let mean = Array.init rows (fun j -> iterates |> List.averageBy (fun r -> r.[j]))
            let scale = Array.init rows (fun j -> 1.0 + (iterates |> List.map (fun r -> abs r.[j]) |> List.max))
            expectCloseRows (fold Irl.UniformAverageWeight iterates) mean scale)

        property 200 "harmonic weights 1/(n H_n) give sum (r_i / i) / H_n (1e-12 relative)" genIterates (fun (iterates: float[] list) ->
            let rows = iterates.Head.Length
            let h = iterates |> List.mapi (fun i _ -> 1.0 / float (i + 1)) |> List.sum
            let mean = Array.init rows (fun j -> (iterates |> List.mapi (fun i r -> r.[j] / float (i + 1)) |> List.sum) / h)
            let scale = Array.init rows (fun j -> 1.0 + (iterates |> List.map (fun r -> abs r.[j]) |> List.max))
            expectCloseRows (fold Irl.HarmonicAverageWeight iterates) mean scale)

        testCase "the weights' values; the first iterate is the average, bit for bit; bad input is refused, naming the field" <| fun () ->
            Expect.equal (Irl.UniformAverageWeight 4L) 0.25 "1/4"
            Expect.equal (Irl.HarmonicAverageWeight 1L) 1.0 "w_1 = 1"
            expectClose 1e-15 (1.0 / 3.0) (Irl.HarmonicAverageWeight 2L) "1 / (2 * 3/2)"
            expectClose 1e-15 (2.0 / 11.0) (Irl.HarmonicAverageWeight 3L) "1 / (3 * 11/6)"
            Expect.equal (RewardAverages.Weight(RewardAverage.Harmonic, 3L)) (Irl.HarmonicAverageWeight 3L) "the kind's weight"
            Expect.isTrue (sameBits (Irl.AverageReward([| 5.0; -7.0 |], [| 0.1; 0.3 |], 1.0)) [| 0.1; 0.3 |]) "w = 1"
            Expect.isTrue (sameBits (Irl.AverageReward([| 1.0 |], [| 4.0 |], 0.25)) [| 1.75 |]) "3/4 * 1 + 1/4 * 4"
            for n in [ 0L; -3L ] do
                expectInputError "n" [ ">= 1" ] (fun () -> Irl.UniformAverageWeight n) |> ignore
                expectInputError "n" [ ">= 1" ] (fun () -> Irl.HarmonicAverageWeight n) |> ignore
            for w in [ 0.0; 1.5; nan ] do
                expectInputError "weight" [ "(0, 1]" ] (fun () -> Irl.AverageReward([| 1.0 |], [| 2.0 |], w)) |> ignore
            expectInputError "latest" [ "same rows" ] (fun () -> Irl.AverageReward([| 1.0 |], [| 2.0; 3.0 |], 0.5)) |> ignore
            expectInputError "average_reward" [ "keeps no average" ] (fun () -> RewardAverages.Weight(RewardAverage.None, 1L)) |> ignore
            expectInputError "average_reward" [ "mean" ] (fun () -> RewardAverages.Parse "mean") |> ignore

        testCase "the setting needs trirl's recursive model, naming the field; absent from JSON when none, round-trips otherwise" <| fun () ->
            let buffer = ImitationSettings.Preset(ImitationMethod.Trirl, RlPreset.Tiny).WithAverageReward RewardAverage.Uniform
            expectInputError "imitation.average_reward" [ "recursive" ] (fun () -> buffer.Validated()) |> ignore
            Expect.equal ((recursive RewardAverage.Harmonic).Validated() :?> ImitationSettings).AverageReward RewardAverage.Harmonic "recursive accepts it"
            Expect.isFalse ((SettingsJson.Serialize(recursive RewardAverage.None)).Contains "average_reward") "absent when none"
            for kind, name in [ RewardAverage.Uniform, "uniform"; RewardAverage.Harmonic, "harmonic" ] do
                let text = SettingsJson.Serialize(recursive kind)
                Expect.stringContains text $"\"average_reward\":\"{name}\"" "written when set"
                let back = SettingsJson.ReadSettings(System.Text.Json.JsonDocument.Parse(text).RootElement) :?> ImitationSettings
                Expect.equal back (recursive kind) "round trip"

        testCase "keeping an average leaves the run as it was (every statistic, bit for bit) and exports the average, a different reward" <| fun () ->
            let start settings = DeepLearner.Start(ContinuousEnvs.Create "pendulum", settings, ShippedExperts.Demonstrations "pendulum", 0L, Devices.Cpu)
            use plain = start (recursive RewardAverage.None)
            use uniform = start (recursive RewardAverage.Uniform)
            use harmonic = start (recursive RewardAverage.Harmonic)
            for _ in 1 .. 3 do
                let a = DeepLearner.Step plain
                for b in [ DeepLearner.Step uniform; DeepLearner.Step harmonic ] do
                    Expect.isTrue (sameBits (Array.ofSeq a.Statistics.Values) (Array.ofSeq b.Statistics.Values)) "imitation statistics"
                    Expect.isTrue (sameBits (Array.ofSeq a.Ppo.Values) (Array.ofSeq b.Ppo.Values)) "PPO statistics"
            use last = plain.ExportReward()
            use u = uniform.ExportReward()
            use h = harmonic.ExportReward()
            Expect.equal (last.Model, u.Model, h.Model) ("recursive", "recursive-uniform", "recursive-harmonic") "the exported model names the average"
            let demos = ShippedExperts.Demonstrations "pendulum"
            let terminated = Array.create demos.Count false
            let r, ru, rh = last.Rewards(demos, terminated), u.Rewards(demos, terminated), h.Rewards(demos, terminated)
            let gap (x: float[]) (y: float[]) = Array.map2 (fun a b -> abs (a - b)) x y |> Array.max
            Expect.isGreaterThan (gap r ru) 1e-6 "the uniform average is not the last iterate"
            Expect.isGreaterThan (gap ru rh) 1e-6 "the harmonic average is not the uniform one"
    ]
