(**
---
title: Learning curves with intervals
category: Gallery
categoryindex: 2
index: 4
---

# Learning curves with intervals

With samples instead of exact occupancies, a run depends on its seed: the demonstrations, the rollouts and the
discriminator that estimates $D = \log \rho_E - \log \rho_\pi$ are all random. One curve per algorithm is then a
statement about many runs: below, the interquartile mean (IQM) over 8 seeds of the normalised return per iteration,
with its 95% percentile-bootstrap interval (2,000 resamples, `Trirl.Experiments.StratifiedBootstrap`, the method of
rliable). The sample-based learner on the 5x5 gridworld: 20 expert demonstrations of 30 steps, 10 rollouts per
iteration, $\beta = 3$, $\epsilon = 0.05$, $\delta = 0.01$.
*)
(*** condition: prepare ***)
#load "../.load.fsx"
#r "../../src/Trirl.Experiments/bin/Release/net10.0/Trirl.Experiments.dll"
(*** hide ***)
open Plotly.NET
open Trirl.FSharp
open Trirl.Experiments

let seeds = [ 0L .. 7L ]
let iterations = 30
let mdp = Mdp.gridworld 5 0.1

/// Normalised return per iteration (rows) and seed (columns) of one preset with the sample-based log-ratio.
let returns (settings: Trirl.Functional.TrirlSettings) =
    let runs =
        seeds
        |> List.map (fun seed ->
            let problem = mdp |> Expert.softOptimal 3.0 |> Expert.withDemonstrations 20 30 seed
            Trirl.run (settings |> Settings.sampled 10 30 seed) problem |> Seq.take iterations |> Seq.map _.NormalizedReturn |> Seq.toArray)
    Array.init iterations (fun i -> runs |> List.map (fun r -> r.[i]) |> Array.ofList)

/// IQM and 95% interval per iteration.
let intervals (perIteration: float[][]) =
    perIteration
    |> Array.map (fun scores -> StratifiedBootstrap.Interval([| scores :> System.Collections.Generic.IReadOnlyList<float> |], (fun s -> StratifiedBootstrap.PooledIqm s), BootstrapSettings(seed = 0L)))

let palette = [| "31,119,180"; "255,127,14"; "44,160,44" |]

/// A line with its interval as a band of the same colour.
let band (i: int) (name: string) (xs: int[]) (estimates: IntervalEstimate[]) =
    let line = Color.fromString (sprintf "rgb(%s)" palette.[i])
    let fill = Color.fromString (sprintf "rgba(%s,0.2)" palette.[i])
    let edge = Color.fromString "rgba(0,0,0,0)"
    [ Chart.Line(x = xs, y = (estimates |> Array.map _.High), LineColor = edge, ShowLegend = false, Name = name + " 97.5%")
      Chart.Line(x = xs, y = (estimates |> Array.map _.Low), LineColor = edge, Fill = StyleParam.Fill.ToNext_y, FillColor = fill, ShowLegend = false, Name = name + " 2.5%")
      Chart.Line(x = xs, y = (estimates |> Array.map _.Point), LineColor = line, Name = name + " (IQM)") ]
    |> Chart.combine

let presets = [ "TRIRL", Settings.trirl 3.0 0.05 0.01; "adversarial", Settings.adversarial 3.0 0.01 ]
let results = presets |> List.map (fun (name, settings) -> name, returns settings)
(*** hide ***)
let xs = Array.init iterations (fun i -> i + 1)
results
|> List.mapi (fun i (name, perIteration) -> band i name xs (intervals perIteration))
|> Chart.combine
|> Charts.withLabels "Sample-based learners: IQM over 8 seeds with 95% bootstrap intervals" "iteration" "normalised return (expert = 1, uniform = 0)"
|> Chart.withSize (Width = 760, Height = 460)
(*** include-it ***)
(**
Every seed's curve, to see what the interval summarises:
*)
(*** hide ***)
[ for i, (name, perIteration) in List.indexed results do
      for k in 0 .. seeds.Length - 1 ->
          Chart.Line(x = xs, y = (perIteration |> Array.map (fun scores -> scores.[k])), Name = name, ShowLegend = (k = 0),
                     LineColor = Color.fromString (sprintf "rgba(%s,0.6)" palette.[i])) ]
|> Chart.combine
|> Charts.withLabels "The runs behind the intervals, one line per seed" "iteration" "normalised return"
|> Chart.withSize (Width = 760, Height = 420)
(*** include-it ***)
(**
The deep learners report the same statistics over seeds and tasks (`trirl sweep aggregate`, see
`docs/sweeps.md`). The code of this page is `docs/gallery/learning-curves.fsx` in the repository.
*)
