(**
---
title: The gap going to zero
category: Gallery
categoryindex: 2
index: 1
---

# The gap going to zero

The duality gap $G(r_i) - P(\pi_i)$ bounds how far a run is from the optimum, without knowing the optimum
([tutorial 2](../tutorials/02-dual-descent.html)). TRIRL and MCE-IRL drive it to zero on every MDP; adversarial
imitation keeps only the latest log-ratio and stalls. Three MDPs, the three presets of one step function,
$\beta = 3$, $\epsilon = 0.05$, $\delta = 0.01$, 150 iterations each (log scale).
*)
(*** condition: prepare ***)
#load "../.load.fsx"
(*** hide ***)
open Plotly.NET
open Trirl.FSharp

let compare (mdp: Trirl.Functional.TabularMdp) =
    let problem = mdp |> Expert.softOptimal 3.0
    [ Settings.trirl 3.0 0.05 0.01; Settings.mce 3.0 0.05; Settings.adversarial 3.0 0.01 ]
    |> List.map (fun settings -> Settings.algorithmName settings, Trirl.run settings problem |> Seq.take 150 |> Seq.map Trirl.metrics |> Seq.toArray |> Seq.ofArray)
    |> Charts.compareGaps
    |> Chart.withTitle (sprintf "Duality gap on %s" mdp.Name)
    |> Chart.withSize (Width = 760, Height = 420)
(*** hide ***)
compare (Mdp.gridworld 5 0.1)
(*** include-it ***)
(*** hide ***)
compare (Mdp.cliff 0.1)
(*** include-it ***)
(*** hide ***)
compare (Mdp.garnet 50 4 5 0L)
(*** include-it ***)
(**
The code of this page is `docs/gallery/gap-to-zero.fsx` in the repository; the tutorials show the same calls with
their output.
*)
