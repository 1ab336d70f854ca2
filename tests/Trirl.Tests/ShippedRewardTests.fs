/// The learned rewards shipped in Trirl.Deep (`ShippedRewards`): the pendulum has one; each loads as the reward its
/// command says (task, algorithm, reward model) and stays small; it prefers the expert's actions to uniformly random
/// actions on the same states (what a reward learned from those demonstrations must do); the embedded files are
/// exactly what `NeuralReward.Save` writes for the loaded reward; an unknown task is a clear error. Nothing trains.
module Trirl.Tests.ShippedRewardTests

open System
open System.IO
open Expecto
open Trirl.Environments
open Trirl.Environments.Data
open Trirl.Deep
open Trirl.Functional

/// The value of `--flag` in a command line, or None.
let private flagValue (flag: string) (command: string) =
    let words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
    match Array.tryFindIndex ((=) flag) words with
    | Some i when i + 1 < words.Length -> Some words.[i + 1]
    | _ -> None

/// The pendulum demonstrations' states with uniformly random actions from the action box, stepped through the task's dynamics
/// from the state read back from each observation (the pendulum observes cos th, sin th, thdot).
let private pendulumRandomActions (env: ContinuousEnv) (d: TransitionDataset) (seed: uint64) =
    let obsDim, actDim = d.ObservationSize, d.ActionSize
    let states =
        Array.init d.Count (fun i ->
            let o j = float d.Obs.[i * obsDim + j]
            [| atan2 (o 1) (o 0); o 2 |])
    let rng = Rng seed
    let low, high = env.Spec.ActionLow, env.Spec.ActionHigh
    let acts =
        Array.init (d.Count * actDim) (fun k ->
            let lo, hi = float low.[k % actDim], float high.[k % actDim]
            float32 (lo + (hi - lo) * rng.NextDouble()))
    let step = env.Step(env.ResetFrom(states, 0L), acts)
    let data =
        TransitionDataset(obsDim, actDim, Array.ofSeq d.Obs, acts, Array.ofSeq step.Observations,
                          step.Rewards |> Seq.map float32 |> Array.ofSeq, Array.ofSeq step.Terminated)
    data, Array.ofSeq step.Terminated

[<Tests>]
let tests =
    testSequenced <| testList "ShippedRewards" [
        testCase "the pendulum has a shipped reward; each loads as its command says (task, trirl, reward model), under 200 kB" <| fun () ->
            Expect.contains ShippedRewards.Names "pendulum" "the pendulum ships a reward"
            for name in ShippedRewards.Names do
                let command = ShippedRewards.Command name
                Expect.stringStarts command (sprintf "trirl train --env %s " name) (name + ": a trirl train command on its task")
                use reward = ShippedRewards.Load name
                let spec = (ContinuousEnvs.Create name).Spec
                Expect.equal reward.Env name (name + ": learned on its task")
                Expect.equal (Some reward.Method) (flagValue "--algo" command) (name + ": the algorithm of the command")
                Expect.equal (Some reward.Model) (flagValue "--reward-model" command |> Option.orElse (Some "buffer")) (name + ": the reward model of the command")
                Expect.equal reward.Input RewardInput.Transition (name + ": reads transitions")
                Expect.equal reward.Networks (if reward.Model = "buffer" then reward.Weights.Length else 1) (name + ": one network per weight")
                Expect.equal (reward.ObservationSize, reward.ActionSize) (spec.ObservationSize, spec.ActionSize) (name + ": the task's sizes")
                Expect.isTrue (reward.Fits(ContinuousEnvs.Create name)) (name + ": fits its task")
                if Seq.contains (name + "-shifted") ContinuousEnvs.Names then
                    Expect.isTrue (reward.Fits(ContinuousEnvs.Create(name + "-shifted"))) (name + ": fits its shifted twin (transfer)")
                let size = (ShippedRewards.CheckpointBytes name).LongLength + int64 (ShippedRewards.Description name).Length
                expectBelow 2e5 (float size) (name + ": size of the shipped files (bytes)")

        testCase "the pendulum reward scores the expert's actions above uniformly random actions on the same states" <| fun () ->
            let env = ContinuousEnvs.Create "pendulum"
            let demos = ShippedExperts.Demonstrations "pendulum"
            use reward = ShippedRewards.Load "pendulum"
            let expert = reward.Rewards(demos, Demonstrations.Terminations(demos, env.Spec.MaxSteps)) |> Array.average
            let randomData, terminated = pendulumRandomActions env demos 1UL
            let random = reward.Rewards(randomData, terminated) |> Array.average
            Expect.isTrue (Double.IsFinite expert && Double.IsFinite random) (sprintf "finite means (expert %g, random %g)" expert random)
            Expect.isGreaterThan expert random (sprintf "mean reward of the expert's transitions (%g) above that of random actions (%g)" expert random)

        testCase "the embedded files are what NeuralReward.Save writes for the loaded reward" <| fun () ->
            for name in ShippedRewards.Names do
                let dir = freshTempDir "trirl-shipped-reward"
                try
                    use reward = ShippedRewards.Load name
                    reward.Save dir
                    Expect.equal (File.ReadAllBytes(Path.Combine(dir, NeuralReward.FileName))) (ShippedRewards.CheckpointBytes name) (name + ": reward.ckpt")
                    Expect.equal (File.ReadAllText(Path.Combine(dir, NeuralReward.DescriptionFile))) (ShippedRewards.Description name) (name + ": reward.json")
                finally
                    Directory.Delete(dir, true)

        testCase "a task without a shipped reward is an error naming the field, the task and the fix" <| fun () ->
            // a name no task has, and the registered tasks that ship no reward
            let without = "acrobot" :: [ for n in ContinuousEnvs.Names do if not (ShippedRewards.Has n) then n ]
            for env in without do
                let e = expectInputError "env" [ sprintf "'%s'" env; "no shipped reward"; "pendulum"; "trirl train" ] (fun () -> ShippedRewards.Load env)
                Expect.stringContains e.Fix "NeuralReward.Load" "the fix names the way to load a reward of one's own"
            expectInputError "env" [ "is empty" ] (fun () -> ShippedRewards.Load "") |> ignore
            expectInputError "--reward" [ "'acrobot'" ] (fun () -> ShippedRewards.Load("acrobot", "--reward")) |> ignore
            expectInputError "env" [ "'acrobot'" ] (fun () -> ShippedRewards.Command "acrobot") |> ignore
            Expect.isFalse (ShippedRewards.Has "acrobot") "Has"
    ]
