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
tabular reward step adds is estimated by a **discriminator** (math note, section 9). One iteration of deep TRIRL is
five named phases (`DeepPhases` in `Trirl.Deep`, the `Phase` module in F#), the sample-based twins of notebook 3's
step:

1. **collect**: roll out the policy $\pi_i$ (16 copies x 128 steps in the default preset);
2. **fit the discriminator** $D_i$ on those transitions against as many expert transitions (logistic loss, expert = 1,
   policy = 0, with a gradient penalty); its logit estimates $\log \rho_E - \log \rho_{\pi_i}$;
3. **propose** the reward $\tilde r = (1 - \epsilon)\, r_i + \epsilon D_i$: push $D_i$ into a buffer of the last $K$
   discriminators, with $\eta = 0$ for now, and evaluate $r = \sum_k w_k D_k$ on the rollout;
4. take the **trust-region policy step**: PPO on $\tilde r$ with a KL term to the rollout policy of weight $\eta$, the
   trust region's multiplier;
5. **correct**: with the step's $\eta$, $\epsilon_{tr} = \epsilon / (1 + \eta)$ and
   $r_{i+1} = (1 - \epsilon_{tr})\, r_i + \epsilon_{tr} D_i$, which re-weights the buffer.

Unrolling the corrected update from $r_0 = 0$ gives the weights

$$w_k = \epsilon_{tr,k} \prod_{j > k} \big(1 - \epsilon_{tr,j}\big), \qquad \epsilon_{tr} = \frac{\epsilon}{1 + \eta},$$

so each discriminator enters with the step size its policy step actually took. This notebook loads the shipped expert
data, takes one deep TRIRL iteration phase by phase, runs the loop, plots its curves and its buffer's weights, and
re-optimises a shipped learned reward from a fresh SAC policy. It is written with the F# layer (`Trirl.FSharp`:
curried modules that call the C# they name), as notebooks 1-4 are.
*)
(*** condition: prepare ***)
#load "../.load-deep.fsx"
(** Namespaces: *)
open System
open Plotly.NET
open Trirl.Environments.Data       // transition datasets
open Trirl.Deep                    // the learner's types: states, phases' records, learned rewards
open Trirl.FSharp                  // Tasks, Datasets, Imitation, Deep, Phase, NeuralRewards, DeepCharts, Charts

// Loads libtorch, or stops here with a TorchUnavailableException whose one-line message names the cause and the fix.
TorchRuntime.Ensure()
printfn "TorchSharp %s, libtorch loaded" (string (typeof<TorchSharp.torch>.Assembly.GetName().Version))
(*** include-output ***)
(**
## The expert's demonstrations

Every task ships a SAC expert trained on the true reward, 20 episodes of its deterministic policy, and the
normalisation anchors: the mean returns of the expert and of the uniform-random policy over 100 seeded episodes
(normalised return: random = 0, expert = 1). The pendulum observes $(\cos\theta, \sin\theta, \dot\theta)$ and takes
a torque in $[-2, 2]$; $\theta = 0$ is upright, episodes last 200 steps. A dataset's observations are rows by
features: `obs.[i, j]`.
*)
let task = Tasks.pendulum
let demos = Datasets.shipped task
let anchors = Tasks.shippedAnchors task
let obs = Datasets.observations demos

let returns = Datasets.episodes demos |> List.map (fun (first, length) -> Seq.sum (Seq.init length (fun j -> float demos.Rews.[first + j])))
printfn "%d transitions in %d episodes; observations of %d, actions of %d" demos.Count demos.Episodes obs.Features demos.ActionSize
printfn "demonstration returns: mean %.1f (min %.1f, max %.1f)" (List.average returns) (List.min returns) (List.max returns)
printfn "anchors over %d episodes: expert %.1f, uniform random %.1f" anchors.Episodes anchors.ExpertReturn anchors.RandomReturn
(*** include-output ***)
// The expert's swing-up in the phase plane: theta = atan2(sin, cos) from each observation, five episodes.
let theta i = atan2 (float obs.[i, 1]) (float obs.[i, 0])
let thetaDot i = float obs.[i, 2]
[ for k, (first, length) in Datasets.episodes demos |> List.truncate 5 |> List.indexed ->
    let rows = [ first .. first + length - 1 ]
    Chart.Point(x = List.map theta rows, y = List.map thetaDot rows, Name = sprintf "episode %d" k) ]
