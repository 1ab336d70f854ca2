namespace Trirl.FSharp

// Policies and what they induce (math note, sections 1, 2 and 4): soft-optimal policies, occupancy measures, log-ratios, returns.
// Every function calls the C# function named in its doc comment (conventions: Tabular.fs).

open Trirl.Functional

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
