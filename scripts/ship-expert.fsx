// Ships a finished expert: copies the policy and the anchors of a `trirl expert` folder into
// src/Trirl.Environments/Experts/TASK.* and writes its demonstrations in the compact form (obs, acts, final_obs, rews,
// dones; TransitionDataset.ToCompactNpz, deflated), about half the size of next_obs stored in full.
// Usage (after a Release build): dotnet fsi scripts/ship-expert.fsx TASK DIR
//    or: dotnet fsi scripts/ship-expert.fsx TASK --demos FILE.npz   (replaces the demonstrations only, e.g. with
//        trirl rollout --policy expert --min-return R: the expert's episodes without its failures)
#r "../src/Trirl.Environments/bin/Release/net10.0/Trirl.Functional.dll"
#r "../src/Trirl.Environments/bin/Release/net10.0/Trirl.MuJoCo.dll"
#r "../src/Trirl.Environments/bin/Release/net10.0/Trirl.Environments.dll"
open System.IO
open Trirl.Environments.Data

let target = Path.Combine(__SOURCE_DIRECTORY__, "..", "src", "Trirl.Environments", "Experts")
match fsi.CommandLineArgs |> Array.toList |> List.tail with
| [ task; "--demos"; file ] ->
    if not (File.Exists(Path.Combine(target, task + ".policy.ckpt"))) then failwithf "%s has no shipped expert to replace the demonstrations of" task
    let demos = TransitionDataset.Load file
    Npz.Save(Path.Combine(target, task + ".demos.npz"), demos.ToCompactNpz(), NpzCompression.Deflated)
    printfn "%s.demos.npz: %d episodes, %d transitions" task demos.Episodes demos.Count
| [ task; dir ] ->
    for file in [ "policy.ckpt"; "anchors.json"; "demos.npz" ] do
        if not (File.Exists(Path.Combine(dir, file))) then failwithf "%s holds no %s: is the expert finished?" dir file
    File.Copy(Path.Combine(dir, "policy.ckpt"), Path.Combine(target, task + ".policy.ckpt"), true)
    File.Copy(Path.Combine(dir, "anchors.json"), Path.Combine(target, task + ".anchors.json"), true)
    let demos = TransitionDataset.Load(Path.Combine(dir, "demos.npz"))
    Npz.Save(Path.Combine(target, task + ".demos.npz"), demos.ToCompactNpz(), NpzCompression.Deflated)
    for f in Directory.GetFiles(target, task + ".*") do printfn "%-40s %9d bytes" (Path.GetFileName f) (FileInfo(f).Length)
| _ -> eprintfn "usage: dotnet fsi scripts/ship-expert.fsx TASK DIR, or TASK --demos FILE.npz"; exit 2
