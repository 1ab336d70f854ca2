// Probes learned pendulum rewards (issue 18, item 5: why a reward trained longer retrains worse). For each reward
// snapshot RUN/rewards/STEPS it prints the mean learned reward on the shipped expert's balancing states
// (cos theta > cos 0.5), on its swing-up states (the rest), and hanging at rest (theta = pi +- 0.3, theta-dot +- 0.5,
// action 0), and the rank correlation with the true reward -(theta^2 + 0.1 theta-dot^2 + 0.001 a^2) over uniform
// random (theta, theta-dot, a). Seeded: the same snapshots print the same numbers.
// Usage (after a Release build): dotnet fsi scripts/probe-pendulum-reward.fsx RUN STEPS [STEPS ...]
#load "load-deep-build.fsx" // the Release build, with TorchSharp and libtorch from their packages
#load "rank-correlation.fsx"
open System
open Trirl.Deep
open Trirl.Environments
open Trirl.Environments.Data
open RankCorrelation

/// Transitions at the given angles, velocities and actions (next observation = observation: the reward is on (s, a)).
let transitions (theta: float[]) (thetaDot: float[]) (action: float[]) =
    let obs = [| for i in 0 .. theta.Length - 1 do yield! [ float32 (cos theta.[i]); float32 (sin theta.[i]); float32 thetaDot.[i] ] |]
    TransitionDataset(3, 1, obs, Array.map float32 action, obs, Array.zeroCreate theta.Length, Array.create theta.Length true)

let uniform (rng: Random) n scale = Array.init n (fun _ -> (2.0 * rng.NextDouble() - 1.0) * scale)

match fsi.CommandLineArgs |> Array.toList |> List.tail with
| run :: (_ :: _ as snapshots) ->
    TorchRuntime.Ensure()
    let rng = Random(0)
    let n = 4000
    let theta, thetaDot, action = uniform rng n Math.PI, uniform rng n 8.0, uniform rng n 2.0
    let trueReward = Array.init n (fun i -> -(theta.[i] ** 2.0 + 0.1 * thetaDot.[i] ** 2.0 + 0.001 * action.[i] ** 2.0))
    let random = transitions theta thetaDot action
    let hanging = transitions (Array.map ((+) Math.PI) (uniform rng 1000 0.3)) (uniform rng 1000 0.5) (Array.zeroCreate 1000)
    let expert = ShippedExperts.Demonstrations "pendulum"
    let balancing = Array.init expert.Count (fun i -> float expert.Obs.[3 * i] > cos 0.5)
    printfn "%-10s %10s %10s %10s %10s" "snapshot" "balancing" "swing-up" "hanging" "spearman"
    for steps in snapshots do
        use reward = NeuralReward.Load(IO.Path.Combine(run, "rewards", steps))
        let onExpert = reward.Rewards(expert, Array.zeroCreate expert.Count)
        let mean keep = Array.zip onExpert balancing |> Array.filter (snd >> keep) |> Array.averageBy fst
        let hang = reward.Rewards(hanging, Array.zeroCreate hanging.Count) |> Array.average
        let spearman = spearman (reward.Rewards(random, Array.zeroCreate n)) trueReward
        printfn "%-10s %10.2f %10.2f %10.2f %10.3f" steps (mean id) (mean not) hang spearman
| _ -> eprintfn "usage: dotnet fsi scripts/probe-pendulum-reward.fsx RUN STEPS [STEPS ...]"; exit 2
