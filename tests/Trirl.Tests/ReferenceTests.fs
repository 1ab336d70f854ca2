/// The public reference: an independent exact TRIRL run (numpy) on a 4x4 slippery gridworld, iterations 1..30
/// (fixtures/tabular-4x4, a copy of /work/shared/reference/tabular-4x4).
module Trirl.Tests.ReferenceTests

open System
open System.Globalization
open System.IO
open Expecto
open Trirl.Functional

type ReferenceRow =
    { Iteration: int
      Dual: float
      Primal: float
      Gap: float
      Eta: float
      EpsTr: float
      KlToExpert: float }

let readReference (dir: string) =
    let lines = File.ReadAllLines(Path.Combine(dir, "reference.csv"))
    Expect.equal lines.[0] "iteration,dual,primal,gap,eta,eps_tr,kl_to_expert" "CSV header"
    lines
    |> Array.skip 1
    |> Array.filter (fun l -> l.Trim() <> "")
    |> Array.map (fun l ->
        let f = l.Split(',') |> Array.map (fun x -> Double.Parse(x, CultureInfo.InvariantCulture))
        { Iteration = int f.[0]; Dual = f.[1]; Primal = f.[2]; Gap = f.[3]; Eta = f.[4]; EpsTr = f.[5]; KlToExpert = f.[6] })

let referenceMdp (dir: string) = MdpJson.Parse(File.ReadAllText(Path.Combine(dir, "mdp.json")))

[<Tests>]
let tests =
    testList "Reference" [
        testCase "a Learner run matches reference.csv (dual, primal, gap, eta, eps_tr, kl_to_expert) for iterations 1..30 to 1e-8" <| fun () ->
            // Measured worst absolute differences: dual 2.2e-11, primal 1.7e-11, gap 9.7e-12, eta 9.3e-10,
            // eps_tr 6.7e-11, kl_to_expert 4.7e-12.
            let dir = referenceDir ()
            let rows = readReference dir
            Expect.equal (rows |> Array.map (fun r -> r.Iteration)) [| 1..30 |] "iterations 1..30"
            let mdp = referenceMdp dir
            let problem = TrirlProblem.FromTrueReward(mdp, 2.0)
            let history = Learner.Run(problem, TrirlSettings.Trirl(2.0, 0.1, 0.0005)) |> Seq.take 30 |> Seq.toArray
            for row, it in Array.zip rows history do
                let what s = sprintf "%s at iteration %d" s row.Iteration
                Expect.equal it.Iteration row.Iteration (what "iteration")
                expectClose 1e-8 row.Dual it.Dual (what "dual")
                expectClose 1e-8 row.Primal it.Primal (what "primal")
                expectClose 1e-8 row.Gap it.Gap (what "gap")
                expectClose 1e-8 row.Eta it.Eta (what "eta")
                expectClose 1e-8 row.EpsTr it.EpsTr (what "eps_tr")
                expectClose 1e-8 row.KlToExpert it.KlToExpert (what "kl_to_expert")

        testCase "the reference is self-consistent: gap = dual - primal, eps_tr = 0.1 / (1 + eta)" <| fun () ->
            for row in readReference (referenceDir ()) do
                expectClose 1e-10 (row.Dual - row.Primal) row.Gap (sprintf "gap at %d" row.Iteration)
                expectClose 1e-10 (0.1 / (1.0 + row.Eta)) row.EpsTr (sprintf "eps_tr at %d" row.Iteration)

        testCase "the reference MDP: 16 states, 4 actions, gamma 0.9, start in cell 0, rows are distributions" <| fun () ->
            let mdp = referenceMdp (referenceDir ())
            Expect.equal mdp.States 16 "S"
            Expect.equal mdp.Actions 4 "A"
            Expect.equal mdp.Gamma 0.9 "gamma"
            Expect.equal mdp.Name "public-gridworld-4x4" "name"
            expectClose 0.0 1.0 mdp.Initial.[0] "p0(0)"
            Expect.isTrue mdp.HasReward "carries a true reward"
            for s in 0..15 do
                for a in 0..3 do
                    expectClose 1e-12 1.0 (mdp.TransitionsOf(s, a) |> Seq.sumBy (fun t -> t.Probability)) (sprintf "row (%d, %d)" s a)

        testCase "the test fixtures are byte-identical to ../shared/reference when that folder exists" <| fun () ->
            match sharedReferenceDir () with
            | None -> skiptest "../shared/reference/tabular-4x4 is not present on this machine; the fixtures are used"
            | Some shared ->
                for file in [ "mdp.json"; "reference.csv" ] do
                    let a = File.ReadAllBytes(Path.Combine(shared, file))
                    let b = File.ReadAllBytes(Path.Combine(fixtureDir (), file))
                    Expect.equal b a (sprintf "%s has not drifted" file)
    ]
