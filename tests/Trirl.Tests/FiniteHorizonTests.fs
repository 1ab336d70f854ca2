/// Finite horizons (docs/finite-horizon.md): the backward soft recursion and the forward occupancy against an
/// independent re-derivation, discounts in [0, 1] including 1, the facts of imitation's 5-state, 3-action "reasonable
/// MDP" (HumanCompatibleAI/imitation, tests/algorithms/test_mce_irl.py: its orderings of action probabilities and
/// MCE-IRL recovering the expert's occupancy), the finite-horizon correction theorem on random MDPs, weak duality
/// and the duality gap along runs of the three presets, the sample-based learner, and bad input.
module Trirl.Tests.FiniteHorizonTests

open System
open Expecto
open FsCheck.FSharp
open Trirl.Functional
open Trirl.Functional.Environments

/// The MDP's dynamics with discount `gamma` and horizon `h` (same transitions, initial distribution and reward).
let finite (gamma: float) (h: int) (mdp: TabularMdp) =
    TabularMdp.FromCsr(mdp.Name, mdp.States, mdp.Actions, gamma, Seq.toArray mdp.Initial, Seq.toArray mdp.RowStart,
        Seq.toArray mdp.Next, Seq.toArray mdp.Probability, mdp.Reward, Nullable h)

/// `sum_{t<H} gamma^t` in closed form: `H` for `gamma = 1`, `(1 - gamma^H) / (1 - gamma)` otherwise.
let discountedTime (gamma: float) (h: int) = if gamma = 1.0 then float h else (1.0 - gamma ** float h) / (1.0 - gamma)

/// The backward recursion re-derived from `TransitionsOf`: `V_H = 0`, `Q_t = r + gamma P V_{t+1}`,
/// `V_t = tau logsumexp(Q_t / tau)`; returns `(V_t, log pi_t)` for `t = 0..H-1`.
let denseBackward (mdp: TabularMdp) (r: StateActionTable) (tau: float) =
    let h = mdp.Horizon.Value
    let values = Array.zeroCreate h
    let logs = Array.zeroCreate h
    let mutable next = Array.zeroCreate mdp.States
    for t in h - 1 .. -1 .. 0 do
        let q = backup mdp r next
        let v = softMax mdp tau q
        values.[t] <- v
        logs.[t] <- Array.init q.Length (fun i -> (q.[i] - v.[i / mdp.Actions]) / tau)
        next <- v
    values, logs

/// The forward recursion re-derived densely: `d_0 = p0`, `d_{t+1} = P_{pi_t}^T d_t`; returns the state distributions.
let denseForward (mdp: TabularMdp) (policy: Policy) =
    let h = mdp.Horizon.Value
    let ds = Array.zeroCreate h
    let mutable d = Seq.toArray mdp.Initial
    for t in 0 .. h - 1 do
        ds.[t] <- d
        let p = policyTransition mdp (policy.AtStep t)
        d <- Array.init mdp.States (fun s' -> Seq.init mdp.States (fun s -> d.[s] * p.[s, s']) |> Seq.sum)
    ds

/// A random finite-horizon Garnet: horizon 1..15, discount 0, 1 or in [0, 1].
let genFiniteCase =
    gen {
        let! spec = genGarnetSpec
        let! h = Gen.choose (1, 15)
        let! gamma = Gen.frequency [ 1, Gen.constant 0.0; 2, Gen.constant 1.0; 4, genRange 0.0 1.0 ]
        let! reward = genTable spec.States (spec.Create().Actions) 2.0
        let! d = genTable spec.States (spec.Create().Actions) 3.0
        let! eps = genRange 0.001 1.0
        let! beta = genLogRange 0.2 5.0
        let! delta = genLogRange 1e-4 1.0
        return finite gamma h (spec.Create()), reward, d, eps, beta, delta
    }

