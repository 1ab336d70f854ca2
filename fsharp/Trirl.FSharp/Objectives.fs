namespace Trirl.FSharp

// The IRL objectives and steps (math note, sections 3-6): the dual and the primal, rewards, the trust region, sampling.
// Every function calls the C# function named in its doc comment (conventions: Tabular.fs).

open Trirl.Functional

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
    /// `eta = 0` when the constraint is slack, else bracket `eta` and narrow the bracket (Brent's method in `log(1 + eta)`) until `KL(eta) = delta`
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
