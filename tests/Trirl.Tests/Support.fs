/// Assertions with stated tolerances, and the mathematics of the note re-derived independently of the library
/// (dense linear solves, Bellman backups from `TransitionsOf`), so that tests compare the library against the
/// math rather than against itself. Auto-opened: every test module (namespace Trirl.Tests) sees it without an `open`.
[<AutoOpen>]
module Trirl.Tests.Support

open System
open System.Collections.Generic
open System.IO
open Expecto
open Trirl.Functional

// ---------------------------------------------------------------- assertions

/// `|actual - expected| <= tol`, with both numbers in full precision in the message.
let expectClose (tol: float) (expected: float) (actual: float) (what: string) =
    if not (abs (actual - expected) <= tol) then
        failtestf "%s: expected %.17g, got %.17g (|diff| = %.3g > tolerance %.3g)" what expected actual (abs (actual - expected)) tol

/// `actual < bound`.
let expectBelow (bound: float) (actual: float) (what: string) =
    if not (actual < bound) then failtestf "%s: %.17g is not < %.3g" what actual bound

/// `actual >= bound`.
let expectAtLeast (bound: float) (actual: float) (what: string) =
    if not (actual >= bound) then failtestf "%s: %.17g is not >= %.3g" what actual bound

/// Largest `|x_i - y_i|`; equal entries (also equal infinities) count as 0.
let maxAbsDiff (xs: float[]) (ys: float[]) =
    if xs.Length <> ys.Length then failtestf "length %d vs %d" xs.Length ys.Length
    let mutable m = 0.0
    for i in 0 .. xs.Length - 1 do
        if xs.[i] <> ys.[i] then
            let d = abs (xs.[i] - ys.[i])
            m <- if Double.IsNaN d then infinity else max m d
    m

let flat (t: StateActionTable) = t.ToFlatArray()

/// Largest `|x(s,a) - y(s,a)|` of two tables (shapes must agree).
let tableDiff (x: StateActionTable) (y: StateActionTable) =
    if x.States <> y.States || x.Actions <> y.Actions then
        failtestf "shape %dx%d vs %dx%d" x.States x.Actions y.States y.Actions
    maxAbsDiff (flat x) (flat y)

/// Largest `|log pi(a|s) - log pi'(a|s)|`.
let logPolicyDiff (p: Policy) (q: Policy) = tableDiff p.LogProbabilities q.LogProbabilities

/// Bitwise equality of two doubles (NaN payloads and the sign of zero included).
let sameBits (x: float) (y: float) = BitConverter.DoubleToInt64Bits x = BitConverter.DoubleToInt64Bits y

let sameBitsArray (xs: float[]) (ys: float[]) = xs.Length = ys.Length && Array.forall2 sameBits xs ys

