// The TRIRL paper's discrete experiment (docs/tabular-experiment.md): the icy 5x5 gridworld (slip 0.2, start in cell 0,
// absorbing goal in cell 24, reward -1 per step, gamma 0.99), state-only rewards, beta 50, eps 0.01, 300 iterations.
// Runs TRIRL with the paper's fixed eta = 0.1 and with a searched eta (delta 1e-3), MCE-IRL and adversarial imitation,
// exactly and sample-based (200 expert trajectories, 5 seeds), and plots KL(rho_pi || rho_E) and the dual G(r)
// against the iterations.
//
//   dotnet build fsharp/Trirl.FSharp -c Release     # once, from the repository root
//   dotnet fsi fsharp/scripts/icy-gridworld.fsx      # writes runs/scripts/icy-gridworld.html (and .csv)

// ---- loading block: the library and the packages its DLLs need -------------------------------------------------
#r "nuget: Plotly.NET, 6.0.0"
#r "nuget: System.Numerics.Tensors, 10.0.0"
#r "../Trirl.FSharp/bin/Release/net10.0/Trirl.Functional.dll"
#r "../Trirl.FSharp/bin/Release/net10.0/Trirl.FSharp.dll"
// ---- end of loading block ---------------------------------------------------------------------------------------

open System.Diagnostics
open System.IO
open System.Text
open Trirl.Functional
open Trirl.Functional.Environments
open Trirl.FSharp
open Plotly.NET

let clock = Stopwatch.StartNew()
let mdp = IcyGridworld.Create()                               // icy:5, slip 0.2, gamma 0.99
let problem = mdp |> Expert.softOptimal 1.0                   // the paper's expert: soft value iteration at temperature 1
let beta, eps, iterations = 50.0, 0.01, 300
let seeds = [ 0L .. 4L ]
let demos, rollouts, episodeSteps = 200, 100, 100             // episodes cut at 100 steps (gamma^100 = 0.37)

let algorithms =
    [ "trirl (eta 0.1)", Settings.trirl beta eps 1e-3 |> fun s -> s.WithFixedEta 0.1
      "trirl (delta 1e-3)", Settings.trirl beta eps 1e-3
      "mce", Settings.mce beta eps
      "adversarial", Settings.adversarial beta 1e-3 ]
    |> List.map (fun (name, s) -> name, s.WithStateRewards true)

let run (settings: TrirlSettings) (problem: TrirlProblem) =
    problem |> Trirl.run settings |> Seq.take iterations |> Seq.map Trirl.metrics |> Seq.toArray

let exact = [ for name, s in algorithms -> name, run s problem ]

/// The mean over seeds of a metric at each iteration, as metrics records (the charts read `KlToExpert` and `Dual`).
let meanOver (histories: IterationMetrics[] list) =
    let n = float histories.Length
    Array.init iterations (fun i ->
        let avg (f: IterationMetrics -> float) = histories |> List.sumBy (fun h -> f h.[i]) |> fun x -> x / n
        let h = histories.Head.[i]
        IterationMetrics(h.Iteration, avg _.Dual, avg _.Primal, avg _.Gap, avg _.Eta, avg _.EpsTr, avg _.StepKl, avg _.KlToExpert, avg _.NormalizedReturn))

let sampled =
    [ for name, s in algorithms ->
          let perSeed =
              [ for seed in seeds ->
                    let p = problem |> Expert.withDemonstrations demos episodeSteps seed
                    run (s |> Settings.sampled rollouts episodeSteps (seed + 100L)) p ]
          name + " (sampled)", perSeed ]

/// Iterations at which the dual went up by more than 1e-9 (rounding).
let increases (h: IterationMetrics[]) = h |> Array.pairwise |> Array.filter (fun (a, b) -> b.Dual > a.Dual + 1e-9) |> Array.length

printfn "%-32s %10s %10s %9s %10s %8s" "run" "dual_0" "dual_300" "dual up" "KL_300" "return"
for name, h in exact do
    let last = Array.last h
    printfn "%-32s %10.5f %10.5f %9d %10.2e %8.3f" name h.[0].Dual last.Dual (increases h) last.KlToExpert last.NormalizedReturn
for name, perSeed in sampled do
    let lasts = perSeed |> List.map Array.last
    printfn "%-32s %10.5f %10.5f %9.1f %10.2e %8.3f" name (perSeed |> List.averageBy (fun h -> h.[0].Dual)) (lasts |> List.averageBy _.Dual)
        (perSeed |> List.averageBy (increases >> float)) (lasts |> List.averageBy _.KlToExpert) (lasts |> List.averageBy _.NormalizedReturn)

let sampledMeans = [ for name, perSeed in sampled -> name, meanOver perSeed ]
let series = exact @ sampledMeans
let asSeq runs = runs |> List.map (fun (n: string, h: IterationMetrics[]) -> n, Seq.ofArray h)
// The dual's distance to the best value any run reached (the exact runs agree on it to 1e-9), so that a log axis shows
// both TRIRL's small monotone steps and the adversarial preset's oscillation.
let best = series |> List.collect (fun (_, h) -> h |> Array.map _.Dual |> Array.toList) |> List.min
let gap (m: IterationMetrics) = m.Dual - best + 1e-12
let sized (chart: GenericChart) = chart |> Chart.withSize (Width = 900, Height = 450)
let charts =
    [ Charts.compareMetric "Exact: KL(rho_pi || rho_E) of state occupancies" "KL (log scale)" true _.KlToExpert (asSeq exact) |> sized
      Charts.compareMetric "Exact: dual G(r) above the best value reached (1e-12 added)" "G(r) - min G (log scale)" true gap (asSeq exact) |> sized
      Charts.compareMetric "Sampled (mean of 5 seeds): KL(rho_pi || rho_E) of state occupancies" "KL (log scale)" true _.KlToExpert (asSeq sampledMeans) |> sized
      Charts.compareMetric "Sampled (mean of 5 seeds): dual G(r) above the best value reached" "G(r) - min G (log scale)" true gap (asSeq sampledMeans) |> sized ]
let outDir = Path.Combine(__SOURCE_DIRECTORY__, "..", "..", "runs", "scripts")
let preamble =
    sprintf "icy 5x5 (slip 0.2, gamma 0.99), state rewards, beta %g, eps %g, %d iterations\nsampled: %d demonstrations, %d rollouts per iteration, episodes of %d steps, mean over seeds 0-4\nbest dual reached %.12f"
        beta eps iterations demos rollouts episodeSteps best
Charts.writeAtomic (Path.Combine(outDir, "icy-gridworld.html")) (Charts.toHtmlPage "The paper's icy gridworld" preamble charts)
let csv = StringBuilder("run,iteration,dual,kl_to_expert,gap,eta\n")
for name, h in series do
    for it in h do csv.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, "{0},{1},{2:R},{3:R},{4:R},{5:R}\n", name, it.Iteration, it.Dual, it.KlToExpert, it.Gap, it.Eta) |> ignore
Charts.writeAtomic (Path.Combine(outDir, "icy-gridworld.csv")) (csv.ToString())
printfn "wrote %s (%.1f s)" (Path.GetFullPath(Path.Combine(outDir, "icy-gridworld.html"))) clock.Elapsed.TotalSeconds