|> Chart.combine
|> Charts.withLabels "Expert demonstrations: from a random start to upright and still" "theta (0 = upright)" "theta dot"
|> Chart.withSize (Width = 720, Height = 460)
(*** include-it ***)
(**
## One iteration, phase by phase

The default preset (made for a CPU): PPO with 16 copies x 128 steps per iteration and 64-64 tanh networks, entropy
coefficient $\alpha = 0.001$, $\epsilon = 0.2$, 128-128 tanh discriminators, and $\eta$ annealed linearly from 10 to 0
over 1,000,000 environment steps. Its reward model is a network regressed each iteration on the corrected reward,
exporting the harmonic average of those iterates (it keeps the learned reward good on long runs); this page takes the
*buffer* model instead, which keeps the last $K = 100$ discriminators themselves, so that their corrected weights can
be read off. `Deep.start` makes the learner's state (its networks are TorchSharp modules, trained in place by the
phases; it is disposed at the end of the loop below). Each phase returns an immutable record.
*)
let settings = Imitation.trirl DeepPreset.Default |> Imitation.withRewardModel RewardModelKind.Buffer
let state = task |> Deep.start settings 0L demos

// 1. Collect: 16 x 128 transitions of the current policy.
let rollout = Phase.collect state
printfn "1. collect: %d transitions, observations %d x %d, mean task reward %.2f"
    rollout.Count rollout.Observations.Count rollout.Observations.Features (Seq.average rollout.Rewards)

// 2. Fit the discriminator D_0 on them against 2,048 expert transitions.
let fit = Phase.fitDiscriminator state rollout
printfn "2. discriminator: loss %.3f, accuracy %.3f, gradient penalty %.3f on inputs of %d features"
    fit.Loss fit.Accuracy fit.GradientPenalty fit.PolicyInputs.Features

// 3. Propose: r~ = (1 - eps) r_0 + eps D_0 with r_0 = 0, i.e. eps * D_0 on the rollout.
let proposal = Phase.propose state rollout fit
printfn "3. proposal: mean %.4f, std %.4f over the rollout; %g discriminator in the buffer" proposal.Mean proposal.Std proposal.BufferSize

// 4. The trust-region policy step on r~, with the schedule's eta.
let step = Phase.policyStep state rollout proposal
printfn "4. policy step: eta %.3f, KL(pi_1 || pi_0) %.2e, PPO's policy loss %.4f" step.Eta step.MeanKl step.Ppo.PolicyLoss

// 5. Correct: eps_tr = eps / (1 + eta); the buffer's one weight becomes eps_tr.
let correction = Phase.correct state proposal step
printfn "5. correction: eps_tr = %.4f (eps / (1 + eta) = %.4f), weights %A" correction.EpsTr (settings.Eps / (1.0 + step.Eta)) (List.ofSeq correction.Weights)
(*** include-output ***)
(**
`Deep.step` is exactly these five calls (the test suite checks it bit for bit), and `Deep.run` is the lazy sequence of
steps. Nineteen more iterations bring the run to 40,960 environment steps: a budget for a notebook, not for the task.
The curves come from the iterations as a `MetricsTable`, the same table `Charts.learningCurves` draws for a
`metrics.csv`. At this budget the discriminator tells expert from policy most of the time, and $\eta \approx 10$
keeps each reward step small: $\epsilon_{tr} = 0.2 / (1 + \eta) \approx 0.018$.
*)
let iterations = Deep.run state |> Seq.take 19 |> Seq.toArray
printfn "%9s %7s %8s %10s %9s %10s" "env_steps" "eta" "eps_tr" "disc acc." "disc loss" "policy KL"
for it in iterations |> Array.filter (fun it -> it.Iteration % 4L = 0L) do
    printfn "%9d %7.3f %8.4f %10.3f %9.3f %10.2e" it.EnvSteps it.Ppo.Eta it.Statistics.EpsTr it.Statistics.DiscAccuracy it.Statistics.DiscLoss it.Statistics.PolicyKl
