(**
---
title: 2. Dual descent
category: Tutorials
categoryindex: 1
index: 2
---

# 2. Dual descent: the primal, the dual $G(r)$, weak duality, and MCE-IRL

IRL as distribution matching: find a high-entropy policy whose occupancy is close to the expert's $\rho_E$. The
**primal** (maximised) is

$$P(\pi) = \sum_s \rho_\pi(s)\, \mathcal{H}(\pi(\cdot \mid s)) \; - \; \beta\, \mathrm{KL}(\rho_\pi \,\|\, \rho_E),$$

and its **Lagrangian dual** in the reward $r$ (minimised) is

$$G(r) = (1-\gamma)\, p_0 \cdot V_r \; + \; \beta \log \sum_{s,a} \rho_E(s,a)\, e^{-r(s,a)/\beta},$$

with $V_r$ the soft value of $r$ at temperature 1 (notebook 1). $\beta$ weighs matching against entropy; it is the
inverse of an RL library's entropy coefficient. This notebook checks weak duality, $G(r) \ge P(\pi)$ for every $r$
and $\pi$, differentiates $G$, runs MCE-IRL as descent on $G$, and reads the **duality gap**
$G(r) - P(\pi_r)$ as a certificate of convergence.
*)
(*** condition: prepare ***)
#load "../.load.fsx"
(** Namespaces: *)
open System
open Plotly.NET
open Trirl.Functional              // the records (StateActionTable, Policy, TabularMdp, ...)
open Trirl.Functional.Environments
open Trirl.FSharp                  // the F# layer: curried functions of the math note (Soft, Occupancy, Dual, ...) and Charts
(**
## The problem

The expert is soft-optimal for $3\, r_{\text{true}}$ on the 5x5 gridworld of notebook 1; the learner sees only its
exact occupancy $\rho_E$. `Expert.softOptimal` builds both (and keeps the true reward for scoring).
*)
let mdp = Mdp.gridworld 5 0.1
let grid = GridShape(5, 5)
let beta = 3.0
let problem = mdp |> Expert.softOptimal 3.0     // expert: SoftOptimal(3 r_true, 1)
let rhoE = problem.ExpertOccupancy
printfn "expert occupancy: %d x %d, sums to %.12f, smallest entry %.2e" rhoE.States rhoE.Actions (Table.sum rhoE) (rhoE.Min())
(*** include-output ***)
(**
## Weak duality, live

For *any* reward and *any* policy, $G(r) \ge P(\pi)$. Below: 200 random rewards paired with 200 random policies.
Every point lies above the diagonal. (Random pairs are far from tight: the bound closes only at the optimum, as the
gap of the MCE-IRL run below shows.)
*)
let rng = Random(7)
let randomTable scale = Table.create mdp.States mdp.Actions (fun _ _ -> scale * (2.0 * rng.NextDouble() - 1.0))
let samples =
    Array.init 200 (fun _ ->
        let r = randomTable 2.0
        let pi = Policy.ofLogits (randomTable 3.0)
        Primal.objective mdp rhoE beta pi, Dual.objective mdp rhoE beta r)
let slack = samples |> Array.map (fun (p, g) -> g - p)
printfn "min over 200 random pairs of G(r) - P(pi) = %.4f  (weak duality: never negative)" (Array.min slack)
(*** include-output ***)
let lo = samples |> Array.map fst |> Array.min
let hi = samples |> Array.map snd |> Array.max
[ Chart.Point(x = Array.map fst samples, y = Array.map snd samples, Name = "(P(pi), G(r))")
  Chart.Line(x = [ lo; hi ], y = [ lo; hi ], Name = "G = P") ]
|> Chart.combine
|> Charts.withLabels "Weak duality: every dual value bounds every primal value" "primal P(pi) of a random policy" "dual G(r) of a random reward"
|> Chart.withSize (Width = 720, Height = 460)
(*** include-it ***)
(**
## The dual's shape: invariance and gradient

$G(r + c) = G(r)$ for a constant $c$: rewards are identified only up to a constant (and, as notebook 3 shows, up to
potential-based shaping). The gradient is a difference of two distributions,

$$\frac{\partial G}{\partial r(s,a)} = \rho_{\pi_r}(s,a) - \frac{\rho_E(s,a)\, e^{-r(s,a)/\beta}}{\sum_{s',a'} \rho_E(s',a')\, e^{-r(s',a')/\beta}},$$

the occupancy of the soft-optimal policy minus an exponentially tilted expert occupancy; it vanishes exactly when
the two match. `Dual.gradient` computes it; a central finite difference agrees.
*)
let r0 = randomTable 1.0
printfn "G(r) = %.12f   G(r + 5) = %.12f" (Dual.objective mdp rhoE beta r0) (Dual.objective mdp rhoE beta (Table.map (fun x -> x + 5.0) r0))

