// Reward transfer: learn a reward with TRIRL on a gridworld with slip 0.1, then re-optimise it from scratch under
// other slips (math note, section 9: "retraining" and "transfer"). The learned reward is compared with reusing the
// learned policy itself under the new dynamics. Prints the scores and saves a chart and the reward.json.
//
//   dotnet build fsharp/Trirl.FSharp -c Release     # once, from the repository root
//   dotnet fsi fsharp/scripts/reward-transfer.fsx

// ---- loading block: the library and the packages its DLLs need -------------------------------------------------
#r "nuget: Plotly.NET, 6.0.0"
#r "nuget: System.Numerics.Tensors, 10.0.0"
#r "../Trirl.FSharp/bin/Release/net10.0/Trirl.Functional.dll"
#r "../Trirl.FSharp/bin/Release/net10.0/Trirl.FSharp.dll"
// ---- end of loading block ---------------------------------------------------------------------------------------

open System.IO
open Plotly.NET
open Trirl.FSharp

let clock = System.Diagnostics.Stopwatch.StartNew()
let beta = 3.0
let trainSlip = 0.1

// Learn: TRIRL on a 5x5 gridworld with slip 0.1 (expert SoftOptimal(3 r_true, 1)), 150 iterations.
let problem = Mdp.gridworld 5 trainSlip |> Expert.softOptimal beta
let settings = Settings.trirl beta 0.05 0.01
let final = Trirl.run settings problem |> Seq.item 149
printfn "learned on %s: %d iterations, gap %s, normalised return %.4f"
    problem.Mdp.Name final.Iteration (final.Gap.ToString("0.0e+00", System.Globalization.CultureInfo.InvariantCulture)) final.NormalizedReturn

// Transfer: the same grid (same goal and traps) under other slips. The learned reward is re-optimised from scratch,
// pi = SoftOptimal(r, 1), and scored against each MDP's own expert; the learned policy is reused as it is.
let slips = [ 0.0; 0.1; 0.2; 0.3; 0.4; 0.5 ]
let scores =
    slips
    |> List.map (fun slip ->
        let target = Mdp.gridworld 5 slip
        let reward = final.Reward |> Reuse.reoptimize beta target
        let targetProblem = target |> Expert.softOptimal beta
        let reusedOccupancy = final.Policy |> Occupancy.ofPolicy target
        let policyReuse = Expert.normalizedReturn targetProblem reusedOccupancy |> Option.get
        slip, reward, (policyReuse, reusedOccupancy |> Occupancy.klTo (Expert.occupancy targetProblem)))

// The normalised return (J(pi) - J(uniform)) / (J(pi_E) - J(uniform)) can exceed 1: the expert is soft (beta = 3), and
// as the slip grows its lead over the uniform policy, the denominator, shrinks. The KL to that expert is the cleaner
// measure of imitation: the re-optimised reward stays closer to the expert than the reused policy.
printfn "normalised return (the expert of each slip = 1) and KL(rho_pi || rho_E) to that expert:"
printfn "%-6s %28s %28s" "slip" "learned reward, re-optimised" "learned policy, reused"
for slip, reward, (policyReturn, policyKl) in scores do
    let note = if slip = trainSlip then "  (retraining)" else ""
    printfn "%-6.2f %13.4f %14.5f %13.4f %14.5f%s" slip reward.NormalizedReturn reward.KlToExpert policyReturn policyKl note

// Outputs: the chart and the learned reward as reward.json.
let dir = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, "..", "..", "runs", "scripts", "reward-transfer"))
let xs = scores |> List.map (fun (slip, _, _) -> slip)
let chart =
    [ Chart.Line(x = xs, y = (scores |> List.map (fun (_, r, _) -> r.NormalizedReturn)), Name = "learned reward, re-optimised")
      Chart.Line(x = xs, y = (scores |> List.map (fun (_, _, (p, _)) -> p)), Name = "learned policy, reused") ]
    |> Chart.combine
    |> Charts.withLabels (sprintf "Transfer of a reward learned at slip %.1f" trainSlip) "slip of the target gridworld" "normalised return (expert of that slip = 1)"
let page = Path.Combine(dir, "reward-transfer.html")
Charts.saveHtml page chart
let rewardFile = Path.Combine(dir, "reward.json")
Trirl.learnedReward settings problem final |> Reward.save rewardFile
printfn "wrote %s and %s (%.1f s)" page rewardFile clock.Elapsed.TotalSeconds
