/// SoftOptimal (math note, section 2): the soft Bellman fixed point, normalised rows, temperature scaling,
/// the uniform policy of a zero reward, closed forms on a one-state MDP, and max-ent optimality.
module Trirl.Tests.SoftOptimalTests

open System
open Expecto
open Trirl.Functional
open Trirl.Functional.Environments

[<Tests>]
let tests =
    testList "SoftOptimal" [
        property 30 "satisfies the soft Bellman equation (residual < 1e-10) at any temperature" genSoftCase (fun c ->
            let sol = Irl.SoftOptimal(c.Mdp, c.Reward, c.Temperature)
            let v = sol.V |> Seq.toArray
            let q = backup c.Mdp c.Reward v
            expectBelow 1e-10 (maxAbsDiff q (flat sol.Q)) "max |Q - (r + gamma P V)|"
            expectBelow 1e-10 (maxAbsDiff v (softMax c.Mdp c.Temperature q)) "max |V - tau logsumexp(Q/tau)|"
            let logPi = Array.init q.Length (fun i -> (q.[i] - v.[i / c.Mdp.Actions]) / c.Temperature)
            expectBelow 1e-10 (maxAbsDiff logPi (flat sol.Policy.LogProbabilities)) "max |log pi - (Q - V)/tau|"
            expectClose 0.0 c.Temperature sol.Temperature "reported temperature")

        property 30 "every policy row is a distribution (|sum - 1| < 1e-12) and pi = exp(log pi)" genSoftCase (fun c ->
            let pi = Irl.SoftOptimal(c.Mdp, c.Reward, c.Temperature).Policy
            for s in 0 .. c.Mdp.States - 1 do
                let row = Array.init c.Mdp.Actions (fun a -> pi.Probability(s, a))
                expectClose 1e-12 1.0 (Array.sum row) (sprintf "sum_a pi(a|%d)" s)
                Expect.isTrue (row |> Array.forall (fun p -> p > 0.0 && p <= 1.0)) "probabilities in (0, 1]"
            expectBelow 1e-15 (maxAbsDiff (flat pi.Probabilities) (flat pi.LogProbabilities |> Array.map exp)) "pi vs exp(log pi)")

        property 30 "SoftOptimal(r, tau) has the policy of SoftOptimal(r/tau, 1) and tau times its value" genSoftCase (fun c ->
            let tau = c.Temperature
            let hot = Irl.SoftOptimal(c.Mdp, c.Reward, tau)
            let cold = Irl.SoftOptimal(c.Mdp, c.Reward.Scale(1.0 / tau), 1.0)
            expectBelow 1e-9 (logPolicyDiff hot.Policy cold.Policy) "max |log pi_tau(r) - log pi_1(r/tau)|"
            let scaled = cold.V |> Seq.map (fun v -> tau * v) |> Seq.toArray
            expectBelow (1e-9 * max 1.0 tau) (maxAbsDiff (Seq.toArray hot.V) scaled) "max |V_tau(r) - tau V_1(r/tau)|")

        property 30 "a zero reward gives the uniform policy and V = log(A) / (1 - gamma)" genGarnetSpec (fun spec ->
            let mdp = spec.Create()
            let sol = Irl.SoftOptimal(mdp, StateActionTable.Constant(mdp.States, mdp.Actions, 0.0))
            let uniform = 1.0 / float mdp.Actions
            expectBelow 1e-12 (flat sol.Policy.Probabilities |> Array.map (fun p -> abs (p - uniform)) |> Array.max) "max |pi - 1/A|"
            let expected = log (float mdp.Actions) / (1.0 - mdp.Gamma)
            for v in sol.V do expectClose 1e-9 expected v "V(s)")

        testCase "one-state MDP: V = tau * logsumexp(r/tau) / (1 - gamma) and pi = softmax(r/tau), by hand" <| fun () ->
            let r = [| 1.0; 2.0; -0.5 |]
            let gamma = 0.8
            let mdp = oneStateMdp gamma r
            for tau in [ 1.0; 2.0; 0.5 ] do
                let sol = Irl.SoftOptimal(mdp, trueReward mdp, tau)
                // V = r_a + gamma V in every Q, so V = tau lse(r/tau) + gamma V.
                let lse = tau * log (exp (1.0 / tau) + exp (2.0 / tau) + exp (-0.5 / tau))
                expectClose 1e-10 (lse / (1.0 - gamma)) sol.V.[0] (sprintf "V at tau %g" tau)
                for a in 0..2 do
                    expectClose 1e-12 (exp (r.[a] / tau - lse / tau)) (sol.Policy.Probability(0, a)) (sprintf "pi(%d) at tau %g" a tau)
            // tau = 1 with r = (1, 2, -0.5): e + e^2 + e^-0.5 = 2.718282 + 7.389056 + 0.606531 = 10.713869, so
            // softmax = (0.253716, 0.689672, 0.056612), written out by hand to 6 digits.
            let sol = Irl.SoftOptimal(mdp, trueReward mdp, 1.0)
            expectClose 1e-6 0.253716 (sol.Policy.Probability(0, 0)) "pi(0) by hand"
            expectClose 1e-6 0.689672 (sol.Policy.Probability(0, 1)) "pi(1) by hand"
            expectClose 1e-6 0.056612 (sol.Policy.Probability(0, 2)) "pi(2) by hand"

        property 30 "pi_r maximises sum rho_pi (r - log pi), and the maximum is (1-gamma) p0 . V_r" genDualCase (fun c ->
            let sol = Irl.SoftOptimal(c.Mdp, c.Reward, 1.0)
            let best = (1.0 - c.Mdp.Gamma) * (Seq.map2 (*) c.Mdp.Initial sol.V |> Seq.sum)
            let r = flat c.Reward
            let atOptimum = maxEntObjective (denseOccupancy c.Mdp sol.Policy) r (flat sol.Policy.LogProbabilities)
            expectClose 1e-10 best atOptimum "objective of pi_r vs (1-gamma) p0.V_r"
            let other = maxEntObjective (denseOccupancy c.Mdp c.Policy) r (flat c.Policy.LogProbabilities)
            expectAtLeast -1e-10 (best - other) "max-ent optimum minus the objective of a random policy")

        testCase "a gridworld expert prefers moving towards the goal" <| fun () ->
            // 3x3, goal in cell 8 (bottom right), no traps: from cell 7 (bottom middle), 'right' (3) enters the goal.
            let mdp = Gridworld.Create(3, 0.0, traps = [||])
            let pi = Irl.SoftOptimal(mdp, (trueReward mdp).Scale(5.0)).Policy
            let best = Array.init 4 (fun a -> pi.Probability(7, a)) |> Array.indexed |> Array.maxBy snd |> fst
            Expect.equal best 3 "most likely action in cell 7 is right"
    ]
