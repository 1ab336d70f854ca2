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

/// Stochastic policies `pi(a|s)`, kept in log space (Policy).
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Policy =

    /// The uniform policy `pi(a|s) = 1/A`, the TRIRL start `pi_0` (Policy.Uniform).
    let uniform (states: int) (actions: int) : Policy = Policy.Uniform(states, actions)

    /// The uniform policy on the MDP's states and actions (Policy.Uniform).
    let uniformOn (mdp: TabularMdp) : Policy = Policy.Uniform(mdp.States, mdp.Actions)

    /// A policy from probabilities `pi(a|s)`; every row must be a distribution (Policy.FromProbabilities).
    let ofProbabilities (probabilities: StateActionTable) : Policy = Policy.FromProbabilities probabilities

    /// The softmax policy `pi(a|s) = exp(l(s,a)) / sum_b exp(l(s,b))` of finite logits (Policy.FromLogits).
    let ofLogits (logits: StateActionTable) : Policy = Policy.FromLogits logits

    /// A time-indexed policy `pi_t = steps[t]` from stationary policies of one shape (Policy.FromSteps).
    let ofSteps (steps: Policy list) : Policy = Policy.FromSteps(List.toArray steps)

    /// The stationary policy `pi_t` of time step `t` (Policy.AtStep).
    let atStep (t: int) (policy: Policy) : Policy = policy.AtStep t

    /// Time steps of the policy: 1 when stationary, `H` when time-indexed (Policy.Steps).
    let steps (policy: Policy) : int = policy.Steps

    /// `pi(a|s)` as a table (`Steps * S` rows: row `t * S + s` holds `pi_t(.|s)`).
    let probabilities (policy: Policy) : StateActionTable = policy.Probabilities

    /// `log pi(a|s)` as a table.
    let logProbabilities (policy: Policy) : StateActionTable = policy.LogProbabilities

    /// `pi(a|s)`.
    let probability (s: int) (a: int) (policy: Policy) : float = policy.Probability(s, a)

    /// The entropy `H(pi(.|s)) = -sum_a pi(a|s) log pi(a|s)` of state `s` (Policy.Entropy).
    let entropy (s: int) (policy: Policy) : float = policy.Entropy s

    /// The most likely action of every state, `argmax_a pi(a|s)` (the first on ties), for charts and tables.
    let mostLikely (policy: Policy) : int[] =
        Array.init policy.States (fun s ->
            let row = policy.Probabilities.Row(s)
            let mutable best = 0
            for a in 1 .. row.Length - 1 do
                if row.[a] > row.[best] then best <- a
            best)

/// Soft (maximum-entropy) optimality at temperature `tau` (math note, section 2):
/// `Q(s,a) = r(s,a) + gamma * sum_s' P(s'|s,a) V(s')`, `V(s) = tau * logsumexp_a(Q(s,a) / tau)`,
/// `log pi_r(a|s) = (Q(s,a) - V(s)) / tau`.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Soft =

    /// `SoftOptimal(r, tau)`: soft value iteration to its fixed point (tolerance 1e-12), with `Q`, `V` and the policy
    /// (Irl.SoftOptimal). With `tau = 1`, `pi_r` maximises `sum rho_pi (r - log pi)` with maximum `(1-gamma) p0 . V_r`.
    let optimal (temperature: float) (mdp: TabularMdp) (reward: StateActionTable) : SoftSolution =
        Irl.SoftOptimal(mdp, reward, temperature)

    /// `Soft.optimal` with explicit stopping rules (Irl.SoftOptimal).
    let optimalWith (solver: SolverSettings) (temperature: float) (mdp: TabularMdp) (reward: StateActionTable) : SoftSolution =
        Irl.SoftOptimal(mdp, reward, temperature, solver)

    /// The max-ent policy `pi_r = SoftOptimal(r, 1)` (Irl.SoftOptimal(...).Policy).
    let policy (mdp: TabularMdp) (reward: StateActionTable) : Policy = Irl.SoftOptimal(mdp, reward, 1.0).Policy

    /// The soft state values `V(s)` of a solution (a copy).
    let values (solution: SoftSolution) : float[] = solution.V.AsSpan().ToArray()

