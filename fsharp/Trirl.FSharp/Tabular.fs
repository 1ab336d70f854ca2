namespace Trirl.FSharp

// The tabular mathematics of docs/trirl-math.md as curried functions over the C# core (Trirl.Functional).
// Nothing here re-implements a formula: every function calls the C# function named in its doc comment.
//
// Argument order: the data a pipeline transforms comes last, so `|>` works. For functions of an MDP, the MDP is
// the context and the table or policy is the data (`reward |> Soft.optimal 1.0 mdp`, `policy |> Occupancy.ofPolicy mdp`);
// constructors of MDPs and problems take the MDP last (`Mdp.gridworld 5 0.1 |> Expert.softOptimal 3.0`).
//
// Every module is compiled with the `Module` suffix (`MdpModule`, `PolicyModule`, `TrirlModule`, ...): F# code writes
// `Policy.uniform`, while C# code that imports both Trirl.Functional and Trirl.FSharp (the CLI) sees no second
// `Policy`, `Sampling` or `Table` (Spectre.Console has one) next to the C# types. `Charts` keeps its plain name.

open System
open System.Collections.Generic
open System.IO
open System.Text
open Trirl.Functional
open Trirl.Functional.Environments

/// File helpers shared by the modules of this assembly.
module internal Files =

    /// Writes `content` to `path` atomically: a temporary file in the same folder, then a rename (AtomicFile.WriteAllText).
    let writeAtomic (path: string) (content: string) : unit = AtomicFile.WriteAllText(path, content)

/// State-action tables `x(s,a)` (rewards, occupancies, log-ratios): construction and reading, over
/// `StateActionTable` (immutable, row-major, `S x A`).
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Table =

    /// The table `x(s,a) = f s a` (StateActionTable.Create).
    let create (states: int) (actions: int) (f: int -> int -> float) : StateActionTable =
        StateActionTable.Create(states, actions, Func<int, int, float>(f))

    /// The table with every entry equal to `value` (StateActionTable.Constant).
    let constant (states: int) (actions: int) (value: float) : StateActionTable =
        StateActionTable.Constant(states, actions, value)

    /// A table from row-major values, `x(s,a) = values[s * actions + a]` (StateActionTable.FromFlat).
    let ofFlat (states: int) (actions: int) (values: float[]) : StateActionTable =
        StateActionTable.FromFlat(states, actions, values)

    /// A table from rows `x[s][a]`; every row must have the same length (StateActionTable.FromRows).
    let ofRows (rows: float[][]) : StateActionTable =
        StateActionTable.FromRows(rows |> Array.map (fun r -> r :> IReadOnlyList<float>), "rows")

    /// The entry `x(s,a)`.
    let get (s: int) (a: int) (table: StateActionTable) : float = table.[s, a]

    /// The values in row-major order (a copy).
    let toFlat (table: StateActionTable) : float[] = table.ToFlatArray()

    /// The values as rows `x[s][a]` (a copy).
    let toRows (table: StateActionTable) : float[][] = table.ToJagged()

    /// The values as a 2-D array `x[s, a]` (a copy).
    let toArray2D (table: StateActionTable) : float[,] = table.ToArray2D()

    /// Row `s`, i.e. `x(s, .)` (a copy).
    let row (s: int) (table: StateActionTable) : float[] = table.Row(s).ToArray()

    /// `(S, A)`.
    let shape (table: StateActionTable) : int * int = table.States, table.Actions

    /// `f` applied to every entry (StateActionTable.Map).
    let map (f: float -> float) (table: StateActionTable) : StateActionTable = table.Map(Func<float, float>(f))

    /// `f x(s,a) y(s,a)` entry by entry; the shapes must agree (StateActionTable.Combine).
    let combine (f: float -> float -> float) (x: StateActionTable) (y: StateActionTable) : StateActionTable =
        StateActionTable.Combine(x, y, Func<float, float, float>(f))

    /// `c * x` (StateActionTable.Scale).
    let scale (c: float) (table: StateActionTable) : StateActionTable = table.Scale(c)

    /// `a * x + b * y` (StateActionTable.Affine).
    let affine (a: float) (x: StateActionTable) (b: float) (y: StateActionTable) : StateActionTable =
        StateActionTable.Affine(a, x, b, y)

    /// `max_{s,a} |x(s,a) - y(s,a)|` (StateActionTable.MaxAbsDifference).
    let maxAbsDiff (x: StateActionTable) (y: StateActionTable) : float = StateActionTable.MaxAbsDifference(x, y)

    /// `sum_{s,a} x(s,a)`.
    let sum (table: StateActionTable) : float = table.Sum()

    /// `sum_a x(s,a)` per state (StateActionTable.RowSums).
    let rowSums (table: StateActionTable) : float[] = table.RowSums().AsSpan().ToArray()