/// imitation's ReasonablePOMDP (tests/algorithms/test_mce_irl.py), as facts: 5 states, 3 actions, state rewards
/// [1, 2, 2, -20, 3], start in 0 or 4 with probability 1/2 each, horizon 20. State 0: action 0 to state 1 (0.9) or 2
/// (0.1), action 1 to 3, action 2 to 2 (0.9) or 1 (0.1); states 1 and 2: action 0 to 3 (0.05) or 4 (0.95), action 1 to
/// 3, action 2 to 4; state 3 to 4; state 4 back to 0.
let reasonableMdp (gamma: float) =
    let fromOneAndTwo = [ [ 3, 0.05; 4, 0.95 ]; [ 3, 1.0 ]; [ 4, 1.0 ] ]
    let rows =
        [ [ [ 1, 0.9; 2, 0.1 ]; [ 3, 1.0 ]; [ 1, 0.1; 2, 0.9 ] ]
          fromOneAndTwo
          fromOneAndTwo
          [ [ 4, 1.0 ]; [ 4, 1.0 ]; [ 4, 1.0 ] ]
          [ [ 0, 1.0 ]; [ 0, 1.0 ]; [ 0, 1.0 ] ] ]
    let stateReward = [| 1.0; 2.0; 2.0; -20.0; 3.0 |]
    TabularMdp.Create("reasonable", gamma, [| 0.5; 0.0; 0.0; 0.0; 0.5 |], transitionsOf rows,
        StateActionTable.Create(5, 3, fun s _ -> stateReward.[s]), Nullable 20)

let discounts = [ 0.0; 0.5; 0.9; 0.99; 1.0 ]