/// Discounted occupancy measures (math note, section 1):
/// `rho_pi(s,a) = (1-gamma) * sum_t gamma^t Pr(s_t = s, a_t = a)`, summing to 1.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Occupancy =

    /// The exact occupancy `rho_pi`: solves `(I - gamma * P_pi^T) d = (1-gamma) p0`, then `rho(s,a) = d(s) pi(a|s)`
    /// (Irl.Occupancy).
    let ofPolicy (mdp: TabularMdp) (policy: Policy) : StateActionTable = Irl.Occupancy(mdp, policy)

    /// `Occupancy.ofPolicy` with explicit stopping rules (Irl.Occupancy).
    let ofPolicyWith (solver: SolverSettings) (mdp: TabularMdp) (policy: Policy) : StateActionTable =
        Irl.Occupancy(mdp, policy, solver)

    /// The time-indexed occupancy of a finite-horizon MDP, `rho_t(s,a) = (gamma^t / Z) Pr(s_t = s, a_t = a)`, as an
    /// `(H * S) x A` table (row `t * S + s`) (Irl.TimedOccupancy).
    let timed (mdp: TabularMdp) (policy: Policy) : StateActionTable = Irl.TimedOccupancy(mdp, policy)

    /// The empirical discounted occupancy of trajectories,
    /// `rho^(s,a) = sum_traj sum_t gamma^t [s_t = s, a_t = a] / sum_traj sum_t gamma^t` (Irl.EmpiricalOccupancy).
    let empirical (mdp: TabularMdp) (trajectories: seq<Trajectory>) : StateActionTable =
        Irl.EmpiricalOccupancy(mdp, Seq.toArray trajectories)

    /// The state occupancy `rho(s) = sum_a rho(s,a)` (Irl.StateOccupancy).
    let states (occupancy: StateActionTable) : float[] = Irl.StateOccupancy(occupancy) |> Seq.toArray

    /// `KL(p || q) = sum_{s,a} p(s,a) log(p(s,a) / q(s,a))`, read `p |> Occupancy.klTo q`; with `p = rho_pi` and
    /// `q = rho_E` it is the matching term of the primal; +infinity when `p` has mass where `q` has none (Irl.OccupancyKl).
    let klTo (q: StateActionTable) (p: StateActionTable) : float = Irl.OccupancyKl(p, q)

/// The log density ratio `D = log rho_E - log rho_pi` of the reward update (math note, sections 4 and 9).
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module LogRatio =

    /// The exact `D(s,a) = log rho_E(s,a) - log rho_pi(s,a)` (0 where neither visits) (Irl.LogRatio).
    let exact (expertOccupancy: StateActionTable) (policyOccupancy: StateActionTable) : StateActionTable =
        Irl.LogRatio(expertOccupancy, policyOccupancy)

    /// `D` estimated from samples: the logit of an L2-regularised one-hot logistic-regression discriminator, expert = 1,
    /// policy = 0 (Irl.FitDiscriminator).
    let fit (l2: float) (mdp: TabularMdp) (expert: seq<Trajectory>) (policy: seq<Trajectory>) : StateActionTable =
        Irl.FitDiscriminator(mdp, Seq.toArray expert, Seq.toArray policy, l2)

/// Returns from occupancies: `J(pi) = sum_{s,a} rho_pi(s,a) r(s,a)`.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Return =

    /// `J(pi) = sum_{s,a} rho_pi(s,a) r(s,a) = (1-gamma) E[sum_t gamma^t r(s_t, a_t)]` (Irl.ExpectedReturn).
    let expected (reward: StateActionTable) (occupancy: StateActionTable) : float = Irl.ExpectedReturn(occupancy, reward)

    /// `(J(pi) - J(uniform)) / (J(pi_E) - J(uniform))`: 0 for the uniform policy, 1 for the expert (Irl.NormalizedReturn).
    let normalized (uniformReturn: float) (expertReturn: float) (policyReturn: float) : float =
        Irl.NormalizedReturn(policyReturn, uniformReturn, expertReturn)

/// The Lagrangian dual in the reward (math note, section 3; minimised):
/// `G(r) = (1-gamma) * p0 . V_r + beta * log sum_{s,a} rho_E(s,a) exp(-r(s,a)/beta)`.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Dual =

    /// `G(r)`, with `V_r` the soft value of `SoftOptimal(r, 1)`; `G(r + c) = G(r)` and `G(r) >= P(pi)` for every
    /// policy (weak duality) (Irl.DualObjective).
    let objective (mdp: TabularMdp) (expertOccupancy: StateActionTable) (beta: float) (reward: StateActionTable) : float =
        Irl.DualObjective(mdp, reward, expertOccupancy, beta)

    /// `dG/dr(s,a) = rho_{pi_r}(s,a) - rho_E(s,a) exp(-r(s,a)/beta) / Z` with `Z = sum rho_E exp(-r/beta)`; sums to 0
    /// (Irl.DualGradient).
    let gradient (mdp: TabularMdp) (expertOccupancy: StateActionTable) (beta: float) (reward: StateActionTable) : StateActionTable =
        Irl.DualGradient(mdp, reward, expertOccupancy, beta)

    /// The duality gap `G(r) - P(pi_r)` with `pi_r = SoftOptimal(r, 1)`: non-negative, 0 exactly at the optimum
    /// (Irl.DualityGap).
    let gap (mdp: TabularMdp) (expertOccupancy: StateActionTable) (beta: float) (reward: StateActionTable) : float =
        Irl.DualityGap(mdp, reward, expertOccupancy, beta)

