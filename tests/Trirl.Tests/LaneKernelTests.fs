/// The lane kernel of the soft sweep (SELL-4 layout, four states per vector) against the row kernel and against
/// the Bellman equations, on ragged random MDPs: rows of different lengths inside a group, state counts that are
/// not a multiple of 4, excluded actions (reward -infinity) and states whose every action is excluded.
module Trirl.Tests.LaneKernelTests

open System
open System.Collections.Generic
open Expecto
open FsCheck
open FsCheck.FSharp
open Trirl.Functional
open Trirl.Functional.Environments

type RaggedCase =
    { Mdp: TabularMdp
      Reward: StateActionTable
      Temperature: float }
    override this.ToString() = sprintf "%d x %d, %d entries, tau %g" this.Mdp.States this.Mdp.Actions this.Mdp.TransitionCount this.Temperature

/// States 1..13, actions 1..5, each row 1..min(S, 6) distinct next states with random probabilities; rewards in
/// [-3, 3] with about one entry in eight excluded (-infinity), and now and then a state with every action excluded.
let genRagged =
    gen {
        let! states = Gen.choose (1, 13)
        let! actions = Gen.choose (1, 5)
        let! gamma = genRange 0.5 0.95
        let! rows =
            Gen.listOfLength (states * actions) (gen {
                let! length = Gen.choose (1, min states 6)
                let! nexts = Gen.shuffle [| 0 .. states - 1 |]
                let! weights = Gen.arrayOfLength length (genRange 0.05 1.0)
                let total = Array.sum weights
                return Array.init length (fun k -> nexts.[k], weights.[k] / total) })
        let rowStart = Array.scan (+) 0 (rows |> List.map Array.length |> List.toArray)
        let entries = Array.concat rows
        let mdp =
            TabularMdp.FromCsr("ragged", states, actions, gamma, Array.create states (1.0 / float states),
                rowStart, entries |> Array.map fst, entries |> Array.map snd)
        let! values = Gen.arrayOfLength (states * actions) (genRange -3.0 3.0)
        let! excluded = Gen.arrayOfLength (states * actions) (Gen.choose (0, 7))
        let! deadState = Gen.choose (-2 * states, states - 1)
        let reward =
            StateActionTable.Create(states, actions, fun s a ->
                if s = deadState || excluded.[s * actions + a] = 0 then Double.NegativeInfinity else values.[s * actions + a])
        let! tau = genLogRange 0.2 5.0
        return { Mdp = mdp; Reward = reward; Temperature = tau }
    }

let occupancy (c: RaggedCase) (policy: Policy) path =
    Irl.SolveOccupancy(c.Mdp, policy, SolverSettings.Default, ReadOnlySpan<float>.Empty, path)

let solve (c: RaggedCase) path =
    Irl.SolveSoft(c.Mdp, c.Reward.ToFlatArray(), c.Temperature, SolverSettings.Default, ReadOnlySpan<float>.Empty, path)

/// Equal infinities, or finite values within `tol * max(1, |want|)`.
let expectNear (tol: float) (want: float[]) (got: float[]) (what: string) =
    Expect.equal got.Length want.Length (what + " length")
    for i in 0 .. want.Length - 1 do
        if Double.IsInfinity want.[i] || Double.IsInfinity got.[i] then Expect.equal got.[i] want.[i] (sprintf "%s[%d] infinite" what i)
        else Expect.isLessThanOrEqual (abs (got.[i] - want.[i])) (tol * max 1.0 (abs want.[i])) (sprintf "%s[%d]: %.17g vs %.17g" what i got.[i] want.[i])

