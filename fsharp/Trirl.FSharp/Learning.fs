namespace Trirl.FSharp

// The learner of docs/trirl-math.md, sections 6-8, as curried functions over Trirl.Functional: the problem (expert),
// the settings (three presets of one step), the loop (a lazy sequence of immutable iterations), and reward reuse.

open System
open Trirl.Functional

/// What the learner is given (TrirlProblem): the MDP, the expert `pi_E` and its occupancy `rho_E`, optional
/// demonstrations, and, for scoring, the returns of the expert and the uniform policy under the true reward.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Expert =

    /// The standard problem: expert `pi_E = SoftOptimal(beta * r_true, 1)` on the MDP's true reward, its exact occupancy,
    /// and the scoring anchors, e.g. `Mdp.gridworld 5 0.1 |> Expert.softOptimal 3.0` (TrirlProblem.FromTrueReward).
    let softOptimal (beta: float) (mdp: TabularMdp) : TrirlProblem = TrirlProblem.FromTrueReward(mdp, beta)

    /// The problem for a given expert policy; scored when the MDP has a true reward (TrirlProblem.FromExpert).
    let ofPolicy (expert: Policy) (mdp: TabularMdp) : TrirlProblem = TrirlProblem.FromExpert(mdp, expert)

    /// The problem of recorded demonstrations: the expert occupancy is their empirical discounted occupancy
    /// (TrirlProblem.FromDemonstrations), e.g. `mdp |> Expert.ofDemonstrations (Demos.load mdp "demos.json")`.
    let ofDemonstrations (episodes: seq<Trajectory>) (mdp: TabularMdp) : TrirlProblem =
        TrirlProblem.FromDemonstrations(mdp, Seq.toArray episodes)

    /// A copy with `count` expert demonstrations of `horizon` steps sampled with `seed`, for the sample-based learner
    /// (TrirlProblem.WithDemonstrations).
    let withDemonstrations (count: int) (horizon: int) (seed: int64) (problem: TrirlProblem) : TrirlProblem =
        problem.WithDemonstrations(count, horizon, seed)

    /// The problem's MDP.
    let mdp (problem: TrirlProblem) : TabularMdp = problem.Mdp

    /// The expert policy `pi_E`.
    let policy (problem: TrirlProblem) : Policy = problem.ExpertPolicy

    /// The expert's exact occupancy `rho_E`.
    let occupancy (problem: TrirlProblem) : StateActionTable = problem.ExpertOccupancy

    /// The sampled demonstrations (empty for the exact learner).
    let demonstrations (problem: TrirlProblem) : Trajectory[] = problem.Demonstrations.AsSpan().ToArray()

    /// The normalised return `(J(pi) - J(uniform)) / (J(pi_E) - J(uniform))` of a policy with occupancy `rho_pi`, or
    /// None when the MDP has no true reward (TrirlProblem.NormalizedReturn, NaN in C#).
    let normalizedReturn (problem: TrirlProblem) (occupancy: StateActionTable) : float option =
        if problem.IsScored then Some(problem.NormalizedReturn occupancy) else None

/// Recorded demonstrations of a tabular MDP (RecordedDemonstrations): episodes of state and action indices from flat
/// `obs`, `acts`, `dones` arrays (the imitation library's names) or JSON, checked against the MDP.
[<RequireQualifiedAccess>]
module Demos =

    /// One episode from its states and actions (Trajectory).
    let episode (states: int list) (actions: int list) : Trajectory =
        Trajectory(Collections.Immutable.ImmutableArray.CreateRange states, Collections.Immutable.ImmutableArray.CreateRange actions)

    /// The episodes of flat arrays, split after every step with `dones[i]` set (RecordedDemonstrations.FromArrays).
    let ofArrays (mdp: TabularMdp) (obs: int64[]) (acts: int64[]) (dones: bool[]) : Trajectory[] =
        RecordedDemonstrations.FromArrays(mdp, obs, acts, dones).AsSpan().ToArray()

    /// Episodes from JSON text, `{"obs", "acts", "dones"}` or `{"episodes": [{"obs", "acts"}]}` (RecordedDemonstrations.Parse).
    let parse (mdp: TabularMdp) (json: string) : Trajectory[] = RecordedDemonstrations.Parse(mdp, json).AsSpan().ToArray()

    /// Episodes read from a JSON file (RecordedDemonstrations.Load).
    let load (mdp: TabularMdp) (path: string) : Trajectory[] = RecordedDemonstrations.Load(mdp, path).AsSpan().ToArray()

