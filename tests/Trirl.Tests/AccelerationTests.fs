/// Anderson acceleration of the two fixed-point solves (SolverSettings.AndersonDepth): the same fixed points as plain
/// iteration (soft values, policies and occupancies within the solvers' own accuracy), fewer sweeps, non-negative
/// occupancies, and the learner's numbers within 1e-10 of plain iteration.
module Trirl.Tests.AccelerationTests

open Expecto
open FsCheck.FSharp
open Trirl.Functional
open Trirl.Functional.Environments

let plain = SolverSettings.Default.WithAndersonDepth 0

[<Tests>]
let tests =
    testList "Acceleration" [
        property 40 "soft VI: log pi within 1e-10 and V within 1e-10 / (1 - gamma) of plain iteration; occupancy within 1e-11" genSoftCase (fun c ->
            let a = Irl.SoftOptimal(c.Mdp, c.Reward, c.Temperature, plain)
            let b = Irl.SoftOptimal(c.Mdp, c.Reward, c.Temperature, SolverSettings.Default)
            expectBelow 1e-10 (logPolicyDiff a.Policy b.Policy) "log pi"
            expectBelow (1e-10 * c.Temperature / (1.0 - c.Mdp.Gamma)) (maxAbsDiff (Seq.toArray a.V) (Seq.toArray b.V)) "V"
            Expect.isLessThanOrEqual b.Iterations a.Iterations "no more sweeps"
            let rhoA = Irl.Occupancy(c.Mdp, a.Policy, plain)
            let rhoB = Irl.Occupancy(c.Mdp, a.Policy, SolverSettings.Default)
            // Each solve stops at an L1 change below 1e-13, so each is within about gamma / (1 - gamma) * 1e-13 of the fixed point.
            expectBelow 1e-11 (tableDiff rhoA rhoB) "occupancy"
            Expect.isGreaterThanOrEqual (rhoB.Min()) 0.0 "non-negative")

        property 40 "the mixer's four-lane inner product is the plain sum to rounding, for every length (tails included)"
            (Gen.zip (Gen.choose (0, 70)) (Gen.choose (0, System.Int32.MaxValue)))
            (fun (n, seed) ->
                let rng = System.Random(seed)
                let a = Array.init n (fun _ -> rng.NextDouble() * 2.0 - 1.0)
                let b = Array.init n (fun _ -> rng.NextDouble() * 2.0 - 1.0)
                let plainSum = Array.fold2 (fun s x y -> s + x * y) 0.0 a b
                let scale = Array.fold2 (fun s x y -> s + abs (x * y)) 0.0 a b
                let fast = AndersonMixer.Dot(System.ReadOnlySpan a, System.ReadOnlySpan b)
                expectBelow (1e-15 * float (n + 1) * (scale + 1e-300)) (abs (fast - plainSum) + 0.0) (sprintf "length %d" n)
                Expect.isTrue (sameBits fast (AndersonMixer.Dot(System.ReadOnlySpan a, System.ReadOnlySpan b))) "deterministic")

        testCase "the icy grid at gamma 0.99: at least 5x fewer soft sweeps than plain iteration" <| fun () ->
            let mdp = IcyGridworld.Create()
            let r = trueReward mdp
            let a = Irl.SoftOptimal(mdp, r, 1.0, plain)
            let b = Irl.SoftOptimal(mdp, r)
            Expect.isLessThan (b.Iterations * 5) a.Iterations (sprintf "sweeps %d (plain %d)" b.Iterations a.Iterations)

        testCase "a 100x100 gridworld's expert occupancy keeps the support of plain iteration (mixing may dip below 0 where it is tiny)" <| fun () ->
            let mdp = Gridworld.Create(100, 0.1)
            let expert = Irl.SoftOptimal(mdp, (trueReward mdp).Scale 3.0).Policy
            let rho, reference = Irl.Occupancy(mdp, expert), Irl.Occupancy(mdp, expert, plain)
            Expect.isGreaterThanOrEqual (rho.Min()) 0.0 "non-negative"
            let positive (t: StateActionTable) = flat t |> Array.map (fun x -> x > 0.0)
            Expect.equal (positive rho) (positive reference) "same support as plain iteration"
            expectBelow 1e-11 (tableDiff rho reference) "same as plain"

        testCase "the learner: 40 TRIRL iterations within 1e-10 of plain iteration (gridworld, garnet, cliff; rewards relative to their size)" <| fun () ->
            for mdp in [ Gridworld.Create(5, 0.1); Garnet.Create(40, 4, 5, 2L); CliffWalk.Create(0.1) ] do
                let run (solver: SolverSettings) =
                    let settings = TrirlSettings.Trirl(3.0, 0.05, 0.01).WithSolver solver
                    Learner.Run(TrirlProblem.FromTrueReward(mdp, 3.0, solver), settings) |> Seq.take 40 |> Seq.toArray
                let a, b = run plain, run SolverSettings.Default
                for x, y in Array.zip a b do
                    for name, u, v in [ "dual", x.Dual, y.Dual; "primal", x.Primal, y.Primal; "gap", x.Gap, y.Gap; "eta", x.Eta, y.Eta ] do
                        expectClose 1e-10 u v (sprintf "%s, %s at %d" mdp.Name name x.Iteration)
                    expectBelow (1e-10 * max 1.0 (max (abs (x.Reward.Max())) (abs (x.Reward.Min())))) (tableDiff x.Reward y.Reward) "reward"

        testCase "AndersonDepth outside [0, 50] is an error naming it" <| fun () ->
            expectInputError "AndersonDepth" [ "[0, 50]" ] (fun () -> Irl.SoftOptimal(Gridworld.Create(3, 0.1), StateActionTable.Constant(9, 4, 0.0), 1.0, SolverSettings.Default.WithAndersonDepth -1)) |> ignore
    ]
