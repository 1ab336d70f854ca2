/// The floors of `trirl bench trirl` (issue 22): the multiply-adds of each phase of the deep imitation loop counted by
/// `PhaseFloors` against counts written out by hand (a 3-4-1 MLP on 5 rows, and the tiny preset on the pendulum), the
/// floor = multiply-adds / rate arithmetic, and bad input. No timing is asserted: the one bench run below checks the
/// JSON's arithmetic (floor = count / measured rate, ratio = time / floor, loop floor = sum), not its speed.
module Trirl.Tests.PhaseFloorTests

open System
open System.IO
open System.Text.Json
open Expecto
open Trirl.Deep
open Trirl.Cli.Benchmarks
open Trirl.Cli.Commands

/// The 3-4-1 tanh MLP of the hand counts: layers 3x4 and 4x1, 3*4 + 4*1 = 16 multiply-adds per row.
let private small = MlpSpec(Collections.Immutable.ImmutableArray.Create 4, Activation.Tanh, false)

let private total (kind: GemmKind) (gemms: LayerGemm seq) =
    gemms |> Seq.filter (fun g -> g.Kind = kind) |> Seq.sumBy (fun g -> g.MultiplyAdds)

let private sum (gemms: LayerGemm seq) = gemms |> Seq.sumBy (fun g -> g.MultiplyAdds)

/// The tiny preset with another gradient-penalty weight (F# has no `with` on C# records).
let private tinyWithGp (gp: float) =
    let t = ImitationSettings.Tiny
    ImitationSettings(t.Method, t.Ppo, t.Eps, t.BufferSize, t.EtaSchedule, t.RewardModel, t.Features, t.AbsorbingStates, t.Discriminator,
                      t.DiscLearningRate, t.DiscEpochs, t.DiscMinibatchSize, gp, t.GpAlpha, t.RewardNetwork, t.RewardLearningRate,
                      t.RewardEpochs, t.RewardMinibatchSize)

