// TRIRL vs MCE-IRL vs adversarial imitation on one MDP (math note, section 8): the three presets of one step function.
// Prints a table and saves the gap and return charts as one HTML page.
//
//   dotnet build fsharp/Trirl.FSharp -c Release     # once, from the repository root
//   dotnet fsi fsharp/scripts/compare-algorithms.fsx

// ---- loading block: the library and the packages its DLLs need -------------------------------------------------
#r "nuget: Plotly.NET, 6.0.0"
#r "nuget: System.Numerics.Tensors, 10.0.0"
#r "../Trirl.FSharp/bin/Release/net10.0/Trirl.Functional.dll"
#r "../Trirl.FSharp/bin/Release/net10.0/Trirl.FSharp.dll"
// ---- end of loading block ---------------------------------------------------------------------------------------

open System.Diagnostics
open System.Globalization
open System.IO
open Trirl.Functional
open Trirl.FSharp

let clock = Stopwatch.StartNew()
let sci (x: float) = x.ToString("0.00e+00", CultureInfo.InvariantCulture)

// One MDP and one expert for all three: a 6x6 gridworld with slip 0.1, expert SoftOptimal(3 r_true, 1).
let mdp = Mdp.gridworld 6 0.1
let problem = mdp |> Expert.softOptimal 3.0
let iterations = 60

let presets =
    [ "trirl", Settings.trirl 3.0 0.05 0.01
      "mce", Settings.mce 3.0 0.05
      "adversarial", Settings.adversarial 3.0 0.01 ]

/// Runs one preset for `iterations` iterations, timing it.
let runPreset (name: string, settings: TrirlSettings) =
    for w in Settings.warnings settings do
        printfn "%s: warning: %s" name w
    let watch = Stopwatch.StartNew()
    let history = Trirl.run settings problem |> Seq.take iterations |> Seq.toArray
    name, history, watch.Elapsed.TotalSeconds

let runs = presets |> List.map runPreset

printfn "%s, beta 3, %d iterations each" mdp.Name iterations
printfn "%-12s %11s %13s %10s %8s %8s" "algorithm" "final gap" "KL to expert" "return" "solves" "seconds"
for name, history, seconds in runs do
    let last = Array.last history
    let solves = history |> Array.sumBy (fun it -> it.Solves)
    printfn "%-12s %11s %13.5f %10.4f %8d %8.2f" name (sci last.Gap) last.KlToExpert last.NormalizedReturn solves seconds

let named = runs |> List.map (fun (name, history, _) -> name, history |> Array.map Trirl.metrics |> Seq.ofArray)
let out = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, "..", "..", "runs", "scripts", "compare-algorithms.html"))
Charts.toHtmlPage "TRIRL vs MCE-IRL vs adversarial" (sprintf "%s, beta 3, %d iterations each" mdp.Name iterations)
    [ Charts.compareGaps named; Charts.compareReturns named ]
|> Charts.writeAtomic out
printfn "wrote %s (%.1f s)" out clock.Elapsed.TotalSeconds
