// Ships a finished expert: copies the policy and the anchors of a `trirl expert` folder into
// src/Trirl.Environments/Experts/TASK.* and writes its demonstrations in the compact form (obs, acts, final_obs, rews,
// dones; TransitionDataset.ToCompactNpz, deflated), about half the size of next_obs stored in full.
// Usage (after a Release build): dotnet fsi scripts/ship-expert.fsx TASK DIR
#r "../src/Trirl.Environments/bin/Release/net10.0/Trirl.Functional.dll"
#r "../src/Trirl.Environments/bin/Release/net10.0/Trirl.MuJoCo.dll"
#r "../src/Trirl.Environments/bin/Release/net10.0/Trirl.Environments.dll"
open System.IO
open Trirl.Environments.Data

match fsi.CommandLineArgs |> Array.toList |> List.tail with
| [ task; dir ] ->
    let target = Path.Combine(__SOURCE_DIRECTORY__, "..", "src", "Trirl.Environments", "Experts")
    for file in [ "policy.ckpt"; "anchors.json"; "demos.npz" ] do
        if not (File.Exists(Path.Combine(dir, file))) then failwithf "%s holds no %s: is the expert finished?" dir file
    File.Copy(Path.Combine(dir, "policy.ckpt"), Path.Combine(target, task + ".policy.ckpt"), true)
    File.Copy(Path.Combine(dir, "anchors.json"), Path.Combine(target, task + ".anchors.json"), true)
    let demos = TransitionDataset.Load(Path.Combine(dir, "demos.npz"))
    Npz.Save(Path.Combine(target, task + ".demos.npz"), demos.ToCompactNpz(), NpzCompression.Deflated)
    for f in Directory.GetFiles(target, task + ".*") do printfn "%-40s %9d bytes" (Path.GetFileName f) (FileInfo(f).Length)
| _ -> eprintfn "usage: dotnet fsi scripts/ship-expert.fsx TASK DIR"; exit 2
