(**
---
title: 3. One TRIRL step by hand
category: Tutorials
categoryindex: 1
index: 3
---

# 3. One TRIRL step by hand: the trust region, $\eta$, and the reward-correction theorem

MCE-IRL (notebook 2) re-solves the policy after every reward update. TRIRL takes a *local* step instead and then
corrects the reward so that the new policy is exactly soft-optimal for it. One iteration:

1. $D_i = \log \rho_E - \log \rho_{\pi_i}$
2. proposal $\tilde r = (1-\epsilon)\, r_i + \epsilon\, \beta\, D_i$
3. trust-region step $(\pi_{i+1}, \eta)$ on $\tilde r$
4. $\epsilon_{tr} = \epsilon / (1+\eta)$, $\; r_{i+1} = (1-\epsilon_{tr})\, r_i + \epsilon_{tr}\, \beta\, D_i$

This notebook does the four steps by hand with the library's functions, looks at $\eta$, and verifies the
correction theorem live.
*)
(*** condition: prepare ***)
#load "../.load.fsx"
(** Namespaces: *)
open Plotly.NET
open Trirl.Functional              // the records (StateActionTable, Policy, TabularMdp, ...)
open Trirl.FSharp                  // the F# layer: curried functions of the math note (Soft, Occupancy, Dual, ...) and Charts
(**
The gridworld and expert of notebooks 1 and 2, TRIRL's settings, and the learner's starting point:
*)
let mdp = Mdp.gridworld 5 0.1
let problem = mdp |> Expert.softOptimal 3.0
let settings = Settings.trirl 3.0 0.05 0.01
let start = problem |> Trirl.start settings          // r_0 = 0, pi_0 uniform = SoftOptimal(0, 1)
printfn "start: dual %.6f, primal %.6f, gap %.4f" start.Dual start.Primal start.Gap
(*** include-output ***)
(**
## Steps 1 and 2: the log-ratio and the proposal

$D_0$ is exact here (both occupancies are known); the deep version estimates it with a discriminator.
*)
let d = LogRatio.exact problem.ExpertOccupancy start.Occupancy               // D = log rho_E - log rho_pi
let proposal = start.Reward |> Reward.propose settings.Eps settings.Beta d   // (1 - eps) r + eps beta D
printfn "D ranges over [%.3f, %.3f]; the proposal over [%.4f, %.4f]" (d.Min()) (d.Max()) (proposal.Min()) (proposal.Max())
(*** include-output ***)
(**
## Step 3: the trust region and $\eta$

The policy step maximises the max-ent objective of the proposal while staying close to the current policy:

$$\max_\pi \sum_{s,a} \rho_\pi\, (\tilde r - \log \pi) \quad \text{s.t.} \quad \sum_s \rho_\pi(s)\, \mathrm{KL}\big(\pi(\cdot \mid s) \,\|\, \pi_i(\cdot \mid s)\big) \le \delta .$$

With a multiplier $\eta \ge 0$ the solution is soft-optimal for a modified reward at a higher temperature,

$$\pi_\eta = \mathrm{SoftOptimal}\big(\tilde r + \eta \log \pi_i,\; 1 + \eta\big),$$

and the causal KL of $\pi_\eta$ falls as $\eta$ grows: $\eta = 0$ is the full step, $\eta \to \infty$ stays put.
`TrustRegion.step` finds the $\eta$ with KL $= \delta$ (steps along $\log$ KL against $\log(1 + \eta)$, then Brent's method: the same $\eta$ as bisection, in fewer solves). Below, the KL curve computed
from the closed form, and the $\eta$ the library found.
*)
/// The closed form of the step for a given eta.
let stepAt eta =
    (Soft.optimal (1.0 + eta) mdp (Table.affine 1.0 proposal eta start.Policy.LogProbabilities)).Policy

let etas = Array.init 41 (fun k -> 10.0 ** (-2.0 + 0.1 * float k))           // 0.01 .. 100
let kls = etas |> Array.map (fun eta -> TrustRegion.causalKl mdp start.Policy (stepAt eta))
let step = proposal |> TrustRegion.step mdp settings.Delta start.Policy
printfn "full step (eta = 0): KL = %.4f > delta = %g, so the constraint binds" (TrustRegion.causalKl mdp start.Policy (stepAt 0.0)) settings.Delta
printfn "eta = %.6f, KL = %.10f, found with %d soft solves" step.Eta step.Kl step.Solves
printfn "max |log pi_tr - log stepAt eta| = %.1e" (Table.maxAbsDiff step.Policy.LogProbabilities (stepAt step.Eta).LogProbabilities)
(*** include-output ***)
[ Chart.Line(x = etas, y = kls, Name = "causal KL of pi_eta")
  Chart.Line(x = [ etas.[0]; Array.last etas ], y = [ settings.Delta; settings.Delta ], Name = "delta")
  Chart.Point(x = [ step.Eta ], y = [ step.Kl ], Name = "eta found") ]
|> Chart.combine
|> Charts.withAxes "The trust region: KL falls with eta; the step takes KL = delta" (ChartAxis.log "eta") (ChartAxis.log "sum_s rho(s) KL(pi_eta || pi_0)")
|> Chart.withSize (Width = 720, Height = 440)
(*** include-it ***)
(**
## Step 4: the reward-correction theorem

$\pi_{tr}$ is soft-optimal for $\tilde r + \eta \log \pi_i$ at temperature $1+\eta$, not for the proposal $\tilde r$.
But if $\pi_i = \mathrm{SoftOptimal}(r_i, 1)$, then

$$\eta \log \pi_i(a \mid s) = \eta\, r_i(s,a) + \eta \big(\gamma\, \mathbb{E}[V_i(s')] - V_i(s)\big),$$

and the second term is potential-based shaping, which leaves soft-optimal policies unchanged. So
$\tilde r + \eta \log \pi_i$ is equivalent to $(1+\eta)\, U_{\epsilon/(1+\eta)}(r_i)$, and dividing reward and
temperature by $1+\eta$ (notebook 1) gives the theorem:

$$\pi_{tr} = \mathrm{SoftOptimal}(r_{i+1}, 1), \qquad r_{i+1} = U_{\epsilon_{tr}}(r_i), \qquad \epsilon_{tr} = \frac{\epsilon}{1+\eta}.$$

The local step *is* an exact dual-descent step, with a smaller step size. Live:
*)
let epsTr = Reward.correctedStep settings.Eps step.Eta
let corrected = start.Reward |> Reward.correct settings.Eps step.Eta settings.Beta d
let residual (r: StateActionTable) =
    Table.maxAbsDiff step.Policy.LogProbabilities (Soft.optimal 1.0 mdp r).Policy.LogProbabilities
printfn "eps_tr = eps / (1 + eta) = %.6f" epsTr
printfn "max |log pi_tr - log SoftOptimal(corrected reward, 1)| = %.1e   <- the theorem" (residual corrected)
printfn "max |log pi_tr - log SoftOptimal(proposal, 1)|         = %.1e   <- without the correction" (residual proposal)
(*** include-output ***)
(**
## The invariant over a whole run

`Trirl.run` performs exactly these four steps per iteration. The invariant "$\pi_i$ is soft-optimal for $r_i$"
holds at every iteration of TRIRL (up to rounding), which is what makes the learned reward *global*: re-optimising it
from scratch reproduces the policy. The adversarial preset keeps the uncorrected proposal, and the invariant fails.
*)
/// max |log pi_i - log SoftOptimal(r_i, 1)| per iteration: zero when the reward explains the policy.
let residuals (history: TrirlIteration[]) =
    history |> Array.map (fun it -> Table.maxAbsDiff it.Policy.LogProbabilities (Soft.optimal 1.0 mdp it.Reward).Policy.LogProbabilities)

let trirl = (problem |> Trirl.run settings) |> Seq.take 40 |> Seq.toArray
let adversarial = (problem |> Trirl.run (Settings.adversarial 3.0 0.01)) |> Seq.take 40 |> Seq.toArray
let trirlResiduals, adversarialResiduals = residuals trirl, residuals adversarial
printfn "TRIRL:       largest residual over %d iterations = %.1e" trirl.Length (Array.max trirlResiduals)
printfn "adversarial: smallest residual over %d iterations = %.1e" adversarial.Length (Array.min adversarialResiduals)
(*** include-output ***)
let iterations (h: TrirlIteration[]) = h |> Array.map _.Iteration
let floorAt (xs: float[]) = xs |> Array.map (fun x -> max x 1e-17)      // a log axis cannot show an exact 0
[ Chart.Point(x = iterations trirl, y = floorAt trirlResiduals, Name = "TRIRL (corrected reward)")
  Chart.Point(x = iterations adversarial, y = floorAt adversarialResiduals, Name = "adversarial (no correction)") ]
|> Chart.combine
|> Charts.withAxes "Correction theorem, live: the kept reward explains the policy" (ChartAxis.linear "iteration")
    (ChartAxis.log "max |log pi_i - log SoftOptimal(r_i, 1)|")
|> Chart.withSize (Width = 720, Height = 440)
(*** include-it ***)
(**
$\eta$ is large while the trust region binds (early, when the proposal is far from the current policy) and falls
to 0 once the full step fits inside the region; then $\epsilon_{tr} = \epsilon$ and TRIRL coincides with MCE-IRL.
*)
trirl |> Array.map _.Metrics |> Charts.etaAndStep |> Chart.withSize (Width = 720, Height = 420)
(*** include-it ***)
(**
## The reward is a weighted sum of past log-ratios

Unrolling step 4 from $r_0 = 0$: $r_n = \sum_i w_i\, \beta\, D_i$ with $w_i = \epsilon_{tr,i} \prod_{j>i} (1-\epsilon_{tr,j})$. In
the deep version this is a buffer of past discriminators with these weights.
*)
let n = trirl.Length
let weights = Array.init n (fun i -> trirl.[i].EpsTr * (seq { i + 1 .. n - 1 } |> Seq.fold (fun acc j -> acc * (1.0 - trirl.[j].EpsTr)) 1.0))
let unrolled =
    Array.fold2 (fun (acc: StateActionTable) w (it: TrirlIteration) -> Table.affine 1.0 acc (w * settings.Beta) it.LogRatio)
        (Table.constant mdp.States mdp.Actions 0.0) weights trirl
printfn "max |r_%d - sum_i w_i beta D_i| = %.1e; the weights sum to %.4f" n (Table.maxAbsDiff unrolled (Array.last trirl).Reward) (Array.sum weights)
(*** include-output ***)
