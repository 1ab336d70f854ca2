/// The trust-region step and the reward correction (math note, sections 4-6): the correction theorem on random
/// Garnets and along Learner runs, the KL constraint (active and slack), the closed form, optimality among feasible
/// policies, delta = infinity, and the proposal / corrected step size by hand.
module Trirl.Tests.TrustRegionTests

open Expecto
open FsCheck.FSharp
open Trirl.Functional

/// `pi_i = SoftOptimal(r_i, 1)`, `r~ = U_eps(r_i)` and the step on it.
let step (c: StepCase) =
    let piI = Irl.SoftOptimal(c.Mdp, c.Reward).Policy
    let proposed = Irl.ProposeReward(c.Reward, c.LogRatio, c.Eps, c.Beta)
    piI, proposed, Irl.TrustRegionStep(c.Mdp, proposed, piI, c.Delta)

/// Causal KL `sum_s rho_new(s) KL(new(.|s) || old(.|s))` with a dense occupancy.
let denseCausalKl (mdp: TabularMdp) (newPolicy: Policy) (oldPolicy: Policy) =
    let rho = denseOccupancy mdp newPolicy
    let ln, lo = flat newPolicy.LogProbabilities, flat oldPolicy.LogProbabilities
    Array.init rho.Length (fun i -> if rho.[i] > 0.0 then rho.[i] * (ln.[i] - lo.[i]) else 0.0) |> Array.sum

/// A Garnet whose proposal is far enough from pi_i that delta = 1e-3 binds.
let activeCase () =
    let mdp = Trirl.Functional.Environments.Garnet.Create(8, 3, 3, 11L)
    let reward = StateActionTable.Create(8, 3, fun s a -> sin (float (3 * s + a)))
    let d = StateActionTable.Create(8, 3, fun s a -> 2.0 * cos (float (5 * s + 2 * a)))
    ({ Spec = { States = 8; Actions = 3; Branching = 3; Seed = 11L }; Mdp = mdp; Reward = reward; LogRatio = d; Eps = 0.5; Beta = 2.0; Delta = 1e-3 }: StepCase)