/// Optional settings of `Mdp.gridworldWith`: the fields of `Gridworld.Create` besides size and slip.
type GridworldOptions =
    {
        /// The goal cell, or None for the bottom-right corner.
        Goal: int option
        /// The trap cells, or None for `size * size / 8` traps placed by `Seed`.
        Traps: int list option
        /// Seed of the random trap placement.
        Seed: int64
        /// Discount factor `gamma`.
        Gamma: float
    }

    /// The defaults of `Gridworld.Create`: goal bottom-right, random traps with seed 0, `gamma = 0.9`.
    static member Default: GridworldOptions = { Goal = None; Traps = None; Seed = 0L; Gamma = 0.9 }

/// Finite MDPs (math note, section 1): the built-in environments, JSON files, and reading an MDP's parts.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Mdp =

    /// A `size x size` slippery gridworld: the intended move with probability `1 - slip`, each other move with
    /// `slip / 3`; reward +1 in the goal (bottom-right), -1 in `size * size / 8` traps placed with seed 0, `gamma = 0.9`
    /// (Gridworld.Create).
    let gridworld (size: int) (slip: float) : TabularMdp = Gridworld.Create(size, slip)

    /// A gridworld with the options of `GridworldOptions` (goal, traps, seed, gamma), e.g.
    /// `Mdp.gridworldWith { GridworldOptions.Default with Seed = 3L } 8 0.1` (Gridworld.Create).
    let gridworldWith (options: GridworldOptions) (size: int) (slip: float) : TabularMdp =
        let goal = defaultArg options.Goal -1
        match options.Traps with
        | Some traps -> Gridworld.Create(size, slip, goal, List.toArray traps, options.Seed, options.Gamma)
        | None -> Gridworld.Create(size, slip, goal, null, options.Seed, options.Gamma)

    /// A Garnet MDP: each pair moves to `branching` random next states with Dirichlet(1, ..., 1) probabilities,
    /// uniform `p0`, reward uniform in [-1, 1], `gamma = 0.9`, drawn with `seed` (Garnet.Create).
    let garnet (states: int) (actions: int) (branching: int) (seed: int64) : TabularMdp =
        Garnet.Create(states, actions, branching, seed)

    /// The 12 x 4 cliff walk (Sutton and Barto, example 6.6) with slip probability `slip`, `gamma = 0.9` (CliffWalk.Create).
    let cliff (slip: float) : TabularMdp = CliffWalk.Create(slip)

    /// `transitions[s][a]` as the C# core's rows.
    let private rowsOf (transitions: (int * float) list list list) : IReadOnlyList<IReadOnlyList<Transition>>[] =
        transitions
        |> List.map (fun actions ->
            actions
            |> List.map (fun entries -> entries |> List.map Transition |> List.toArray :> IReadOnlyList<Transition>)
            |> List.toArray
            :> IReadOnlyList<IReadOnlyList<Transition>>)
        |> List.toArray

    /// An MDP from its parts: `transitions[s][a]` lists the `(next, probability)` entries of each pair; validated
    /// (rows sum to 1, `p0` a distribution, `gamma` in (0,1)) with errors that name the field (TabularMdp.Create).
    let create (name: string) (gamma: float) (initial: float[]) (transitions: (int * float) list list list)
        (reward: StateActionTable option) : TabularMdp =
        TabularMdp.Create(name, gamma, initial, rowsOf transitions, Option.toObj reward)

    /// `Mdp.create` with a finite horizon `H` (then `gamma` may be any value in [0, 1], including 1): policies, values
    /// and occupancies are time-indexed, `t = 0..H-1` (TabularMdp.Create with a horizon; docs/finite-horizon.md). Write
    /// a one-entry row as `[ (next, p) ]`: F# reads `[ next, p ]` as a list of two numbers and warns.
    let createFinite (horizon: int) (name: string) (gamma: float) (initial: float[]) (transitions: (int * float) list list list)
        (reward: StateActionTable option) : TabularMdp =
        TabularMdp.Create(name, gamma, initial, rowsOf transitions, Option.toObj reward, Nullable horizon)

    /// An MDP from JSON text in the CLI's schema
    /// `{"name", "gamma", "initial": [S], "transitions": [s][a] = [[next, prob], ...], "reward": [s][a]}` (MdpJson.Parse).
    let parse (json: string) : TabularMdp = MdpJson.Parse json

    /// An MDP read from a JSON file (MdpJson.Load).
    let load (path: string) : TabularMdp = MdpJson.Load path

    /// The MDP as JSON text, doubles in round-trip precision (MdpJson.Serialize).
    let toJson (mdp: TabularMdp) : string = MdpJson.Serialize mdp

    /// Writes the MDP's JSON to `path` atomically (temporary file, then rename).
    let save (path: string) (mdp: TabularMdp) : unit = Files.writeAtomic path (MdpJson.Serialize mdp)

    /// The MDP's name.
    let name (mdp: TabularMdp) : string = mdp.Name

    /// Number of states `S`.
    let states (mdp: TabularMdp) : int = mdp.States

    /// Number of actions `A`.
    let actions (mdp: TabularMdp) : int = mdp.Actions

    /// The discount `gamma`.
    let gamma (mdp: TabularMdp) : float = mdp.Gamma

    /// The initial distribution `p0(s)` (a copy).
    let initial (mdp: TabularMdp) : float[] = mdp.Initial.AsSpan().ToArray()

    /// The `(next, P(next|s,a))` entries of pair `(s, a)` (TabularMdp.TransitionsOf).
    let transitions (s: int) (a: int) (mdp: TabularMdp) : (int * float)[] =
        mdp.TransitionsOf(s, a) |> Seq.map (fun t -> t.Next, t.Probability) |> Seq.toArray

    /// The true reward `r(s,a)`, or None when the MDP has none (TabularMdp.Reward, null in C#).
    let reward (mdp: TabularMdp) : StateActionTable option = Option.ofObj mdp.Reward

    /// A copy with true reward `reward` (TabularMdp.WithReward).
    let withReward (reward: StateActionTable) (mdp: TabularMdp) : TabularMdp = mdp.WithReward(reward)

    /// A copy without a true reward (TabularMdp.WithReward(null)).
    let withoutReward (mdp: TabularMdp) : TabularMdp = mdp.WithReward(null)

    /// A copy with another name (TabularMdp.WithName).
    let withName (name: string) (mdp: TabularMdp) : TabularMdp = mdp.WithName(name)

    /// The horizon `H`, or None for the discounted infinite-horizon problem (TabularMdp.Horizon).
    let horizon (mdp: TabularMdp) : int option = Option.ofNullable mdp.Horizon

    /// A copy with horizon `H`: policies, values and occupancies become time-indexed, `t = 0..H-1`, and `gamma` may be
    /// any value in [0, 1] (TabularMdp.WithHorizon; docs/finite-horizon.md).
    let withHorizon (horizon: int) (mdp: TabularMdp) : TabularMdp = mdp.WithHorizon(Nullable horizon)

    /// A copy without a horizon: the discounted infinite-horizon problem (TabularMdp.WithHorizon(null)).
    let withoutHorizon (mdp: TabularMdp) : TabularMdp = mdp.WithHorizon(Nullable())

/// Environments from the command line's spec strings: `gridworld:SIZE[:SLIP]`, `garnet:S:A:BRANCHING`,
/// `cliff[:SLIP]`, `file:PATH.json` (TabularEnvs.Parse), with their grid geometry for heatmaps.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Env =

    /// The accepted spec forms, for help texts (TabularEnvs.Forms).
    let forms : string = TabularEnvs.Forms

    /// The environment of `spec`; `seed` draws the random parts (traps, Garnet dynamics) (TabularEnvs.Parse).
    let parse (seed: int64) (spec: string) : TabularEnv = TabularEnvs.Parse(spec, seed)

    /// The environment's MDP.
    let mdp (env: TabularEnv) : TabularMdp = env.Mdp

    /// The grid geometry, or None when the MDP is not a grid (TabularEnv.Grid, null in C#).
    let grid (env: TabularEnv) : GridShape option = Option.ofObj env.Grid
