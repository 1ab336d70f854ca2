(**
---
title: 5. Deep TRIRL on the pendulum
category: Tutorials
categoryindex: 1
index: 5
---

# 5. Deep TRIRL on the pendulum

Notebooks 1-4 solve small MDPs exactly. On a continuous task nothing is exact: occupancies are only seen through
samples, the policy is a neural network trained by PPO, and the log-ratio $\log \rho_E - \log \rho_\pi$ that the
tabular reward step adds is estimated by a **discriminator** (math note, section 9). One iteration of deep TRIRL
(`Trirl.Deep`, the CLI's `trirl train`):

1. roll out the policy (16 copies x 128 steps in the default preset);
2. train a discriminator $D_k$ on those transitions against as many expert transitions (logistic loss, expert = 1,
   policy = 0, with a gradient penalty); its logit estimates $\log \rho_E - \log \rho_\pi$;
3. push it into a buffer of the last $K$ discriminators and relabel the rollout with the **corrected reward**
   $r = \sum_k w_k D_k$;
4. take a PPO step with a KL term to the rollout policy of weight $\eta$, the trust region's multiplier.

Unrolling the corrected update $r_{i+1} = (1 - \epsilon_{tr,i})\, r_i + \epsilon_{tr,i}\, \beta D_i$ from $r_0 = 0$
gives the weights

$$w_k = \epsilon_{tr,k} \prod_{j > k} \big(1 - \epsilon_{tr,j}\big), \qquad \epsilon_{tr} = \frac{\epsilon}{1 + \eta},$$

so each discriminator enters with the step size its policy step actually took. This notebook loads the shipped expert
data, runs a short deep TRIRL, plots its curves and its buffer's weights, and re-optimises a shipped learned reward
from a fresh SAC policy.
*)
(**
## Setup

The library: the Release build on this page, the package in its notebook.
*)
(*** condition: prepare ***)
#load "../.load.fsx"
#load "../.load-deep.fsx"
(*** condition: ipynb ***)
#if IPYNB
// The package built by bash scripts/pack.sh, from the feed notebooks/NuGet.Config names (notebooks/README.md)
#r "nuget: Trirl.Deep, *-*"
#r "nuget: Trirl.FSharp, *-*"
#r "nuget: Plotly.NET.Interactive, 6.0.0"
#endif // IPYNB
(** Namespaces: *)
open System
open Plotly.NET
open Trirl.Functional              // Rng, TrirlInputException
open Trirl.Environments            // the pendulum, the shipped experts
open Trirl.Environments.Data       // transition datasets
open Trirl.Deep                    // runs, learned rewards, the corrected weights
open Trirl.FSharp                  // MetricsTable and Charts: one chart implementation for the CLI's report and the notebooks

// Loads libtorch, or stops here with a TorchUnavailableException whose one-line message names the fix.
TorchRuntime.Ensure()
printfn "TorchSharp %s, libtorch loaded" (string (typeof<TorchSharp.torch>.Assembly.GetName().Version))
(*** include-output ***)
(**
## The expert's demonstrations

Every task ships a SAC expert trained on the true reward, 20 episodes of its deterministic policy, and the
normalisation anchors: the mean returns of the expert and of the uniform-random policy over 100 seeded episodes
(normalised return: random = 0, expert = 1). The pendulum observes $(\cos\theta, \sin\theta, \dot\theta)$ and takes
a torque in $[-2, 2]$; $\theta = 0$ is upright, episodes last 200 steps.
*)
let env = ContinuousEnvs.Create "pendulum"
let demos = ShippedExperts.Demonstrations "pendulum"
let anchors = ShippedExperts.Anchors "pendulum"

/// (first index, length) of each episode of a dataset: an episode ends at a done flag.
let episodes (d: TransitionDataset) =
    let ends = [ for i in 0 .. d.Count - 1 do if d.Dones.[i] then i ]
    let starts = 0 :: (ends |> List.map ((+) 1) |> List.take (ends.Length - 1))
    List.map2 (fun first last -> first, last - first + 1) starts ends

let returns = episodes demos |> List.map (fun (first, length) -> Seq.sum (Seq.init length (fun j -> float demos.Rews.[first + j])))
printfn "%d transitions in %d episodes; observations of %d, actions of %d" demos.Count demos.Episodes demos.ObservationSize demos.ActionSize
printfn "demonstration returns: mean %.1f (min %.1f, max %.1f)" (List.average returns) (List.min returns) (List.max returns)
printfn "anchors over %d episodes: expert %.1f, uniform random %.1f" anchors.Episodes anchors.ExpertReturn anchors.RandomReturn
(*** include-output ***)
// The expert's swing-up in the phase plane: theta = atan2(sin, cos) from each observation, five episodes.
let theta (d: TransitionDataset) i = atan2 (float d.Obs.[i * 3 + 1]) (float d.Obs.[i * 3])
let thetaDot (d: TransitionDataset) i = float d.Obs.[i * 3 + 2]
[ for k, (first, length) in episodes demos |> List.truncate 5 |> List.indexed ->
    let steps = [ first .. first + length - 1 ]
    Chart.Point(x = (steps |> List.map (theta demos)), y = (steps |> List.map (thetaDot demos)), Name = sprintf "episode %d" k) ]
|> Chart.combine
|> Chart.withXAxisStyle (TitleText = "theta (0 = upright)")
|> Chart.withYAxisStyle (TitleText = "theta dot")
|> Chart.withTitle "Expert demonstrations: from a random start to upright and still"
|> Chart.withSize (Width = 720, Height = 460)
(*** include-it ***)
(**
## A short deep TRIRL run

The default preset (made for a CPU): PPO with 16 copies x 128 steps per iteration and 64-64 tanh networks, entropy
coefficient $\alpha = 0.001$, $\epsilon = 0.2$, a buffer of $K = 100$ discriminators (128-128 tanh), and $\eta$
annealed linearly from 10 to 0 over 1,000,000 environment steps. `RlRun.StartImitation` starts it on the shipped
demonstrations; `Train` yields one metrics row per iteration (2,048 environment steps), each with an evaluation of
the deterministic policy on the true reward over 20 seeded episodes. The run is disposed when the block ends (it holds
torch modules); what comes out is plain data: the rows, and the weights of the reward it learned.

40,000 steps, one torch thread, seed 0: a budget for a notebook, not for the task.
*)
let imitation = ImitationSettings.Preset(ImitationMethod.Trirl, RlPreset.Default).WithDemosSource "shipped:pendulum"
let settings = RlRunSettings.Create(ContinuousTask.Pendulum, DeepAlgorithm.Trirl, 0L).WithThreads(1).WithLearner imitation

let rows, learnedWeights, seconds =
    use run = RlRun.StartImitation(settings, demos, Devices.Cpu)
    let rows = run.Train 40_000L |> Seq.map _.Metrics |> Seq.toArray
    use reward = run.ExportReward()
    rows, Array.ofSeq reward.Weights, run.Seconds

printfn "%d iterations, %d env steps in %.0f s" rows.Length (Array.last rows).EnvSteps seconds
printfn "%9s %10s %7s %8s %10s %9s" "env_steps" "norm. ret" "eta" "eps_tr" "disc acc." "disc loss"
for r in rows |> Array.indexed |> Array.filter (fun (i, _) -> i % 4 = 3) |> Array.map snd do
    printfn "%9d %10.3f %7.3f %8.4f %10.3f %9.3f" r.EnvSteps r.["normalized_return"] r.["eta"] r.["eps_tr"] r.["disc_accuracy"] r.["disc_loss"]
(*** include-output ***)
(**
The curves, from the rows as a `MetricsTable` (what `Charts.learningCurves` draws for a `metrics.csv` too). At this
budget the policy has not learned to swing up yet (a normalised return near 0); the discriminator tells expert from
policy most of the time, and $\eta \approx 10$ keeps each reward step small:
$\epsilon_{tr} = 0.2 / (1 + \eta) \approx 0.018$.
*)
let table =
    let all = MetricsTable.ofRows (List.ofSeq rows.[0].Columns) (rows |> Seq.map (fun r -> List.ofSeq r.Values))
    let shown = [ "env_steps"; "normalized_return"; "eta"; "eps_tr"; "disc_accuracy"; "disc_loss" ]
    { all with Source = "deep TRIRL on the pendulum, 40,000 steps"; Columns = all.Columns |> List.filter (fun c -> List.contains c.Name shown) }
Charts.learningCurves table |> Chart.withSize (Width = 760)
(*** include-it ***)
(**
## The corrected weights of the buffer

After each policy step the run records that step's $\eta$ for the newest discriminator. `CorrectedWeights.Weights`
turns the etas (oldest first) into $w_k$; from the metrics' `eta` column it gives exactly the weights of the reward
the run exported. Without the correction ($\eta = 0$ for all, the adversarial preset's proposal) the weights would
be $\epsilon (1 - \epsilon)^{n-1-k}$: almost all of the mass on the last few discriminators. With $\eta \approx 10$
each step moves the reward by about $\epsilon_{tr} \approx 0.018$, so the corrected reward averages over the whole
buffer.
*)
let eps = imitation.Eps
let etas = rows |> Array.map (fun r -> r.["eta"])
let corrected = CorrectedWeights.Weights(etas, eps) |> Array.ofSeq
let uncorrected = CorrectedWeights.Uncorrected(etas.Length, eps) |> Array.ofSeq
printfn "max |w from the metrics' etas - w of the exported reward| = %.1e" (Array.map2 (fun a b -> abs (a - b)) corrected learnedWeights |> Array.max)
printfn "sum of w: corrected %.4f, uncorrected %.4f (1 - prod (1 - eps_tr): the rest is r_0 = 0)" (Array.sum corrected) (Array.sum uncorrected)

let ages = [ for k in 0 .. etas.Length - 1 -> etas.Length - 1 - k ]   // age 0 = the newest discriminator
[ Chart.Column(values = corrected, Keys = ages, Name = "corrected: eps_tr = eps / (1 + eta)")
  Chart.Column(values = uncorrected, Keys = ages, Name = "uncorrected: eta = 0") ]
|> Chart.combine
|> Chart.withXAxisStyle (TitleText = "age of the discriminator (0 = newest)")
|> Chart.withYAxisStyle (TitleText = "weight w_k")
|> Chart.withTitle "Weights of the reward r = sum_k w_k D_k after the run"
|> Chart.withSize (Width = 760, Height = 420)
(*** include-output ***)
(*** include-it ***)
(**
## A shipped learned reward

A longer run learns a reward worth keeping. `Trirl.Deep` ships the one below (`ShippedRewards`): TRIRL with the
compressed reward model (one 128-128 ReLU network regressed each iteration on the buffer's output) after 300,000
steps, the `reward/` folder of the command `ShippedRewards.Command` prints. Its policy reached a normalised return of
0.917 at the end of that run. A learned reward should prefer the expert's actions: below, its mean over the
demonstrations against its mean for uniformly random torques from the same states.
*)
let shipped = ShippedRewards.Load "pendulum"   // a fresh copy; disposed at the end of the notebook
printfn "%s" (string shipped)
printfn "made by: %s" (ShippedRewards.Command "pendulum")

/// The same states as `d`, each with a uniformly random torque, stepped through the pendulum's dynamics from the state
/// read back from its observation.
let randomTorques (d: TransitionDataset) (seed: uint64) =
    let rng = Rng seed
    let acts = Array.init d.Count (fun _ -> float32 (-2.0 + 4.0 * rng.NextDouble()))
    let step = env.Step(env.ResetFrom([| for i in 0 .. d.Count - 1 -> [| theta d i; thetaDot d i |] |], 0L), acts)
    TransitionDataset(3, 1, Array.ofSeq d.Obs, acts, Array.ofSeq step.Observations, step.Rewards |> Seq.map float32 |> Array.ofSeq, Array.ofSeq step.Terminated),
    Array.ofSeq step.Terminated

let expertScore = shipped.Rewards(demos, Demonstrations.Terminations(demos, env.Spec.MaxSteps)) |> Array.average
let randomData, randomTerminated = randomTorques demos 1UL
let randomScore = shipped.Rewards(randomData, randomTerminated) |> Array.average
printfn "mean learned reward: expert's actions %.3f, random torques on the same states %.3f" expertScore randomScore
(*** include-output ***)
// What it rewards: r(s, a = 0) over the phase plane (zero torque, so only the state matters).
let thetas = [| for i in 0 .. 60 -> -Math.PI + 2.0 * Math.PI * float i / 60.0 |]
let speeds = [| for j in 0 .. 40 -> -8.0 + 16.0 * float j / 40.0 |]
let grid =
    let states = [| for w in speeds do for t in thetas -> [| t; w |] |]
    let start = env.ResetFrom(states, 0L)
    let obs = Array.ofSeq (env.Observe start)
    let step = env.Step(start, Array.zeroCreate states.Length)
    TransitionDataset(3, 1, obs, Array.zeroCreate states.Length, Array.ofSeq step.Observations,
                      step.Rewards |> Seq.map float32 |> Array.ofSeq, Array.ofSeq step.Terminated)
let values = shipped.Rewards(grid, Array.zeroCreate grid.Count)
Chart.Heatmap(zData = Array.chunkBySize thetas.Length values, X = thetas, Y = speeds)
|> Chart.withXAxisStyle (TitleText = "theta (0 = upright)")
|> Chart.withYAxisStyle (TitleText = "theta dot")
|> Chart.withTitle "The shipped reward r(s, a = 0)"
|> Chart.withSize (Width = 720, Height = 480)
(*** include-it ***)
(**
## Re-optimising it from a fresh policy

*Retraining* (math note, section 9): optimise the learned reward from scratch with another learner and score the
result with the true reward. `RlRun.StartOnReward` runs SAC on the shipped reward (with its absorbing-state tail;
the pendulum never terminates) from a fresh policy; each row evaluates the deterministic policy on the **true**
reward. SAC's first 1,000 steps act uniformly at random; a row every 1,000 steps. Seed 1 and one thread, as in the
`retrain` command at the end: these rows are that run's first four.
*)
let retrainRows, retrainSeconds =
    let sac = RlRunSettings.Create("pendulum", "sac", 1L).WithThreads 1
    use run = RlRun.StartOnReward(sac, shipped, Devices.Cpu)
    run.Train 4_000L |> Seq.map _.Metrics |> Seq.toArray, run.Seconds
shipped.Dispose()

printfn "SAC on the shipped reward, %.0f s:" retrainSeconds
for r in retrainRows do
    printfn "  %5d env steps: normalised return %.3f (true return %.1f)" r.EnvSteps r.["normalized_return"] r.["eval_return"]
(*** include-output ***)
Chart.Line(x = (retrainRows |> Array.map (fun r -> float r.EnvSteps)), y = (retrainRows |> Array.map (fun r -> r.["normalized_return"])),
           Name = "SAC on the shipped reward", ShowMarkers = true)
|> Chart.withXAxisStyle (TitleText = "env_steps")
|> Chart.withYAxisStyle (TitleText = "normalized_return (true reward)")
|> Chart.withTitle "Retraining: a fresh SAC policy on the learned reward"
|> Chart.withSize (Width = 720, Height = 420)
(*** include-it ***)
(**
## Full-budget runs

The command line runs the same code for real budgets and writes `metrics.csv`, `summary.json`, `report.html`, the
learned `reward/` and checkpoints (resumable bit for bit):

```sh
dotnet run --project src/Trirl.Cli -c Release -- train --env pendulum --algo trirl --steps 300000 --seed 0 \
    --reward-model compressed --threads 1 --out runs/shipped-reward-pendulum
dotnet run --project src/Trirl.Cli -c Release -- retrain --reward runs/shipped-reward-pendulum/reward --env pendulum \
    --algo sac --steps 20000 --seed 1 --threads 1 --out runs/retrain-pendulum
```

The first is the command behind the shipped reward (`ShippedRewards.Command "pendulum"`): normalised return 0.917
after 301,056 steps, about two minutes on one core. The second retrains it from a fresh SAC policy: its
`summary.json` holds `retrain_normalized_return`, 0.962 after 20,000 steps (about six minutes on a busy two-core
machine; SAC makes one gradient step per environment step). `--algo gail|airl|bc` runs the baselines with the same
networks, data and budget; `--reward-model buffer` keeps the buffer itself, and `retrain --env pendulum-shifted`
transfers a reward to changed dynamics. The README's section "Deep TRIRL and its baselines" lists every flag.
*)
