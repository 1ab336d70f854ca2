/// Environments: gridworld dynamics by hand (3x3, slip 0.3), rewards and trap placement, the cliff walk (falling
/// returns to the start, the goal absorbs), Garnet rows, seeded determinism, and the spec parser.
module Trirl.Tests.EnvironmentTests

open Expecto
open Trirl.Functional
open Trirl.Functional.Environments

/// `P(.|s,a)` as a dense vector over the states.
let row (mdp: TabularMdp) s a =
    let p = Array.zeroCreate mdp.States
    for t in mdp.TransitionsOf(s, a) do
        p.[t.Next] <- p.[t.Next] + t.Probability
    p

/// A dense distribution from (state, probability) pairs.
let dist (states: int) (entries: (int * float) list) =
    let p = Array.zeroCreate states
    for s, x in entries do
        p.[s] <- p.[s] + x
    p

let up, down, left, right = 0, 1, 2, 3

let sameCsr (a: TabularMdp) (b: TabularMdp) =
    Seq.toArray a.RowStart = Seq.toArray b.RowStart
    && Seq.toArray a.Next = Seq.toArray b.Next
    && sameBitsArray (Seq.toArray a.Probability) (Seq.toArray b.Probability)
    && sameBitsArray (flat (trueReward a)) (flat (trueReward b))

