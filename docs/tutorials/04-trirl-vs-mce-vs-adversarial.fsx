(**
---
title: 4. TRIRL, MCE-IRL and adversarial
category: Tutorials
categoryindex: 1
index: 4
---

# 4. TRIRL, MCE-IRL and adversarial imitation: one step function, three presets

The three algorithms differ only in the policy step and in which reward they keep (math note, section 8):

| algorithm | proposal | policy step | reward kept |
| --- | --- | --- | --- |
| MCE-IRL | $U_\epsilon$ | full solve ($\delta = \infty$, $\eta = 0$) | $U_\epsilon(r_i)$ |
| TRIRL | $U_\epsilon$ | trust region $\delta$ | corrected $U_{\epsilon/(1+\eta)}(r_i)$ |
| adversarial (GAIL-like) | $\epsilon = 1$ (latest log-ratio only) | trust region $\delta$ | $\tilde r$, no correction |

This notebook runs the three presets on one MDP and compares convergence, cost per iteration, and what happens
when the step $\epsilon\beta$ is large.
*)
(*** condition: prepare ***)
#load "../.load.fsx"
(** Namespaces: *)
open System.Diagnostics
open Plotly.NET
open Trirl.Functional              // the records (StateActionTable, Policy, TabularMdp, ...)
open Trirl.FSharp                  // the F# layer: curried functions of the math note (Soft, Occupancy, Dual, ...) and Charts
(**
The three presets on the gridworld and expert of notebooks 1-3, 60 iterations each, timed after a warm-up:
*)
let mdp = Mdp.gridworld 5 0.1
let beta = 3.0
let problem = mdp |> Expert.softOptimal beta
let presets =
    [ "TRIRL", Settings.trirl beta 0.05 0.002
      "MCE-IRL", Settings.mce beta 0.05
      "adversarial", Settings.adversarial beta 0.002 ]

// Warm up (JIT-compile) every code path once, so that the timings below measure the algorithms, not the compiler.
for _, settings in presets do (problem |> Trirl.run settings) |> Seq.take 10 |> Seq.iter ignore

let runs =
    presets
    |> List.map (fun (name, settings) ->
        let clock = Stopwatch.StartNew()
        let history = (problem |> Trirl.run settings) |> Seq.take 60 |> Seq.toArray
        name, history, clock.Elapsed.TotalMilliseconds / float history.Length)

printfn "%-12s %11s %13s %8s %11s %14s" "algorithm" "final gap" "KL to expert" "return" "ms / iter" "solves / iter"
for name, history, ms in runs do
    let last = Array.last history
    let solves = history |> Array.averageBy (fun it -> float it.Solves)
    printfn "%-12s %11.2e %13.4f %8.3f %11.2f %14.1f" name last.Gap last.KlToExpert last.NormalizedReturn ms solves