[<Tests>]
let tests =
    testList "PhaseFloors" [
        test "a 3-4-1 MLP on 5 rows: forward 80, a step on data 180, with the input's gradient 240" {
            Expect.equal (PhaseFloors.MultiplyAddsPerRow(3, small, 1)) 16L "3*4 + 4*1"
            Expect.equal (PhaseFloors.ForwardMultiplyAdds(5, 3, small, 1)) 80L "F = 5 * 16"
            let forward = PhaseFloors.Forward(5, 3, small, 1, 1L)
            Expect.equal (sum forward) 80L "the forward products: 5*3*4 + 5*4*1"
            // Backward = 2F less the first layer's input gradient (5*3*4 = 60) when the input is data: 80 + 80 + 20.
            let onData = PhaseFloors.TrainingStep(5, 3, small, 1, 1L, false)
            Expect.equal (total GemmKind.Forward onData) 80L "forward 60 + 20"
            Expect.equal (total GemmKind.WeightGradient onData) 80L "weight gradients 60 + 20"
            Expect.equal (total GemmKind.InputGradient onData) 20L "input gradient of the output layer only: 5*4*1"
            Expect.equal (sum onData) 180L "3F - F_1 = 240 - 60"
            let withInput = PhaseFloors.TrainingStep(5, 3, small, 1, 1L, true)
            Expect.equal (sum withInput) 240L "3F: backward = 2 x forward"
            Expect.equal (sum (PhaseFloors.TrainingStep(5, 3, small, 1, 7L, false))) (7L * 180L) "count multiplies"
        }

        test "the gradient penalty on 5 interpolates of a 3-4-1 MLP: 6F - 3F_L = 420" {
            // Hidden layer 5*3*4 = 60: forward, first backward and double backward, two of each kind (360);
            // output layer 5*4*1 = 20: one of each kind (60). 6 * 80 - 3 * 20 = 420.
            let gp = PhaseFloors.GradientPenalty(5, 3, small, 1L)
            Expect.equal (total GemmKind.Forward gp) 140L "2*60 + 20"
            Expect.equal (total GemmKind.InputGradient gp) 140L "2*60 + 20"
            Expect.equal (total GemmKind.WeightGradient gp) 140L "2*60 + 20"
            Expect.equal (sum gp) 420L "6F - 3F_L"
        }

        test "the tiny preset on the pendulum (obs 3, action 1): each phase counted by hand" {
            let s = ImitationSettings.Tiny
            // Policy 3-16-16-1: 48 + 256 + 16 = 320 per row (first layer 48); the critic the same; the discriminator
            // 5-16-16-1 (3 + 1 features and the flag): 80 + 256 + 16 = 352 per row (first layer 80, output layer 16).
            let phases = PhaseFloors.Loop(s, 3, 1)
            Expect.sequenceEqual (phases |> Seq.map (fun p -> p.Phase)) [ "acting_seconds"; "discriminator_seconds"; "reward_seconds"; "policy_seconds" ] "order"
            // Acting: 50 steps x 4 copies x (320 + 320), then the critic on the 4 last observations: 128000 + 1280.
            Expect.equal phases.[0].MultiplyAdds 129280L "acting"
            // Discriminator: 2 epochs x 200/50 = 8 minibatches of 50; per minibatch the logistic loss on expert and policy
            // rows, 2 x (3*352 - 80) x 50 = 97600, and the penalty (6*352 - 3*16) x 50 = 103200: 8 x 200800.
            Expect.equal phases.[1].MultiplyAdds 1606400L "discriminator"
            // Reward: K = 4 networks on the 200 rollout rows: 4 x 200 x 352.
            Expect.equal phases.[2].MultiplyAdds 281600L "reward"
            // Policy: 2 epochs x 200/50 = 8 minibatches, each (3*320 - 48) x 50 for the policy and the critic:
            // 8 x 91200 = 729600; then the KL's policy forward on 200 rows, 64000.
            Expect.equal phases.[3].MultiplyAdds 793600L "policy"
            // The policy's and the critic's identical shapes merge into one timing with the summed count.
            let merged = phases.[3].Merged
            Expect.equal (merged |> Seq.sumBy (fun g -> g.MultiplyAdds)) 793600L "merging keeps the total"
            Expect.isLessThan merged.Length phases.[3].Gemms.Length "identical shapes merged"
        }

        test "without the gradient penalty the discriminator makes the logistic loss's products only" {
            let d = PhaseFloors.Discriminator(tinyWithGp 0.0, 3, 1)
            Expect.equal d.MultiplyAdds (8L * 97600L) "8 minibatches x 2 x (3*352 - 80) x 50"
        }

        test "floor = multiply-adds / rate, ratio = time / floor, GFLOP/s = 2 x rate / 1e9" {
            Expect.equal (PhaseFloors.FloorSeconds(1_200_000_000L, 4e8)) 3.0 "1.2e9 / 4e8"
            Expect.equal (PhaseFloors.Ratio(4.5, 3.0)) 1.5 "4.5 / 3"
            Expect.isTrue (Double.IsNaN(PhaseFloors.Ratio(1.0, 0.0))) "no products: no ratio"
            Expect.equal (MeasuredGemmRate(1e9, 1.0).Gflops) 2.0 "two flops per multiply-add"
            // 1e6 multiply-adds at 2e6 per second = 0.5 s, plus 0.5 s of simulator in the floor: floor 1 s, 6 s measured.
            let f = PhaseFloor("acting_seconds", 6.0, 1_000_000L, MeasuredGemmRate(2e6, 0.5), 0.5)
            Expect.equal f.FloorSeconds 1.0 "0.5 + 0.5"
            Expect.equal f.Ratio 6.0 "6 / 1"
        }

        test "a non-positive or non-finite rate, a negative count or time is an input error naming the field" {
            for rate in [ 0.0; -1.0; nan; infinity ] do
                expectInputError "multiply_adds_per_second" [ "must be a finite number > 0" ] (fun () -> PhaseFloors.FloorSeconds(100L, rate)) |> ignore
            expectInputError "multiply_adds" [ "must be >= 0" ] (fun () -> PhaseFloors.FloorSeconds(-1L, 1e9)) |> ignore
            expectInputError "seconds" [ "must be a finite number >= 0" ] (fun () -> PhaseFloors.Ratio(-1.0, 1.0)) |> ignore
            expectInputError "floor_seconds" [ "must be a finite number >= 0" ] (fun () -> PhaseFloors.Ratio(1.0, nan)) |> ignore
            expectInputError "multiply_adds_per_second" [ "got 0" ] (fun () -> PhaseFloor("reward_seconds", 1.0, 10L, MeasuredGemmRate(0.0, 0.0), 0.0).FloorSeconds) |> ignore
            let recursive = ImitationSettings.Tiny.WithRewardModel RewardModelKind.Recursive
            expectInputError "imitation.reward_model" [ "buffer reward model" ] (fun () -> PhaseFloors.Reward(recursive, 3, 1)) |> ignore
            expectInputError "observation_size" [ "must be >= 1" ] (fun () -> PhaseFloors.Acting(ImitationSettings.Tiny, 0, 1)) |> ignore
            expectInputError "spec.hidden[0]" [ "must be >= 1" ] (fun () -> PhaseFloors.MultiplyAddsPerRow(3, MlpSpec(Collections.Immutable.ImmutableArray.Create 0, Activation.Tanh, false), 1)) |> ignore
        }

        test "bench trirl names the libtorch kernels it ran: the variable's value, or the default with the fix" {
            Expect.equal (TrirlBenchCommand.KernelsText "avx2") "ATEN_CPU_CAPABILITY=avx2" "set"
            let unset = TrirlBenchCommand.KernelsText(null)
            Expect.stringContains unset "ATEN_CPU_CAPABILITY unset" "unset says so"
            Expect.stringContains unset "ATEN_CPU_CAPABILITY=avx2" "and names the setting to try"
        }

        test "bench trirl --preset tiny writes each phase's count, rate, floor and ratio consistently (no timing asserted)" {
            let dir = Path.Combine(Path.GetTempPath(), sprintf "trirl-bench-%s" (Guid.NewGuid().ToString("N")))
            let path = Path.Combine(dir, "bench-trirl.json")
            try
                Expect.equal (TrirlBenchCommand.Execute("tiny", 2, 1, null, "cpu", path, "pendulum")) 0 "exit code"
                use doc = JsonDocument.Parse(File.ReadAllText path)
                let root = doc.RootElement
                let numbers (e: JsonElement) (name: string) = e.GetProperty(name).EnumerateArray() |> Seq.map (fun x -> x.GetDouble()) |> Seq.toArray
                let phases = root.GetProperty("phases").EnumerateArray() |> Seq.toArray
                Expect.sequenceEqual (phases |> Seq.map (fun p -> p.GetProperty("multiply_adds").GetInt64())) [ 129280L; 1606400L; 281600L; 793600L ] "the hand counts"
                let close (x: float) (y: float) msg = Expect.floatClose { absolute = 0.0; relative = 1e-12 } x y msg
                for p in phases do
                    let rate = p.GetProperty("gemm_multiply_adds_per_second").GetDouble()
                    let floor = p.GetProperty("floor_seconds").GetDouble()
                    Expect.isGreaterThan rate 0.0 "a measured rate"
                    close floor (float (p.GetProperty("multiply_adds").GetInt64()) / rate) "floor = count / rate (the simulator is not in the pendulum's floor)"
                    close (p.GetProperty("ratio").GetDouble()) (p.GetProperty("seconds").GetDouble() / floor) "ratio = seconds / floor"
                    close (p.GetProperty("gemm_gflops").GetDouble()) (2.0 * rate / 1e9) "GFLOP/s"
                let perIteration = phases |> Array.map (fun p -> numbers p "seconds_per_iteration")
                for p, each in Array.zip phases perIteration do
                    Expect.equal each.Length 2 "one entry per timed iteration"
                    close (p.GetProperty("seconds").GetDouble()) (Array.average each) "seconds = the mean over iterations"
                let loops = numbers root "loop_seconds_per_iteration"
                Expect.equal loops.Length 2 "one loop time per timed iteration"
                for k in 0 .. 1 do
                    close loops[k] (perIteration |> Array.sumBy (fun each -> each[k])) "an iteration's loop = its phases' sum"
                close (root.GetProperty("loop_seconds").GetDouble()) (Array.average loops) "loop seconds = the mean iteration"
                let floorSum = phases |> Array.sumBy (fun p -> p.GetProperty("floor_seconds").GetDouble())
                close (root.GetProperty("floor_seconds").GetDouble()) floorSum "loop floor = sum of the phases'"
                close (root.GetProperty("ratio").GetDouble()) (root.GetProperty("loop_seconds").GetDouble() / floorSum) "loop ratio"
                let ratios = numbers root "ratio_per_iteration"
                Expect.equal ratios.Length 2 "one ratio per timed iteration"
                for k in 0 .. 1 do close ratios[k] (loops[k] / floorSum) "an iteration's ratio = its loop / the floor"
                let expected = match Environment.GetEnvironmentVariable "ATEN_CPU_CAPABILITY" with | null | "" -> "default" | v -> v.Trim()
                Expect.equal (root.GetProperty("aten_cpu_capability").GetString()) expected "the kernel set the run asked libtorch for"
                Expect.isFalse (root.GetProperty("simulator_in_floor").GetBoolean()) "the pendulum's simulator is reported, not floored"
                Expect.isGreaterThanOrEqual (root.GetProperty("simulator_seconds").GetDouble()) 0.0 "simulator measured"
            finally
                if Directory.Exists dir then Directory.Delete(dir, true)
        }
    ]
