/// The primal, the dual and the gap (math note, section 3): weak duality, invariance to constants, the gradient
/// against finite differences, closed forms, and strong duality at the optimum of a one-state MDP.
module Trirl.Tests.DualityTests

open Expecto
open FsCheck.FSharp
open Trirl.Functional

[<Tests>]
let tests =
    testList "Duality" [
        property 30 "weak duality: G(r) >= P(pi) for a random reward and a random policy (1e-9)" genDualCase (fun c ->
            let g = Irl.DualObjective(c.Mdp, c.Reward, c.ExpertOccupancy, c.Beta)
            let p = Irl.PrimalObjective(c.Mdp, c.Policy, c.ExpertOccupancy, c.Beta)
            expectAtLeast -1e-9 (g - p) "G(r) - P(pi)")

        property 30 "the gap of pi_r is G(r) - P(SoftOptimal(r, 1)) and is >= -1e-11" genDualCase (fun c ->
            let gap = Irl.DualityGap(c.Mdp, c.Reward, c.ExpertOccupancy, c.Beta)
            let pi = Irl.SoftOptimal(c.Mdp, c.Reward).Policy
            let expected = Irl.DualObjective(c.Mdp, c.Reward, c.ExpertOccupancy, c.Beta) - densePrimal c.Mdp pi c.ExpertOccupancy c.Beta
            expectClose 1e-10 expected gap "gap"
            expectAtLeast -1e-11 gap "gap")

        property 30 "G matches its definition (1-gamma) p0.V_r + beta log sum rho_E exp(-r/beta), V_r from the Bellman check" genDualCase (fun c ->
            let v = Irl.SoftOptimal(c.Mdp, c.Reward).V |> Seq.toArray
            expectBelow 1e-10 (maxAbsDiff v (softMax c.Mdp 1.0 (backup c.Mdp c.Reward v))) "V_r is the soft fixed point"
            expectClose 1e-10 (dualFromValue c.Mdp v c.Reward c.ExpertOccupancy c.Beta)
                (Irl.DualObjective(c.Mdp, c.Reward, c.ExpertOccupancy, c.Beta)) "G(r)")

        property 30 "P matches its definition sum rho H - beta KL(rho_pi || rho_E) with a dense occupancy" genDualCase (fun c ->
            expectClose 1e-10 (densePrimal c.Mdp c.Policy c.ExpertOccupancy c.Beta)
                (Irl.PrimalObjective(c.Mdp, c.Policy, c.ExpertOccupancy, c.Beta)) "P(pi)")

        property 30 "G(r + c) = G(r) for a constant c (1e-9)"
            (Gen.zip genDualCase (genRange -10.0 10.0))
            (fun (c, shift) ->
                let g = Irl.DualObjective(c.Mdp, c.Reward, c.ExpertOccupancy, c.Beta)
                let shifted = Irl.DualObjective(c.Mdp, c.Reward.Map(fun x -> x + shift), c.ExpertOccupancy, c.Beta)
                expectClose 1e-9 g shifted (sprintf "G(r + %g)" shift))

        property 15 "DualGradient matches central finite differences (step 1e-5, tolerance 1e-6) and sums to 0" genDualCase (fun c ->
            let grad = Irl.DualGradient(c.Mdp, c.Reward, c.ExpertOccupancy, c.Beta)
            expectClose 1e-12 0.0 (grad.Sum()) "sum of the gradient"
            let h = 1e-5
            let r = flat c.Reward
            let g (x: float[]) = Irl.DualObjective(c.Mdp, StateActionTable.FromFlat(c.Mdp.States, c.Mdp.Actions, x), c.ExpertOccupancy, c.Beta)
            for i in 0 .. r.Length - 1 do
                let plus = Array.copy r
                let minus = Array.copy r
                plus.[i] <- plus.[i] + h
                minus.[i] <- minus.[i] - h
                let fd = (g plus - g minus) / (2.0 * h)
                expectClose 1e-6 fd (grad.Span.[i]) (sprintf "dG/dr at pair %d" i))

        property 30 "DualGradient = rho_{pi_r} - rho_E exp(-r/beta) / Z (formula of the note, dense occupancy)" genDualCase (fun c ->
            let rho = denseOccupancy c.Mdp (Irl.SoftOptimal(c.Mdp, c.Reward).Policy)
            let e, r = flat c.ExpertOccupancy, flat c.Reward
            let tilted = Array.init e.Length (fun i -> e.[i] * exp (-r.[i] / c.Beta))
            let z = Array.sum tilted
            let expected = Array.init e.Length (fun i -> rho.[i] - tilted.[i] / z)
            expectBelow 1e-11 (maxAbsDiff expected (flat (Irl.DualGradient(c.Mdp, c.Reward, c.ExpertOccupancy, c.Beta)))) "gradient")

        property 30 "G(0) = log A for any expert (V_0 = log A / (1 - gamma), sum rho_E = 1)" genDualCase (fun c ->
            let zero = StateActionTable.Constant(c.Mdp.States, c.Mdp.Actions, 0.0)
            expectClose 1e-10 (log (float c.Mdp.Actions)) (Irl.DualObjective(c.Mdp, zero, c.ExpertOccupancy, c.Beta)) "G(0)")

        testCase "one-state MDP: G(r) = logsumexp(r) + beta log sum rho_E exp(-r/beta), by hand" <| fun () ->
            let mdp = oneStateMdp 0.9 [| 0.0; 0.0; 0.0 |]
            let rhoE = StateActionTable.FromFlat(1, 3, [| 0.5; 0.3; 0.2 |])
            let r = StateActionTable.FromFlat(1, 3, [| 1.0; -1.0; 0.5 |])
            let beta = 2.0
            // With one state, (1-gamma) V = logsumexp(r).
            let expected = log (exp 1.0 + exp -1.0 + exp 0.5) + beta * log (0.5 * exp (-0.5) + 0.3 * exp 0.5 + 0.2 * exp (-0.25))
            expectClose 1e-11 expected (Irl.DualObjective(mdp, r, rhoE, beta)) "G(r)"

        testCase "one-state MDP: strong duality at the closed-form optimum pi* ∝ rho_E^(beta/(1+beta))" <| fun () ->
            // P(pi) = -(1+beta) sum pi log pi + beta sum pi log rho_E is maximised by pi* = rho_E^c / Z with
            // c = beta / (1 + beta), where P* = (1 + beta) log Z; r* = beta log(rho_E / pi*) attains G(r*) = P*.
            let mdp = oneStateMdp 0.9 [| 0.0; 0.0; 0.0 |]
            let e = [| 0.5; 0.3; 0.2 |]
            let rhoE = StateActionTable.FromFlat(1, 3, e)
            let beta = 2.0
            let c = beta / (1.0 + beta)
            let z = e |> Array.sumBy (fun x -> x ** c)
            let piStar = e |> Array.map (fun x -> x ** c / z)
            let primalStar = (1.0 + beta) * log z
            let policy = Policy.FromProbabilities(StateActionTable.FromFlat(1, 3, piStar))
            expectClose 1e-12 primalStar (Irl.PrimalObjective(mdp, policy, rhoE, beta)) "P(pi*)"
            let rStar = StateActionTable.FromFlat(1, 3, Array.map2 (fun x p -> beta * log (x / p)) e piStar)
            expectClose 1e-10 primalStar (Irl.DualObjective(mdp, rStar, rhoE, beta)) "G(r*) = P*"
            expectClose 1e-10 0.0 (Irl.DualityGap(mdp, rStar, rhoE, beta)) "gap at the optimum"
            expectBelow 1e-10 (maxAbsDiff piStar (flat (Irl.SoftOptimal(mdp, rStar).Policy.Probabilities))) "SoftOptimal(r*) = pi*"
            expectBelow 1e-12 (maxAbsDiff (Array.zeroCreate 3) (flat (Irl.DualGradient(mdp, rStar, rhoE, beta)))) "gradient at the optimum"
            // With finite beta, the optimum does not reach the expert: KL(pi* || rho_E) > 0.
            Expect.isGreaterThan (Irl.OccupancyKl(StateActionTable.FromFlat(1, 3, piStar), rhoE)) 1e-3 "KL to the expert stays positive"

        testCase "OccupancyKl by hand and +infinity off the support" <| fun () ->
            let p = StateActionTable.FromFlat(1, 2, [| 0.5; 0.5 |])
            let q = StateActionTable.FromFlat(1, 2, [| 0.25; 0.75 |])
            expectClose 1e-15 (0.5 * log 2.0 + 0.5 * log (2.0 / 3.0)) (Irl.OccupancyKl(p, q)) "KL(p || q)"
            Expect.equal (Irl.OccupancyKl(p, StateActionTable.FromFlat(1, 2, [| 1.0; 0.0 |]))) infinity "KL with q = 0 where p > 0"
            expectClose 1e-15 (log 4.0) (Irl.OccupancyKl(StateActionTable.FromFlat(1, 2, [| 1.0; 0.0 |]), q)) "p = 0 entries contribute 0"
    ]