printfn "(milliseconds depend on the machine; solves do not)"
(*** include-output ***)
(**
## Convergence

The duality gap certifies convergence (notebook 2). TRIRL and MCE-IRL drive it towards zero; the adversarial preset
keeps only the latest log-ratio ($\epsilon = 1$), does not correct the reward, and settles at a gap of order
$10^{-1}$: its policy imitates well (return near the expert's), but its reward is not a dual solution.
*)
let metrics = runs |> List.map (fun (name, history, _) -> name, history |> Array.map _.Metrics |> Seq.ofArray)
Charts.compareGaps metrics |> Chart.withSize (Width = 720, Height = 440)
(*** include-it ***)
Charts.compareReturns metrics |> Chart.withSize (Width = 720, Height = 420)
(*** include-it ***)
(**
## Cost per iteration

The cost of an iteration is dominated by soft value iterations ("solves"). MCE-IRL pays one full solve per
iteration (plus a warm-started polish). TRIRL searches for $\eta$ while the trust region binds, one or two dozen cheap,
warm-started solves, and two solves once the full step fits. The adversarial preset jumps to the latest log-ratio
every time, so its trust region always binds. In the tabular case a full solve is cheap; in the deep version it is a
full RL run, which is what TRIRL's local step avoids.
*)
[ for name, history, _ in runs -> Chart.Line(x = (history |> Array.map _.Iteration), y = (history |> Array.map _.Solves), Name = name) ]
|> Chart.combine
|> Charts.withLabels "Cost per iteration" "iteration" "soft value iterations in the step"
|> Chart.withSize (Width = 720, Height = 420)
(*** include-it ***)
(**
## Step size: monotone against oscillating

With $\epsilon\beta \le 0.2$ the dual never increased in the runs of the math note (section 7); with
$\epsilon\beta$ of 1 or more it oscillates, and the full solve of MCE-IRL can diverge. The library warns about
large steps (`Settings.warnings`). Four runs of 60 iterations, plus MCE-IRL with $\epsilon\beta = 1.5$:
*)
let regimes =
    [ "TRIRL, eps*beta = 0.15", Settings.trirl beta 0.05 0.01
      "TRIRL, eps*beta = 1.5", Settings.trirl beta 0.5 0.01
      "MCE-IRL, eps*beta = 0.15", Settings.mce beta 0.05
      "MCE-IRL, eps*beta = 0.75", Settings.mce beta 0.25 ]

for name, settings in regimes do
    for warning in settings.Warnings do printfn "%s: warning: %s" name warning

let regimeRuns = regimes |> List.map (fun (name, settings) -> name, (problem |> Trirl.run settings) |> Seq.take 60 |> Seq.toArray)
for name, history in regimeRuns do
    let ups = history |> Array.pairwise |> Array.filter (fun (a, b) -> b.Dual > a.Dual + 1e-9) |> Array.length
    printfn "%-26s G increased in %2d of %d steps, final G %8.4f, final gap %.2e" name ups (history.Length - 1) (Array.last history).Dual (Array.last history).Gap
(*** include-output ***)
[ for name, history in regimeRuns -> Chart.Line(x = (history |> Array.map _.Iteration), y = (history |> Array.map _.Dual), Name = name) ]
|> Chart.combine
|> Charts.withAxes "Small steps descend monotonically; large steps oscillate" (ChartAxis.linear "iteration") (ChartAxis.log "dual G(r_i)")
|> Chart.withSize (Width = 760, Height = 460)
(*** include-it ***)
// MCE-IRL with eps*beta = 1.5: the rewards grow until the policy's occupancy underflows to 0 somewhere the expert goes.
let diverging = Settings.mce beta 0.5
let iterations = (problem |> Trirl.run diverging).GetEnumerator()
let duals = ResizeArray<float>()
let failure =
    try
        while duals.Count < 60 && iterations.MoveNext() do duals.Add iterations.Current.Dual
        None
    with e -> Some e.Message
printfn "G over the first iterations: %s ..." (duals |> Seq.truncate 8 |> Seq.map (sprintf "%.1f") |> String.concat ", ")
match failure with
| Some message -> printfn "stopped after %d iterations: %s" duals.Count message
| None -> printfn "ran %d iterations, final G %.1f" duals.Count duals.[duals.Count - 1]
(*** include-output ***)
(**
The trust region bounds TRIRL's oscillation (the dual stays near its optimum) but does not remove it; the safe
choice is a small $\epsilon$ with $\epsilon\beta \le 0.2$, where the gap falls monotonically.
*)
(**
## The same comparison as an F# pipeline

The notebooks call the C# API from F# as it is, to stay one-to-one with the math note. `Trirl.FSharp` also has
curried modules over the same functions (nothing re-implemented), for pipelines:
*)
let pipeline =
    let problem = Mdp.gridworld 5 0.1 |> Expert.softOptimal 3.0
    [ Settings.trirl 3.0 0.05 0.002; Settings.mce 3.0 0.05; Settings.adversarial 3.0 0.002 ]
    |> List.map (fun settings ->
        Settings.algorithmName settings, Trirl.run settings problem |> Seq.take 60 |> Seq.map _.Metrics |> Seq.toArray)

for name, history in pipeline do
    printfn "%-12s final gap %.2e" name (Array.last history).Gap
(*** include-output ***)
