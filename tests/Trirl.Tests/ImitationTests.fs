/// Deep TRIRL's building blocks against values computed by hand or by the math note's recursion: the corrected buffer
/// weights against the unrolled update (1e-12), every buffer evaluation path against the loop and against the pushed
/// networks themselves (1e-5), the fused tanh against Math.Tanh, the discriminator's logistic loss and gradient penalty
/// on fixed tensors, the absorbing-state TD target and GAE through it, termination flags of demonstrations, and the
/// adversarial presets (GAIL: eps = 1, one discriminator, no correction). Nothing here trains; no score is asserted.
module Trirl.Tests.ImitationTests

open System
open Expecto
open TorchSharp
open Trirl.Functional
open Trirl.Environments
open Trirl.Environments.Data
open Trirl.Deep

let private softplus (x: float) = log (1.0 + exp x)

let private spec (hidden: int list) (act: Activation) = MlpSpec(Collections.Immutable.ImmutableArray.CreateRange hidden, act, false)

/// The math note's corrected update unrolled from r_0 = 0 on unit "discriminators": after n steps the reward is the
/// vector of the weights each D_i carries, r_{i+1} = (1 - eps_tr,i) r_i + eps_tr,i e_i.
let private unrolled (etas: float[]) (eps: float) =
    let n = etas.Length
    let mutable r = Array.zeroCreate<float> n
    for i in 0 .. n - 1 do
        let e = eps / (1.0 + etas.[i])
        r <- Array.init n (fun j -> (1.0 - e) * r.[j] + (if j = i then e else 0.0))
    r

