/// Occupancy (math note, section 1): normalisation, the flow equation, agreement with a dense linear solve,
/// closed forms by hand, the state occupancy and the expected return.
module Trirl.Tests.OccupancyTests

open Expecto
open Trirl.Functional

[<Tests>]
let tests =
    testList "Occupancy" [
        property 30 "sums to 1 (1e-12) and satisfies the flow equation (1e-11)" genMdpWithPolicy (fun (_, mdp, pi) ->
            let rho = Irl.Occupancy(mdp, pi)
            expectClose 1e-12 1.0 (rho.Sum()) "sum rho"
            Expect.isTrue (flat rho |> Array.forall (fun x -> x >= 0.0)) "rho >= 0"
            expectBelow 1e-11 (flowResidual mdp rho) "flow equation residual")

        property 30 "equals the dense solve of (I - gamma P_pi^T) d = (1-gamma) p0 with rho(s,a) = d(s) pi(a|s)" genMdpWithPolicy (fun (_, mdp, pi) ->
            let rho = Irl.Occupancy(mdp, pi)
            expectBelow 1e-11 (maxAbsDiff (denseOccupancy mdp pi) (flat rho)) "max |rho - rho_dense|"
            let d = denseStateOccupancy mdp pi
            expectBelow 1e-11 (maxAbsDiff d (Irl.StateOccupancy rho |> Seq.toArray)) "state occupancy")

        property 30 "ExpectedReturn(rho, r) = (1-gamma) p0 . V^pi with V^pi from a dense policy evaluation" genDualCase (fun c ->
            let mdp, pi = c.Mdp, c.Policy
            let n = mdp.States
            let p = policyTransition mdp pi
            let rPi = Array.init n (fun s -> Seq.init mdp.Actions (fun a -> pi.Probability(s, a) * c.Reward.[s, a]) |> Seq.sum)
            let v = solveDense (Array2D.init n n (fun i j -> (if i = j then 1.0 else 0.0) - mdp.Gamma * p.[i, j])) rPi
            let expected = (1.0 - mdp.Gamma) * (Seq.map2 (*) mdp.Initial v |> Seq.sum)
            expectClose 1e-10 expected (Irl.ExpectedReturn(Irl.Occupancy(mdp, pi), c.Reward)) "J(pi)")

        testCase "a two-state chain by hand: s0 -> s1 absorbing gives rho = (1 - gamma, gamma)" <| fun () ->
            let mdp = handMdp 0.9 [ 1.0; 0.0 ] [ [ [ 1, 1.0 ] ]; [ [ 1, 1.0 ] ] ]
            let rho = Irl.Occupancy(mdp, Policy.Uniform(2, 1))
            expectClose 1e-12 0.1 rho.[0, 0] "rho(s0)"
            expectClose 1e-12 0.9 rho.[1, 0] "rho(s1)"

        testCase "two states, stay or switch with probability 1/2, gamma 0.9, by hand: d = (0.55, 0.45)" <| fun () ->
            // d1 = gamma q d0 / (1 - gamma (1 - q)) = 0.45 d0 / 0.55 and d0 + d1 = 1, so d0 = 0.55, d1 = 0.45.
            let mdp = handMdp 0.9 [ 1.0; 0.0 ] [ [ [ 0, 1.0 ]; [ 1, 1.0 ] ]; [ [ 1, 1.0 ]; [ 0, 1.0 ] ] ]
            let rho = Irl.Occupancy(mdp, Policy.Uniform(2, 2))
            let d = Irl.StateOccupancy rho |> Seq.toArray
            expectClose 1e-12 0.55 d.[0] "d(s0)"
            expectClose 1e-12 0.45 d.[1] "d(s1)"
            expectClose 1e-12 0.275 rho.[0, 1] "rho(s0, switch) = d(s0) / 2"

        testCase "one state: rho(0, a) = pi(a|0)" <| fun () ->
            let mdp = oneStateMdp 0.95 [| 0.0; 0.0; 0.0 |]
            let pi = Policy.FromProbabilities(StateActionTable.FromFlat(1, 3, [| 0.2; 0.5; 0.3 |]))
            let rho = Irl.Occupancy(mdp, pi)
            expectBelow 1e-12 (maxAbsDiff [| 0.2; 0.5; 0.3 |] (flat rho)) "rho vs pi"

        testCase "a policy of the wrong shape is an error naming 'policy'" <| fun () ->
            let mdp = oneStateMdp 0.9 [| 0.0; 0.0 |]
            expectInputError "policy" [ "1 x 3"; "1 x 2" ] (fun () -> Irl.Occupancy(mdp, Policy.Uniform(1, 3))) |> ignore
    ]