/// Settings of a run (TrirlSettings): the three presets of one step function (math note, section 8).
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Settings =

    /// TRIRL: proposal `U_eps`, trust-region step of radius `delta`, corrected reward `U_{eps/(1+eta)}`
    /// (TrirlSettings.Trirl). Monotone in the observed regime `eps * beta <= 0.2` (math note, section 7).
    let trirl (beta: float) (eps: float) (delta: float) : TrirlSettings = TrirlSettings.Trirl(beta, eps, delta)

    /// MCE-IRL, classical dual descent: proposal `U_eps` with a full solve per iteration (`delta = infinity`,
    /// `eta = 0`) (TrirlSettings.Mce).
    let mce (beta: float) (eps: float) : TrirlSettings = TrirlSettings.Mce(beta, eps)

    /// Adversarial imitation (GAIL-like): `eps = 1` (latest log-ratio only), a local step of radius `delta`, no
    /// correction (TrirlSettings.Adversarial).
    let adversarial (beta: float) (delta: float) : TrirlSettings = TrirlSettings.Adversarial(beta, delta)

    /// The preset of `algorithm`; MCE ignores `delta`, adversarial ignores `eps` (TrirlSettings.Preset).
    let preset (algorithm: Algorithm) (beta: float) (eps: float) (delta: float) : TrirlSettings =
        TrirlSettings.Preset(algorithm, beta, eps, delta)

    /// The algorithm named `name` (trirl, mce or adversarial; any case), or None.
    let tryAlgorithm (name: string) : Algorithm option =
        match Enum.TryParse<Algorithm>(name, true) with
        | true, a when Enum.IsDefined a -> Some a
        | _ -> None

    /// The algorithm's name in lower case (trirl, mce, adversarial), as the CLI writes it.
    let algorithmName (settings: TrirlSettings) : string = settings.Algorithm.ToString().ToLowerInvariant()

    /// A copy that estimates `D_i` from samples: `sampling.Rollouts` rollouts per iteration and a one-hot discriminator
    /// (TrirlSettings.WithSampling). The problem needs demonstrations (`Expert.withDemonstrations`).
    let withSampling (sampling: SampleSettings) (settings: TrirlSettings) : TrirlSettings = settings.WithSampling sampling

    /// `Settings.withSampling` with the default discriminator weight `SampleSettings.DefaultL2`.
    let sampled (rollouts: int) (horizon: int) (seed: int64) (settings: TrirlSettings) : TrirlSettings =
        settings.WithSampling(SampleSettings(rollouts, horizon, SampleSettings.DefaultL2, seed))

    /// The sample settings, or None for the exact log-ratio (TrirlSettings.Sampling, null in C#).
    let sampling (settings: TrirlSettings) : SampleSettings option = Option.ofObj settings.Sampling

    /// A copy with other stopping rules of the inner solvers (TrirlSettings.WithSolver).
    let withSolver (solver: SolverSettings) (settings: TrirlSettings) : TrirlSettings = settings.WithSolver solver

    /// A copy with another trust-region radius (TrirlSettings.WithDelta).
    let withDelta (delta: float) (settings: TrirlSettings) : TrirlSettings = settings.WithDelta delta

    /// Advice to show: a warning when `eps * beta > 0.2`, where the dual is observed to oscillate (math note, section 7)
    /// (TrirlSettings.Warnings).
    let warnings (settings: TrirlSettings) : string list = settings.Warnings |> Seq.toList

/// The learning loop as an unfold (Learner): `start` is iteration 0, `step` maps an iteration to the next, `run` is
/// the lazy sequence, e.g. `Trirl.run (Settings.trirl 3.0 0.05 0.01) problem |> Seq.take 60`. One iteration
/// (math note, section 6): `D_i = log rho_E - log rho_{pi_i}`; `r~ = (1 - eps) r_i + eps * beta * D_i`;
/// `(pi_{i+1}, eta) = TrustRegion.step r~`; `r_{i+1} = U_{eps/(1+eta)}(r_i)`.
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Trirl =

    /// Iteration 0: `r_0 = 0`, `pi_0` uniform, which is `SoftOptimal(0, 1)` (Learner.Start).
    let start (settings: TrirlSettings) (problem: TrirlProblem) : TrirlIteration = Learner.Start(problem, settings)

    /// The iteration after `state` (Learner.Step).
    let step (settings: TrirlSettings) (problem: TrirlProblem) (state: TrirlIteration) : TrirlIteration =
        Learner.Step(problem, settings, state)

    /// The lazy, infinite sequence of iterations 1, 2, ...: `Seq.take 60` runs 60 iterations (Learner.Run).
    let run (settings: TrirlSettings) (problem: TrirlProblem) : seq<TrirlIteration> = Learner.Run(problem, settings)

    /// The iterations after `state`, to resume a run (Learner.RunFrom).
    let runFrom (settings: TrirlSettings) (problem: TrirlProblem) (state: TrirlIteration) : seq<TrirlIteration> =
        Learner.RunFrom(problem, settings, state)

    /// The scalars of an iteration, without its tables (TrirlIteration.Metrics), for charts and long histories.
    let metrics (iteration: TrirlIteration) : IterationMetrics = iteration.Metrics

    /// The duality gap `G(r_i) - P(pi_i)` of an iteration (TrirlIteration.Gap).
    let gap (iteration: TrirlIteration) : float = iteration.Gap

    /// The iteration's reward as a learned reward for reward.json, named after the problem's MDP and the settings'
    /// algorithm (LearnedReward).
    let learnedReward (settings: TrirlSettings) (problem: TrirlProblem) (iteration: TrirlIteration) : LearnedReward =
        LearnedReward(problem.Mdp.Name, Settings.algorithmName settings, settings.Beta, iteration.Iteration, iteration.Reward)

/// Reward reuse (RewardReuse): retraining (re-optimise the learned reward on the MDP it was learned on) and transfer
/// (re-optimise it under changed dynamics, e.g. another slip).
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Reuse =

    /// `pi = SoftOptimal(r, 1)` on `mdp`, scored against that MDP's expert `SoftOptimal(expertBeta * r_true, 1)`; the MDP
    /// needs a true reward (RewardReuse.Reoptimize). E.g. `final.Reward |> Reuse.reoptimize 3.0 (Mdp.gridworld 5 0.3)`.
    let reoptimize (expertBeta: float) (mdp: TabularMdp) (reward: StateActionTable) : ReuseScore =
        RewardReuse.Reoptimize(mdp, reward, expertBeta)
