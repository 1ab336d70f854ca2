(**
---
title: Learned against true rewards
category: Gallery
categoryindex: 2
index: 3
---

# Learned against true rewards

IRL identifies a reward only up to a constant and potential-based shaping, so the learned reward need not equal the
true one; what it must do is make the expert's behaviour optimal. Below, TRIRL's reward after 120 iterations on the
5x5 gridworld (goal bottom-right, traps at $-1$) and on the cliff walk, next to the true reward; the learned reward
re-optimised from scratch reproduces the learned policy (the correction theorem), and transfers to other dynamics.
*)
(*** condition: prepare ***)
#load "../.load.fsx"
(*** hide ***)
open Plotly.NET
open Trirl.Functional
open Trirl.Functional.Environments
open Trirl.FSharp

let learn (mdp: TabularMdp) =
    let problem = mdp |> Expert.softOptimal 3.0
    Trirl.run (Settings.trirl 3.0 0.05 0.01) problem |> Seq.take 120 |> Seq.last

let grid = GridShape(5, 5)
let gridMdp = Mdp.gridworld 5 0.1
let gridFinal = learn gridMdp
let truth = Mdp.reward gridMdp |> Option.get
(*** hide ***)
[ Charts.rewardHeatmap grid "true" truth |> Chart.withTraceInfo (Name = "true reward")
  Charts.rewardHeatmap grid "learned" gridFinal.Reward |> Chart.withTraceInfo (Name = "learned reward") ]
|> Chart.Grid(1, 2)
|> Chart.withTitle "Gridworld: true reward (left) and learned reward (right), per state"
|> Chart.withSize (Width = 860, Height = 420)
(*** include-it ***)
(*** hide ***)
Charts.rewardScatter gridFinal.Reward truth
|> Chart.withTitle "Gridworld: learned against true reward, one point per (s, a)"
|> Chart.withSize (Width = 640, Height = 460)
(*** include-it ***)
(*** hide ***)
[ Charts.policyHeatmap grid "expert" (Expert.policy (gridMdp |> Expert.softOptimal 3.0))
  Charts.policyHeatmap grid "re-optimised learned reward" (Soft.policy gridMdp gridFinal.Reward) ]
|> Chart.Grid(1, 2)
|> Chart.withTitle "Most likely action: the expert (left), SoftOptimal(learned reward) (right)"
|> Chart.withSize (Width = 860, Height = 420)
(*** include-it ***)
(**
Re-optimised under other slip probabilities, the learned reward still leads to the goal; the normalised return
(expert on the same dynamics = 1, uniform = 0) of `SoftOptimal(3 r_learned)`:
*)
(*** hide ***)
let slips = [| 0.0; 0.1; 0.2; 0.3; 0.4 |]
let transfer = slips |> Array.map (fun slip -> (gridFinal.Reward |> Reuse.reoptimize 3.0 (Mdp.gridworld 5 slip)).NormalizedReturn)
Chart.Line(x = slips, y = transfer, Name = "learned reward, re-optimised", ShowMarkers = true)
|> Chart.withXAxisStyle (TitleText = "slip probability of the new dynamics (learned at 0.1)")
|> Chart.withYAxisStyle (TitleText = "normalised return", MinMax = (0.0, 1.1))
|> Chart.withTitle "Transfer: the learned reward under other dynamics"
|> Chart.withSize (Width = 760, Height = 420)
(*** include-it ***)
(*** hide ***)
let cliff = Mdp.cliff 0.1
Charts.rewardScatter (learn cliff).Reward (Mdp.reward cliff |> Option.get)
|> Chart.withTitle "Cliff walk: learned against true reward"
|> Chart.withSize (Width = 640, Height = 460)
(*** include-it ***)
(**
The code of this page is `docs/gallery/learned-vs-true.fsx` in the repository.
*)