[<Tests>]
let tests =
    testList "Environments" [
        testCase "gridworld 3x3, slip 0.3: corner, edge and centre cells by hand (0.7 intended, 0.1 each other move)" <| fun () ->
            let g = Gridworld.Create(3, 0.3, traps = [||])
            // cells: 0 1 2 / 3 4 5 / 6 7 8; a move into the border stays.
            let expected =
                [ // top-left corner 0: up -> 0, down -> 3, left -> 0, right -> 1
                  (0, up), [ 0, 0.8; 3, 0.1; 1, 0.1 ]
                  (0, down), [ 3, 0.7; 0, 0.2; 1, 0.1 ]
                  (0, left), [ 0, 0.8; 3, 0.1; 1, 0.1 ]
                  (0, right), [ 1, 0.7; 0, 0.2; 3, 0.1 ]
                  // centre 4: up -> 1, down -> 7, left -> 3, right -> 5
                  (4, up), [ 1, 0.7; 7, 0.1; 3, 0.1; 5, 0.1 ]
                  (4, down), [ 7, 0.7; 1, 0.1; 3, 0.1; 5, 0.1 ]
                  (4, left), [ 3, 0.7; 1, 0.1; 7, 0.1; 5, 0.1 ]
                  (4, right), [ 5, 0.7; 1, 0.1; 7, 0.1; 3, 0.1 ]
                  // bottom-right corner 8: up -> 5, down -> 8, left -> 7, right -> 8
                  (8, up), [ 5, 0.7; 8, 0.2; 7, 0.1 ]
                  (8, down), [ 8, 0.8; 5, 0.1; 7, 0.1 ]
                  (8, left), [ 7, 0.7; 8, 0.2; 5, 0.1 ]
                  (8, right), [ 8, 0.8; 5, 0.1; 7, 0.1 ]
                  // top edge 1: up -> 1, down -> 4, left -> 0, right -> 2
                  (1, up), [ 1, 0.7; 4, 0.1; 0, 0.1; 2, 0.1 ]
                  (1, left), [ 0, 0.7; 1, 0.1; 4, 0.1; 2, 0.1 ] ]
            for (s, a), entries in expected do
                expectBelow 1e-12 (maxAbsDiff (dist 9 entries) (row g s a)) (sprintf "P(.|%d, %s)" s Gridworld.ActionNames.[a])
            for s in 0..8 do
                for a in 0..3 do
                    expectClose 1e-12 1.0 (Array.sum (row g s a)) "row sums to 1"
                    let nexts = g.TransitionsOf(s, a) |> Seq.map (fun t -> t.Next) |> Seq.toArray
                    Expect.equal nexts (Array.distinct nexts |> Array.sort) "entries are distinct and sorted"
            Expect.equal (Seq.toArray g.Initial) [| 1.0; 0.0; 0.0; 0.0; 0.0; 0.0; 0.0; 0.0; 0.0 |] "start in cell 0"
            Expect.equal g.Gamma 0.9 "default gamma"

        testCase "gridworld reward: +1 in the goal, -1 in each trap, 0 elsewhere, the same for every action" <| fun () ->
            let g = Gridworld.Create(3, 0.3, traps = [| 4; 5 |])
            let r = trueReward g
            for s in 0..8 do
                let expected = if s = 8 then 1.0 elif s = 4 || s = 5 then -1.0 else 0.0
                for a in 0..3 do
                    Expect.equal r.[s, a] expected (sprintf "r(%d, %d)" s a)
            let custom = Gridworld.Create(4, 0.1, goal = 5, traps = [||])
            Expect.equal (trueReward custom).[5, 2] 1.0 "goal cell 5"
            Expect.equal (trueReward custom).[15, 2] 0.0 "bottom-right is not the goal then"

        testCase "random traps: size^2 / 8 of them, never on the start or the goal, fixed by the seed" <| fun () ->
            for size in 3..10 do
                for seed in 0L .. 19L do
                    let r = trueReward (Gridworld.Create(size, 0.1, seed = seed))
                    let cells = size * size
                    let traps = [ for s in 0 .. cells - 1 do if r.[s, 0] = -1.0 then yield s ]
                    Expect.equal traps.Length (cells / 8) (sprintf "number of traps, size %d seed %d" size seed)
                    Expect.equal r.[0, 0] 0.0 "start cell is not a trap"
                    Expect.equal r.[cells - 1, 0] 1.0 "goal cell is the goal"
            let a, b, c = Gridworld.Create(8, 0.1, seed = 0L), Gridworld.Create(8, 0.1, seed = 0L), Gridworld.Create(8, 0.1, seed = 1L)
            Expect.isTrue (sameBitsArray (flat (trueReward a)) (flat (trueReward b))) "same seed, same traps"
            Expect.isFalse (sameBitsArray (flat (trueReward a)) (flat (trueReward c))) "different seeds, different traps"

        testCase "cliff walk: falling returns to the start with -10, steps cost -1, the goal absorbs with 0" <| fun () ->
            let c = CliffWalk.Create()
            let start, goal = 36, 47
            Expect.equal (c.States, c.Actions) (48, 4) "12 x 4 grid, 4 actions"
            expectClose 0.0 1.0 c.Initial.[start] "start in the bottom-left cell"
            let r = trueReward c
            // From the start, 'right' steps into the cliff (cell 37): back to the start, reward -10.
            expectBelow 1e-15 (maxAbsDiff (dist 48 [ start, 1.0 ]) (row c start right)) "start, right"
            Expect.equal r.[start, right] CliffWalk.FallReward "fall reward"
            Expect.equal CliffWalk.FallReward -10.0 "documented fall reward"
            // From cell 25 (above the cliff), 'down' falls.
            expectBelow 1e-15 (maxAbsDiff (dist 48 [ start, 1.0 ]) (row c 25 down)) "cell 25, down"
            Expect.equal r.[25, down] -10.0 "fall from 25"
            // Ordinary steps cost -1.
            expectBelow 1e-15 (maxAbsDiff (dist 48 [ 24, 1.0 ]) (row c start up)) "start, up"
            Expect.equal r.[start, up] -1.0 "step cost"
            // From cell 35 (above the goal), 'down' enters the goal.
            expectBelow 1e-15 (maxAbsDiff (dist 48 [ goal, 1.0 ]) (row c 35 down)) "into the goal"
            for a in 0..3 do
                expectBelow 1e-15 (maxAbsDiff (dist 48 [ goal, 1.0 ]) (row c goal a)) "goal absorbs"
                Expect.equal r.[goal, a] 0.0 "goal reward"
            // Nothing ever lands in a cliff cell.
            for s in 0..47 do
                for a in 0..3 do
                    for t in c.TransitionsOf(s, a) do
                        Expect.isFalse (t.Next > start && t.Next < goal) "no transition into the cliff"

        testCase "cliff walk with slip 0.3 by hand: from the start, up reaches 24 w.p. 0.7, else the start; reward -1.9" <| fun () ->
            let c = CliffWalk.Create(0.3)
            // up 0.7 -> 24 (-1); right 0.1 -> cliff -> start (-10); down 0.1 and left 0.1 stay (-1 each).
            expectBelow 1e-12 (maxAbsDiff (dist 48 [ 24, 0.7; 36, 0.3 ]) (row c 36 up)) "P(.|start, up)"
            expectClose 1e-12 (0.7 * -1.0 + 0.1 * -10.0 + 0.1 * -1.0 + 0.1 * -1.0) (trueReward c).[36, up] "r(start, up)"

        property 30 "Garnet: every row has `branching` distinct next states, probabilities > 0 summing to 1" genGarnetSpec (fun spec ->
            let g = spec.Create()
            Expect.equal (g.States, g.Actions) (spec.States, spec.Actions) "shape"
            for s in 0 .. g.States - 1 do
                for a in 0 .. g.Actions - 1 do
                    let entries = g.TransitionsOf(s, a) |> Seq.toArray
                    let nexts = entries |> Array.map (fun t -> t.Next)
                    Expect.equal (Array.distinct nexts).Length spec.Branching (sprintf "distinct next states of (%d, %d)" s a)
                    Expect.isTrue (entries |> Array.forall (fun t -> t.Probability > 0.0 && t.Next >= 0 && t.Next < g.States)) "entries"
                    expectClose 1e-12 1.0 (entries |> Array.sumBy (fun t -> t.Probability)) "row sum"
            expectBelow 1e-15 (Seq.toArray g.Initial |> Array.map (fun p -> abs (p - 1.0 / float g.States)) |> Array.max) "uniform p0"
            Expect.isTrue (flat (trueReward g) |> Array.forall (fun x -> x >= -1.0 && x <= 1.0)) "reward in [-1, 1]")

        testCase "Garnet: the same seed gives the same MDP, different seeds differ" <| fun () ->
            let a, b, c = Garnet.Create(20, 3, 4, 42L), Garnet.Create(20, 3, 4, 42L), Garnet.Create(20, 3, 4, 43L)
            Expect.isTrue (sameCsr a b) "seed 42 twice"
            Expect.isFalse (sameCsr a c) "seeds 42 and 43"
            Expect.notEqual a.Name c.Name "the name records the seed"

        testCase "TabularEnvs.Parse builds the named environments with their grids" <| fun () ->
            let grid = TabularEnvs.Parse("gridworld:4:0.2", 5L)
            Expect.isTrue (sameCsr grid.Mdp (Gridworld.Create(4, 0.2, seed = 5L))) "gridworld:4:0.2 with seed 5"
            Expect.equal grid.Grid (GridShape(4, 4)) "grid shape"
            Expect.equal grid.Spec "gridworld:4:0.2" "spec kept"
            Expect.isTrue (sameCsr (TabularEnvs.Parse("gridworld:5", 1L)).Mdp (Gridworld.Create(5, 0.1, seed = 1L))) "default slip 0.1"
            let garnet = TabularEnvs.Parse("garnet:10:3:2", 9L)
            Expect.isTrue (sameCsr garnet.Mdp (Garnet.Create(10, 3, 2, 9L))) "garnet"
            Expect.isNull garnet.Grid "a garnet has no grid"
            let cliff = TabularEnvs.Parse("cliff", 0L)
            Expect.isTrue (sameCsr cliff.Mdp (CliffWalk.Create())) "cliff"
            Expect.equal cliff.Grid (GridShape(12, 4)) "cliff grid"
            Expect.isTrue (sameCsr (TabularEnvs.Parse("cliff:0.2", 0L)).Mdp (CliffWalk.Create(0.2))) "cliff:0.2"
    ]
