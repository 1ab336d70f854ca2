// Probes a learned reward on recorded episodes (issue 18: why a hopper reward does not retrain). For each dataset
// (trirl rollout --out X.npz) it prints the episodes' mean length, the mean learned reward per step, the mean absorbing
// tail of the terminated episodes (gamma / (1 - gamma) * (r_abs + alpha H), what falling adds), and the mean discounted
// learned return from the first state with that tail: the objective a fresh PPO maximises. An episode that ends before
// the time limit is taken as terminated (rollout's dones do not separate termination from truncation).
// With --floor, each absorbing reward is first capped at the dataset's lowest reward (retrain's absorbing_floor=true).
// Usage (after a Release build): dotnet fsi scripts/probe-learned-return.fsx REWARD_DIR LIMIT [--floor] DATA.npz [DATA.npz ...]
#load "load-deep-build.fsx" // the Release build, with TorchSharp and libtorch from their packages
open System
open Trirl.Deep
open Trirl.Environments.Data

let args = fsi.CommandLineArgs |> Array.toList |> List.tail
let floor = args |> List.contains "--floor"
match args |> List.filter ((<>) "--floor") with
| rewardDir :: limit :: (_ :: _ as files) ->
    TorchRuntime.Ensure()
    use reward = NeuralReward.Load rewardDir
    let limit = int limit
    printfn "%-28s %8s %8s %12s %12s %14s" "data" "episodes" "length" "r per step" "fall tail" "learned return"
    for file in files do
        let data = TransitionDataset.Load file
        let ranges = data.EpisodeRanges
        let terminated = Array.zeroCreate data.Count
        for e in ranges do if e.Length < limit then terminated.[e.First + e.Length - 1] <- true
        let r = reward.Rewards(data, terminated)
        let td = reward.TdRewards(data, terminated, floor)
        let tails = [| for i in 0 .. data.Count - 1 do if terminated.[i] then yield td.[i] - r.[i] |]
        let returns =
            ranges |> Seq.map (fun e -> Seq.init e.Length (fun k -> reward.Gamma ** float k * td.[e.First + k]) |> Seq.sum) |> Seq.toArray
        printfn "%-28s %8d %8.1f %12.2f %12s %14.1f" (IO.Path.GetFileName file) ranges.Length (float data.Count / float ranges.Length)
            (Array.average r) (if tails.Length = 0 then "-" else sprintf "%.1f" (Array.average tails)) (Array.average returns)
| _ -> eprintfn "usage: dotnet fsi scripts/probe-learned-return.fsx REWARD_DIR LIMIT [--floor] DATA.npz [DATA.npz ...]"; exit 2