[<Tests>]
let weightTests =
    testList "Corrected buffer weights" [
        testCase "w_k = eps_tr,k prod_{j>k} (1 - eps_tr,j) equals the unrolled recursion of the math note to 1e-12" <| fun () ->
            let rng = Rng(7UL)
            for eps in [ 0.05; 0.2; 0.7; 1.0 ] do
                for n in [ 1; 2; 5; 30; 100 ] do
                    let etas = Array.init n (fun i -> if i = n - 1 then 0.0 else 50.0 * rng.NextDouble() * rng.NextDouble())
                    let w = CorrectedWeights.Weights(etas, eps)
                    let expected = unrolled etas eps
                    expectBelow 1e-12 (maxAbsDiff (Seq.toArray w) expected) (sprintf "eps %g, %d discriminators" eps n)
                    // The sum telescopes: sum_k w_k = 1 - prod_k (1 - eps_tr,k).
                    let prod = etas |> Array.fold (fun p e -> p * (1.0 - eps / (1.0 + e))) 1.0
                    expectClose 1e-12 (1.0 - prod) (Seq.sum w) "sum of the weights"

        testCase "eps_tr = eps / (1 + eta); the newest enters with eta = 0; uncorrected weights are eps (1 - eps)^age" <| fun () ->
            expectClose 1e-15 (0.2 / 11.0) (CorrectedWeights.EpsTr(0.2, 10.0)) "eps_tr"
            let w = CorrectedWeights.Weights([| 3.0; 1.0; 0.0 |], 0.5)
            // Newest: eps = 0.5. Middle: 0.25 * (1 - 0.5). Oldest: 0.125 * (1 - 0.25) * (1 - 0.5).
            expectClose 1e-15 0.5 w.[2] "newest"
            expectClose 1e-15 0.125 w.[1] "middle"
            expectClose 1e-15 (0.125 * 0.75 * 0.5) w.[0] "oldest"
            let u = CorrectedWeights.Uncorrected(3, 0.2)
            expectBelow 1e-15 (maxAbsDiff (Seq.toArray u) [| 0.2 * 0.8 * 0.8; 0.2 * 0.8; 0.2 |]) "uncorrected"
            expectInputError "eps" [ "(0, 1]" ] (fun () -> CorrectedWeights.Weights([| 0.0 |], 0.0)) |> ignore
            expectInputError "etas[0]" [ ">= 0" ] (fun () -> CorrectedWeights.Weights([| -1.0 |], 0.2)) |> ignore

        testCase "GAIL and AIRL presets: eps = 1, one discriminator, no correction, eta = 0; validation refuses anything else" <| fun () ->
            for method in [ ImitationMethod.Gail; ImitationMethod.Airl ] do
                for preset in [ "default"; "paper"; "tiny" ] do
                    let s = ImitationSettings.Preset(method, preset)
                    Expect.equal s.Eps 1.0 "eps = 1"
                    Expect.equal s.BufferSize 1 "the latest discriminator only"
                    Expect.isFalse s.Corrects "no correction"
                    Expect.equal s.EtaSchedule.Kind EtaScheduleKind.Constant "a constant eta"
                    Expect.equal s.EtaSchedule.Initial 0.0 "eta = 0: a plain PPO step"
                    s.Validated() |> ignore
                    expectInputError "imitation.eps" [ "eps = 1" ] (fun () -> s.WithEps(0.5).Validated()) |> ignore
                    expectInputError "imitation.buffer_size" [ "one discriminator" ] (fun () -> s.WithBufferSize(3).Validated()) |> ignore
            let trirl = ImitationSettings.Preset(ImitationMethod.Trirl, "default")
            Expect.isTrue trirl.Corrects "trirl corrects"
            Expect.equal trirl.Eps 0.2 "the reference's eps"
            Expect.equal trirl.BufferSize 100 "the reference's K"
            let paper = ImitationSettings.Preset(ImitationMethod.Trirl, "paper")
            Expect.equal paper.EtaSchedule.Initial 100.0 "the reference anneals eta from 100"
            Expect.equal paper.GpLambda 0.05 "gp_lambda"
            Expect.equal paper.GpAlpha 0.5 "gp_alpha"
            expectInputError "imitation.reward_model" [ "trirl only" ] (fun () ->
                ImitationSettings.Preset(ImitationMethod.Gail, "tiny").WithRewardModel(RewardModelKind.Recursive).Validated()) |> ignore

        testCase "the default preset exports the harmonic average of the recursive model; every other preset, and gail, airl and bc under any, keep the buffer; another reward model drops the average" <| fun () ->
            let d = ImitationSettings.Preset(ImitationMethod.Trirl, "default")
            Expect.equal (d.RewardModel, d.AverageReward) (RewardModelKind.Recursive, RewardAverage.Harmonic) "the default preset"
            d.Validated() |> ignore
            Expect.equal d ImitationSettings.Default "Preset(trirl, default) is Default"
            for preset in [ "paper"; "tiny"; "locomotion"; "halfcheetah" ] do
                let s = ImitationSettings.Preset(ImitationMethod.Trirl, preset)
                Expect.equal (s.RewardModel, s.AverageReward) (RewardModelKind.Buffer, RewardAverage.None) (sprintf "trirl, %s" preset)
            for method in [ ImitationMethod.Gail; ImitationMethod.Airl; ImitationMethod.Bc ] do
                for preset in [ "default"; "paper"; "tiny"; "locomotion"; "halfcheetah" ] do
                    let s = ImitationSettings.Preset(method, preset)
                    Expect.equal (s.RewardModel, s.AverageReward) (RewardModelKind.Buffer, RewardAverage.None) (sprintf "%A, %s" method preset)
                    s.Validated() |> ignore
            // The locomotion preset is the default's reward side with the buffer: nothing else of the reward differs.
            let rewardSide (s: ImitationSettings) =
                (s.Method, s.Eps, s.BufferSize, s.EtaSchedule, s.Features, s.AbsorbingStates, s.Discriminator, s.DiscLearningRate, s.DiscEpochs),
                (s.DiscMinibatchSize, s.GpLambda, s.GpAlpha, s.RewardNetwork, s.RewardLearningRate, s.RewardEpochs, s.RewardMinibatchSize, s.EpsDecaySteps, s.DiscHistorySize)
            let loco = ImitationSettings.Locomotion
            Expect.equal (rewardSide loco) (rewardSide d) "locomotion has the default's reward side"
            Expect.notEqual loco.Ppo d.Ppo "and its own PPO"
            for model in [ RewardModelKind.Buffer; RewardModelKind.Compressed ] do
                let s = d.WithRewardModel model
                Expect.equal (s.RewardModel, s.AverageReward) (model, RewardAverage.None) (sprintf "%A exports its last iterate" model)
                s.Validated() |> ignore
                Expect.equal (s.WithRewardModel(RewardModelKind.Recursive).WithAverageReward(RewardAverage.Harmonic)) d (sprintf "%A and back" model)
            Expect.equal (d.WithRewardModel RewardModelKind.Recursive) d "recursive keeps the average"
            expectInputError "imitation.average_reward" [ "recursive" ] (fun () -> d.WithRewardModel(RewardModelKind.Buffer).WithAverageReward(RewardAverage.Harmonic).Validated()) |> ignore
    ]

