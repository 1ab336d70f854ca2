/// Bad input gets its error: TrirlInputException with the offending Field and a message naming the problem, from the
/// MDP constructors, the functions of the note, the settings, the JSON parsers and the environment specs.
module Trirl.Tests.ValidationTests

open Expecto
open Trirl.Functional
open Trirl.Functional.Environments

/// A valid 2-state, 2-action MDP whose row (s, a) = (1, 0) is replaced by `row`.
let withRow (row: (int * float) list) =
    handMdp 0.9 [ 0.5; 0.5 ] [ [ [ 0, 1.0 ]; [ 1, 1.0 ] ]; [ row; [ 0, 0.5; 1, 0.5 ] ] ]

let validJson =
    """{"name": "tiny", "gamma": 0.9, "initial": [1, 0],
        "transitions": [[[[0, 1.0]], [[1, 1.0]]], [[[1, 1.0]], [[0, 0.25], [1, 0.75]]]],
        "reward": [[0, 1], [-1, 0.5]]}"""

[<Tests>]
let tests =
    testList "Validation" [
        testList "TabularMdp.Create" [
            testCase "a negative probability names transitions[1][0][k]" <| fun () ->
                expectInputError "transitions[1][0][1]" [ "-0.5"; "negative" ] (fun () -> withRow [ 0, 1.5; 1, -0.5 ]) |> ignore
            testCase "a NaN probability names transitions[1][0][k]" <| fun () ->
                expectInputError "transitions[1][0][0]" [ "NaN" ] (fun () -> withRow [ 0, nan; 1, 1.0 ]) |> ignore
            testCase "an infinite probability is rejected" <| fun () ->
                expectInputError "transitions[1][0][0]" [ "Infinity" ] (fun () -> withRow [ 0, infinity ]) |> ignore
            testCase "a row summing to 1 + 1e-8 fails, 1 + 1e-12 passes (tolerance 1e-9)" <| fun () ->
                expectInputError "transitions[1][0]" [ "sum to"; "not 1" ] (fun () -> withRow [ 0, 0.5; 1, 0.5 + 1e-8 ]) |> ignore
                expectInputError "transitions[1][0]" [ "sum to" ] (fun () -> withRow [ 0, 0.5; 1, 0.5 - 1e-8 ]) |> ignore
                let ok = withRow [ 0, 0.5; 1, 0.5 + 1e-12 ]
                Expect.equal ok.States 2 "1 + 1e-12 is accepted"
            testCase "an empty row is an error" <| fun () ->
                expectInputError "transitions[1][0]" [ "empty" ] (fun () -> withRow []) |> ignore
            testCase "a next state out of range names the entry" <| fun () ->
                expectInputError "transitions[1][0][0]" [ "out of range" ] (fun () -> withRow [ 2, 1.0 ]) |> ignore
                expectInputError "transitions[1][0][0]" [ "out of range" ] (fun () -> withRow [ -1, 1.0 ]) |> ignore
            testCase "p0 not a distribution: wrong sum, negative entry, NaN, wrong length" <| fun () ->
                let rows = [ [ [ 0, 1.0 ] ]; [ [ 1, 1.0 ] ] ]
                expectInputError "initial" [ "sums to" ] (fun () -> handMdp 0.9 [ 0.5; 0.4 ] rows) |> ignore
                expectInputError "initial" [ "sums to" ] (fun () -> handMdp 0.9 [ 0.5; 0.5 + 1e-8 ] rows) |> ignore
                expectInputError "initial[1]" [ "-0.5" ] (fun () -> handMdp 0.9 [ 1.5; -0.5 ] rows) |> ignore
                expectInputError "initial[0]" [ "NaN" ] (fun () -> handMdp 0.9 [ nan; 1.0 ] rows) |> ignore
                expectInputError "initial" [ "3 entries" ] (fun () -> handMdp 0.9 [ 0.5; 0.5; 0.0 ] rows) |> ignore
                Expect.equal (handMdp 0.9 [ 0.5; 0.5 + 1e-12 ] rows).States 2 "1 + 1e-12 is accepted"
            testCase "gamma outside (0, 1): 0, 1, NaN, -0.5, 1.5, infinity" <| fun () ->
                for gamma in [ 0.0; 1.0; nan; -0.5; 1.5; infinity ] do
                    expectInputError "gamma" [ "(0, 1)" ] (fun () -> handMdp gamma [ 1.0 ] [ [ [ 0, 1.0 ] ] ]) |> ignore
            testCase "ragged transitions: a state with another number of actions" <| fun () ->
                expectInputError "transitions[1]" [ "1 actions"; "expected 2" ] (fun () ->
                    handMdp 0.9 [ 1.0; 0.0 ] [ [ [ 0, 1.0 ]; [ 1, 1.0 ] ]; [ [ 1, 1.0 ] ] ]) |> ignore
            testCase "no states / no actions" <| fun () ->
                expectInputError "transitions" [ "no states" ] (fun () -> handMdp 0.9 [] []) |> ignore
                expectInputError "transitions[0]" [ "no actions" ] (fun () -> handMdp 0.9 [ 1.0 ] [ [] ]) |> ignore
            testCase "a reward of the wrong shape or with a non-finite entry" <| fun () ->
                let rows = transitionsOf [ [ [ 0, 1.0 ]; [ 1, 1.0 ] ]; [ [ 1, 1.0 ]; [ 0, 1.0 ] ] ]
                expectInputError "reward" [ "3 x 2"; "expected 2 x 2" ] (fun () ->
                    TabularMdp.Create("m", 0.9, [| 1.0; 0.0 |], rows, StateActionTable.Constant(3, 2, 0.0))) |> ignore
                expectInputError "reward[1][0]" [ "NaN" ] (fun () ->
                    TabularMdp.Create("m", 0.9, [| 1.0; 0.0 |], rows, StateActionTable.FromFlat(2, 2, [| 0.0; 0.0; nan; 0.0 |]))) |> ignore
                let mdp = TabularMdp.Create("m", 0.9, [| 1.0; 0.0 |], rows)
                expectInputError "reward" [ "2 x 3" ] (fun () -> mdp.WithReward(StateActionTable.Constant(2, 3, 0.0))) |> ignore
                expectInputError "reward" [ "no true reward" ] (fun () -> TrirlProblem.FromTrueReward(mdp, 2.0)) |> ignore
            testCase "SoftOptimal: a NaN or +infinity reward entry is named; -infinity (an excluded action) is accepted" <| fun () ->
                let mdp = Garnet.Create(3, 2, 2, 1L)
                expectInputError "reward[2][1]" [ "NaN" ] (fun () -> Irl.SoftOptimal(mdp, StateActionTable.FromFlat(3, 2, [| 0.0; 0.0; 0.0; 0.0; 0.0; nan |]))) |> ignore
                expectInputError "reward[0][1]" [ "Infinity" ] (fun () -> Irl.SoftOptimal(mdp, StateActionTable.FromFlat(3, 2, [| 0.0; infinity; 0.0; 0.0; 0.0; 0.0 |]))) |> ignore
                let solution = Irl.SoftOptimal(mdp, StateActionTable.FromFlat(3, 2, [| 0.0; -infinity; 0.0; 0.0; 0.0; 0.0 |]))
                Expect.equal (solution.Policy.Probability(0, 1)) 0.0 "the excluded action has probability 0"
            testCase "FromCsr: offsets of the wrong length or not increasing, mismatched entry arrays" <| fun () ->
                expectInputError "rowStart" [ "S*A+1" ] (fun () -> TabularMdp.FromCsr("m", 1, 2, 0.9, [| 1.0 |], [| 0; 1 |], [| 0; 0 |], [| 1.0; 1.0 |])) |> ignore
                expectInputError "rowStart[1]" [ "not increasing" ] (fun () -> TabularMdp.FromCsr("m", 1, 2, 0.9, [| 1.0 |], [| 0; 2; 1 |], [| 0; 0 |], [| 1.0; 1.0 |])) |> ignore
                expectInputError "probability" [ "1 entries" ] (fun () -> TabularMdp.FromCsr("m", 1, 2, 0.9, [| 1.0 |], [| 0; 1; 2 |], [| 0; 0 |], [| 1.0 |])) |> ignore
                Expect.equal (TabularMdp.FromCsr("m", 1, 2, 0.9, [| 1.0 |], [| 0; 1; 2 |], [| 0; 0 |], [| 1.0; 1.0 |])).TransitionCount 2 "valid CSR"
        ]

        testList "functions of the note" [
            let mdp = Gridworld.Create(3, 0.1)
            let zero = StateActionTable.Constant(9, 4, 0.0)
            let rhoE = Irl.Occupancy(mdp, Policy.Uniform(9, 4))
            testCase "a reward of the wrong shape names 'reward'" <| fun () ->
                expectInputError "reward" [ "9 x 3"; "9 x 4" ] (fun () -> Irl.SoftOptimal(mdp, StateActionTable.Constant(9, 3, 0.0))) |> ignore
                expectInputError "reward" [ "8 x 4" ] (fun () -> Irl.DualObjective(mdp, StateActionTable.Constant(8, 4, 0.0), rhoE, 1.0)) |> ignore
                expectInputError "expertOccupancy" [ "9 x 3" ] (fun () -> Irl.DualObjective(mdp, zero, StateActionTable.Constant(9, 3, 0.1), 1.0)) |> ignore
            testCase "a policy of the wrong shape names 'policy' / 'oldPolicy'" <| fun () ->
                expectInputError "policy" [ "4 x 4" ] (fun () -> Irl.Occupancy(mdp, Policy.Uniform(4, 4))) |> ignore
                expectInputError "policy" [] (fun () -> Irl.PrimalObjective(mdp, Policy.Uniform(9, 2), rhoE, 1.0)) |> ignore
                expectInputError "oldPolicy" [] (fun () -> Irl.TrustRegionStep(mdp, zero, Policy.Uniform(9, 2), 0.1)) |> ignore
                expectInputError "policy" [] (fun () -> Sampling.Rollouts(mdp, Policy.Uniform(3, 4), 1, 1, 0L)) |> ignore
            testCase "eps outside (0, 1]" <| fun () ->
                for eps in [ 0.0; -0.1; 1.5; nan ] do
                    expectInputError "eps" [ "(0, 1]" ] (fun () -> Irl.ProposeReward(zero, zero, eps, 1.0)) |> ignore
                    expectInputError "eps" [ "(0, 1]" ] (fun () -> TrirlSettings.Trirl(1.0, eps, 0.1)) |> ignore
                    expectInputError "eps" [] (fun () -> TrirlSettings.Mce(1.0, eps)) |> ignore
                    expectInputError "eps" [] (fun () -> Irl.CorrectedStepSize(eps, 0.0)) |> ignore
                Expect.equal (TrirlSettings.Trirl(1.0, 1.0, 0.1)).Eps 1.0 "eps = 1 is allowed"
            testCase "delta <= 0 or NaN" <| fun () ->
                for delta in [ 0.0; -1.0; nan ] do
                    expectInputError "delta" [ "> 0" ] (fun () -> TrirlSettings.Trirl(1.0, 0.1, delta)) |> ignore
                    expectInputError "delta" [ "> 0" ] (fun () -> TrirlSettings.Adversarial(1.0, delta)) |> ignore
                    expectInputError "delta" [ "> 0" ] (fun () -> Irl.TrustRegionStep(mdp, zero, Policy.Uniform(9, 4), delta)) |> ignore
                    expectInputError "delta" [] (fun () -> (TrirlSettings.Trirl(1.0, 0.1, 0.1)).WithDelta(delta)) |> ignore
            testCase "beta <= 0, NaN or infinite" <| fun () ->
                for beta in [ 0.0; -1.0; nan ] do
                    expectInputError "beta" [ "> 0" ] (fun () -> TrirlSettings.Trirl(beta, 0.1, 0.1)) |> ignore
                    expectInputError "beta" [] (fun () -> Irl.ProposeReward(zero, zero, 0.1, beta)) |> ignore
                    expectInputError "beta" [] (fun () -> Irl.DualObjective(mdp, zero, rhoE, beta)) |> ignore
                    expectInputError "beta" [] (fun () -> Irl.DualGradient(mdp, zero, rhoE, beta)) |> ignore
                    expectInputError "beta" [] (fun () -> Irl.PrimalObjective(mdp, Policy.Uniform(9, 4), rhoE, beta)) |> ignore
                expectInputError "beta" [ "finite" ] (fun () -> TrirlSettings.Trirl(infinity, 0.1, 0.1)) |> ignore
            testCase "temperature <= 0 or infinite" <| fun () ->
                for tau in [ 0.0; -1.0; nan; infinity ] do
                    expectInputError "temperature" [] (fun () -> Irl.SoftOptimal(mdp, zero, tau)) |> ignore
            testCase "LogRatio of occupancies with different supports names the pair" <| fun () ->
                let e = StateActionTable.FromFlat(1, 3, [| 0.5; 0.5; 0.0 |])
                let p = StateActionTable.FromFlat(1, 3, [| 0.4; 0.4; 0.2 |])
                expectInputError "occupancy[0][2]" [ "not finite" ] (fun () -> Irl.LogRatio(e, p)) |> ignore
                // pairs neither visits get D = 0
                let both = Irl.LogRatio(e, StateActionTable.FromFlat(1, 3, [| 0.25; 0.75; 0.0 |]))
                expectBelow 1e-15 (maxAbsDiff [| log 2.0; log (2.0 / 3.0); 0.0 |] (flat both)) "D"
            testCase "policies from bad probabilities or logits" <| fun () ->
                expectInputError "probabilities[0]" [ "sums to" ] (fun () -> Policy.FromProbabilities(StateActionTable.FromFlat(1, 2, [| 0.5; 0.6 |]))) |> ignore
                expectInputError "probabilities[0][1]" [] (fun () -> Policy.FromProbabilities(StateActionTable.FromFlat(1, 2, [| 1.5; -0.5 |]))) |> ignore
                expectInputError "probabilities[0][0]" [ "NaN" ] (fun () -> Policy.FromProbabilities(StateActionTable.FromFlat(1, 2, [| nan; 1.0 |]))) |> ignore
                expectInputError "logits[0]" [] (fun () -> Policy.FromLogits(StateActionTable.FromFlat(1, 2, [| -infinity; -infinity |]))) |> ignore
            testCase "tables: wrong flat length, ragged rows, non-positive sizes" <| fun () ->
                expectInputError "values" [ "3 entries" ] (fun () -> StateActionTable.FromFlat(2, 2, [| 1.0; 2.0; 3.0 |])) |> ignore
                expectInputError "rows[1]" [ "1 entries" ] (fun () -> StateActionTable.FromRows([| [| 1.0; 2.0 |] :> System.Collections.Generic.IReadOnlyList<float>; [| 1.0 |] |])) |> ignore
                expectInputError "states" [] (fun () -> StateActionTable.Constant(0, 2, 0.0)) |> ignore
                expectInputError "y" [ "2 x 3" ] (fun () -> StateActionTable.Combine(StateActionTable.Constant(2, 2, 0.0), StateActionTable.Constant(2, 3, 0.0), fun a b -> a + b)) |> ignore
            testCase "sampling: empty trajectory lists, trajectories outside the MDP, l2 <= 0, count and horizon < 1" <| fun () ->
                let tr = Trajectory(System.Collections.Immutable.ImmutableArray.Create(0, 9), System.Collections.Immutable.ImmutableArray.Create(0, 0))
                expectInputError "trajectories" [ "empty" ] (fun () -> Irl.EmpiricalOccupancy(mdp, [||])) |> ignore
                expectInputError "trajectories[0][1]" [ "outside" ] (fun () -> Irl.EmpiricalOccupancy(mdp, [| tr |])) |> ignore
                let ok = Sampling.Rollouts(mdp, Policy.Uniform(9, 4), 2, 3, 0L)
                expectInputError "l2" [] (fun () -> Irl.FitDiscriminator(mdp, ok, ok, 0.0)) |> ignore
                expectInputError "count" [] (fun () -> Sampling.Rollouts(mdp, Policy.Uniform(9, 4), 0, 3, 0L)) |> ignore
                expectInputError "horizon" [] (fun () -> Sampling.Rollouts(mdp, Policy.Uniform(9, 4), 1, 0, 0L)) |> ignore
        ]

        testList "JSON" [
            testCase "the valid document parses" <| fun () ->
                let mdp = MdpJson.Parse validJson
                Expect.equal (mdp.States, mdp.Actions, mdp.Name) (2, 2, "tiny") "shape and name"
                expectClose 0.0 0.75 (mdp.TransitionsOf(1, 1) |> Seq.find (fun t -> t.Next = 1)).Probability "P(1 | 1, 1)"
                expectClose 0.0 -1.0 (trueReward mdp).[1, 0] "reward[1][0]"
            testCase "malformed text names 'json'" <| fun () ->
                expectInputError "json" [ "not valid JSON" ] (fun () -> MdpJson.Parse """{"gamma": 0.9,""") |> ignore
                expectInputError "json" [ "not valid JSON" ] (fun () -> MdpJson.Parse "") |> ignore
                expectInputError "json" [ "not an object" ] (fun () -> MdpJson.Parse "[1, 2]") |> ignore
                expectInputError "json" [ "not valid JSON" ] (fun () -> MdpJson.Parse(validJson + " trailing")) |> ignore
            testCase "a missing field is named" <| fun () ->
                for field in [ "gamma"; "initial"; "transitions" ] do
                    let doc = (nonNull (System.Text.Json.Nodes.JsonNode.Parse validJson)).AsObject()
                    doc.Remove(field) |> ignore
                    expectInputError field [ "missing" ] (fun () -> MdpJson.Parse(doc.ToJsonString())) |> ignore
            testCase "a wrong type names its JSON path" <| fun () ->
                let replace (path: string) (value: string) =
                    let doc = nonNull (System.Text.Json.Nodes.JsonNode.Parse validJson)
                    let mutable node = doc
                    let parts = path.Split('/')
                    for p in parts.[0 .. parts.Length - 2] do
                        node <- (match System.Int32.TryParse p with
                                 | true, i -> node.[i]
                                 | _ -> node.[p]) |> nonNull
                    let last = parts.[parts.Length - 1]
                    let v = System.Text.Json.Nodes.JsonNode.Parse(value)
                    match System.Int32.TryParse last with
                    | true, i -> node.[i] <- v
                    | _ -> node.[last] <- v
                    doc.ToJsonString()
                expectInputError "gamma" [ "string"; "not a number" ] (fun () -> MdpJson.Parse(replace "gamma" "\"0.9\"")) |> ignore
                expectInputError "name" [ "not a string" ] (fun () -> MdpJson.Parse(replace "name" "3")) |> ignore
                expectInputError "initial" [ "not an array" ] (fun () -> MdpJson.Parse(replace "initial" "{}")) |> ignore
                expectInputError "initial[1]" [ "not a number" ] (fun () -> MdpJson.Parse(replace "initial/1" "true")) |> ignore
                expectInputError "transitions[0][1][0]" [ "not an array" ] (fun () -> MdpJson.Parse(replace "transitions/0/1/0" "\"x\"")) |> ignore
                expectInputError "transitions[0][1][0]" [ "3 elements" ] (fun () -> MdpJson.Parse(replace "transitions/0/1/0" "[1, 0.5, 0.5]")) |> ignore
                expectInputError "transitions[1][1][0][1]" [ "null"; "not a number" ] (fun () -> MdpJson.Parse(replace "transitions/1/1/0/1" "null")) |> ignore
                expectInputError "transitions[0][1][0][0]" [ "not an integer" ] (fun () -> MdpJson.Parse(replace "transitions/0/1/0/0" "0.5")) |> ignore
                expectInputError "transitions[1]" [ "not an array" ] (fun () -> MdpJson.Parse(replace "transitions/1" "7")) |> ignore
                expectInputError "reward[1][1]" [ "not a number" ] (fun () -> MdpJson.Parse(replace "reward/1/1" "\"a\"")) |> ignore
            testCase "values are validated like TabularMdp.Create, with the JSON path" <| fun () ->
                let bad (from: string) (into: string) = MdpJson.Parse(validJson.Replace(from, into))
                expectInputError "transitions[1][1]" [ "sum to" ] (fun () -> bad "[1, 0.75]" "[1, 0.7]") |> ignore
                expectInputError "transitions[1][1][1]" [ "negative" ] (fun () -> bad "[[0, 0.25], [1, 0.75]]" "[[0, 1.25], [1, -0.25]]") |> ignore
                expectInputError "transitions[1][1][1]" [ "out of range" ] (fun () -> bad "[1, 0.75]" "[5, 0.75]") |> ignore
                expectInputError "gamma" [ "(0, 1)" ] (fun () -> bad "\"gamma\": 0.9" "\"gamma\": 1") |> ignore
                expectInputError "gamma" [ "Infinity" ] (fun () -> bad "\"gamma\": 0.9" "\"gamma\": 1e400") |> ignore
                expectInputError "initial" [ "sums to" ] (fun () -> bad "[1, 0]" "[0.5, 0]") |> ignore
                expectInputError "reward" [ "1 rows" ] (fun () -> bad "[[0, 1], [-1, 0.5]]" "[[0, 1]]") |> ignore
                expectInputError "reward[1]" [ "1 entries" ] (fun () -> bad "[[0, 1], [-1, 0.5]]" "[[0, 1], [-1]]") |> ignore
            testCase "a missing file names its path" <| fun () ->
                let path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "no-such-trirl-mdp.json")
                expectInputError path [ "does not exist" ] (fun () -> MdpJson.Load path) |> ignore
                expectInputError path [ "does not exist" ] (fun () -> RewardJson.Load path) |> ignore
            testCase "reward.json: malformed, missing reward, wrong types" <| fun () ->
                expectInputError "json" [ "not valid JSON" ] (fun () -> RewardJson.Parse "{") |> ignore
                expectInputError "reward" [ "missing" ] (fun () -> RewardJson.Parse """{"beta": 1}""") |> ignore
                expectInputError "reward[1][0]" [ "not a number" ] (fun () -> RewardJson.Parse """{"reward": [[1, 2], ["x", 3]]}""") |> ignore
                expectInputError "reward[1]" [ "1 entries" ] (fun () -> RewardJson.Parse """{"reward": [[1, 2], [3]]}""") |> ignore
                expectInputError "beta" [ "not a number" ] (fun () -> RewardJson.Parse """{"reward": [[1]], "beta": "2"}""") |> ignore
            testCase "reward.json: the declared states and actions must match the table" <| fun () ->
                // The schema writes "states" and "actions"; a file whose table disagrees with them is inconsistent.
                expectInputError "states" [] (fun () -> RewardJson.Parse """{"reward": [[1, 2]], "states": 5, "actions": 2}""") |> ignore
                expectInputError "actions" [] (fun () -> RewardJson.Parse """{"reward": [[1, 2]], "states": 1, "actions": 3}""") |> ignore
            testCase "reward.json: iteration must be a non-negative integer" <| fun () ->
                // 2.5 is currently truncated to 2 and 1e20 saturates to 2147483647, silently.
                expectInputError "iteration" [] (fun () -> RewardJson.Parse """{"reward": [[1]], "iteration": 2.5}""") |> ignore
                expectInputError "iteration" [] (fun () -> RewardJson.Parse """{"reward": [[1]], "iteration": 1e20}""") |> ignore
            testCase "reward.json: rewards must be finite (as MdpJson requires of an MDP's reward)" <| fun () ->
                // 1e400 overflows to +Infinity and is currently accepted into the table.
                expectInputError "reward[0][0]" [] (fun () -> RewardJson.Parse """{"reward": [[1e400]]}""") |> ignore
        ]

        testList "TabularEnvs.Parse" [
            testCase "unknown and malformed specs name --env and list the forms" <| fun () ->
                expectInputError "env" [ "unknown environment 'maze:5'"; "gridworld:SIZE" ] (fun () -> TabularEnvs.Parse("maze:5", 0L)) |> ignore
                expectInputError "env" [ "empty" ] (fun () -> TabularEnvs.Parse("", 0L)) |> ignore
                expectInputError "env" [ "empty" ] (fun () -> TabularEnvs.Parse("   ", 0L)) |> ignore
                expectInputError "env" [ "not gridworld:SIZE[:SLIP]" ] (fun () -> TabularEnvs.Parse("gridworld", 0L)) |> ignore
                expectInputError "env" [ "not gridworld:SIZE[:SLIP]" ] (fun () -> TabularEnvs.Parse("gridworld:5:0.1:3", 0L)) |> ignore
                expectInputError "env" [ "SIZE 'five' is not an integer" ] (fun () -> TabularEnvs.Parse("gridworld:five", 0L)) |> ignore
                expectInputError "env" [ "SLIP 'x' is not a number" ] (fun () -> TabularEnvs.Parse("gridworld:5:x", 0L)) |> ignore
                expectInputError "env" [ "not garnet:S:A:BRANCHING" ] (fun () -> TabularEnvs.Parse("garnet:10:4", 0L)) |> ignore
                expectInputError "env" [ "BRANCHING" ] (fun () -> TabularEnvs.Parse("garnet:10:4:b", 0L)) |> ignore
                expectInputError "env" [ "not cliff[:SLIP]" ] (fun () -> TabularEnvs.Parse("cliff:0.1:2", 0L)) |> ignore
                expectInputError "env" [ "no path" ] (fun () -> TabularEnvs.Parse("file:", 0L)) |> ignore
                expectInputError "--environment" [] (fun () -> TabularEnvs.Parse("maze", 0L, "--environment")) |> ignore
            testCase "valid specs with out-of-range values report the environment's own field" <| fun () ->
                expectInputError "size" [ ">= 2" ] (fun () -> TabularEnvs.Parse("gridworld:1", 0L)) |> ignore
                expectInputError "slip" [ "[0, 1)" ] (fun () -> TabularEnvs.Parse("gridworld:4:1", 0L)) |> ignore
                expectInputError "slip" [ "NaN" ] (fun () -> TabularEnvs.Parse("gridworld:4:NaN", 0L)) |> ignore
                expectInputError "branching" [ "more than" ] (fun () -> TabularEnvs.Parse("garnet:3:2:4", 0L)) |> ignore
                expectInputError "states" [] (fun () -> TabularEnvs.Parse("garnet:0:2:1", 0L)) |> ignore
                expectInputError "slip" [] (fun () -> TabularEnvs.Parse("cliff:-0.1", 0L)) |> ignore
            testCase "file: specs name the file in the field of an inner error" <| fun () ->
                let dir = freshTempDir "trirl-env"
                let path = System.IO.Path.Combine(dir, "bad.json")
                System.IO.File.WriteAllText(path, validJson.Replace("\"gamma\": 0.9", "\"gamma\": 2"))
                expectInputError (path + ": gamma") [ "(0, 1)" ] (fun () -> TabularEnvs.Parse("file:" + path, 0L)) |> ignore
                let missing = System.IO.Path.Combine(dir, "missing.json")
                expectInputError missing [ "does not exist" ] (fun () -> TabularEnvs.Parse("file:" + missing, 0L)) |> ignore
                System.IO.Directory.Delete(dir, true)
        ]
    ]
