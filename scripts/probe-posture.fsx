// What a locomotion policy does, from recorded episodes (issue 18: the postures that retrained policies settle in).
// For each dataset (trirl rollout --out X.npz, or a task's shipped demonstrations) it prints the mean torso height, the
// mean forward velocity, the share of action entries at the box's edge (|a| >= 0.999, the box being [-1, 1] on every
// locomotion task) and the mean control cost 0.5 sum clip(a)^2 per step. The observation layout is Gymnasium's
// (qpos without x, then qvel): obs[0] is the torso height and obs[(n - 1) / 2] the forward velocity on hopper,
// walker2d, halfcheetah and ant alike.
// Usage (after a Release build): dotnet fsi scripts/probe-posture.fsx DATA.npz [DATA.npz ...]
#load "load-deep-build.fsx"
open System
open Trirl.Environments.Data

match fsi.CommandLineArgs |> Array.toList |> List.tail with
| [] -> eprintfn "usage: dotnet fsi scripts/probe-posture.fsx DATA.npz [DATA.npz ...]"; exit 2
| files ->
    printfn "%-28s %11s %8s %12s %12s %12s" "data" "transitions" "height" "velocity" "at the edge" "control cost"
    for file in files do
        let data = TransitionDataset.Load file
        let n, m = data.ObservationSize, data.ActionSize
        let obs, acts = data.Obs, data.Acts
        let mean f = Seq.init data.Count f |> Seq.average
        let clip (a: float32) = Math.Clamp(float a, -1.0, 1.0)
        let edge = (acts |> Seq.filter (fun a -> abs a >= 0.999f) |> Seq.length |> float) / float acts.Length
        let control = mean (fun i -> Seq.init m (fun j -> 0.5 * clip acts.[i * m + j] ** 2.0) |> Seq.sum)
        printfn "%-28s %11d %8.3f %12.2f %12.3f %12.2f" (IO.Path.GetFileName file) data.Count
            (mean (fun i -> float obs.[i * n])) (mean (fun i -> float obs.[i * n + (n - 1) / 2])) edge control