// Sequenced: libtorch's thread count and generator are process-wide.
[<Tests>]
let torchTests =
    testSequenced <| testList "Discriminators and the buffer" [
        testCase "every buffer path returns the loop's sums to 1e-5, and the loop returns sum_k w_k D_k(x) of the pushed networks" <| fun () ->
            TorchRuntime.Configure(1, 0L)
            for net, rows in [ spec [ 16; 12 ] Activation.Tanh, 37; spec [ 24 ] Activation.Relu, 300; spec [ 9; 13; 8 ] Activation.Tanh, 513 ] do
                use buffer = new DiscriminatorBuffer(5, 7, net, torch.CPU)
                // Eight pushes into five slots: the ring turns, the three oldest are dropped.
                let pushed = [ for k in 1 .. 8 -> new Mlp("d", 7, net, 1, 1.0, Rng.Derive(11L, int64 k)) ]
                for m in pushed do buffer.Push m
                Expect.equal buffer.Count 5 "five held"
                let rng = Rng(3UL)
                let xs = Array.init (rows * 7) (fun _ -> float32 (2.0 * rng.NextGaussian()))
                let weights = CorrectedWeights.Weights([| 4.0; 2.0; 1.0; 0.5; 0.0 |], 0.3)
                let loop = buffer.Evaluate(xs, rows, weights, BufferPath.Loop)
                use x = (torch.tensor xs).reshape(int64 rows, 7L)
                let byHand = Array.zeroCreate<float> rows
                for age in 0 .. 4 do
                    use y = pushed.[3 + age].forward(x)
                    let v = y.data<float32>().ToArray()
                    for i in 0 .. rows - 1 do byHand.[i] <- byHand.[i] + weights.[age] * float v.[i]
                expectBelow 1e-5 (maxAbsDiff loop byHand) (sprintf "%s: loop vs the networks" net.Description)
                for path in [ BufferPath.Batched; BufferPath.Fused; BufferPath.Auto ] do
                    let other = buffer.Evaluate(xs, rows, weights, path)
                    expectBelow 1e-5 (maxAbsDiff other loop) (sprintf "%s: %A vs loop" net.Description path)
                // Networks of weight 0 are skipped (eps = 1 without correction: the newest alone).
                let newest = buffer.Evaluate(xs, rows, CorrectedWeights.Uncorrected(5, 1.0), BufferPath.Fused)
                use y = pushed.[7].forward(x)
                expectBelow 1e-5 (maxAbsDiff newest (y.data<float32>().ToArray() |> Array.map float)) "eps = 1: the newest discriminator"
                for m in pushed do m.Dispose()

        testCase "the fused path gives the same bits on 1, 2 and 3 torch threads (rows spread over worker threads)" <| fun () ->
            let net = spec [ 32; 16 ] Activation.Tanh
            use buffer = new DiscriminatorBuffer(4, 5, net, torch.CPU)
            for k in 1 .. 4 do
                use m = new Mlp("d", 5, net, 1, 1.0, Rng.Derive(21L, int64 k))
                buffer.Push m
            let rows = 3 * DiscriminatorBuffer.FusedBlockRows + 17   // a partial last block
            let rng = Rng(9UL)
            let xs = Array.init (rows * 5) (fun _ -> float32 (rng.NextGaussian()))
            let weights = CorrectedWeights.Weights([| 3.0; 1.0; 0.5; 0.0 |], 0.2)
            let on threads =
                TorchRuntime.Configure(threads, 0L)
                let r = buffer.Evaluate(xs, rows, weights, BufferPath.Fused)
                Expect.equal (torch.get_num_threads()) threads "the caller keeps its thread count"
                r
            let one = on 1
            for threads in [ 2; 3 ] do
                Expect.sequenceEqual (on threads) one (sprintf "%d threads: bit for bit" threads)
            expectBelow 1e-5 (maxAbsDiff one (buffer.Evaluate(xs, rows, weights, BufferPath.Loop))) "and the loop's sums"
            TorchRuntime.Configure(1, 0L)

        testCase "the buffer records etas for the newest network and weights them as the math note; Network(age) copies back" <| fun () ->
            TorchRuntime.Configure(1, 0L)
            let net = spec [ 4 ] Activation.Tanh
            use buffer = new DiscriminatorBuffer(3, 2, net, torch.CPU)
            for k in 1 .. 4 do
                use m = new Mlp("d", 2, net, 1, 1.0, Rng.Derive(5L, int64 k))
                buffer.Push m
                buffer.RecordEta(float k)
            Expect.equal (Seq.toList buffer.Etas) [ 2.0; 3.0; 4.0 ] "the last three etas, oldest first"
            expectBelow 1e-15 (maxAbsDiff (Seq.toArray (buffer.Weights(0.2, true))) (Seq.toArray (CorrectedWeights.Weights([| 2.0; 3.0; 4.0 |], 0.2)))) "corrected"
            expectBelow 1e-15 (maxAbsDiff (Seq.toArray (buffer.Weights(0.2, false))) (Seq.toArray (CorrectedWeights.Uncorrected(3, 0.2)))) "uncorrected"
            use original = new Mlp("d", 2, net, 1, 1.0, Rng.Derive(5L, 4L))
            use copy = buffer.Network 2
            use x = (torch.tensor [| 0.3f; -1.2f |]).reshape(1L, 2L)
            expectClose 1e-6 (float (original.forward(x).item<float32>())) (float (copy.forward(x).item<float32>())) "the newest network"

        testCase "the fused tanh is within 1e-6 (relative) of Math.Tanh on [-20, 20]" <| fun () ->
            let mutable worst = 0.0
            for i in -200000 .. 200000 do
                let x = float32 (float i * 1e-4)
                let t = float (FusedKernels.Tanh x)
                let exact = Math.Tanh(float x)
                let err = if exact = 0.0 then abs t else abs (t - exact) / abs exact
                worst <- max worst err
            expectBelow 1e-6 worst "max relative error"

        testCase "logistic loss, accuracy and gradient penalty on fixed tensors equal the hand-computed values" <| fun () ->
            TorchRuntime.Configure(1, 0L)
            use le = torch.tensor([| 2.0f; -1.0f |])
            use lp = torch.tensor([| 0.5f |])
            // Expert label 1: mean(softplus(-2), softplus(1)); policy label 0: softplus(0.5).
            use loss = DiscriminatorLoss.Logistic(le, lp)
            expectClose 1e-6 (0.5 * (softplus -2.0 + softplus 1.0) + softplus 0.5) (float (loss.item<float32>())) "logistic loss"
            expectClose 1e-12 (1.0 / 3.0) (DiscriminatorLoss.Accuracy(le, lp)) "one of three right (2 > 0; -1 and 0.5 wrong)"
            // D(x) = 0.5 |x_features|^2 + 3 flag: the gradient over the features is x itself, the flag is left out
            // (and set to 0 in the interpolates). alpha = 0.25: x~ = 0.25 x_E + 0.75 x_pi.
            use xe = (torch.tensor [| 4.0f; 0.0f; 1.0f; 0.0f; 2.0f; 1.0f |]).reshape(2L, 3L)
            use xp = (torch.tensor [| 0.0f; 0.0f; 0.0f; 0.0f; 2.0f; 0.0f |]).reshape(2L, 3L)
            use half = torch.tensor 0.5f
            use three = torch.tensor 3.0f
            let quadratic (x: torch.Tensor) = x.narrow(1L, 0L, 2L).square().sum(dim = 1L).mul(half) + x.narrow(1L, 2L, 1L).squeeze(1L).mul(three)
            use gp = DiscriminatorLoss.GradientPenalty(Func<_, _>(quadratic), xe, xp, 0.25, 2)
            // Interpolates (1, 0) and (0, 2): norms 1 and 2; penalty mean((1 - 1)^2, (2 - 1)^2) = 0.5.
            expectClose 1e-6 0.5 (float (gp.item<float32>())) "gradient penalty"
            // The penalty is differentiable in the discriminator's parameters: for D(x) = w . x_features, GP = (|w| - 1)^2
            // and dGP/dw = 2 (|w| - 1) w / |w|.
            use w = (torch.tensor [| 3.0f; 4.0f |]).requires_grad_(true)
            use gpw = DiscriminatorLoss.GradientPenalty(Func<_, _>(fun x -> x.narrow(1L, 0L, 2L).matmul(w)), xe, xp, 0.5, 2)
            expectClose 1e-5 16.0 (float (gpw.item<float32>())) "(|w| - 1)^2 = 16"
            gpw.backward()
            let g = (nonNull w.grad).data<float32>().ToArray()
            expectClose 1e-5 (2.0 * 4.0 * 3.0 / 5.0) (float g.[0]) "dGP/dw_0"
            expectClose 1e-5 (2.0 * 4.0 * 4.0 / 5.0) (float g.[1]) "dGP/dw_1"
    ]

