/// The learning loop (math note, sections 6-8): the start, monotone dual and vanishing gap in the safe regime,
/// MCE-IRL as a full solve, adversarial without correction, consistency of each iteration's numbers, determinism,
/// resuming, reward reuse, warnings, and consuming the lazy sequence from F#.
module Trirl.Tests.LearnerTests

open System
open Expecto
open FsCheck.FSharp
open Trirl.Functional
open Trirl.Functional.Environments

let gridworld5 = lazy (Gridworld.Create(5, 0.1))

/// The bits of every number an iteration carries.
let fingerprint (it: TrirlIteration) =
    [ yield float it.Iteration
      yield! [ it.Eta; it.EpsTr; it.StepKl; it.Dual; it.Primal; it.KlToExpert; it.NormalizedReturn; float it.Solves ]
      yield! flat it.Reward
      yield! flat it.Policy.LogProbabilities
      yield! flat it.Occupancy
      yield! flat it.LogRatio
      yield! it.Value ]
    |> Array.ofList

[<Tests>]
let tests =
    testList "Learner" [
        testCase "start: r_0 = 0, pi_0 uniform, G(0) = log A, P(uniform) = log A - beta KL(rho_U || rho_E)" <| fun () ->
            let mdp = Gridworld.Create(4, 0.2, seed = 2L)
            let problem = TrirlProblem.FromTrueReward(mdp, 2.0)
            let settings = TrirlSettings.Trirl(3.0, 0.05, 0.01)
            let it = Learner.Start(problem, settings)
            Expect.equal it.Iteration 0 "iteration"
            Expect.isTrue (flat it.Reward |> Array.forall ((=) 0.0)) "r_0 = 0"
            expectBelow 1e-15 (flat it.Policy.Probabilities |> Array.map (fun p -> abs (p - 0.25)) |> Array.max) "pi_0 uniform"
            expectClose 1e-10 (log 4.0) it.Dual "G(0)"
            let rhoU = denseOccupancy mdp it.Policy
            expectClose 1e-10 (log 4.0 - 3.0 * klFlat rhoU (flat problem.ExpertOccupancy)) it.Primal "P(uniform)"
            expectClose 1e-12 0.0 it.NormalizedReturn "the uniform policy scores 0"

        testCase "gridworld 5x5 safe regime (beta 3, eps 0.05, delta 0.01): G never increases, gap >= -1e-11, gap < 1e-6 after 150" <| fun () ->
            // Measured: the gap first falls below 1e-6 at iteration 94 and is 2.9e-9 at iteration 150; the largest
            // increase of G is 3.6e-14 and the smallest gap -9.5e-13.
            let problem = TrirlProblem.FromTrueReward(gridworld5.Force(), 3.0)
            let settings = TrirlSettings.Trirl(3.0, 0.05, 0.01)
            Expect.isEmpty settings.Warnings "eps * beta = 0.15 is in the safe regime"
            let history = Learner.Run(problem, settings) |> Seq.take 150 |> Seq.toArray
            let start = Learner.Start(problem, settings)
            for prev, it in Array.pairwise (Array.append [| start |] history) do
                expectBelow 1e-9 (it.Dual - prev.Dual) (sprintf "G(r_%d) - G(r_%d)" it.Iteration prev.Iteration)
                expectAtLeast -1e-11 it.Gap (sprintf "gap at iteration %d" it.Iteration)
            Expect.isTrue (history |> Array.exists (fun it -> it.Eta > 0.0)) "the trust region is active early on"
            let last = history.[history.Length - 1]
            expectBelow 1e-6 last.Gap "gap after 150 iterations"
            // The optimum trades entropy against matching: KL to the expert stays positive (math note, section 3).
            Expect.isGreaterThan last.KlToExpert 1e-3 "KL(rho_pi || rho_E) > 0 at finite beta"
            expectClose 1e-9 last.Gap (Irl.DualityGap(problem.Mdp, last.Reward, problem.ExpertOccupancy, 3.0)) "Gap = DualityGap(r_n)"

        testCase "every iteration's numbers agree with the functions of the note" <| fun () ->
            let mdp = Gridworld.Create(4, 0.2, seed = 5L)
            let problem = TrirlProblem.FromTrueReward(mdp, 2.0)
            let beta = 2.5
            for it in Learner.Run(problem, TrirlSettings.Trirl(beta, 0.06, 0.005)) |> Seq.take 12 do
                let what s = sprintf "%s at iteration %d" s it.Iteration
                expectClose 1e-10 (Irl.DualObjective(mdp, it.Reward, problem.ExpertOccupancy, beta)) it.Dual (what "Dual")
                expectClose 1e-10 (densePrimal mdp it.Policy problem.ExpertOccupancy beta) it.Primal (what "Primal")
                expectClose 0.0 (it.Dual - it.Primal) it.Gap (what "Gap")
                expectBelow 1e-11 (flowResidual mdp it.Occupancy) (what "occupancy flow residual")
                expectBelow 1e-11 (maxAbsDiff (denseOccupancy mdp it.Policy) (flat it.Occupancy)) (what "Occupancy")
                expectClose 1e-10 (klFlat (flat it.Occupancy) (flat problem.ExpertOccupancy)) it.KlToExpert (what "KlToExpert")
                let r = trueReward mdp
                let nr = (Irl.ExpectedReturn(it.Occupancy, r) - problem.UniformReturn) / (problem.ExpertReturn - problem.UniformReturn)
                expectClose 1e-12 nr it.NormalizedReturn (what "NormalizedReturn")
                expectBelow 1e-10 (maxAbsDiff (Seq.toArray it.Value) (Seq.toArray (Irl.SoftOptimal(mdp, it.Reward).V))) (what "Value = V_{r_i}")

        testCase "Metrics carries the iteration's scalars bit for bit" <| fun () ->
            let problem = TrirlProblem.FromTrueReward(Gridworld.Create(3, 0.1), 2.0)
            for it in Learner.Run(problem, TrirlSettings.Trirl(2.0, 0.1, 0.01)) |> Seq.take 4 do
                let m = it.Metrics
                Expect.equal m.Iteration it.Iteration "iteration"
                Expect.isTrue
                    (sameBitsArray
                        [| m.Dual; m.Primal; m.Gap; m.Eta; m.EpsTr; m.StepKl; m.KlToExpert; m.NormalizedReturn |]
                        [| it.Dual; it.Primal; it.Gap; it.Eta; it.EpsTr; it.StepKl; it.KlToExpert; it.NormalizedReturn |])
                    (sprintf "scalars of iteration %d" it.Iteration)

        testCase "the problem's scoring anchors: the expert scores 1, the uniform policy 0" <| fun () ->
            let mdp = Gridworld.Create(4, 0.2, seed = 5L)
            let problem = TrirlProblem.FromTrueReward(mdp, 2.0)
            let r = trueReward mdp
            expectClose 1e-12 1.0 (problem.NormalizedReturn problem.ExpertOccupancy) "expert"
            expectClose 1e-12 0.0 (problem.NormalizedReturn(Irl.Occupancy(mdp, Policy.Uniform(16, 4)))) "uniform"
            expectClose 1e-12 (Irl.ExpectedReturn(problem.ExpertOccupancy, r)) problem.ExpertReturn "J(pi_E)"
            let expert = Irl.SoftOptimal(mdp, r.Scale(2.0)).Policy
            expectBelow 1e-15 (logPolicyDiff expert problem.ExpertPolicy) "pi_E = SoftOptimal(expertBeta * r_true, 1)"
            expectClose 1e-12 (Irl.NormalizedReturn(3.0, 1.0, 5.0)) 0.5 "NormalizedReturn(3, 1, 5) = (3-1)/(5-1)"

        testCase "mce is a full solve: pi = SoftOptimal(r, 1) and r_{i+1} = ProposeReward(r_i, LogRatio(rho_E, rho_i), eps, beta)" <| fun () ->
            let mdp = Gridworld.Create(4, 0.2, seed = 7L)
            let problem = TrirlProblem.FromTrueReward(mdp, 2.0)
            let eps, beta = 0.08, 2.0
            let settings = TrirlSettings.Mce(beta, eps)
            Expect.equal settings.Delta infinity "delta = infinity"
            let history = Learner.Run(problem, settings) |> Seq.take 20 |> Seq.toArray
            for prev, it in Array.pairwise (Array.append [| Learner.Start(problem, settings) |] history) do
                let what s = sprintf "%s at iteration %d" s it.Iteration
                Expect.equal it.Eta 0.0 (what "eta")
                Expect.equal it.EpsTr eps (what "eps_tr")
                let expected = Irl.ProposeReward(prev.Reward, Irl.LogRatio(problem.ExpertOccupancy, prev.Occupancy), eps, beta)
                expectBelow 1e-12 (tableDiff expected it.Reward) (what "reward")
                expectBelow 1e-10 (logPolicyDiff it.Policy (Irl.SoftOptimal(mdp, it.Reward, 1.0).Policy)) (what "policy")
                expectBelow 1e-9 (it.Dual - prev.Dual) (what "G non-increasing (eps * beta = 0.16)")

        testCase "adversarial: eps = 1, reward = beta * D, no correction even when eta > 0" <| fun () ->
            let mdp = Gridworld.Create(4, 0.2, seed = 7L)
            let problem = TrirlProblem.FromTrueReward(mdp, 2.0)
            let beta = 2.0
            let settings = TrirlSettings.Adversarial(beta, 0.01)
            Expect.equal settings.Eps 1.0 "eps"
            let history = Learner.Run(problem, settings) |> Seq.take 8 |> Seq.toArray
            Expect.isTrue (history |> Array.exists (fun it -> it.Eta > 0.0)) "the trust region binds at least once"
            for prev, it in Array.pairwise (Array.append [| Learner.Start(problem, settings) |] history) do
                let what s = sprintf "%s at iteration %d (eta %g)" s it.Iteration it.Eta
                let d = Irl.LogRatio(problem.ExpertOccupancy, prev.Occupancy)
                expectBelow 1e-12 (tableDiff (d.Scale beta) it.Reward) (what "reward = beta D")
                Expect.equal it.EpsTr 1.0 (what "eps_tr = eps = 1")
                let shifted = StateActionTable.Combine(d.Scale beta, prev.Policy.LogProbabilities, fun r l -> r + it.Eta * l)
                expectBelow 1e-10 (logPolicyDiff it.Policy (Irl.SoftOptimal(mdp, shifted, 1.0 + it.Eta).Policy)) (what "local step")
                if it.Eta > 0.0 then
                    Expect.isGreaterThan (logPolicyDiff it.Policy (Irl.SoftOptimal(mdp, it.Reward).Policy)) 1e-6 (what "policy is not SoftOptimal(reward)")

        testCase "determinism: two runs give bitwise-identical numbers" <| fun () ->
            let problem = TrirlProblem.FromTrueReward(Gridworld.Create(5, 0.1, seed = 4L), 3.0)
            let settings = TrirlSettings.Trirl(3.0, 0.05, 0.01)
            let a = Learner.Run(problem, settings) |> Seq.take 30 |> Seq.map fingerprint |> Seq.toArray
            let b = Learner.Run(problem, settings) |> Seq.take 30 |> Seq.map fingerprint |> Seq.toArray
            for i in 0 .. a.Length - 1 do
                Expect.isTrue (sameBitsArray a.[i] b.[i]) (sprintf "iteration %d identical" (i + 1))

        testCase "RunFrom resumes exactly where a run left off" <| fun () ->
            let problem = TrirlProblem.FromTrueReward(Gridworld.Create(4, 0.2, seed = 6L), 2.0)
            let settings = TrirlSettings.Trirl(2.0, 0.1, 0.005)
            let whole = Learner.Run(problem, settings) |> Seq.take 12 |> Seq.toArray
            let resumed = Learner.RunFrom(problem, settings, whole.[5]) |> Seq.take 6 |> Seq.toArray
            for k in 0..5 do
                Expect.isTrue (sameBitsArray (fingerprint whole.[6 + k]) (fingerprint resumed.[k])) (sprintf "iteration %d" (7 + k))

        testCase "F# consumes the lazy run: Seq.take 5 gives iterations 1..5, Seq.item 2 gives iteration 3" <| fun () ->
            let problem = TrirlProblem.FromTrueReward(Gridworld.Create(3, 0.1), 2.0)
            let settings = TrirlSettings.Trirl(2.0, 0.1, 0.01)
            let firstFive = Learner.Run(problem, settings) |> Seq.take 5 |> Seq.toArray
            Expect.equal (firstFive |> Array.map (fun it -> it.Iteration)) [| 1; 2; 3; 4; 5 |] "iterations"
            let third = Learner.Run(problem, settings) |> Seq.item 2
            Expect.equal third.Iteration 3 "Seq.item 2"
            Expect.isTrue (sameBitsArray (fingerprint third) (fingerprint firstFive.[2])) "same numbers either way"
            let gaps = Learner.Run(problem, settings) |> Seq.map (fun it -> it.Gap) |> Seq.takeWhile (fun g -> g > 1e-3) |> Seq.length
            Expect.isGreaterThan gaps 0 "Seq.takeWhile stops on a lazy infinite run"

        testCase "retraining: re-optimising the learned reward reproduces pi_n and its score" <| fun () ->
            let mdp = Gridworld.Create(4, 0.2, seed = 8L)
            let problem = TrirlProblem.FromTrueReward(mdp, 2.0)
            let last = Learner.Run(problem, TrirlSettings.Trirl(2.0, 0.1, 0.002)) |> Seq.item 19
            let reuse = RewardReuse.Reoptimize(mdp, last.Reward, 2.0)
            expectBelow 1e-10 (logPolicyDiff reuse.Policy last.Policy) "policy"
            expectClose 1e-9 last.NormalizedReturn reuse.NormalizedReturn "normalised return"
            expectClose 1e-9 last.KlToExpert reuse.KlToExpert "KL to the expert"
            // Transfer to other dynamics is scored against that MDP's own expert.
            let other = Gridworld.Create(4, 0.05, seed = 8L)
            let transfer = RewardReuse.Reoptimize(other, last.Reward, 2.0)
            let rho = Irl.Occupancy(other, transfer.Policy)
            let p2 = TrirlProblem.FromTrueReward(other, 2.0)
            expectClose 1e-12 (p2.NormalizedReturn rho) transfer.NormalizedReturn "transfer score"

        property 30 "Warnings is non-empty iff eps * beta > 0.2"
            (Gen.zip (genRange 0.001 1.0) (genLogRange 0.05 20.0))
            (fun (eps, beta) ->
                let settings = TrirlSettings.Trirl(beta, eps, 0.01)
                Expect.equal (not settings.Warnings.IsEmpty) (eps * beta > 0.2) (sprintf "eps %g beta %g" eps beta)
                Expect.equal (not (TrirlSettings.Mce(beta, eps)).Warnings.IsEmpty) (eps * beta > 0.2) "mce")

        testCase "Warnings at the boundary: 0.1 * 2 = 0.2 is silent, 0.3 * 1 warns and names eps * beta" <| fun () ->
            Expect.isEmpty (TrirlSettings.Trirl(2.0, 0.1, 0.01)).Warnings "eps * beta = 0.2"
            Expect.isEmpty (TrirlSettings.Trirl(3.0, 0.05, 0.01)).Warnings "eps * beta = 0.15"
            let w = (TrirlSettings.Trirl(1.0, 0.3, 0.01)).Warnings
            Expect.hasLength w 1 "one warning"
            Expect.stringContains w.[0] "eps * beta" "names the product"
            Expect.isNonEmpty (TrirlSettings.Adversarial(1.0, 0.01)).Warnings "adversarial: eps = 1, beta = 1"

        testCase "settings built with the record constructor are validated when the run starts (delta NaN, 0)" <| fun () ->
            // TrirlSettings is a public positional record: F# code builds it with TrirlSettings(...) and C# with `with`.
            // Invalid values must not run silently (delta = NaN currently runs with eta = 1; delta = 0 with eta ~ 7e7).
            let problem = TrirlProblem.FromTrueReward(Gridworld.Create(3, 0.1), 2.0)
            for delta in [ nan; 0.0; -1.0 ] do
                expectInputError "delta" [] (fun () -> Learner.Run(problem, TrirlSettings(Algorithm.Trirl, 2.0, 0.1, delta)) |> Seq.head) |> ignore

        testCase "the sample-based learner without demonstrations is an error naming 'demonstrations'" <| fun () ->
            let problem = TrirlProblem.FromTrueReward(Gridworld.Create(3, 0.1), 2.0)
            let settings = TrirlSettings.Trirl(2.0, 0.1, 0.01).WithSampling(SampleSettings(10, 20, SampleSettings.DefaultL2, 1L))
            expectInputError "demonstrations" [ "WithDemonstrations" ] (fun () -> Learner.Run(problem, settings)) |> ignore
    ]