/// The primal (math note, section 3; maximised): reverse-KL distribution matching with entropy,
/// `P(pi) = sum_s rho_pi(s) H(pi(.|s)) - beta * KL(rho_pi || rho_E)`.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Primal =

    /// `P(pi)`; -infinity when `pi` visits a pair the expert never visits (Irl.PrimalObjective).
    let objective (mdp: TabularMdp) (expertOccupancy: StateActionTable) (beta: float) (policy: Policy) : float =
        Irl.PrimalObjective(mdp, policy, expertOccupancy, beta)

/// The function-space reward update and its correction (math note, sections 4 and 6), and learned-reward files.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Reward =

    /// The proposal `U_eps(r) = (1 - eps) * r + eps * beta * D` (Irl.ProposeReward).
    let propose (eps: float) (beta: float) (logRatio: StateActionTable) (reward: StateActionTable) : StateActionTable =
        Irl.ProposeReward(reward, logRatio, eps, beta)

    /// The corrected reward `r_{i+1} = U_{eps_tr}(r_i) = (1 - eps_tr) * r_i + eps_tr * beta * D_i` with
    /// `eps_tr = eps / (1 + eta)`: if `pi_i = SoftOptimal(r_i, 1)` and `pi_tr` is the trust-region step with multiplier
    /// `eta`, then `pi_tr = SoftOptimal(r_{i+1}, 1)` (Irl.CorrectReward).
    let correct (eps: float) (eta: float) (beta: float) (logRatio: StateActionTable) (reward: StateActionTable) : StateActionTable =
        Irl.CorrectReward(reward, logRatio, eps, eta, beta)

    /// The corrected step size `eps_tr = eps / (1 + eta)` (Irl.CorrectedStepSize).
    let correctedStep (eps: float) (eta: float) : float = Irl.CorrectedStepSize(eps, eta)

    /// A learned reward with what produced it, as stored in reward.json (LearnedReward).
    let learned (mdpName: string) (algorithm: string) (beta: float) (iteration: int) (reward: StateActionTable) : LearnedReward =
        LearnedReward(mdpName, algorithm, beta, iteration, reward)

    /// A learned reward from JSON text
    /// `{"mdp", "algorithm", "beta", "iteration", "states", "actions", "reward": [s][a]}` (RewardJson.Parse).
    let parse (json: string) : LearnedReward = RewardJson.Parse json

    /// A learned reward read from a reward.json file (RewardJson.Load).
    let load (path: string) : LearnedReward = RewardJson.Load path

    /// The learned reward as JSON text, doubles in round-trip precision (RewardJson.Serialize).
    let toJson (reward: LearnedReward) : string = RewardJson.Serialize reward

    /// Writes the learned reward's JSON to `path` atomically (temporary file, then rename).
    let save (path: string) (reward: LearnedReward) : unit = Files.writeAtomic path (RewardJson.Serialize reward)

/// The trust-region policy step (math note, section 5):
/// `maximise_pi sum rho_pi (r~ - log pi)` subject to `sum_s rho_pi(s) KL(pi(.|s) || pi_i(.|s)) <= delta`,
/// solved by `pi_tr = SoftOptimal(r~ + eta * log pi_i, 1 + eta)`.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module TrustRegion =

    /// The step from `oldPolicy` on the proposal `r~` with radius `delta` (+infinity: the full solve of MCE-IRL):
    /// `eta = 0` when the constraint is slack, else bracket `eta` and narrow the bracket (regula falsi, safeguarded by bisection) until `KL(eta) = delta`
    /// (Irl.TrustRegionStep).
    let step (mdp: TabularMdp) (delta: float) (oldPolicy: Policy) (proposedReward: StateActionTable) : TrustRegionResult =
        Irl.TrustRegionStep(mdp, proposedReward, oldPolicy, delta)

    /// The causal KL of a step, `sum_s rho_new(s) KL(new(.|s) || old(.|s))` (Irl.CausalKl).
    let causalKl (mdp: TabularMdp) (oldPolicy: Policy) (newPolicy: Policy) : float = Irl.CausalKl(mdp, newPolicy, oldPolicy)

/// Seeded sampling of trajectories: demonstrations and policy rollouts (Sampling).
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Sampling =

    /// `count` episodes of `horizon` steps, `s_0 ~ p0`, `a_t ~ pi(.|s_t)`, `s_{t+1} ~ P(.|s_t, a_t)`, from one generator
    /// seeded with `seed` (Sampling.Rollouts).
    let rollouts (mdp: TabularMdp) (count: int) (horizon: int) (seed: int64) (policy: Policy) : Trajectory[] =
        Trirl.Functional.Sampling.Rollouts(mdp, policy, count, horizon, seed).AsSpan().ToArray()

    /// The smallest horizon `H` with `gamma^H <= 1e-3` (Sampling.DefaultHorizon).
    let defaultHorizon (gamma: float) : int = Trirl.Functional.Sampling.DefaultHorizon gamma