[<Tests>]
let tests =
    testList "FiniteHorizon" [
        property 40 "backward recursion = independent re-derivation (V_t and log pi_t to 1e-12), for gamma in [0, 1]" genFiniteCase (fun (mdp, reward, _, _, _, _) ->
            for tau in [ 1.0; 2.5 ] do
                let solution = Irl.SoftOptimal(mdp, reward, tau)
                let values, logs = denseBackward mdp reward tau
                let h = mdp.Horizon.Value
                Expect.equal solution.Policy.Steps h "one policy per time step"
                Expect.equal solution.Iterations h "H backward steps"
                expectBelow 1e-12 (maxAbsDiff (Seq.toArray solution.V) (Array.concat values)) "V_t"
                expectBelow 1e-12 (maxAbsDiff (flat solution.Policy.LogProbabilities) (Array.concat logs)) "log pi_t")

        property 40 "forward occupancy = dense recursion; step t sums to gamma^t / Z, all to 1; Z in closed form" genFiniteCase (fun (mdp, reward, _, _, _, _) ->
            let policy = Irl.SoftOptimal(mdp, reward).Policy
            let h, (states, actions) = mdp.Horizon.Value, (mdp.States, mdp.Actions)
            let timed = Irl.TimedOccupancy(mdp, policy)
            let ds = denseForward mdp policy
            let z = discountedTime mdp.Gamma h
            expectClose 1e-12 z mdp.DiscountedTime "Z = sum_t gamma^t"
            for t in 0 .. h - 1 do
                let w = (if t = 0 then 1.0 else mdp.Gamma ** float t) / z
                expectClose 1e-12 w (mdp.TimeWeight t) (sprintf "w_%d" t)
                let expected = Array.init (states * actions) (fun i -> w * ds.[t].[i / actions] * policy.Probability(i / actions, i % actions, t))
                let got = flat timed |> Array.skip (t * states * actions) |> Array.take (states * actions)
                expectBelow 1e-13 (maxAbsDiff got expected) (sprintf "rho_%d" t)
                expectClose 1e-13 w (Array.sum got) (sprintf "step %d sums to gamma^t / Z" t)
            let rho = Irl.Occupancy(mdp, policy)
            expectClose 1e-12 1.0 (rho.Sum()) "aggregate sums to 1"
            let summed = Array.init (states * actions) (fun i -> Seq.init h (fun t -> (flat timed).[t * states * actions + i]) |> Seq.sum)
            expectBelow 1e-14 (maxAbsDiff (flat rho) summed) "aggregate = sum over t")

        property 40 "max-ent optimality: p0 . V_0 / Z = sum_t,s,a rho_t (r - log pi_t) of pi_r, and no random policy does better" genFiniteCase (fun (mdp, reward, _, _, _, _) ->
            let solution = Irl.SoftOptimal(mdp, reward)
            let value = Seq.init mdp.States (fun s -> mdp.Initial.[s] * solution.V.[s]) |> Seq.sum
            let objective (policy: Policy) =
                let timed = flat (Irl.TimedOccupancy(mdp, policy))
                let logPi = flat policy.LogProbabilities
                let r = flat reward
                Array.init timed.Length (fun i -> if timed.[i] > 0.0 then timed.[i] * (r.[i % r.Length] - logPi.[i % logPi.Length]) else 0.0) |> Array.sum
            expectClose 1e-11 (value / mdp.DiscountedTime) (objective solution.Policy) "p0 . V_0 / Z"
            let other = Policy.FromLogits(StateActionTable.Create(mdp.States, mdp.Actions, fun s a -> sin (float (7 * s + 3 * a))))
            expectAtLeast (objective other - 1e-12) (objective solution.Policy) "a stationary softmax policy is not better")

        property 60 "finite-horizon correction theorem: pi_tr = SoftOptimal(CorrectReward(...), 1) at every t, max |log diff| < 1e-10" genFiniteCase (fun (mdp, reward, d, eps, beta, delta) ->
            let piI = Irl.SoftOptimal(mdp, reward).Policy
            let proposed = Irl.ProposeReward(reward, d, eps, beta)
            let tr = Irl.TrustRegionStep(mdp, proposed, piI, delta)
            Expect.isLessThanOrEqual tr.Kl (delta * (1.0 + 1e-9)) "KL <= delta"
            let corrected = Irl.CorrectReward(reward, d, eps, tr.Eta, beta)
            let reoptimised = Irl.SoftOptimal(mdp, corrected).Policy
            expectBelow 1e-10 (logPolicyDiff tr.Policy reoptimised) (sprintf "max_t |log pi_tr,t - log pi_{i+1},t| (eta %g, gamma %g, H %d)" tr.Eta mdp.Gamma mdp.Horizon.Value))

        testCase "the correction theorem's value identity: V_tr,t = (1 + eta) V_{i+1},t - eta V_i,t (active constraint)" <| fun () ->
            let mdp = Garnet.Create(8, 3, 3, 11L) |> finite 1.0 12
            let reward = StateActionTable.Create(8, 3, fun s a -> sin (float (3 * s + a)))
            let d = StateActionTable.Create(8, 3, fun s a -> 2.0 * cos (float (5 * s + 2 * a)))
            let solved = Irl.SoftOptimal(mdp, reward)
            let tr = Irl.TrustRegionStep(mdp, Irl.ProposeReward(reward, d, 0.5, 2.0), solved.Policy, 1e-3)
            Expect.isGreaterThan tr.Eta 0.1 "the constraint binds"
            expectClose 1e-9 1e-3 tr.Kl "KL = delta"
            let next = Irl.SoftOptimal(mdp, Irl.CorrectReward(reward, d, 0.5, tr.Eta, 2.0))
            let expected = Array.init tr.Solution.V.Length (fun i -> (1.0 + tr.Eta) * next.V.[i] - tr.Eta * solved.V.[i])
            expectBelow 1e-10 (maxAbsDiff (Seq.toArray tr.Solution.V) expected) "V_tr,t"
            expectClose 1e-12 tr.Kl (Irl.CausalKl(mdp, tr.Policy, solved.Policy)) "Kl is the causal KL over t"

        testList "imitation's reasonable MDP (facts of test_mce_irl.py)" [
            for gamma in discounts do
                testCase (sprintf "discount %g: occupancy sums, p0 at t = 0, orderings of action probabilities" gamma) <| fun () ->
                    let mdp = reasonableMdp gamma
                    let solution = Irl.SoftOptimal(mdp, trueReward mdp)
                    let pi = solution.Policy
                    for x in Seq.append solution.V (flat solution.Q) do Expect.isTrue (Double.IsFinite x) "V and Q are finite"
                    let timed = Irl.TimedOccupancy(mdp, pi)
                    // Expected (discounted) number of visits over t = 0..H-1 is Z = sum_t gamma^t; our occupancy is it over Z.
                    expectClose 1e-12 (discountedTime gamma 20) mdp.DiscountedTime "Z"
                    expectClose 1e-12 1.0 (Irl.Occupancy(mdp, pi).Sum()) "normalised occupancy sums to 1"
                    let w0 = mdp.TimeWeight 0
                    for s in 0 .. 4 do
                        let d0 = Seq.init 3 (fun a -> timed.[s, a]) |> Seq.sum
                        expectClose 1e-14 mdp.Initial.[s] (d0 / w0) (sprintf "d_0(%d) = p0" s)
                    let p t s a = pi.Probability(s, a, t)
                    for t in 0 .. 18 do
                        expectClose 1e-8 (p t 0 0) (p t 0 2) (sprintf "t %d: state 0, actions 0 and 2 equal" t)
                        for a in 0 .. 2 do expectClose 1e-8 (p t 1 a) (p t 2 a) (sprintf "t %d: states 1 and 2 alike (action %d)" t a)
                        if gamma > 0.0 then
                            Expect.isGreaterThan (p t 0 0) (2.0 * p t 0 1) (sprintf "t %d: state 0, action 0 > 2 x action 1" t)
                            Expect.isGreaterThan (p t 1 2) (p t 1 0) (sprintf "t %d: state 1, action 2 > action 0" t)
                            Expect.isGreaterThan (p t 1 0) (p t 1 1) (sprintf "t %d: state 1, action 0 > action 1" t)
                    for t in 0 .. 4 do
                        for s in 3 .. 4 do
                            for a in 0 .. 2 do expectClose 1e-8 (1.0 / 3.0) (p t s a) (sprintf "t %d: state %d uniform" t s)
        ]

        testList "MCE-IRL recovers the expert's occupancy on the reasonable MDP within 1e-3" [
            for gamma in discounts do
                testCase (sprintf "discount %g" gamma) <| fun () ->
                    let mdp = reasonableMdp gamma
                    let problem = TrirlProblem.FromTrueReward(mdp, 1.0)
                    // beta large makes the matching term dominate the entropy (the classical MCE-IRL limit); eps * beta = 0.2
                    // keeps the observed monotone regime.
                    let beta = 1e4
                    let last = Learner.Run(problem, TrirlSettings.Mce(beta, 0.2 / beta)) |> Seq.item 2999
                    let z = mdp.DiscountedTime
                    let visits (rho: StateActionTable) = rho.RowSums() |> Seq.map (fun x -> z * x) |> Seq.toArray
                    expectBelow 1e-3 (maxAbsDiff (visits last.Occupancy) (visits problem.ExpertOccupancy)) "expected visits per state"
                    expectBelow 1e-3 (z * tableDiff last.Occupancy problem.ExpertOccupancy) "expected visits per (s, a)"
                    expectAtLeast -1e-11 last.Gap "gap >= 0"
        ]

        testList "the presets on a finite horizon: weak duality and the gap" [
            for algorithm in [ Algorithm.Trirl; Algorithm.Mce; Algorithm.Adversarial ] do
                for gamma in [ 0.9; 1.0 ] do
                    testCase (sprintf "%A, gamma %g: gap >= -1e-11 every iteration, dual >= primal of every iterate" algorithm gamma) <| fun () ->
                        let mdp = Gridworld.Create(4, 0.1, seed = 0L) |> finite gamma 12
                        let problem = TrirlProblem.FromTrueReward(mdp, 3.0)
                        let settings = TrirlSettings.Preset(algorithm, 3.0, 0.05, 0.01)
                        let history = Learner.Run(problem, settings) |> Seq.take 40 |> Seq.toArray
                        for it in history do
                            expectAtLeast -1e-11 it.Gap (sprintf "gap at %d" it.Iteration)
                            expectClose 1e-10 (Irl.DualObjective(mdp, it.Reward, problem.ExpertOccupancy, 3.0)) it.Dual "Dual = G(r_i)"
                            expectClose 1e-10 (Irl.PrimalObjective(mdp, it.Policy, problem.ExpertOccupancy, 3.0)) it.Primal "Primal = P(pi_i)"
                        if algorithm <> Algorithm.Adversarial then
                            for a, b in Array.pairwise history do
                                Expect.isLessThanOrEqual b.Dual (a.Dual + 1e-9) (sprintf "dual does not increase at %d" b.Iteration)
                            Expect.isLessThan (Array.last history).Gap (history.[0].Gap / 10.0) "the gap falls"
                            let last = Array.last history
                            expectBelow 1e-10 (logPolicyDiff (Irl.SoftOptimal(mdp, last.Reward).Policy) last.Policy) "retraining reproduces pi_n"
        ]

        testCase "the sample-based learner samples episodes of H steps and runs" <| fun () ->
            let mdp = Gridworld.Create(3, 0.1, seed = 0L) |> finite 1.0 8
            let problem = TrirlProblem.FromTrueReward(mdp, 3.0).WithDemonstrations(50, 8, 1L)
            for d in problem.Demonstrations do Expect.equal d.Length 8 "H steps"
            let settings = TrirlSettings.Trirl(3.0, 0.05, 0.01).WithSampling(SampleSettings(50, Sampling.HorizonOf mdp, SampleSettings.DefaultL2, 2L))
            let history = Learner.Run(problem, settings) |> Seq.take 5 |> Seq.toArray
            for it in history do Expect.isTrue (Double.IsFinite it.Gap) "finite gap"
            let again = Learner.Run(problem, settings) |> Seq.take 5 |> Seq.toArray
            Expect.isTrue (sameBitsArray (history |> Array.map _.Dual) (again |> Array.map _.Dual)) "same seed, same bits"

        testList "bad input" [
            testCase "a horizon that is not a positive integer" <| fun () ->
                let mdp = Gridworld.Create(3, 0.1)
                for h in [ 0; -3 ] do
                    expectInputError "horizon" [ "positive integer"; string h ] (fun () -> mdp.WithHorizon(Nullable h)) |> ignore
                expectInputError "horizon" [ "positive integer" ] (fun () ->
                    MdpJson.Parse """{"gamma": 1, "horizon": 2.5, "initial": [1], "transitions": [[[[0, 1]]]]}""") |> ignore
                expectInputError "horizon" [ "positive integer" ] (fun () ->
                    MdpJson.Parse """{"gamma": 1, "horizon": 0, "initial": [1], "transitions": [[[[0, 1]]]]}""") |> ignore
                expectInputError "horizon" [ "not a number" ] (fun () ->
                    MdpJson.Parse """{"gamma": 1, "horizon": "ten", "initial": [1], "transitions": [[[[0, 1]]]]}""") |> ignore
            testCase "a discount of 1 without a horizon; a discount outside [0, 1] with one" <| fun () ->
                expectInputError "gamma" [ "no horizon"; "horizon" ] (fun () -> handMdp 1.0 [ 1.0 ] [ [ [ 0, 1.0 ] ] ]) |> ignore
                expectInputError "gamma" [ "no horizon" ] (fun () ->
                    MdpJson.Parse """{"gamma": 1, "initial": [1], "transitions": [[[[0, 1]]]]}""") |> ignore
                expectInputError "gamma" [ "no horizon" ] (fun () -> (reasonableMdp 1.0).WithHorizon(Nullable())) |> ignore
                expectInputError "gamma" [ "[0, 1]" ] (fun () ->
                    TabularMdp.Create("m", 1.5, [| 1.0 |], transitionsOf [ [ [ 0, 1.0 ] ] ], null, Nullable 3)) |> ignore
                Expect.equal (TabularMdp.Create("m", 0.0, [| 1.0 |], transitionsOf [ [ [ 0, 1.0 ] ] ], null, Nullable 3)).Horizon (Nullable 3) "gamma 0 with a horizon"
            testCase "a policy table of the wrong time length" <| fun () ->
                let mdp = reasonableMdp 0.9
                let threeSteps = Policy.Uniform(5, 3, 3)
                let e = expectInputError "policy" [ "3 time steps"; "horizon 20" ] (fun () -> Irl.Occupancy(mdp, threeSteps))
                Expect.stringContains e.Message "20 time steps" "the fix names the length"
                expectInputError "expertPolicy" [ "3 time steps" ] (fun () -> TrirlProblem.FromExpert(mdp, threeSteps)) |> ignore
                expectInputError "oldPolicy" [ "3 time steps" ] (fun () ->
                    Irl.TrustRegionStep(mdp, StateActionTable.Constant(5, 3, 0.0), threeSteps, 0.01)) |> ignore
                expectInputError "policy" [ "20 time steps"; "no horizon" ] (fun () ->
                    Irl.Occupancy(Gridworld.Create(3, 0.1), Policy.Uniform(9, 4, 20))) |> ignore
                // a stationary policy is a policy of every horizon
                expectClose 1e-12 1.0 (Irl.Occupancy(mdp, Policy.Uniform(5, 3)).Sum()) "stationary policy accepted"
                expectInputError "steps[1]" [ "expected a stationary 5 x 3" ] (fun () ->
                    Policy.FromSteps([| Policy.Uniform(5, 3); Policy.Uniform(4, 3) |])) |> ignore
            testCase "episodes longer than the horizon" <| fun () ->
                let mdp = reasonableMdp 1.0
                expectInputError "horizon" [ "longer than the MDP's horizon 20" ] (fun () ->
                    Sampling.Rollouts(mdp, Policy.Uniform(5, 3), 2, 21, 0L)) |> ignore
                let long = Trajectory(Collections.Immutable.ImmutableArray.CreateRange(Array.zeroCreate 21), Collections.Immutable.ImmutableArray.CreateRange(Array.zeroCreate 21))
                expectInputError "trajectories[0]" [ "21 steps"; "horizon 20" ] (fun () -> Irl.EmpiricalOccupancy(mdp, [| long |])) |> ignore
        ]

        testCase "JSON keeps the horizon (round trip), and a finite-horizon MDP's ToString names it" <| fun () ->
            let mdp = reasonableMdp 1.0
            let back = MdpJson.Parse(MdpJson.Serialize mdp)
            Expect.equal back.Horizon (Nullable 20) "horizon"
            Expect.equal back.Gamma 1.0 "gamma 1"
            Expect.stringContains (string mdp) "horizon 20" "ToString"
            Expect.isFalse ((MdpJson.Serialize(Gridworld.Create(3, 0.1))).Contains "horizon") "no horizon field without one"
    ]