(*** include-output ***)
DeepCharts.tableOfIterations "deep TRIRL on the pendulum, 40,960 steps" iterations
|> DeepCharts.select [ "env_steps"; "eta"; "eps_tr"; "disc_accuracy"; "disc_loss"; "reward_mean" ]
|> DeepCharts.learningCurves
|> Chart.withSize (Width = 760)
(*** include-it ***)
(**
## The corrected weights of the buffer

After each policy step the buffer records that step's $\eta$ for its newest discriminator. `CorrectedWeights.Weights`
turns the etas (oldest first) into $w_k$; from the iterations' `eta` it gives exactly the weights of the reward the
learner exports. Without the correction ($\eta = 0$ for all, the adversarial preset's proposal) the weights would be
$\epsilon (1 - \epsilon)^{n-1-k}$: almost all of the mass on the last few discriminators. With $\eta \approx 10$ each
step moves the reward by about $\epsilon_{tr} \approx 0.018$, so the corrected reward averages over the whole buffer.
Then the learner's policy is evaluated once on the true reward (20 seeded episodes), and the state is disposed.
*)
let etas = Array.append [| step.Eta |] (iterations |> Array.map (fun it -> it.Ppo.Eta))
let learnedWeights, finalReturn =
    use reward = Deep.exportReward state
    let returns = Rollouts.Returns(Tasks.env task, state.Policy, 20, 1L)
    Array.ofSeq reward.Weights, Seq.average returns
state.Dispose()

let corrected = CorrectedWeights.Weights(etas, settings.Eps) |> Array.ofSeq
printfn "max |w from the etas - w of the exported reward| = %.1e" (Array.map2 (fun a b -> abs (a - b)) corrected learnedWeights |> Array.max)
printfn "sum of w: %.4f (1 - prod (1 - eps_tr): the rest is r_0 = 0)" (Array.sum corrected)
printfn "policy after 20 iterations: true return %.1f, normalised %.3f" finalReturn (Tasks.normalize task finalReturn)
DeepCharts.bufferWeights settings.Eps etas
|> Chart.withTitle "Weights of the reward r = sum_k w_k D_k after the run"
|> Chart.withSize (Width = 760, Height = 420)
(*** include-output ***)
(*** include-it ***)
(**
## A shipped learned reward

A longer run learns a reward worth keeping. `Trirl.Deep` ships the one below (`NeuralRewards.shipped`): TRIRL with
the compressed reward model (one 128-128 ReLU network regressed each iteration on the buffer's output) after 300,000
steps, the `reward/` folder of the command `NeuralRewards.shippedCommand` prints. Its policy reached a normalised
return of 0.917 at the end of that run. A learned reward should prefer the expert's actions: below, its mean over the
demonstrations against its mean for uniformly random torques from the same states.
*)
let shipped = NeuralRewards.shipped task   // a fresh copy; disposed after the retraining below
printfn "%s" (string shipped)
printfn "made by: %s" (NeuralRewards.shippedCommand task)

let env = Tasks.env task

/// The same states as `d`, each with a uniformly random torque, stepped through the pendulum's dynamics from the state
/// read back from its observation.
let randomTorques (d: TransitionDataset) (seed: uint64) =
    let rng = Trirl.Functional.Rng seed
    let acts = Array.init d.Count (fun _ -> float32 (-2.0 + 4.0 * rng.NextDouble()))
    let next = env.Step(env.ResetFrom([| for i in 0 .. d.Count - 1 -> [| theta i; thetaDot i |] |], 0L), acts)
    TransitionDataset(3, 1, d.Obs, acts, next.Observations, next.Rewards |> Seq.map float32 |> Array.ofSeq, next.Terminated)

let expertScore = shipped |> NeuralRewards.score task demos |> Array.average
let randomScore = shipped |> NeuralRewards.score task (randomTorques demos 1UL) |> Array.average
printfn "mean learned reward: expert's actions %.3f, random torques on the same states %.3f" expertScore randomScore
(*** include-output ***)
// What it rewards: r(s, a = 0) over the phase plane (zero torque, so only the state matters).
let thetas = [| for i in 0 .. 60 -> -Math.PI + 2.0 * Math.PI * float i / 60.0 |]
let speeds = [| for j in 0 .. 40 -> -8.0 + 16.0 * float j / 40.0 |]
let grid =
    let states = [| for w in speeds do for t in thetas -> [| t; w |] |]
    let start = env.ResetFrom(states, 0L)
    let next = env.Step(start, Array.zeroCreate states.Length)
    TransitionDataset(3, 1, env.Observe start, Array.zeroCreate states.Length, next.Observations,
                      next.Rewards |> Seq.map float32 |> Array.ofSeq, next.Terminated)
let values = shipped |> NeuralRewards.score task grid
Chart.Heatmap(zData = Array.chunkBySize thetas.Length values, X = thetas, Y = speeds)
|> Charts.withLabels "The shipped reward r(s, a = 0)" "theta (0 = upright)" "theta dot"
|> Chart.withSize (Width = 720, Height = 480)
(*** include-it ***)
(**
## Re-optimising it from a fresh policy

*Retraining* (math note, section 9): optimise the learned reward from scratch with another learner and score the
result with the true reward. `NeuralRewards.retrain` runs SAC on the reward (with its absorbing-state tail; the
pendulum never terminates) from a fresh policy; each row evaluates the deterministic policy on the **true** reward.
SAC's first 1,000 steps act uniformly at random; a row every 1,000 steps. Seed 1 and one thread, as in the `retrain`
command at the end: these rows are that run's first four.
*)
let retrainRows = shipped |> NeuralRewards.retrain DeepAlgorithm.Sac 1L 4_000L task
shipped.Dispose()

printfn "SAC on the shipped reward:"
for r in retrainRows do
    printfn "  %5d env steps: normalised return %.3f (true return %.1f)" r.EnvSteps r.NormalizedReturn r.EvalReturn
(*** include-output ***)
Chart.Line(x = (retrainRows |> Array.map (fun r -> float r.EnvSteps)), y = (retrainRows |> Array.map _.NormalizedReturn),
           Name = "SAC on the shipped reward", ShowMarkers = true)
|> Charts.withLabels "Retraining: a fresh SAC policy on the learned reward" "env_steps" "normalized_return (true reward)"
|> Chart.withSize (Width = 720, Height = 420)
(*** include-it ***)
(**
## Full-budget runs

The command line runs the same learner for real budgets, with an evaluation per iteration (`RlRun`, the `Runs`
module in F#), and writes `metrics.csv`, `summary.json`, `report.html`, the learned `reward/` and checkpoints
(resumable bit for bit):

```sh
dotnet run --project src/Trirl.Cli -c Release -- train --env pendulum --algo trirl --steps 300000 --seed 0 \
    --reward-model compressed --threads 1 --out runs/shipped-reward-pendulum
dotnet run --project src/Trirl.Cli -c Release -- retrain --reward runs/shipped-reward-pendulum/reward --env pendulum \
    --algo sac --steps 20000 --seed 1 --threads 1 --out runs/retrain-pendulum
```

The first is the command behind the shipped reward: normalised return 0.917 after 301,056 steps, about two minutes on
one core. The second retrains it from a fresh SAC policy: its `summary.json` holds `retrain_normalized_return`, 0.962
after 20,000 steps (about six minutes on a busy two-core machine; SAC makes one gradient step per environment step).
`--algo gail|airl|bc` runs the baselines with the same networks, data and budget; `--eps`, `--buffer-size` and
`--target-kl` set the paper's main hyperparameters; `--reward-model buffer` keeps the buffer itself (the default
exports the harmonic average of a recursive reward network), and
`retrain --env pendulum-shifted` transfers a reward to changed dynamics.
*)
