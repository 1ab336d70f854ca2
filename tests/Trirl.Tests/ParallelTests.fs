/// Large MDPs take the blocked, parallel kernels (>= 40,000 transition entries, blocks of 512 states): their results
/// satisfy the math and are bitwise independent of `SolverSettings.Parallel` (the library's determinism promise).
module Trirl.Tests.ParallelTests

open Expecto
open Trirl.Functional
open Trirl.Functional.Environments

/// 2500 states x 4 actions x 5 next states = 50,000 entries: five blocks, above the parallel threshold.
let large = lazy (Garnet.Create(2500, 4, 5, 77L))

let serialSolver = SolverSettings(Parallel = false)
let parallelSolver = SolverSettings(Parallel = true)

[<Tests>]
let tests =
    testList "Parallel kernels" [
        testCase "SoftOptimal on 2500 states: Bellman residual < 1e-10, rows sum to 1, parallel = serial bitwise" <| fun () ->
            let mdp = large.Force()
            Expect.isGreaterThanOrEqual mdp.TransitionCount 40_000 "above the parallel threshold"
            let r = trueReward mdp
            let p = Irl.SoftOptimal(mdp, r, 1.0, parallelSolver)
            let s = Irl.SoftOptimal(mdp, r, 1.0, serialSolver)
            Expect.isTrue (sameBitsArray (Seq.toArray p.V) (Seq.toArray s.V)) "V bitwise"
            Expect.isTrue (sameBitsArray (flat p.Policy.LogProbabilities) (flat s.Policy.LogProbabilities)) "log pi bitwise"
            let v = Seq.toArray p.V
            let q = backup mdp r v
            expectBelow 1e-10 (maxAbsDiff q (flat p.Q)) "Q residual"
            expectBelow 1e-10 (maxAbsDiff v (softMax mdp 1.0 q)) "V residual"
            for st in 0 .. mdp.States - 1 do
                expectClose 1e-12 1.0 (Seq.init 4 (fun a -> p.Policy.Probability(st, a)) |> Seq.sum) "row sum"

        testCase "Occupancy on 2500 states: flow residual < 1e-11, sums to 1, parallel = serial bitwise" <| fun () ->
            let mdp = large.Force()
            let pi = Irl.SoftOptimal(mdp, trueReward mdp).Policy
            let p = Irl.Occupancy(mdp, pi, parallelSolver)
            let s = Irl.Occupancy(mdp, pi, serialSolver)
            Expect.isTrue (sameBitsArray (flat p) (flat s)) "rho bitwise"
            expectClose 1e-12 1.0 (p.Sum()) "sum"
            expectBelow 1e-11 (flowResidual mdp p) "flow residual"

        testCase "a learner run on 2500 states is bitwise identical with and without parallel sweeps" <| fun () ->
            let mdp = large.Force()
            let problem = TrirlProblem.FromTrueReward(mdp, 2.0)
            let run solver =
                Learner.Run(problem, TrirlSettings.Trirl(2.0, 0.1, 0.01).WithSolver(solver)) |> Seq.take 3 |> Seq.map LearnerTests.fingerprint |> Seq.toArray
            let a, b = run parallelSolver, run serialSolver
            for i in 0..2 do
                Expect.isTrue (sameBitsArray a.[i] b.[i]) (sprintf "iteration %d" (i + 1))
    ]