[<Tests>]
let absorbingTests =
    testList "Absorbing states" [
        testCase "a terminated transition's TD target adds gamma/(1-gamma) (r_abs + alpha H_terminal); GAE takes it as the terminal reward" <| fun () ->
            let pendulum = ContinuousEnvs.Create "pendulum"
            // The pendulum's action box is [-2, 2]: H_terminal = log 4.
            expectClose 1e-15 (log 4.0) (AbsorbingStates.UniformEntropy pendulum.Spec) "H_terminal"
            let gamma, alpha, h = 0.9, 0.1, log 4.0
            let tail = 0.9 / 0.1 * (0.5 + 0.1 * log 4.0)
            expectClose 1e-12 tail (AbsorbingStates.TerminalTail(0.5, gamma, alpha, h)) "tail"
            let td = AbsorbingStates.TdRewards([| 1.0; 2.0; 3.0 |], [| false; true; false |], [| 0.5 |], gamma, alpha, h)
            expectBelow 1e-12 (maxAbsDiff td [| 1.0; 2.0 + tail; 3.0 |]) "only the terminated transition gets the tail"
            // GAE (gamma 0.9, lambda 1): step 1 terminated, so A_1 = r_1 + tail - V(s_1), never bootstrapped from V(s'_1).
            let gae = Gae.Compute(td, [| 0.0f; 1.0f; 0.0f |], [| 7.0f; 99.0f; 0.0f |], [| false; true; false |], [| false; false; true |], 1, gamma, 1.0)
            expectClose 1e-4 (2.0 + tail - 1.0) (float gae.Advantages.[1]) "terminal advantage"
            expectClose 1e-4 (1.0 + 0.9 * 7.0 + 0.9 * (2.0 + tail - 1.0)) (float gae.Advantages.[0]) "the step before accumulates it"
            expectInputError "absorbingRewards" [ "1 terminations" ] (fun () -> AbsorbingStates.TdRewards([| 1.0; 2.0 |], [| true; false |], [||], gamma, alpha, h)) |> ignore

        testCase "the absorbing floor: r_abs' = min(r_abs, min_i r_i), and a learned reward's TD rewards take it on terminated rows only (1e-9)" <| fun () ->
            Expect.equal (AbsorbingStates.Floored([| 5.0; -3.0; 0.5 |], [| 1.0; 0.0; 2.0 |])) [| 0.0; -3.0; 0.0 |] "capped at min r = 0, a lower r_abs kept"
            Expect.isEmpty (AbsorbingStates.Floored([||], [||])) "no terminations, nothing to cap"
            expectInputError "rewards" [ "empty" ] (fun () -> AbsorbingStates.Floored([| 1.0 |], [||])) |> ignore
            // The shipped pendulum reward (absorbing states on) on its demonstrations, every 7th transition marked terminated.
            use reward = ShippedRewards.Load "pendulum"
            let d = ShippedExperts.Demonstrations "pendulum"
            let terminated = Array.init d.Count (fun i -> i % 7 = 3)
            let r = reward.Rewards(d, terminated)
            let plain = reward.TdRewards(d, terminated)
            let floored = reward.TdRewards(d, terminated, true)
            let lowest = Array.min r
            let mutable capped = 0
            for i in 0 .. d.Count - 1 do
                if terminated.[i] then
                    // Recover r_abs from the plain tail, then rebuild the floored target by the math note's formula.
                    let rAbs = (plain.[i] - r.[i]) * (1.0 - reward.Gamma) / reward.Gamma - reward.Alpha * reward.TerminalEntropy
                    if rAbs > lowest then capped <- capped + 1
                    let expected = r.[i] + AbsorbingStates.TerminalTail(min rAbs lowest, reward.Gamma, reward.Alpha, reward.TerminalEntropy)
                    expectClose 1e-9 expected floored.[i] (sprintf "terminated row %d" i)
                else
                    Expect.equal (BitConverter.DoubleToInt64Bits floored.[i]) (BitConverter.DoubleToInt64Bits plain.[i]) (sprintf "row %d untouched" i)
            Expect.isGreaterThan capped 0 "some absorbing rewards were above the floor (the check is not vacuous)"

        testCase "demonstrations: an episode that ends before the time limit terminated, one at the limit was truncated" <| fun () ->
            // Episodes of 2, 5 (= the limit) and 3 steps.
            let dones = [| false; true; false; false; false; false; true; false; false; true |]
            let n = dones.Length
            let d = TransitionDataset(1, 1, Array.zeroCreate n, Array.zeroCreate n, Array.zeroCreate n, Array.zeroCreate n, dones)
            let t = Demonstrations.Terminations(d, 5)
            Expect.equal t [| false; true; false; false; false; false; false; false; false; true |] "terminated flags"
            let maze = ContinuousEnvs.Create "pendulum"
            let wrong = TransitionDataset(2, 1, Array.zeroCreate 4, Array.zeroCreate 2, Array.zeroCreate 4, Array.zeroCreate 2, [| false; true |])
            expectInputError "demos" [ "observations of size 2"; "pendulum has 3" ] (fun () -> Demonstrations.Checked(wrong, maze, "wrong.npz")) |> ignore
    ]
