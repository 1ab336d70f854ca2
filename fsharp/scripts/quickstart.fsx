// TRIRL on a 5x5 slippery gridworld: the duality gap goes to ~0, and the charts are saved as one HTML page.
//
//   dotnet build fsharp/Trirl.FSharp -c Release     # once, from the repository root
//   dotnet fsi fsharp/scripts/quickstart.fsx

// ---- loading block: the library and the packages its DLLs need -------------------------------------------------
#r "nuget: Plotly.NET, 6.0.0"
#r "nuget: System.Numerics.Tensors, 10.0.0"
#r "../Trirl.FSharp/bin/Release/net10.0/Trirl.Functional.dll"
#r "../Trirl.FSharp/bin/Release/net10.0/Trirl.FSharp.dll"
// ---- end of loading block ---------------------------------------------------------------------------------------

open System.Globalization
open System.IO
open Trirl.Functional
open Trirl.Functional.Environments
open Trirl.FSharp

let clock = System.Diagnostics.Stopwatch.StartNew()
let sci (x: float) = x.ToString("0.0e+00", CultureInfo.InvariantCulture)

// The problem: a 5x5 gridworld (slip 0.1) and a soft-optimal expert pi_E = SoftOptimal(3 r_true, 1).
let mdp = Mdp.gridworld 5 0.1
let problem = mdp |> Expert.softOptimal 3.0

// TRIRL with beta = 3, eps = 0.05 (eps * beta = 0.15: the monotone regime), delta = 0.01.
let settings = Settings.trirl 3.0 0.05 0.01
let history = Trirl.run settings problem |> Seq.take 120 |> Seq.toArray

for it in history do
    if it.Iteration % 20 = 0 then
        printfn "iteration %3d   gap %s   eta %6.3f   KL to expert %.4f   return %.4f"
            it.Iteration (sci it.Gap) it.Eta it.KlToExpert it.NormalizedReturn

let final = Array.last history

// The correction theorem: the final policy is exactly max-ent optimal for the learned reward.
let residual = Table.maxAbsDiff (Soft.policy mdp final.Reward).LogProbabilities final.Policy.LogProbabilities
printfn "final gap %s after %d iterations; retraining residual max |log pi - log SoftOptimal(r, 1)| = %s"
    (sci final.Gap) final.Iteration (sci residual)

// Charts: the gap on a log scale, the dual and the primal, eta and eps_tr, and the grid pictures.
let grid = GridShape(5, 5)
let metrics = history |> Array.map Trirl.metrics
let charts =
    [ Charts.gap metrics
      Charts.dualAndPrimal metrics
      Charts.etaAndStep metrics
      Charts.rewardHeatmap grid "True reward" (Mdp.reward mdp |> Option.get)
      Charts.rewardHeatmap grid "Learned reward" final.Reward
      Charts.occupancyHeatmap grid "Expert state occupancy" (Expert.occupancy problem)
      Charts.occupancyHeatmap grid "Learned state occupancy" final.Occupancy
      Charts.policyHeatmap grid "Most likely action of the learned policy" final.Policy ]

let out = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, "..", "..", "runs", "scripts", "quickstart.html"))
let preamble =
    sprintf "TRIRL on %s, beta 3, eps 0.05, delta 0.01: final gap %s, normalised return %.4f after %d iterations"
        mdp.Name (sci final.Gap) final.NormalizedReturn final.Iteration
Charts.toHtmlPage "TRIRL quickstart" preamble charts |> Charts.writeAtomic out
printfn "wrote %s (%.1f s)" out clock.Elapsed.TotalSeconds
