// How a learned reward's retraining score follows its policy's training score across the MuJoCo tasks (issue 18,
// item 5: "When the reward breaks" in docs/results.md). For each method it prints the Spearman rank correlation
// (ties get their mean rank) of normalized_return against retrain_normalized_return over the rows of
// docs/results/mujoco-scores.csv; halfcheetah's retraining cells, which that table leaves empty, come from
// docs/results/halfcheetah-zoo-retrain-scores.csv (its halfcheetah rows, for the methods it has). It also prints the
// largest retraining score among the rewards whose policy trained to at least the expert (1.0) and the smallest among
// the rest.
// Usage, from the repository root (no build needed): dotnet fsi scripts/train-retrain-spearman.fsx
#load "rank-correlation.fsx"
open System
open System.IO
open RankCorrelation

/// The rows of a CSV file with a header and no quoted commas, as header-keyed maps.
let readCsv path =
    match File.ReadAllLines path |> Array.toList with
    | header :: rows ->
        let names = header.Split ','
        rows |> List.filter (String.IsNullOrWhiteSpace >> not) |> List.map (fun row -> Array.zip names (row.Split ',') |> Map.ofArray)
    | [] -> failwithf "%s is empty: expected a header line" path

let scores = readCsv "docs/results/mujoco-scores.csv"
let halfcheetahRetrains =
    readCsv "docs/results/halfcheetah-zoo-retrain-scores.csv"
    |> List.filter (fun r -> r.["env"] = "halfcheetah") |> List.map (fun r -> r.["algo"], r.["run"], r.["retrain_normalized_return"])

let pairs algo =
    [ for r in scores do
        if r.["algo"] = algo then
            let retrain =
                if r.["retrain_normalized_return"] <> "" then Some r.["retrain_normalized_return"]
                elif r.["env"] = "halfcheetah" then
                    halfcheetahRetrains |> List.tryPick (fun (a, run, v) -> if a = algo && run = r.["run"] && v <> "" then Some v else None)
                else None
            match retrain with
            | Some v -> yield float r.["normalized_return"], float v
            | None -> () ]

printfn "%-6s %7s %9s %28s %28s" "method" "rewards" "spearman" "retrain max (trained >= 1)" "retrain min (trained < 1)"
for algo in [ "trirl"; "gail"; "airl" ] do
    let p = pairs algo |> List.toArray
    let extreme pick keep = match p |> Array.filter (fst >> keep) with [||] -> nan | q -> pick (Array.map snd q)
    printfn "%-6s %7d %9.2f %28.3f %28.3f" algo p.Length (spearman (Array.map fst p) (Array.map snd p))
        (extreme Array.max (fun a -> a >= 1.0)) (extreme Array.min (fun a -> a < 1.0))
