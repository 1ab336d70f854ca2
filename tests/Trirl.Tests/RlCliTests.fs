/// `trirl rl`, `trirl rollout` and `trirl expert`, run in-process with the tiny preset (tiny networks, a few thousand
/// environment steps): the output contract, byte-identical metrics.csv for the same seed, exact resume for PPO and SAC
/// (4k steps straight = 2k + resume to 4k), the final observation in recorded datasets, and bad input (exit code 2 with
/// one clear message). Never asserts a training score.
module Trirl.Tests.RlCliTests

open System
open System.IO
open System.Text.Json
open Expecto
open Trirl.Environments.Data
open Trirl.Environments
open Trirl.Deep
open Trirl.Functional
open Trirl.Tests.CliTests

let private rl (algo: string) (steps: int) (dir: string) (extra: string list) =
    [ "rl"; "--env"; "pendulum"; "--algo"; algo; "--steps"; string steps; "--seed"; "3"; "--preset"; "tiny"; "--eval-episodes"; "3"; "--out"; dir ] @ extra

// Sequenced: the tests swap Console.Out / Console.Error, and libtorch's thread count is process-wide.
[<Tests>]
let tests =
    testSequenced <| testList "RlCli" [
        testCase "rl writes metrics.csv, timings.csv, summary.json, report.html, policy.ckpt, a checkpoint and TensorBoard events" <| fun () ->
            let dir = freshDir "rl-files"
            let lines = runMetrics dir (rl "ppo" 600 dir [])
            Expect.stringStarts lines.[0] "env_steps,normalized_return,eval_return,eval_return_std,train_return_mean" "header"
            Expect.equal (lines |> Array.skip 1 |> Array.map (fun l -> l.Split(',').[0])) [| "200"; "400"; "600" |] "one row per PPO iteration (4 copies x 50 steps)"
            Expect.stringStarts (File.ReadAllLines(Path.Combine(dir, "timings.csv")).[0]) "env_steps,rollout_seconds,update_seconds,eval_seconds" "timings header"
            use summary = readSummary dir
            let root = summary.RootElement
            expectSummaryOfLastRow root lines [ "normalized_return"; "seconds"; "env_steps_per_second"; "algo"; "env"; "seed" ]
            Expect.equal (root.GetProperty("algo").GetString()) "ppo" "algo"
            Expect.equal (root.GetProperty("env").GetString()) "pendulum" "env"
            Expect.equal (root.GetProperty("seed").GetInt64()) 3L "seed"
            Expect.equal (root.GetProperty("env_steps").GetInt64()) 600L "env steps"
            let html = File.ReadAllText(Path.Combine(dir, "report.html"))
            Expect.isFalse (html.Contains "<script src=") "plotly.js embedded"
            // The header says what the run was; one card per column of metrics.csv and timings.csv besides env_steps.
            let report = ChartTests.readReport html
            let g6 (x: float) = x.ToString("G6", Globalization.CultureInfo.InvariantCulture)
            for label, value in
                [ "command", "trirl rl"; "environment", "pendulum"; "algorithm", "ppo (preset tiny)"; "seed", "3"; "env steps", "600"
                  "normalized return", g6 (root.GetProperty("normalized_return").GetDouble()) ] do
                Expect.equal (ChartTests.fact report label) value label
            let timingColumns = File.ReadAllLines(Path.Combine(dir, "timings.csv")).[0].Split(',').Length
            Expect.equal report.Cards.Length (lines.[0].Split(',').Length - 1 + timingColumns - 1) "a card per column"
            Expect.isTrue (File.Exists(Path.Combine(dir, "policy.ckpt"))) "policy"
            Expect.isTrue (File.Exists(Path.Combine(dir, "checkpoints", "checkpoint.ckpt"))) "checkpoint"
            let events = Directory.GetFiles(Path.Combine(dir, "tensorboard"), "events.out.tfevents.*")
            Expect.equal events.Length 1 "one TensorBoard event file"
            // TFRecord framing: uint64 length, uint32 length CRC, payload, uint32 payload CRC, up to the end of the file.
            let bytes = File.ReadAllBytes events.[0]
            let mutable at = 0
            let mutable records = 0
            while at < bytes.Length do
                let n = int (BitConverter.ToUInt64(bytes, at))
                at <- at + 12 + n + 4
                records <- records + 1
            Expect.equal at bytes.Length "records tile the file"
            Expect.isGreaterThan records 3 "a version record and scalars"
            Expect.isTrue ((Text.Encoding.ASCII.GetString bytes).Contains "metrics/normalized_return") "the normalised return is logged"
            Expect.isEmpty (Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories)) "no temp file left"

        testCase "the same seed gives byte-identical metrics.csv (ppo and sac)" <| fun () ->
            for algo, steps in [ "ppo", 800; "sac", 1000 ] do
                let a, b = freshDir "rl-det-a", freshDir "rl-det-b"
                Expect.equal (run (rl algo steps a [])) 0 "first run"
                Expect.equal (run (rl algo steps b [])) 0 "second run"
                Expect.equal (metricsBytes a) (metricsBytes b) (sprintf "%s: identical bytes" algo)

        testCase "exact resume: 4k steps straight = 2k, then --resume to 4k (byte-identical metrics.csv, ppo and sac)" <| fun () ->
            for algo in [ "ppo"; "sac" ] do
                expectExactResume "rl" "rl" (fun steps dir -> rl algo steps dir []) 4000 algo |> ignore

        testCase "rollout --policy random writes an npz whose episode ends hold final observations; a trained policy rolls out too" <| fun () ->
            let dir = freshDir "rollout"
            let file = Path.Combine(dir, "random.npz")
            Expect.equal (run [ "rollout"; "--env"; "pendulum"; "--policy"; "random"; "--episodes"; "3"; "--seed"; "4"; "--out"; file ]) 0 "random"
            let d = TransitionDataset.Load file
            Expect.equal d.Count 600 "three 200-step episodes"
            Expect.equal d.Episodes 3 "three dones"
            // Within an episode next_obs is the next obs; at an episode's end it is not the next episode's first obs.
            Expect.equal [ for j in 0 .. 2 -> d.NextObs.[3 * 10 + j] ] [ for j in 0 .. 2 -> d.Obs.[3 * 11 + j] ] "inside an episode"
            Expect.notEqual [ for j in 0 .. 2 -> d.NextObs.[3 * 199 + j] ] [ for j in 0 .. 2 -> d.Obs.[3 * 200 + j] ] "at the boundary"
            for i in 0 .. d.Count - 1 do
                let a = d.Acts.[i]
                Expect.isTrue (a >= -2.0f && a <= 2.0f) "uniform over the action box [-2, 2]"
            let runDir = freshDir "rollout-policy"
            Expect.equal (run (rl "ppo" 200 runDir [])) 0 "train a tiny policy"
            let trained = Path.Combine(dir, "trained.npz")
            Expect.equal (run [ "rollout"; "--env"; "pendulum"; "--policy"; runDir; "--episodes"; "2"; "--out"; trained ]) 0 "trained policy"
            Expect.equal (TransitionDataset.Load trained).Count 400 "two episodes"
            expectRefused [ "rollout"; "--env"; "mountaincar"; "--policy"; runDir; "--episodes"; "2"; "--out"; trained ] [ "--policy"; "trained on pendulum" ]

        testCase "rollout --min-return keeps the first episodes that reach it, each whole; too few is exit 2 and no file" <| fun () ->
            let env = ContinuousEnvs.Create "pendulum"
            let all = Rollouts.Record(env, RandomPolicy(env.Spec), 12, 7L)
            let threshold = (Seq.sort all.Returns |> Seq.item 6) // about half of the 12 reach it
            let wanted = [ for k in 0 .. 11 do if all.Returns.[k] >= threshold then yield k ] |> List.truncate 3
            let kept = Rollouts.RecordSuccessful(env, RandomPolicy(env.Spec), 3, 7L, threshold, 12)
            Expect.equal (List.ofSeq kept.Returns) [ for k in wanted -> all.Returns.[k] ] "the first three episodes at or above the threshold"
            Expect.isTrue (kept.Returns |> Seq.forall (fun r -> r >= threshold)) "every kept return reaches it"
            // Each kept episode is the candidate's transitions and states, unchanged (episode k starts at 200 k).
            for i, k in List.indexed wanted do
                let rows (a: Collections.Immutable.ImmutableArray<float32>) first width = [| for j in first * width .. (first + 200) * width - 1 -> a.[j] |]
                Expect.equal (rows kept.Dataset.Obs (200 * i) 3) (rows all.Dataset.Obs (200 * k) 3) (sprintf "obs of episode %d" k)
                Expect.equal (rows kept.Dataset.Acts (200 * i) 1) (rows all.Dataset.Acts (200 * k) 1) (sprintf "acts of episode %d" k)
                let states (a: Collections.Immutable.ImmutableArray<float>) first width = [| for j in first * width .. (first + 200) * width - 1 -> a.[j] |]
                Expect.equal (states kept.States (200 * i) all.StateNames.Length) (states all.States (200 * k) all.StateNames.Length) (sprintf "states of episode %d" k)
            Expect.equal kept.Dataset.Episodes 3 "three dones"
            Expect.equal kept.Truncated.Length 600 "flags kept per transition"
            expectInputError "minReturn" [ "of 12 candidate episodes" ] (fun () -> Rollouts.RecordSuccessful(env, RandomPolicy(env.Spec), 3, 7L, 1e9, 12)) |> ignore
            expectInputError "episodes" [ "episode 12 of a recording of 12" ] (fun () -> all.Episodes [ 12 ]) |> ignore
            let dir = freshDir "rollout-min"
            let file = Path.Combine(dir, "good.npz")
            let args extra = [ "rollout"; "--env"; "pendulum"; "--policy"; "random"; "--episodes"; "3"; "--seed"; "7"; "--out"; file ] @ extra
            Expect.equal (run (args [ "--min-return"; string threshold; "--candidates"; "12" ])) 0 "kept"
            Expect.equal (TransitionDataset.Load file).Rews.Length 600 "three episodes written"
            expectRefused (args [ "--min-return"; "0"; "--candidates"; "12" ] |> List.map (fun a -> if a = file then Path.Combine(dir, "none.npz") else a)) [ "--min-return"; "of 12 candidate episodes" ]
            expectRefused (args [ "--candidates"; "12" ]) [ "--candidates"; "--min-return" ]
            expectRefused (args [ "--min-return"; "0"; "--candidates"; "2" ]) [ "--candidates"; "fewer than --episodes" ]
            Expect.isFalse (File.Exists(Path.Combine(dir, "none.npz"))) "no file when refused"

        testCase "expert trains SAC and writes policy.ckpt, demos.npz and anchors.json" <| fun () ->
            let dir = freshDir "expert"
            Expect.equal (run [ "expert"; "--env"; "pendulum"; "--steps"; "500"; "--preset"; "tiny"; "--demos"; "2"; "--out"; dir ]) 0 "exit code"
            Expect.equal (TransitionDataset.Load(Path.Combine(dir, "demos.npz"))).Episodes 2 "two demonstration episodes"
            use anchors = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "anchors.json")))
            let root = anchors.RootElement
            Expect.equal (root.GetProperty("env").GetString()) "pendulum" "env"
            Expect.equal (root.GetProperty("expert_returns").GetArrayLength()) 100 "100 expert episodes"
            Expect.equal (root.GetProperty("random_returns").GetArrayLength()) 100 "100 random episodes"
            Expect.isTrue (File.Exists(Path.Combine(dir, "policy.ckpt"))) "weights"
            // The anchors file replaces the default anchors of a run.
            let other = freshDir "anchored"
            Expect.equal (run (rl "ppo" 200 other [ "--anchors"; Path.Combine(dir, "anchors.json") ])) 0 "run with --anchors"
            use summary = readSummary other
            Expect.equal (summary.RootElement.GetProperty("anchors").GetProperty("expert_return").GetDouble()) (root.GetProperty("expert_return").GetDouble()) "anchors used"

        testCase "bad input: unknown env, algo, preset or device, and missing flags give exit code 2 and one line" <| fun () ->
            let dir = freshDir "rl-bad"
            expectRefused (rl "ppo" 200 dir [] |> List.map (fun a -> if a = "pendulum" then "acrobot" else a)) [ "--env"; "acrobot" ]
            expectRefused (rl "dqn" 200 dir []) [ "--algo"; "dqn" ]
            expectRefused (rl "ppo" 200 dir [ "--device"; "tpu" ]) [ "--device" ]
            expectRefused (rl "ppo" 200 dir [ "--device"; "cuda" ]) [ "--device"; "cuda" ]
            expectRefused (rl "ppo" 200 dir [] |> List.map (fun a -> if a = "tiny" then "huge" else a)) [ "--preset" ]
            expectRefused [ "rl"; "--algo"; "ppo"; "--steps"; "100"; "--out"; dir ] [ "--env" ]
            expectRefused [ "rl"; "--env"; "pendulum"; "--algo"; "ppo"; "--out"; dir ] [ "--steps" ]
            Expect.isFalse (Directory.Exists dir) "nothing written"

        testCase "resume refuses another env or algorithm, a missing or corrupt checkpoint, and a folder that already holds a run" <| fun () ->
            let dir = freshDir "rl-resume-bad"
            Expect.equal (run (rl "ppo" 200 dir [])) 0 "a ppo run"
            expectRefused [ "rl"; "--resume"; dir; "--steps"; "400"; "--algo"; "sac" ] [ "--algo"; "'sac'"; "'ppo'" ]
            expectRefused [ "rl"; "--resume"; dir; "--steps"; "400"; "--env"; "mountaincar" ] [ "--env"; "'pendulum'" ]
            expectRefused [ "rl"; "--resume"; dir; "--steps"; "100" ] [ "--steps"; "already at 200" ]
            expectRefused (rl "ppo" 200 dir []) [ "--out"; "already holds a run"; "--resume" ]
            expectRefused [ "rl"; "--resume"; freshDir "nothing"; "--steps"; "400" ] [ "--resume" ]
            let ckpt = Path.Combine(dir, "checkpoints", "checkpoint.ckpt")
            let bytes = File.ReadAllBytes ckpt
            bytes.[bytes.Length / 2] <- bytes.[bytes.Length / 2] ^^^ 0xFFuy
            File.WriteAllBytes(ckpt, bytes)
            expectRefused [ "rl"; "--resume"; dir; "--steps"; "400" ] [ "checkpoint.ckpt"; "corrupt" ]
            File.WriteAllBytes(ckpt, Array.sub bytes 0 100)
            expectRefused [ "rl"; "--resume"; dir; "--steps"; "400" ] [ "checkpoint.ckpt"; "truncated" ]
            // A policy file is not a run checkpoint.
            File.Copy(Path.Combine(dir, "policy.ckpt"), ckpt, true)
            expectRefused [ "rl"; "--resume"; dir; "--steps"; "400" ] [ "not a run checkpoint" ]
        testCase "the progress line shows the latest evaluation and its step, n/a before the first (rows between evaluations are NaN)" <| fun () ->
            let cols = System.Collections.Immutable.ImmutableArray.Create("env_steps", "normalized_return", "eval_return")
            let row (steps: float) (score: float) (ret: float) = Trirl.Deep.MetricsRow(cols, System.Collections.Immutable.ImmutableArray.Create(steps, score, ret))
            let progress (r: Trirl.Deep.MetricsRow) = Trirl.Deep.RlProgress(r, Trirl.Deep.TimingRow(r.EnvSteps, 0.0, 0.0, 0.0, 1.0, 1234.0), 3000L)
            let line prev r = Trirl.Cli.Terminal.TrainingProgress.Line(progress r, Trirl.Cli.Terminal.TrainingProgress.LastEvaluated(prev, r))
            let first, evaluated, later = row 1000.0 nan nan, row 2000.0 0.53 -700.12, row 3000.0 nan nan
            Expect.equal (line null first) "env steps 1000/3000 normalized return n/a (no evaluation yet) (1234 steps/s)" "before any evaluation"
            Expect.equal (line null evaluated) "env steps 2000/3000 normalized return 0.53 eval return -700.1 (1234 steps/s)" "an evaluated row"
            Expect.equal (line evaluated later) "env steps 3000/3000 normalized return 0.53 eval return -700.1 at 2000 (1234 steps/s)" "carried forward, with its step"
    ]
