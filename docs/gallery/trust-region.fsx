(**
---
title: The trust region at work
category: Gallery
categoryindex: 2
index: 2
---

# The trust region at work

Each TRIRL step moves the policy only as far as the trust region allows: the step is soft-optimal for the proposal
plus $\eta \log \pi_i$ at temperature $1 + \eta$, and $\eta$ is chosen so that the causal KL to the old policy equals
$\delta$ ([tutorial 3](../tutorials/03-trust-region-and-correction.html)). The KL falls as $\eta$ grows; the marker is
the $\eta$ the library found, on the line $\mathrm{KL} = \delta$.
*)
(*** condition: prepare ***)
#load "../.load.fsx"
(*** hide ***)
open Plotly.NET
open Trirl.Functional
open Trirl.FSharp

let problem = Mdp.gridworld 5 0.1 |> Expert.softOptimal 3.0
let mdp = problem.Mdp
let history delta = Trirl.run (Settings.trirl 3.0 0.05 delta) problem |> Seq.take 60 |> Seq.toArray
let etas = Array.init 41 (fun k -> 10.0 ** (-2.0 + 0.1 * float k))

/// The KL of the closed-form step against eta at one iteration of a run with radius delta, and the eta found.
let klCurve delta (state: TrirlIteration) (name: string) =
    let settings = Settings.trirl 3.0 0.05 delta
    let d = Irl.LogRatio(problem.ExpertOccupancy, state.Occupancy)
    let proposal = Irl.ProposeReward(state.Reward, d, settings.Eps, settings.Beta)
    let stepAt eta = Irl.SoftOptimal(mdp, StateActionTable.Affine(1.0, proposal, eta, state.Policy.LogProbabilities), 1.0 + eta).Policy
    let step = Irl.TrustRegionStep(mdp, proposal, state.Policy, delta)
    [ Chart.Line(x = etas, y = (etas |> Array.map (fun eta -> Irl.CausalKl(mdp, stepAt eta, state.Policy))), Name = name)
      Chart.Point(x = [ step.Eta ], y = [ step.Kl ], Name = name + ": eta found", ShowLegend = false) ]
    |> Chart.combine
(*** hide ***)
let run = history 0.01
[ klCurve 0.01 (Trirl.start (Settings.trirl 3.0 0.05 0.01) problem) "iteration 0"
  klCurve 0.01 run.[4] "iteration 5"
  klCurve 0.01 run.[14] "iteration 15"
  Chart.Line(x = [ etas.[0]; Array.last etas ], y = [ 0.01; 0.01 ], Name = "delta = 0.01") ]
|> Chart.combine
|> Charts.withAxes "The step's KL against eta, early and later in a run" (ChartAxis.log "eta") (ChartAxis.log "causal KL(pi_eta || pi_i)")
|> Chart.withSize (Width = 760, Height = 460)
(*** include-it ***)
(**
While the region binds, $\eta > 0$ and the kept step is smaller than proposed: $\epsilon_{tr} = \epsilon / (1 + \eta)$.
Once the full step fits, $\eta = 0$ and TRIRL takes MCE-IRL's step. A smaller radius binds longer:
*)
(*** hide ***)
[ for delta in [ 0.002; 0.01; 0.05 ] ->
    let h = history delta
    Chart.Line(x = (h |> Array.map _.Iteration), y = (h |> Array.map _.EpsTr), Name = sprintf "delta = %g" delta) ]
|> Chart.combine
|> Charts.withLabels "The corrected step size per iteration (eps = 0.05)" "iteration" "eps_tr = eps / (1 + eta)"
|> Chart.withSize (Width = 760, Height = 420)
(*** include-it ***)
(*** hide ***)
run |> Array.map Trirl.metrics |> Charts.etaAndStep |> Chart.withSize (Width = 760, Height = 420)
(*** include-it ***)
(**
The code of this page is `docs/gallery/trust-region.fsx` in the repository.
*)