[<Tests>]
let tests =
    testList "TrustRegion" [
        property 30 "correction theorem: pi_tr = SoftOptimal(CorrectReward(r_i, D, eps, eta, beta), 1), max |log diff| < 1e-10" genStepCase (fun c ->
            let _, _, tr = step c
            let corrected = Irl.CorrectReward(c.Reward, c.LogRatio, c.Eps, tr.Eta, c.Beta)
            let reoptimised = Irl.SoftOptimal(c.Mdp, corrected, 1.0).Policy
            expectBelow 1e-10 (logPolicyDiff tr.Policy reoptimised) (sprintf "max |log pi_tr - log pi_{i+1}| (eta %g)" tr.Eta))

        testCase "correction theorem with an active constraint (eta > 0)" <| fun () ->
            let c = activeCase ()
            let _, proposed, tr = step c
            Expect.isGreaterThan tr.Eta 0.1 "the constraint binds"
            let reoptimised = Irl.SoftOptimal(c.Mdp, Irl.CorrectReward(c.Reward, c.LogRatio, c.Eps, tr.Eta, c.Beta)).Policy
            expectBelow 1e-10 (logPolicyDiff tr.Policy reoptimised) "max |log pi_tr - log pi_{i+1}|"
            // ... whereas the uncorrected proposal gives a visibly different policy.
            Expect.isGreaterThan (logPolicyDiff tr.Policy (Irl.SoftOptimal(c.Mdp, proposed).Policy)) 1e-3 "proposal is not the kept reward"

        property 30 "KL = delta when active (relative 1e-6); eta = 0 and KL <= delta when slack; Kl is the causal KL" genStepCase (fun c ->
            let piI, _, tr = step c
            let kl = denseCausalKl c.Mdp tr.Policy piI
            expectClose 1e-10 kl tr.Kl "reported KL vs a dense causal KL"
            expectClose 1e-12 (Irl.CausalKl(c.Mdp, tr.Policy, piI)) tr.Kl "reported KL vs CausalKl"
            Expect.isTrue (tr.Eta >= 0.0) "eta >= 0"
            if tr.Eta > 0.0 then
                expectBelow 1e-6 (abs (tr.Kl - c.Delta) / c.Delta) (sprintf "|KL - delta| / delta (eta %g)" tr.Eta)
                Expect.isTrue (tr.Kl <= c.Delta) "the kept end of the search is feasible"
            else
                Expect.isTrue (tr.Kl <= c.Delta) "slack: KL <= delta"
                // Slack means the unconstrained step already satisfies the constraint.
                let free = Irl.SoftOptimal(c.Mdp, Irl.ProposeReward(c.Reward, c.LogRatio, c.Eps, c.Beta)).Policy
                expectBelow 1e-12 (logPolicyDiff free tr.Policy) "slack step is the full solve")

        property 30 "the eta search agrees with a plain bracket-and-bisect (the math note's) to 1e-11 relative, in fewer solves" genStepCase (fun c ->
            let piI, proposed, tr = step c
            if tr.Eta > 0.0 then
                // KL(eta) of the closed form, and the note's search: double from 1, then bisect keeping the feasible end.
                let mutable evaluations = 1 // KL(0), as the library's first solve
                let kl eta =
                    evaluations <- evaluations + 1
                    let shifted = StateActionTable.Combine(proposed, piI.LogProbabilities, fun r l -> r + eta * l)
                    Irl.CausalKl(c.Mdp, Irl.SoftOptimal(c.Mdp, shifted, 1.0 + eta).Policy, piI)
                let mutable lo, hi = 0.0, 1.0
                while kl hi > c.Delta do
                    lo <- hi
                    hi <- 2.0 * hi
                while hi - lo > Irl.EtaRelativePrecision * hi do
                    let mid = 0.5 * (lo + hi)
                    if kl mid <= c.Delta then hi <- mid else lo <- mid
                expectBelow 1e-11 (abs (tr.Eta - hi) / hi) (sprintf "eta %.17g vs bisection %.17g" tr.Eta hi)
                Expect.isLessThanOrEqual tr.Solves evaluations (sprintf "solves: search %d, bisection %d" tr.Solves evaluations))

        property 30 "a search started at a guess of eta gives the eta, KL, policy and occupancy of the search from 0 (1e-10)"
            (Gen.zip genStepCase (genLogRange 0.01 100.0))
            (fun (c, factor) ->
                let piI, proposed, cold = step c
                // Guesses above and below the root (or any eta > 0 when the constraint is slack), and a root given exactly.
                for guess in [ factor * max cold.Eta 0.1; cold.Eta ] do
                    let warm = Irl.TrustRegionStep(c.Mdp, proposed, piI, c.Delta, initialEta = guess)
                    let what = sprintf "guess %g (eta %.17g)" guess cold.Eta
                    expectBelow 1e-10 (abs (warm.Eta - cold.Eta) / max 1.0 cold.Eta) ("eta, " + what)
                    expectBelow 1e-10 (abs (warm.Kl - cold.Kl) / c.Delta) ("KL / delta, " + what)
                    expectBelow 1e-10 (logPolicyDiff warm.Policy cold.Policy) ("policy, " + what)
                    expectBelow 1e-10 (tableDiff warm.Occupancy cold.Occupancy) ("occupancy, " + what)
                    Expect.isTrue (warm.Kl <= c.Delta) ("KL <= delta, " + what)
                    if cold.Eta > 0.0 then
                        expectBelow 1e-10 (abs (warm.Kl - c.Delta) / c.Delta) ("|KL - delta| / delta, " + what)
                    else
                        Expect.equal warm.Eta 0.0 ("slack stays slack, " + what))

        testCase "a guess of eta that is not finite or is negative is an error naming initialEta" <| fun () ->
            let c = activeCase ()
            let piI, proposed, _ = step c
            for bad in [ -1.0; nan; infinity ] do
                expectInputError "initialEta" [ ">= 0" ] (fun () -> Irl.TrustRegionStep(c.Mdp, proposed, piI, c.Delta, initialEta = bad)) |> ignore

        property 30 "closed form: pi_tr = SoftOptimal(r~ + eta log pi_i, 1 + eta), and Occupancy is rho_tr" genStepCase (fun c ->
            let piI, proposed, tr = step c
            let shifted = StateActionTable.Combine(proposed, piI.LogProbabilities, fun r l -> r + tr.Eta * l)
            let closed = Irl.SoftOptimal(c.Mdp, shifted, 1.0 + tr.Eta).Policy
            expectBelow 1e-10 (logPolicyDiff closed tr.Policy) "policy"
            expectBelow 1e-11 (maxAbsDiff (denseOccupancy c.Mdp tr.Policy) (flat tr.Occupancy)) "occupancy")

        property 20 "pi_tr maximises sum rho_pi (r~ - log pi) among policies with causal KL <= delta"
            (Gen.zip genStepCase (genTable 12 4 3.0))
            (fun (c, logits) ->
                let piI, proposed, tr = step c
                let objective (pi: Policy) = maxEntObjective (denseOccupancy c.Mdp pi) (flat proposed) (flat pi.LogProbabilities)
                let best = objective tr.Policy
                // Feasible competitors: pi_i tilted by t * random logits, with t halved until the KL fits.
                let tilt (t: float) =
                    Policy.FromLogits(StateActionTable.Create(c.Mdp.States, c.Mdp.Actions, fun s a ->
                        piI.LogProbabilities.[s, a] + t * logits.[s, a]))
                let mutable t = 1.0
                while denseCausalKl c.Mdp (tilt t) piI > c.Delta do
                    t <- t / 2.0
                for k in 0..3 do
                    let candidate = tilt (t / float (1 <<< k))
                    expectAtLeast -1e-10 (best - objective candidate) (sprintf "objective(pi_tr) - objective(feasible pi), t = %g" (t / float (1 <<< k))))

        testCase "the causal KL of SoftOptimal(r~ + eta log pi_i, 1 + eta) decreases as eta grows" <| fun () ->
            let c = activeCase ()
            let piI, proposed, _ = step c
            let kls =
                [ 0.0; 0.25; 0.5; 1.0; 2.0; 4.0; 8.0; 16.0; 64.0 ]
                |> List.map (fun eta ->
                    let shifted = StateActionTable.Combine(proposed, piI.LogProbabilities, fun r l -> r + eta * l)
                    denseCausalKl c.Mdp (Irl.SoftOptimal(c.Mdp, shifted, 1.0 + eta).Policy) piI)
            for k0, k1 in List.pairwise kls do
                Expect.isLessThan k1 k0 "KL(eta) decreasing"

        property 20 "delta = +infinity gives eta = 0 and SoftOptimal(r~, 1)" genStepCase (fun c ->
            let piI = Irl.SoftOptimal(c.Mdp, c.Reward).Policy
            let proposed = Irl.ProposeReward(c.Reward, c.LogRatio, c.Eps, c.Beta)
            let tr = Irl.TrustRegionStep(c.Mdp, proposed, piI, infinity)
            Expect.equal tr.Eta 0.0 "eta"
            expectBelow 1e-12 (logPolicyDiff tr.Policy (Irl.SoftOptimal(c.Mdp, proposed).Policy)) "policy")

        testCase "ProposeReward, CorrectedStepSize and CorrectReward by hand" <| fun () ->
            let r = StateActionTable.FromFlat(1, 2, [| 1.0; -2.0 |])
            let d = StateActionTable.FromFlat(1, 2, [| 2.0; 0.5 |])
            // U_eps(r) = (1 - eps) r + eps beta D with eps = 0.25, beta = 4: (0.75 + 2, -1.5 + 0.5)
            expectBelow 1e-15 (maxAbsDiff [| 2.75; -1.0 |] (flat (Irl.ProposeReward(r, d, 0.25, 4.0)))) "U_0.25"
            expectClose 1e-16 0.02 (Irl.CorrectedStepSize(0.1, 4.0)) "0.1 / (1 + 4)"
            expectClose 0.0 0.1 (Irl.CorrectedStepSize(0.1, 0.0)) "eta = 0 keeps eps"
            // eta = 1: eps_tr = 0.125, so (0.875 + 1, -1.75 + 0.25)
            expectBelow 1e-15 (maxAbsDiff [| 1.875; -1.5 |] (flat (Irl.CorrectReward(r, d, 0.25, 1.0, 4.0)))) "U_0.125"
            expectInputError "eta" [ "-1" ] (fun () -> Irl.CorrectedStepSize(0.1, -1.0)) |> ignore

        property 10 "along a TRIRL run on a Garnet, every pi_{i+1} = SoftOptimal(r_{i+1}, 1) (1e-10)"
            (Gen.zip genGarnetSpec (Gen.zip (genRange 0.02 0.5) (genLogRange 1e-3 0.1)))
            (fun (spec, (eps, delta)) ->
                let mdp = spec.Create()
                let problem = TrirlProblem.FromTrueReward(mdp, 2.0)
                let history = Learner.Run(problem, TrirlSettings.Trirl(2.0, eps, delta)) |> Seq.take 10 |> Seq.toArray
                let start = Learner.Start(problem, TrirlSettings.Trirl(2.0, eps, delta))
                for prev, it in Array.pairwise (Array.append [| start |] history) do
                    expectBelow 1e-10 (logPolicyDiff it.Policy (Irl.SoftOptimal(mdp, it.Reward).Policy)) (sprintf "iteration %d (eta %g)" it.Iteration it.Eta)
                    let d = Irl.LogRatio(problem.ExpertOccupancy, prev.Occupancy)
                    expectBelow 1e-12 (tableDiff d it.LogRatio) "D_i = log rho_E - log rho_{pi_i}"
                    expectBelow 1e-12 (tableDiff (Irl.CorrectReward(prev.Reward, d, eps, it.Eta, 2.0)) it.Reward) "r_{i+1} = U_{eps/(1+eta)}(r_i)"
                    expectClose 1e-15 (eps / (1.0 + it.Eta)) it.EpsTr "eps_tr")

        testCase "the learner's searches (started at the previous eta) give the steps of searches from 0 (1e-10), in fewer solves" <| fun () ->
            let mdp = Trirl.Functional.Environments.Gridworld.Create(10, 0.1, gamma = 0.95)
            let beta, eps, delta = 3.0, 0.05, 1e-3
            let problem = TrirlProblem.FromTrueReward(mdp, beta)
            let settings = TrirlSettings.Trirl(beta, eps, delta)
            let start = Learner.Start(problem, settings)
            let history = Learner.Run(problem, settings) |> Seq.take 8 |> Seq.toArray
            let mutable warmSolves, coldSolves = 0, 0
            for prev, it in Array.pairwise (Array.append [| start |] history) do
                let d = Irl.LogRatio(problem.ExpertOccupancy, prev.Occupancy)
                let cold = Irl.TrustRegionStep(mdp, Irl.ProposeReward(prev.Reward, d, eps, beta), prev.Policy, delta)
                let what = sprintf "iteration %d (eta %.17g, from 0 %.17g)" it.Iteration it.Eta cold.Eta
                Expect.isGreaterThan cold.Eta 0.0 ("the constraint binds, " + what)
                expectBelow 1e-10 (abs (it.Eta - cold.Eta) / max 1.0 cold.Eta) ("eta, " + what)
                expectBelow 1e-10 (abs (it.StepKl - cold.Kl) / delta) ("KL / delta, " + what)
                Expect.isTrue (it.StepKl <= delta) ("KL <= delta, " + what)
                expectBelow 1e-10 (logPolicyDiff it.Policy cold.Policy) ("policy, " + what)
                expectBelow 1e-10 (tableDiff it.Occupancy cold.Occupancy) ("occupancy, " + what)
                expectBelow 1e-10 (tableDiff it.Reward (Irl.CorrectReward(prev.Reward, d, eps, cold.Eta, beta))) ("reward, " + what)
                expectBelow 1e-10 (abs (it.Dual - Irl.DualObjective(mdp, it.Reward, problem.ExpertOccupancy, beta))) ("dual, " + what)
                warmSolves <- warmSolves + it.Solves - 1           // Solves counts the learner's re-solve of r_{i+1} too
                coldSolves <- coldSolves + cold.Solves
            Expect.isLessThan warmSolves coldSolves (sprintf "solves: started at the previous eta %d, from 0 %d" warmSolves coldSolves)

        testCase "unrolled reward: r_n = sum_i w_i beta D_i with w_i = eps_tr,i prod_{j>i} (1 - eps_tr,j)" <| fun () ->
            let mdp = Trirl.Functional.Environments.Gridworld.Create(4, 0.2, seed = 3L)
            let beta = 2.0
            let problem = TrirlProblem.FromTrueReward(mdp, 2.0)
            let history = Learner.Run(problem, TrirlSettings.Trirl(beta, 0.1, 0.002)) |> Seq.take 25 |> Seq.toArray
            Expect.isTrue (history |> Array.exists (fun it -> it.Eta > 0.0)) "some steps are constrained"
            let n = history.Length
            let expected = Array.zeroCreate (mdp.States * mdp.Actions)
            for i in 0 .. n - 1 do
                let w = history.[i].EpsTr * (seq { i + 1 .. n - 1 } |> Seq.fold (fun acc j -> acc * (1.0 - history.[j].EpsTr)) 1.0)
                let d = flat history.[i].LogRatio
                for k in 0 .. expected.Length - 1 do
                    expected.[k] <- expected.[k] + w * beta * d.[k]
            expectBelow 1e-10 (maxAbsDiff expected (flat history.[n - 1].Reward)) "r_n"
    ]