[<Tests>]
let tests =
    testList "Lane kernel" [
        property 300 "the lane layout holds every CSR entry at its lane, padding is (pad slot, 0)" genRagged <| fun c ->
            let lanes = c.Mdp.Lanes
            let a = c.Mdp.Actions
            Expect.equal lanes.Groups ((c.Mdp.States + 3) / 4) "groups"
            let seen = Array.zeroCreate<int> lanes.Next.Length
            for s in 0 .. c.Mdp.States - 1 do
                for act in 0 .. a - 1 do
                    let first = lanes.Start.[(s / 4) * a + act]
                    let row = c.Mdp.TransitionsOf(s, act)
                    Expect.isLessThanOrEqual row.Count (lanes.Start.[(s / 4) * a + act + 1] - first) "row fits its run"
                    row |> Seq.iteri (fun k t ->
                        let e = (first + k) * 4 + s % 4
                        Expect.equal lanes.Next.[e] t.Next "next"
                        Expect.equal lanes.Probability.[e] t.Probability "probability"
                        seen.[e] <- 1)
            for e in 0 .. lanes.Next.Length - 1 do
                if seen.[e] = 0 then
                    Expect.equal lanes.Next.[e] lanes.PadSlot "padding points at the pad slot"
                    Expect.equal lanes.Probability.[e] 0.0 "padding has probability 0"
            // A run is marked consecutive exactly when it has entries and each has next states n, n+1, n+2, n+3.
            for run in 0 .. lanes.ConsecutiveRuns.Length - 1 do
                let entries = [ lanes.Start.[run] .. lanes.Start.[run + 1] - 1 ]
                let all = not entries.IsEmpty && entries |> List.forall (fun k -> [ 1 .. 3 ] |> List.forall (fun l -> lanes.Next.[4 * k + l] = lanes.Next.[4 * k] + l))
                Expect.equal lanes.ConsecutiveRuns.[run] (if all then 1uy else 0uy) (sprintf "run %d consecutive flag" run)
            // Each run is as long as the longest row of its group, no longer.
            for g in 0 .. lanes.Groups - 1 do
                for act in 0 .. a - 1 do
                    let longest = [ for s in 4 * g .. min (c.Mdp.States - 1) (4 * g + 3) -> c.Mdp.TransitionsOf(s, act).Count ] |> List.max
                    Expect.equal (lanes.Start.[g * a + act + 1] - lanes.Start.[g * a + act]) longest "run length"
            // Up to 65532 states every index (the pad slot included) fits 16 bits: the narrow copy holds the same indices.
            match lanes.NarrowNext with
            | null -> failwith "a small MDP should have the 16-bit index copy"
            | narrow -> Expect.sequenceEqual (narrow |> Array.map int) lanes.Next "16-bit copy = 32-bit indices"

        property 300 "lanes and rows give the same soft solution (1e-10), and it satisfies the Bellman equations (1e-10)" genRagged <| fun c ->
            let lanes = solve c SweepPath.Lanes
            let rows = solve c SweepPath.Rows
            let v = Seq.toArray lanes.V
            expectNear 1e-10 (Seq.toArray rows.V) v "V"
            expectNear 1e-10 (flat rows.Q) (flat lanes.Q) "Q"
            expectNear 1e-10 (flat rows.Policy.LogProbabilities) (flat lanes.Policy.LogProbabilities) "log pi"
            expectNear 1e-10 (backup c.Mdp c.Reward v) (flat lanes.Q) "Q = r + gamma P V"
            expectNear 1e-10 (softMax c.Mdp c.Temperature (flat lanes.Q)) v "V = tau logsumexp(Q / tau)"
            for s in 0 .. c.Mdp.States - 1 do
                if not (Double.IsNegativeInfinity v.[s]) then
                    let total = Seq.init c.Mdp.Actions (fun a -> lanes.Policy.Probability(s, a)) |> Seq.sum
                    expectClose 1e-12 1.0 total (sprintf "row %d of pi sums to 1" s)

        // Regression: the relative stopping rule diff <= 1e-15 max|V| used to count the -infinity state, which made
        // it true after the first sweep (diff = inf <= inf) and returned an unconverged solution.
        testCase "a state with every action excluded keeps V = -infinity on both paths; the others converge (1e-10)" <| fun () ->
            // Seven states: state 5 is absorbing and all its actions are excluded; elsewhere action 1 risks falling
            // into 5 (so its Q is -infinity too) while actions 0 and 2 move around the other six states.
            let skip5 n = if n % 7 = 5 then 6 else n % 7
            let rows =
                [| for s in 0 .. 6 ->
                    if s = 5 then [| for _ in 0 .. 2 -> [| Transition(5, 1.0) |] :> IReadOnlyList<Transition> |] :> IReadOnlyList<_>
                    else
                        [| [| Transition(skip5 (s + 1), 1.0) |] :> IReadOnlyList<Transition>
                           [| Transition(s, 0.7); Transition(5, 0.3) |]
                           [| Transition(skip5 (s + 2), 0.6); Transition(s, 0.4) |] |] :> IReadOnlyList<_> |]
            let mdp = TabularMdp.Create("trap", 0.9, Array.create 7 (1.0 / 7.0), rows)
            let reward = StateActionTable.Create(7, 3, fun s a -> if s = 5 then Double.NegativeInfinity else float (s - a))
            let c = { Mdp = mdp; Reward = reward; Temperature = 1.0 }
            for path in [ SweepPath.Lanes; SweepPath.Rows ] do
                let solution = solve c path
                let v = solution.V |> Seq.toArray
                Expect.equal v.[5] Double.NegativeInfinity (sprintf "%A: V(5)" path)
                Expect.isFalse (v |> Array.exists Double.IsNaN) (sprintf "%A: no NaN" path)
                Expect.equal (v |> Array.filter Double.IsFinite |> Array.length) 6 (sprintf "%A: the other six states stay finite: %A" path v)
                expectNear 1e-10 (backup mdp reward v) (flat solution.Q) (sprintf "%A: Q = r + gamma P V" path)
                expectNear 1e-10 (softMax mdp 1.0 (flat solution.Q)) v (sprintf "%A: V = logsumexp Q" path)

        property 500 "Consecutive(n01, n23) holds exactly when the four lanes' next states are n, n+1, n+2, n+3"
            (gen {
                let! n0 = Gen.choose (0, Int32.MaxValue - 3)
                let! consecutive = Gen.elements [ true; false ]
                let! offsets = Gen.arrayOfLength 3 (Gen.choose (-2, 4))
                let ns = if consecutive then [| n0; n0 + 1; n0 + 2; n0 + 3 |] else [| n0; max 0 (n0 + offsets.[0]); max 0 (n0 + offsets.[1]); max 0 (n0 + offsets.[2]) |]
                return ns }) <| fun ns ->
            let pair (lo: int) (hi: int) = int64 (uint32 lo) ||| (int64 hi <<< 32)
            let expected = ns.[1] = ns.[0] + 1 && ns.[2] = ns.[0] + 2 && ns.[3] = ns.[0] + 3
            Expect.equal (LaneTransitions.Consecutive(pair ns.[0] ns.[1], pair ns.[2] ns.[3])) expected (sprintf "%A" ns)

        testCase "a gridworld has consecutive runs (a third at 12x12), a Garnet none; on both, lanes = rows (1e-10) and Bellman holds" <| fun () ->
            for mdp, mostly in [ Gridworld.Create(12, 0.1), true; Garnet.Create(150, 4, 5, 3L), false ] do
                let runs = mdp.Lanes.ConsecutiveRuns
                let share = float (runs |> Array.sumBy int) / float runs.Length
                if mostly then Expect.isGreaterThan share 0.3 (sprintf "%s: runs consecutive (%g)" mdp.Name share)
                else Expect.equal share 0.0 (sprintf "%s: no consecutive run" mdp.Name)
                let rng = Rng(11UL)
                let reward = StateActionTable.Create(mdp.States, mdp.Actions, fun _ _ -> 2.0 * rng.NextDouble() - 1.0)
                let c = { Mdp = mdp; Reward = reward; Temperature = 0.7 }
                let lanes, rows = solve c SweepPath.Lanes, solve c SweepPath.Rows
                let v = Seq.toArray lanes.V
                expectNear 1e-10 (Seq.toArray rows.V) v (mdp.Name + ": V")
                expectNear 1e-10 (backup mdp reward v) (flat lanes.Q) (mdp.Name + ": Q = r + gamma P V")
                expectNear 1e-10 (softMax mdp 0.7 (flat lanes.Q)) v (mdp.Name + ": V = tau logsumexp(Q / tau)")

        testCase "past 65532 states the layout keeps 32-bit indices only, and that sweep also gives lanes = rows (1e-10)" <| fun () ->
            // 70000 states (the pad slot and a tenth of the indices are past what 16 bits hold). Two actions, three
            // random next states each, the first among the last 100 states; gamma 0.6 so that it converges fast.
            let states, actions = 70000, 2
            let rng = Rng(5UL)
            let rowStart = Array.init (states * actions + 1) (fun i -> 3 * i)
            let next = Array.init (3 * states * actions) (fun e -> if e % 3 = 0 then states - 1 - int (rng.NextDouble() * 100.0) else int (rng.NextDouble() * float states))
            let prob = Array.init next.Length (fun e -> [| 0.5; 0.3; 0.2 |].[e % 3])
            let mdp = TabularMdp.FromCsr("wide", states, actions, 0.6, Array.create states (1.0 / float states), rowStart, next, prob)
            Expect.isNull mdp.Lanes.NarrowNext "no 16-bit copy past 65532 states"
            Expect.equal mdp.Lanes.PadSlot states "pad slot"
            let reward = StateActionTable.Create(states, actions, fun s a -> float ((s * 7 + a * 3) % 11) / 5.0 - 1.0)
            let c = { Mdp = mdp; Reward = reward; Temperature = 0.8 }
            let lanes, rows = solve c SweepPath.Lanes, solve c SweepPath.Rows
            let v = Seq.toArray lanes.V
            expectNear 1e-10 (Seq.toArray rows.V) v "V"
            expectNear 1e-10 (backup mdp reward v) (flat lanes.Q) "Q = r + gamma P V"

        property 300 "the incoming lane layout holds every incoming entry at its lane, padding is (pad slot, 0)" genRagged <| fun c ->
            let lanes = c.Mdp.IncomingLanes
            let incoming = c.Mdp.Incoming
            Expect.equal lanes.Groups ((c.Mdp.States + 3) / 4) "groups"
            Expect.equal lanes.PadSlot (c.Mdp.States * c.Mdp.Actions) "pad slot S*A"
            let seen = Array.zeroCreate<int> lanes.Pair.Length
            for s in 0 .. c.Mdp.States - 1 do
                let first = lanes.Start.[s / 4]
                let count = incoming.Start.[s + 1] - incoming.Start.[s]
                Expect.isLessThanOrEqual count (lanes.Start.[s / 4 + 1] - first) "incoming list fits its run"
                for k in 0 .. count - 1 do
                    let e = (first + k) * 4 + s % 4
                    Expect.equal lanes.Pair.[e] incoming.Pair.[incoming.Start.[s] + k] "pair"
                    Expect.equal lanes.Probability.[e] incoming.Probability.[incoming.Start.[s] + k] "probability"
                    seen.[e] <- 1
            for e in 0 .. lanes.Pair.Length - 1 do
                if seen.[e] = 0 then
                    Expect.equal lanes.Pair.[e] lanes.PadSlot "padding points at the pad slot"
                    Expect.equal lanes.Probability.[e] 0.0 "padding has probability 0"
            match lanes.NarrowPair with
            | null -> failwith "a small MDP should have the 16-bit pair copy"
            | narrow -> Expect.sequenceEqual (narrow |> Array.map int) lanes.Pair "16-bit copy = 32-bit pairs"

        property 300 "the occupancy pull: lanes = rows = the dense solve (1e-10), and the flow equation holds (1e-10)" genRagged <| fun c ->
            // A policy from the reward's finite entries (a soft-optimal one has NaN where every action is excluded),
            // with excluded actions at logit -5: small, never zero probabilities.
            let policy = Policy.FromLogits(StateActionTable.Create(c.Mdp.States, c.Mdp.Actions, fun s a ->
                let r = c.Reward.[s, a] in if Double.IsFinite r then r / c.Temperature else -5.0))
            let lanes, rows = occupancy c policy SweepPath.Lanes, occupancy c policy SweepPath.Rows
            expectNear 1e-10 (flat rows) (flat lanes) "rho lanes vs rows"
            expectNear 1e-10 (denseOccupancy c.Mdp policy) (flat lanes) "rho vs dense"
            Expect.isLessThanOrEqual (flowResidual c.Mdp lanes) 1e-10 "flow equation"
            Expect.floatClose Accuracy.high (flat lanes |> Array.sum) 1.0 "sums to 1"

        testCase "a policy with NaN (a state with every action excluded): the occupancy solve says NaN and why, on both paths" <| fun () ->
            let mdp = Gridworld.Create(3, 0.1)
            let reward = StateActionTable.Create(9, 4, fun s _ -> if s = 4 then Double.NegativeInfinity else 0.0)
            let policy = (Irl.SoftOptimal(mdp, reward, 1.0)).Policy
            Expect.isTrue (Double.IsNaN(policy.Probability(4, 0))) "the soft-optimal policy of the dead state is NaN"
            for path in [ SweepPath.Lanes; SweepPath.Rows ] do
                let c = { Mdp = mdp; Reward = reward; Temperature = 1.0 }
                let e = Expect.throwsC (fun () -> occupancy c policy path |> ignore) id
                Expect.stringContains e.Message "NaN" (sprintf "%A: names NaN" path)
                Expect.stringContains e.Message "-infinity" (sprintf "%A: names the cause" path)

        testCase "an occupancy solve cut short by MaxIterations says so with the sweep count, on both paths" <| fun () ->
            let mdp = Gridworld.Create(6, 0.1)
            let policy = Policy.Uniform(mdp.States, mdp.Actions)
            for path in [ SweepPath.Lanes; SweepPath.Rows ] do
                let e = Expect.throwsC (fun () ->
                            Irl.SolveOccupancy(mdp, policy, SolverSettings(MaxIterations = 3), ReadOnlySpan<float>.Empty, path) |> ignore) id
                Expect.stringContains e.Message "did not converge in 3 sweeps" (sprintf "%A: names the bound" path)
                Expect.stringContains e.Message "raise SolverSettings.MaxIterations" (sprintf "%A: names the fix" path)

        testCase "the occupancy pull past 65535 pairs reads 32-bit pair indices and agrees with the rows (1e-10)" <| fun () ->
            // Garnet(20000, 4, 3): S*A = 80000 pairs, past what 16 bits hold.
            let mdp = Garnet.Create(20000, 4, 3, 9L)
            Expect.isNull mdp.IncomingLanes.NarrowPair "no 16-bit copy past 65535 pairs"
            let rng = Rng(3UL)
            let reward = StateActionTable.Create(mdp.States, mdp.Actions, fun _ _ -> rng.NextDouble())
            let c = { Mdp = mdp; Reward = reward; Temperature = 1.0 }
            let policy = (solve c SweepPath.Lanes).Policy
            let lanes, rows = occupancy c policy SweepPath.Lanes, occupancy c policy SweepPath.Rows
            expectNear 1e-10 (flat rows) (flat lanes) "rho lanes vs rows"
            Expect.isLessThanOrEqual (flowResidual mdp lanes) 1e-10 "flow equation"

        testCase "the occupancy pull on 2500 states is bitwise the same with and without parallel sweeps" <| fun () ->
            let mdp = ParallelTests.large.Force()
            let policy = (Irl.SoftOptimal(mdp, trueReward mdp, 1.0)).Policy
            let run inParallel =
                Irl.SolveOccupancy(mdp, policy, SolverSettings(Parallel = inParallel), ReadOnlySpan<float>.Empty, SweepPath.Lanes)
            Expect.isTrue (sameBitsArray (flat (run true)) (flat (run false))) "rho bitwise"

        testCase "the lane kernel on 2500 states is bitwise the same with and without parallel sweeps" <| fun () ->
            let mdp = ParallelTests.large.Force()
            let r = (trueReward mdp).ToFlatArray()
            let run inParallel =
                Irl.SolveSoft(mdp, r, 1.0, SolverSettings(Parallel = inParallel), ReadOnlySpan<float>.Empty, SweepPath.Lanes)
            let p, s = run true, run false
            Expect.isTrue (sameBitsArray (Seq.toArray p.V) (Seq.toArray s.V)) "V bitwise"
            Expect.isTrue (sameBitsArray (flat p.Q) (flat s.Q)) "Q bitwise"
            Expect.equal p.Iterations s.Iterations "same sweeps"
    ]
