(**
---
title: 1. Maximum-entropy RL
category: Tutorials
categoryindex: 1
index: 1
---

# 1. Maximum-entropy RL: soft value iteration, temperature, occupancy measures

Inverse RL asks which reward makes an expert's behaviour optimal. TRIRL answers it in the *maximum-entropy*
setting, where "optimal" means soft-optimal: the policy maximises reward plus entropy. This notebook builds the
three objects everything else rests on, with the library `Trirl.Functional` (immutable records and pure functions
named after [the math note](../trirl-math.md)) and the charts of `Trirl.FSharp`:

1. the **soft-optimal policy** of a reward, by soft value iteration;
2. the **temperature** that trades reward against entropy;
3. the **occupancy measure** of a policy, the quantity IRL matches.

Everything runs in a second on a 5x5 gridworld.
*)
(*** condition: prepare ***)
#load "../.load.fsx"
(** Namespaces: *)
open Plotly.NET
open Trirl.Functional              // the records (StateActionTable, Policy, TabularMdp, ...)
open Trirl.Functional.Environments
open Trirl.FSharp                  // the F# layer: curried functions of the math note (Soft, Occupancy, Dual, ...) and Charts
(**
## A small MDP

A 5x5 slippery gridworld: 25 cells numbered row by row from the top-left start, four moves (up, down, left, right)
that succeed with probability $0.9$ and slip to one of the other three with $0.1/3$ each, discount $\gamma = 0.9$.
The true reward is $+1$ in the goal (bottom-right), $-1$ in a few traps, $0$ elsewhere; nothing is absorbing.
*)
let mdp = Mdp.gridworld 5 0.1
let grid = GridShape(5, 5)
let reward = mdp.RequireReward "the examples"
printfn "%s: %d states, %d actions, gamma = %g, %d transition entries" mdp.Name mdp.States mdp.Actions mdp.Gamma mdp.TransitionCount
(*** include-output ***)
Charts.rewardHeatmap grid "True reward r(s): goal +1, traps -1" reward
|> Chart.withSize (Width = 520, Height = 440)
(*** include-it ***)
(**
## Soft value iteration

The soft Bellman equations at temperature $\tau$ replace the max over actions by a log-sum-exp:

$$Q(s,a) = r(s,a) + \gamma \sum_{s'} P(s' \mid s,a)\, V(s')$$

$$V(s) = \tau \log \sum_a \exp\big(Q(s,a)/\tau\big), \qquad \log \pi(a \mid s) = \frac{Q(s,a) - V(s)}{\tau}$$

The backup is a $\gamma$-contraction, so iterating it from $V = 0$ converges; `Soft.optimal tau mdp r`
returns the fixed point (always in log space, so that no exponential overflows).
*)
let soft = Soft.optimal 1.0 mdp reward
printfn "converged in %d sweeps (last change %.1e); V(start) = %.4f, V(goal) = %.4f" soft.Iterations soft.Residual soft.V.[0] soft.V.[24]

// The fixed point, checked by hand with the transition lists: one more backup changes nothing.
let backup s a = reward.[s, a] + mdp.Gamma * (mdp.TransitionsOf(s, a) |> Seq.sumBy (fun t -> t.Probability * soft.V.[t.Next]))
let logSumExp (xs: float seq) = let m = Seq.max xs in m + log (xs |> Seq.sumBy (fun x -> exp (x - m)))
let pairs = [ for s in 0 .. mdp.States - 1 do for a in 0 .. mdp.Actions - 1 -> s, a ]
printfn "max |backup(Q) - Q|      = %.1e" (pairs |> List.map (fun (s, a) -> abs (backup s a - soft.Q.[s, a])) |> List.max)
printfn "max |logsumexp Q - V|    = %.1e" ([ for s in 0 .. mdp.States - 1 -> abs (logSumExp [ for a in 0 .. 3 -> soft.Q.[s, a] ] - soft.V.[s]) ] |> List.max)
(*** include-output ***)
Charts.stateHeatmap grid "Soft value V(s) at tau = 1" soft.V
|> Chart.withSize (Width = 520, Height = 440)
(*** include-it ***)
(**
## Temperature

The temperature sets how much entropy is worth. As $\tau \to 0$ the log-sum-exp becomes a max and the policy
greedy; as $\tau \to \infty$ the policy becomes uniform (entropy $\log 4$ per state). Dividing reward and temperature
by the same factor changes nothing, $\mathrm{SoftOptimal}(r, \tau) = \mathrm{SoftOptimal}(r/\tau, 1)$, which is why
the IRL objective can fix $\tau = 1$ and let the reward's scale carry the temperature.

Below: the expected reward $\sum_{s,a} \rho_\pi(s,a)\, r(s,a)$ and the causal entropy
$\sum_s \rho_\pi(s)\, \mathcal{H}(\pi(\cdot \mid s))$ of the soft-optimal policy, for temperatures from 0.03 to 10.
*)
let temperatures = [| 0.03; 0.1; 0.3; 1.0; 3.0; 10.0 |]

/// Expected reward and causal entropy of SoftOptimal(r, tau).
let atTemperature tau =
    let policy = (Soft.optimal tau mdp reward).Policy
    let rho = Occupancy.ofPolicy mdp policy
    let stateRho = Table.rowSums rho
    let entropy = Seq.sum (seq { for s in 0 .. mdp.States - 1 -> stateRho.[s] * policy.Entropy s })
    Return.expected reward rho, entropy

let sweep = temperatures |> Array.map atTemperature
for tau, (ret, entropy) in Array.zip temperatures sweep do
    printfn "tau %5.2f   expected reward %+.4f   causal entropy %.4f   (uniform: %.4f)" tau ret entropy (log 4.0)
(*** include-output ***)
[ Chart.Line(x = temperatures, y = Array.map fst sweep, Name = "expected reward", ShowMarkers = true)
  Chart.Line(x = temperatures, y = Array.map snd sweep, Name = "causal entropy", ShowMarkers = true) ]
|> Chart.combine
|> Chart.withXAxisStyle (TitleText = "temperature tau", AxisType = StyleParam.AxisType.Log)
|> Chart.withTitle "Reward against entropy: the temperature decides"
|> Chart.withSize (Width = 720, Height = 420)
(*** include-it ***)
// Scale invariance, live: temperature 0.3 on r is temperature 1 on r / 0.3.
let direct = (Soft.optimal 0.3 mdp reward).Policy
let scaled = (Soft.optimal 1.0 mdp (Table.scale (1.0 / 0.3) reward)).Policy
printfn "max |log pi(r, 0.3) - log pi(r / 0.3, 1)| = %.1e" (Table.maxAbsDiff direct.LogProbabilities scaled.LogProbabilities)
(*** include-output ***)
(**
## Occupancy measures

The (normalised, discounted) occupancy of a policy is how often it visits each state-action pair:

$$\rho_\pi(s,a) = (1-\gamma) \sum_{t \ge 0} \gamma^t \Pr(s_t = s, a_t = a), \qquad \sum_{s,a} \rho_\pi(s,a) = 1.$$

It solves a linear system, $(I - \gamma P_\pi^\top)\, d = (1-\gamma)\, p_0$ with $\rho(s,a) = d(s)\,\pi(a \mid s)$,
and every expectation along trajectories is linear in it; IRL will *match* occupancies. It also states what
soft-optimality means: with $\tau = 1$, the soft-optimal policy $\pi_r$ maximises

$$\sum_{s,a} \rho_\pi(s,a)\,\big(r(s,a) - \log \pi(a \mid s)\big) \quad\text{with maximum}\quad (1-\gamma)\, p_0 \cdot V_r .$$
*)
let rho = Occupancy.ofPolicy mdp soft.Policy
printfn "sum of rho = %.15f" (Table.sum rho)

/// sum rho_pi (r - log pi): the max-ent RL objective of a policy.
let maxEntObjective (policy: Policy) =
    let rho = Occupancy.ofPolicy mdp policy
    pairs |> List.sumBy (fun (s, a) -> rho.[s, a] * (reward.[s, a] - policy.LogProbabilities.[s, a]))

let bound = (1.0 - mdp.Gamma) * Seq.sum (Seq.map2 ( * ) mdp.Initial soft.V)
printfn "soft-optimal policy: %.12f" (maxEntObjective soft.Policy)
printfn "(1 - gamma) p0 . V:  %.12f" bound
printfn "uniform policy:      %.12f   (lower, as it must be)" (maxEntObjective (Policy.uniformOn mdp))
(*** include-output ***)
// Where the policy spends its time: cold (nearly greedy) against hot (nearly uniform).
let occupancyAt tau = Occupancy.ofPolicy mdp (Soft.optimal tau mdp reward).Policy
[ Charts.occupancyHeatmap grid "tau = 0.1" (occupancyAt 0.1) |> Chart.withTraceInfo (Name = "tau = 0.1")
  Charts.occupancyHeatmap grid "tau = 3" (occupancyAt 3.0) |> Chart.withTraceInfo (Name = "tau = 3") ]
|> Chart.Grid(1, 2)
|> Chart.withTitle "State occupancy rho(s) at tau = 0.1 (left) and tau = 3 (right)"
|> Chart.withSize (Width = 820, Height = 420)
(*** include-it ***)
(**
## What comes next

An expert is a soft-optimal policy for an unknown reward; all IRL sees is its occupancy $\rho_E$. Notebook 2
writes "find the reward" as a convex dual problem and solves it by dual descent (MCE-IRL); notebook 3 replaces the
full solve per step by a trust-region step and the reward correction of TRIRL; notebook 4 compares the three
algorithms that share that step. Notebook 6 is this notebook in C#.
*)