let gradient = Dual.gradient mdp rhoE beta r0
let h = 1e-5
let bumped (s, a) by = Table.create mdp.States mdp.Actions (fun s' a' -> r0.[s', a'] + (if (s', a') = (s, a) then by else 0.0))
let finiteDifference (s, a) =
    (Dual.objective mdp rhoE beta (bumped (s, a) h) - Dual.objective mdp rhoE beta (bumped (s, a) (-h))) / (2.0 * h)
for s, a in [ 0, 3; 12, 1; 24, 0 ] do
    printfn "dG/dr(%2d,%d): formula %+.9f   finite difference %+.9f" s a gradient.[s, a] (finiteDifference (s, a))
printfn "sum of the gradient = %.1e (both terms are distributions)" (Table.sum gradient)
(*** include-output ***)
(**
## MCE-IRL is dual descent

With the log density ratio $D_i = \log \rho_E - \log \rho_{\pi_i}$, classical MCE-IRL updates the reward in
function space and re-solves the policy:

$$r_{i+1} = U_\epsilon(r_i) = (1-\epsilon)\, r_i + \epsilon\, \beta\, D_i, \qquad \pi_{i+1} = \mathrm{SoftOptimal}(r_{i+1}, 1).$$

Its fixed points are the optimality condition $r^\star = \beta \log(\rho_E / \rho_{\pi^\star}) + \text{const}$, and for
small steps ($\epsilon\beta \le 0.2$, math note section 7) every step lowers $G$. In the library MCE-IRL is a preset
of the one step function (`Settings.mce`: a full solve, no trust region), and the learner is a lazy sequence.
*)
let history = (problem |> Trirl.run (Settings.mce beta 0.05)) |> Seq.take 80 |> Seq.toArray
for it in history |> Array.filter (fun it -> it.Iteration % 10 = 0) do
    printfn "%3d   G %.6f   P %.6f   gap %.2e   KL(rho_pi || rho_E) %.4f" it.Iteration it.Dual it.Primal it.Gap it.KlToExpert
let increases = history |> Array.pairwise |> Array.filter (fun (a, b) -> b.Dual > a.Dual + 1e-12) |> Array.length
printfn "G increased in %d of %d steps" increases (history.Length - 1)
(*** include-output ***)
history |> Array.map _.Metrics |> Charts.dualAndPrimal |> Chart.withSize (Width = 720, Height = 420)
(*** include-it ***)
(**
## The gap is the certificate

Weak duality makes $G(r_i) - P(\pi_i) \ge 0$ a bound on how far *both* the reward and the policy are from optimal,
computable at every iteration without knowing the optimum. It goes to zero. The KL to the expert does **not**: with
a finite $\beta$ the optimum keeps some entropy, so "KL reached 0" is the wrong stopping test.
*)
history |> Array.map _.Metrics |> Charts.gap |> Chart.withSize (Width = 720, Height = 420)
(*** include-it ***)
let last = Array.last history
printfn "gap of the run, iteration %d:  %.6e" last.Iteration last.Gap
printfn "gap recomputed from r alone:    %.6e" (Dual.gap mdp rhoE beta last.Reward)
printfn "KL to the expert:               %.4f   (stays > 0 with finite beta)" last.KlToExpert
printfn "normalised return:              %.4f   (expert = 1, uniform = 0)" last.NormalizedReturn

// Optimality condition: r - beta D is (nearly) constant at the optimum.
let shift = Table.affine 1.0 last.Reward -beta (LogRatio.exact rhoE last.Occupancy)
printfn "r - beta D ranges over [%.4f, %.4f]" (shift.Min()) (shift.Max())
(*** include-output ***)
// The learned reward recovers the true one up to scale, shaping and a constant.
Charts.rewardScatter last.Reward (mdp.RequireReward "scoring") |> Chart.withSize (Width = 620, Height = 460)
(*** include-it ***)
(**
Each MCE-IRL step above solved a full (soft) RL problem. Notebook 3 replaces that solve by a local trust-region
step and shows how TRIRL corrects the reward so that the local step is *still* exact dual descent.
*)