/// The call must throw a `TrirlInputException` whose `Field` is `field` and whose message contains every fragment.
let expectInputError (field: string) (fragments: string list) (f: unit -> 'a) : TrirlInputException =
    let outcome =
        try
            f () |> ignore
            None
        with :? TrirlInputException as e -> Some e
    match outcome with
    | None -> failtestf "expected a TrirlInputException for field '%s', but the call succeeded" field
    | Some e ->
        Expect.equal e.Field field (sprintf "Field of the error (message: %s)" e.Message)
        for fragment in fragments do
            Expect.stringContains e.Message fragment "message names the problem"
        Expect.isTrue (e.Message.Contains "Fix:") "message carries a fix"
        e

// ---------------------------------------------------------------- independent mathematics

let logSumExp (xs: float[]) =
    let m = Array.max xs
    if Double.IsNegativeInfinity m then m else m + log (xs |> Array.sumBy (fun x -> exp (x - m)))

/// `Q(s,a) = r(s,a) + gamma * sum_s' P(s'|s,a) v(s')`, from `TransitionsOf` (row-major, length S*A).
let backup (mdp: TabularMdp) (r: StateActionTable) (v: float[]) : float[] =
    Array.init (mdp.States * mdp.Actions) (fun i ->
        let s, a = i / mdp.Actions, i % mdp.Actions
        let expected = mdp.TransitionsOf(s, a) |> Seq.sumBy (fun t -> t.Probability * v.[t.Next])
        r.[s, a] + mdp.Gamma * expected)

/// `V(s) = tau * logsumexp_a(Q(s,a) / tau)`.
let softMax (mdp: TabularMdp) (tau: float) (q: float[]) : float[] =
    Array.init mdp.States (fun s -> tau * logSumExp (Array.init mdp.Actions (fun a -> q.[s * mdp.Actions + a] / tau)))

/// Solves `M x = b` (dense, partial pivoting). Small systems only.
let solveDense (m: float[,]) (b: float[]) : float[] =
    let n = b.Length
    let a = Array2D.copy m
    let x = Array.copy b
    for col in 0 .. n - 1 do
        let pivot = seq { col .. n - 1 } |> Seq.maxBy (fun r -> abs a.[r, col])
        if pivot <> col then
            for c in 0 .. n - 1 do
                let t = a.[col, c]
                a.[col, c] <- a.[pivot, c]
                a.[pivot, c] <- t
            let t = x.[col]
            x.[col] <- x.[pivot]
            x.[pivot] <- t
        for r in col + 1 .. n - 1 do
            let f = a.[r, col] / a.[col, col]
            if f <> 0.0 then
                for c in col .. n - 1 do
                    a.[r, c] <- a.[r, c] - f * a.[col, c]
                x.[r] <- x.[r] - f * x.[col]
    for r in n - 1 .. -1 .. 0 do
        let mutable acc = x.[r]
        for c in r + 1 .. n - 1 do
            acc <- acc - a.[r, c] * x.[c]
        x.[r] <- acc / a.[r, r]
    x

/// `P_pi(s, s') = sum_a pi(a|s) P(s'|s,a)` as a dense matrix.
let policyTransition (mdp: TabularMdp) (pi: Policy) : float[,] =
    let p = Array2D.zeroCreate mdp.States mdp.States
    for s in 0 .. mdp.States - 1 do
        for a in 0 .. mdp.Actions - 1 do
            for t in mdp.TransitionsOf(s, a) do
                p.[s, t.Next] <- p.[s, t.Next] + pi.Probability(s, a) * t.Probability
    p

/// The state occupancy by a direct solve of `(I - gamma P_pi^T) d = (1 - gamma) p0` (math note, section 1).
let denseStateOccupancy (mdp: TabularMdp) (pi: Policy) : float[] =
    let n = mdp.States
    let p = policyTransition mdp pi
    let m = Array2D.init n n (fun i j -> (if i = j then 1.0 else 0.0) - mdp.Gamma * p.[j, i])
    solveDense m (Array.init n (fun s -> (1.0 - mdp.Gamma) * mdp.Initial.[s]))

/// `rho(s,a) = d(s) pi(a|s)` from the dense solve (row-major).
let denseOccupancy (mdp: TabularMdp) (pi: Policy) : float[] =
    let d = denseStateOccupancy mdp pi
    Array.init (mdp.States * mdp.Actions) (fun i -> d.[i / mdp.Actions] * pi.Probability(i / mdp.Actions, i % mdp.Actions))

/// Largest violation of the flow equation `rho(s') = (1-gamma) p0(s') + gamma sum_{s,a} P(s'|s,a) rho(s,a)`.
let flowResidual (mdp: TabularMdp) (rho: StateActionTable) =
    let inflow = Array.zeroCreate mdp.States
    for s in 0 .. mdp.States - 1 do
        for a in 0 .. mdp.Actions - 1 do
            for t in mdp.TransitionsOf(s, a) do
                inflow.[t.Next] <- inflow.[t.Next] + t.Probability * rho.[s, a]
    Array.init mdp.States (fun s' ->
        let lhs = Seq.init mdp.Actions (fun a -> rho.[s', a]) |> Seq.sum
        abs (lhs - ((1.0 - mdp.Gamma) * mdp.Initial.[s'] + mdp.Gamma * inflow.[s'])))
    |> Array.max

/// `sum_{s,a} rho(s,a) (r(s,a) - log pi(a|s))` over pairs with `rho > 0` (the max-ent objective).
let maxEntObjective (rho: float[]) (r: float[]) (logPi: float[]) =
    Array.init rho.Length (fun i -> if rho.[i] > 0.0 then rho.[i] * (r.[i] - logPi.[i]) else 0.0) |> Array.sum

/// `KL(p || q)` of two flat distributions (pairs with `p = 0` contribute 0).
let klFlat (p: float[]) (q: float[]) =
    Array.init p.Length (fun i -> if p.[i] > 0.0 then p.[i] * log (p.[i] / q.[i]) else 0.0) |> Array.sum

/// The primal `P(pi) = sum_s rho(s) H(pi(.|s)) - beta KL(rho_pi || rho_E)` from a dense occupancy (math note, section 3).
let densePrimal (mdp: TabularMdp) (pi: Policy) (rhoE: StateActionTable) (beta: float) =
    let rho = denseOccupancy mdp pi
    let logPi = flat pi.LogProbabilities
    let entropy = Array.init rho.Length (fun i -> if rho.[i] > 0.0 then -rho.[i] * logPi.[i] else 0.0) |> Array.sum
    entropy - beta * klFlat rho (flat rhoE)

/// The dual `G(r) = (1-gamma) p0 . V_r + beta log sum rho_E exp(-r/beta)` given `V_r`.
let dualFromValue (mdp: TabularMdp) (v: float[]) (r: StateActionTable) (rhoE: StateActionTable) (beta: float) =
    let start = Seq.init mdp.States (fun s -> mdp.Initial.[s] * v.[s]) |> Seq.sum
    let e = flat rhoE
    let x = flat r
    let terms = [| for i in 0 .. e.Length - 1 do if e.[i] > 0.0 then yield log e.[i] - x.[i] / beta |]
    (1.0 - mdp.Gamma) * start + beta * logSumExp terms

// ---------------------------------------------------------------- fixtures

/// The folder holding Trirl.Functional.sln, found by walking up from the test assembly's folder.
let repositoryRoot () : string option =
    let rec up (dir: DirectoryInfo | null) =
        match dir with
        | null -> None
        | d when File.Exists(Path.Combine(d.FullName, "Trirl.Functional.sln")) -> Some d.FullName
        | d -> up d.Parent
    up (DirectoryInfo AppContext.BaseDirectory)

/// The repository root, for tests that read committed files (specs, results); fails the test when the assembly does
/// not sit under a clone.
let requiredRepositoryRoot () : string =
    repositoryRoot () |> Option.defaultWith (fun () -> failwith "no repository root (Trirl.Functional.sln) above the test assembly")

/// The copy of the public 4x4 reference shipped with the tests (copied to the output folder).
let fixtureDir () = Path.Combine(AppContext.BaseDirectory, "fixtures", "tabular-4x4")

/// `../shared/reference/tabular-4x4` next to the repository, when that folder exists on this machine.
let sharedReferenceDir () : string option =
    repositoryRoot ()
    |> Option.map (fun root -> Path.GetFullPath(Path.Combine(root, "..", "shared", "reference", "tabular-4x4")))
    |> Option.filter Directory.Exists

/// Where the reference files are read from: the shared folder when it exists, else the test fixtures
/// (identical bytes; `ReferenceTests` checks that they have not drifted apart).
let referenceDir () = sharedReferenceDir () |> Option.defaultWith fixtureDir

/// A fresh empty temporary folder.
let freshTempDir (prefix: string) =
    let dir = Path.Combine(Path.GetTempPath(), sprintf "%s-%s" prefix (Guid.NewGuid().ToString("N")))
    Directory.CreateDirectory dir |> ignore
    dir

// ---------------------------------------------------------------- building MDPs by hand

/// `transitions[s][a] = [(next, probability); ...]` in the shape `TabularMdp.Create` takes.
let transitionsOf (rows: (int * float) list list list) : IReadOnlyList<IReadOnlyList<IReadOnlyList<Transition>>> =
    rows
    |> List.map (fun actions ->
        actions
        |> List.map (fun entries -> entries |> List.map (fun (n, p) -> Transition(n, p)) |> Array.ofList :> IReadOnlyList<Transition>)
        |> Array.ofList
        :> IReadOnlyList<_>)
    |> Array.ofList
    :> IReadOnlyList<_>

/// An MDP from hand-written rows (no true reward).
let handMdp (gamma: float) (initial: float list) (rows: (int * float) list list list) =
    TabularMdp.Create("hand", gamma, Array.ofList initial, transitionsOf rows)

/// A one-state MDP with `reward.Length` self-loop actions and that reward.
let oneStateMdp (gamma: float) (reward: float[]) =
    TabularMdp.Create("one-state", gamma, [| 1.0 |], transitionsOf [ [ for _ in reward -> [ 0, 1.0 ] ] ],
        StateActionTable.FromFlat(1, reward.Length, reward))

/// The MDP's true reward (every environment of the library has one).
let trueReward (mdp: TabularMdp) = mdp.RequireReward("this test")
