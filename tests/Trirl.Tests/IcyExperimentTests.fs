/// The paper's discrete experiment (docs/tabular-experiment.md): the icy gridworld's dynamics and reward as the
/// authors' code states them (trust_region_irl_discrete/gridworld.py, config.yaml), the fixed-eta step (the correction
/// theorem holds for any eta), state-only rewards (D between state occupancies, the restricted primal and its gap),
/// and the CLI's --eta and --state-rewards.
module Trirl.Tests.IcyExperimentTests

open System
open System.IO
open Expecto
open Trirl.Functional
open Trirl.Functional.Environments
open Trirl.Tests.CliTests

let probability (mdp: TabularMdp) s a next =
    mdp.TransitionsOf(s, a) |> Seq.filter (fun t -> t.Next = next) |> Seq.sumBy (fun t -> t.Probability)

[<Tests>]
let tests =
    testList "Icy experiment" [
        testCase "icy 5x5: intended move 1 - slip + slip/4, each other slip/4, border stays, absorbing goal, reward -1 / 0" <| fun () ->
            let mdp = IcyGridworld.Create()
            Expect.equal (mdp.States, mdp.Actions, mdp.Gamma) (25, 4, 0.99) "shape and discount"
            // interior cell 6 (row 1, col 1), action 3 = right
            expectClose 1e-15 0.85 (probability mdp 6 3 7) "intended"
            for other in [ 1; 11; 5 ] do expectClose 1e-15 0.05 (probability mdp 6 3 other) "slip to a neighbour"
            // corner 0, action 0 = up: the intended move and the slip left both stay
            expectClose 1e-15 0.9 (probability mdp 0 0 0) "corner stays"
            for a in 0 .. 3 do expectClose 1e-15 1.0 (probability mdp 24 a 24) "absorbing goal"
            let r = trueReward mdp
            Expect.equal r.[0, 0] -1.0 "a step costs 1"
            Expect.equal r.[24, 2] 0.0 "the goal is free"
            Expect.equal r.[23, 3] 0.0 "the move into the goal from the left is free"
            Expect.equal r.[19, 1] 0.0 "the move into the goal from above is free"
            Expect.equal r.[23, 0] -1.0 "other moves cost 1"
            Expect.equal mdp.Initial.[0] 1.0 "start in cell 0"
            Expect.equal (TabularEnvs.Parse("icy:5", 0L).Mdp.Name) mdp.Name "icy:5 spec"
            expectInputError "env" [ "not icy:SIZE[:SLIP]" ] (fun () -> TabularEnvs.Parse("icy", 0L)) |> ignore

        testCase "fixed eta: the step is SoftOptimal(r~ + eta log pi_i, 1 + eta); the correction theorem holds (< 1e-9 at gamma 0.99)" <| fun () ->
            let mdp = IcyGridworld.Create()
            let reward = StateActionTable.Create(25, 4, fun s a -> 0.3 * sin (float (3 * s + a)))
            let d = StateActionTable.Create(25, 4, fun s a -> cos (float (5 * s + 2 * a)))
            let piI = Irl.SoftOptimal(mdp, reward).Policy
            let proposed = Irl.ProposeReward(reward, d, 0.01, 50.0)
            for eta in [ 0.0; 0.1; 3.0 ] do
                let step = Irl.FixedEtaStep(mdp, proposed, piI, eta)
                Expect.equal step.Eta eta "eta as given"
                let shifted = StateActionTable.Affine(1.0, proposed, eta, piI.LogProbabilities)
                // Each solve stops at a value change below 1e-12 (times the temperature); at gamma 0.99 that leaves each policy
                // within about gamma / (1 - gamma) * 1e-12 = 1e-10 of its fixed point, so two solves agree to a few 1e-10.
                expectBelow 1e-9 (logPolicyDiff step.Policy (Irl.SoftOptimal(mdp, shifted, 1.0 + eta).Policy)) "closed form"
                expectBelow 1e-9 (logPolicyDiff step.Policy (Irl.SoftOptimal(mdp, Irl.CorrectReward(reward, d, 0.01, eta, 50.0)).Policy)) "correction"
                expectClose 1e-12 (Irl.CausalKl(mdp, step.Policy, piI)) step.Kl "Kl is the causal KL"
            expectInputError "eta" [ ">= 0" ] (fun () -> Irl.FixedEtaStep(mdp, proposed, piI, -0.1)) |> ignore

        testCase "the learner with a fixed eta and state rewards: eta and eps_tr constant, r(s) the same for every action, gap to 0" <| fun () ->
            let mdp = IcyGridworld.Create()
            let problem = TrirlProblem.FromTrueReward(mdp, 1.0)
            let settings = TrirlSettings.Trirl(50.0, 0.002, 1e-3).WithFixedEta(0.1).WithStateRewards(true)
            let history = Learner.Run(problem, settings) |> Seq.take 40 |> Seq.toArray
            for it in history do
                Expect.equal it.Eta 0.1 "fixed eta"
                expectClose 1e-15 (0.002 / 1.1) it.EpsTr "eps_tr = eps / (1 + eta)"
                for s in 0 .. 24 do
                    for a in 1 .. 3 do Expect.equal it.Reward.[s, a] it.Reward.[s, 0] "state reward"
                expectAtLeast -1e-8 it.Gap "gap >= 0 up to rounding at gamma 0.99"
            for a, b in Array.pairwise history do Expect.isLessThanOrEqual b.Dual (a.Dual + 1e-9) "dual does not increase (eps beta 0.1)"
            let last = Array.last history
            Expect.isLessThan last.Gap (history.[0].Gap / 5.0) "the gap falls"
            // KL and primal compare state occupancies
            let marginal (t: StateActionTable) = t.RowSums() |> Seq.toArray
            let kl = klFlat (marginal last.Occupancy) (marginal problem.ExpertOccupancy)
            expectClose 1e-12 kl last.KlToExpert "KL of state occupancies"
            expectBelow 1e-10 (logPolicyDiff (Irl.SoftOptimal(mdp, last.Reward).Policy) last.Policy) "retraining reproduces pi_n"
            expectInputError "eta" [ "MCE-IRL" ] (fun () -> TrirlSettings.Mce(3.0, 0.05).WithFixedEta(0.1)) |> ignore

        testSequenced (testCase "CLI: --eta and --state-rewards reach the summary; --eta with mce or below 0 is exit code 2" (fun () ->
            let dir = freshDir "icy"
            Expect.equal (run [ "tabular"; "--env"; "icy:5"; "--algo"; "trirl"; "--beta"; "50"; "--eps"; "0.01"; "--eta"; "0.1"; "--state-rewards"
                                "--expert-beta"; "1"; "--iterations"; "5"; "--out"; dir ]) 0 "exit code"
            let summary = File.ReadAllText(Path.Combine(dir, "summary.json"))
            Expect.stringContains summary "\"fixed_eta\": 0.1" "fixed eta"
            Expect.stringContains summary "\"state_rewards\": true" "state rewards"
            for extra, fragment in [ [ "--algo"; "mce"; "--eta"; "0.1" ], "--eta"; [ "--algo"; "trirl"; "--eta"; "-1" ], "--eta" ] do
                expectBadInput ([ "tabular"; "--env"; "icy:5"; "--out"; freshDir "icy-bad" ] @ extra, fragment)))
    ]
