/// `trirl train`, `trirl retrain` and `trirl bench buffer`, run in-process with the tiny preset and demonstrations recorded
/// here (random-policy episodes: the tests check behaviour, never a score): the output contract, exact resume
/// (1,600 steps straight = 800 + resume to 1,600, byte-identical metrics.csv), every algorithm and reward model on a tiny
/// budget, retraining and transfer of a learned reward, and bad input (exit code 2, one clear line, nothing written).
module Trirl.Tests.TrainCliTests

open System
open System.IO
open System.Text.Json
open Expecto
open Trirl.Environments.Data
open Trirl.Tests.CliTests

let private demos =
    lazy
        (let dir = freshDir "train-demos"
         let file = Path.Combine(dir, "demos.npz")
         if run [ "rollout"; "--env"; "pendulum"; "--policy"; "random"; "--episodes"; "4"; "--seed"; "5"; "--out"; file ] <> 0 then
             failtest "recording demonstrations failed"
         file)

let private train (algo: string) (steps: int) (dir: string) (extra: string list) =
    [ "train"; "--env"; "pendulum"; "--algo"; algo; "--steps"; string steps; "--seed"; "2"; "--preset"; "tiny"; "--eval-episodes"; "2"
      "--demos"; demos.Force(); "--out"; dir ] @ extra

// Sequenced: the tests swap Console.Out / Console.Error, and libtorch's thread count is process-wide.
[<Tests>]
let tests =
    testSequenced <| testList "TrainCli" [
        testCase "train writes metrics.csv, timings.csv with the phases, summary.json, report.html, reward/, the policy, a checkpoint and TensorBoard events" <| fun () ->
            let dir = freshDir "train-files"
            let lines = runMetrics dir (train "trirl" 600 dir [])
            let header = lines.[0].Split(',')
            for column in [ "env_steps"; "normalized_return"; "eta"; "eps_tr"; "disc_loss"; "disc_accuracy"; "gradient_penalty"; "policy_kl"; "reward_mean"; "buffer_size" ] do
                Expect.contains header column (sprintf "metrics.csv has %s" column)
            Expect.isFalse (lines.[0].Contains "seconds") "no wall-clock column in metrics.csv"
            Expect.equal (lines |> Array.skip 1 |> Array.map (fun l -> l.Split(',').[0])) [| "200"; "400"; "600" |] "one row per PPO iteration"
            let timings = File.ReadAllLines(Path.Combine(dir, "timings.csv")).[0]
            for phase in [ "acting_seconds"; "discriminator_seconds"; "reward_seconds"; "policy_seconds" ] do
                Expect.stringContains timings phase (sprintf "timings.csv has %s" phase)
            use summary = readSummary dir
            let root = summary.RootElement
            expectSummaryOfLastRow root lines [ "normalized_return"; "seconds"; "env_steps_per_second"; "algo"; "env"; "seed"; "demos"; "reward_model"; "eta_schedule" ]
            Expect.equal (root.GetProperty("algo").GetString()) "trirl" "algo"
            Expect.equal (root.GetProperty("eval_episodes").GetInt32()) 2 "evaluation episodes"
            for file in [ "report.html"; "policy.ckpt"; Path.Combine("checkpoints", "checkpoint.ckpt"); Path.Combine("reward", "reward.ckpt"); Path.Combine("reward", "reward.json") ] do
                Expect.isTrue (File.Exists(Path.Combine(dir, file))) (sprintf "%s written" file)
            Expect.isNonEmpty (Directory.GetFiles(Path.Combine(dir, "tensorboard"), "events.out.tfevents.*")) "TensorBoard events"
            let report = ChartTests.readReport (File.ReadAllText(Path.Combine(dir, "report.html")))
            let lastEta = (Array.last lines).Split(',').[Array.IndexOf(header, "eta")]
            for label, value in
                [ "command", "trirl train"; "environment", "pendulum"; "algorithm", "trirl (preset tiny)"; "env steps", "600"
                  "final eta", Double.Parse(lastEta, Globalization.CultureInfo.InvariantCulture).ToString("G6", Globalization.CultureInfo.InvariantCulture) ] do
                Expect.equal (ChartTests.fact report label) value label
            use reward = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "reward", "reward.json")))
            Expect.equal (reward.RootElement.GetProperty("networks").GetInt32()) 3 "three discriminators in the buffer (K = 4)"
            Expect.isEmpty (Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories)) "no temp file left"
            // Retraining (its own task) and transfer (the shifted twin) of the learned reward, scored with the true reward.
            for env, key in [ "pendulum", "retrain_normalized_return"; "pendulum-shifted", "transfer_normalized_return" ] do
                let out = freshDir "retrain"
                Expect.equal (run [ "retrain"; "--reward"; dir; "--env"; env; "--algo"; "ppo"; "--steps"; "400"; "--preset"; "tiny"; "--eval-episodes"; "2"; "--out"; out ]) 0 (sprintf "retrain on %s" env)
                use s = readSummary out
                Expect.isTrue (fst (s.RootElement.TryGetProperty key)) (sprintf "summary has %s" key)
                Expect.equal (s.RootElement.GetProperty("reward_method").GetString()) "trirl" "names the reward"
                let report = ChartTests.readReport (File.ReadAllText(Path.Combine(out, "report.html")))
                Expect.equal (ChartTests.fact report "command") "trirl retrain" "the retrain report says so"
                Expect.equal (ChartTests.fact report "environment") env "on its env"
            let sac = freshDir "retrain-sac"
            Expect.equal (run [ "retrain"; "--reward"; Path.Combine(dir, "reward"); "--env"; "pendulum"; "--algo"; "sac"; "--steps"; "500"; "--preset"; "tiny"; "--eval-episodes"; "1"; "--out"; sac ]) 0 "retrain with SAC"
            // --eval-every and --set, as rl has them: evaluations on every 2nd row (and the last), the learner's settings patched.
            let sparse = freshDir "retrain-sparse"
            Expect.equal (run [ "retrain"; "--reward"; dir; "--env"; "pendulum"; "--algo"; "ppo"; "--steps"; "800"; "--preset"; "tiny"; "--eval-episodes"; "1"
                                "--eval-every"; "2"; "--set"; "learning_rate=0.00123"; "--out"; sparse ]) 0 "retrain with --eval-every and --set"
            let rows = File.ReadAllLines(Path.Combine(sparse, "metrics.csv"))
            let col = Array.IndexOf(rows.[0].Split(','), "eval_return")
            let evals = rows.[1..] |> Array.map (fun r -> r.Split(',').[col])
            Expect.isGreaterThan evals.Length 2 "several rows"
            evals |> Array.iteri (fun i e ->
                let evaluated = (i + 1) % 2 = 0 || i = evals.Length - 1
                Expect.equal (e <> "NaN") evaluated (sprintf "row %d evaluated: %b (%s)" (i + 1) evaluated e))
            use ss = readSummary sparse
            Expect.equal (ss.RootElement.GetProperty("settings").GetProperty("learner").GetProperty("learning_rate").GetDouble()) 0.00123 "--set reached the learner"
            expectRefused [ "retrain"; "--resume"; sparse; "--steps"; "1600"; "--eval-every"; "3" ] [ "--eval-every" ]
            // The absorbing floor caps r_abs only where an episode terminates; the pendulum never does: the same bytes.
            let floored = freshDir "retrain-floor"
            Expect.equal (run [ "retrain"; "--reward"; dir; "--env"; "pendulum"; "--algo"; "ppo"; "--steps"; "800"; "--preset"; "tiny"; "--eval-episodes"; "1"
                                "--eval-every"; "2"; "--set"; "learning_rate=0.00123"; "--set"; "absorbing_floor=true"; "--out"; floored ]) 0 "retrain with the absorbing floor"
            Expect.equal (metricsBytes floored) (metricsBytes sparse) "no termination, nothing capped: the same metrics.csv"
            use fs = readSummary floored
            Expect.isTrue (fs.RootElement.GetProperty("settings").GetProperty("learner").GetProperty("absorbing_floor").GetBoolean()) "the summary records the floor"
            // A resumed retrain's summary names the reward its fresh start was given (it once said "checkpoint").
            use before = readSummary sparse
            Expect.equal (before.RootElement.GetProperty("reward").GetString()) (Path.GetFullPath dir) "the fresh run names the reward"
            Expect.equal (run [ "retrain"; "--resume"; sparse; "--steps"; "1200" ]) 0 "retrain resumed"
            use after = readSummary sparse
            Expect.isGreaterThan (after.RootElement.GetProperty("env_steps").GetInt64()) (before.RootElement.GetProperty("env_steps").GetInt64()) "the resumed run went on"
            Expect.equal (after.RootElement.GetProperty("reward").GetString()) (Path.GetFullPath dir) "the resumed run names the same reward"

        testCase "exact resume: 4,000 steps straight = 2,000, then --resume to 4,000 (byte-identical metrics.csv; buffer, recursive and compressed reward models, a discriminator history, an average reward)" <| fun () ->
            for extra in [ []; [ "--reward-model"; "recursive"; "--eta-schedule"; "adaptive" ]; [ "--reward-model"; "compressed"; "--eta-schedule"; "constant" ]
                           [ "--set"; "disc_history_size=300" ]; [ "--reward-model"; "recursive"; "--set"; "average_reward=harmonic" ] ] do
                let straight, split = expectExactResume "train" "train" (fun steps dir -> train "trirl" steps dir extra) 4000 (sprintf "%A" extra)
                Expect.isGreaterThan (metricsBytes straight).Length 1000 "metrics.csv holds rows"
                Expect.equal (File.ReadAllBytes(Path.Combine(split, "reward", "reward.ckpt"))) (File.ReadAllBytes(Path.Combine(straight, "reward", "reward.ckpt"))) "the same learned reward"

        testCase "every algorithm and reward model trains a tiny budget" <| fun () ->
            for algo, extra in [ "gail", [ "--obs-only" ]; "airl", []; "bc", []; "trirl", [ "--reward-model"; "compressed"; "--eta-schedule"; "constant" ]; "trirl", [ "--obs-only" ] ] do
                let dir = freshDir "train-algo"
                Expect.equal (run (train algo 400 dir extra)) 0 (sprintf "%s %A" algo extra)
                Expect.equal (File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Length) 3 "two rows"
                Expect.equal (Directory.Exists(Path.Combine(dir, "reward"))) (algo <> "bc") "a reward folder unless bc"

        testCase "--reward-every N keeps rewards/STEPS/ at the first row past each multiple of N, and a resumed run goes on without the flag" <| fun () ->
            // The tiny preset's rows are 200 env steps apart: the multiples 300, 600, 900 and 1,200 are first reached at 400, 600, 1,000 and 1,200.
            let snapshots dir =
                Directory.GetDirectories(Path.Combine(dir, "rewards")) |> Array.map Path.GetFileName |> Array.sort
            let straight = freshDir "train-snapshots"
            Expect.equal (run (train "trirl" 1200 straight [ "--reward-every"; "300" ])) 0 "straight"
            Expect.equal (snapshots straight |> Array.map int |> Array.sort) [| 400; 600; 1000; 1200 |] "a snapshot at the first row past each multiple of 300"
            Expect.equal (File.ReadAllBytes(Path.Combine(straight, "rewards", "1200", "reward.ckpt"))) (File.ReadAllBytes(Path.Combine(straight, "reward", "reward.ckpt"))) "the last snapshot is the final reward"
            let split = freshDir "train-snapshots-split"
            Expect.equal (run (train "trirl" 600 split [ "--reward-every"; "300" ])) 0 "first half"
            Expect.equal (run [ "train"; "--resume"; split; "--steps"; "1200" ]) 0 "resumed without --reward-every"
            Expect.equal (snapshots split |> Array.map int |> Array.sort) [| 400; 600; 1000; 1200 |] "the resumed run kept the interval"
            for steps in [ "400"; "1000"; "1200" ] do
                Expect.equal (File.ReadAllBytes(Path.Combine(split, "rewards", steps, "reward.ckpt"))) (File.ReadAllBytes(Path.Combine(straight, "rewards", steps, "reward.ckpt"))) (sprintf "snapshot %s identical to the straight run's" steps)
            // Bad input: a broken interval file names itself; a non-positive interval and bc are refused.
            File.WriteAllText(Path.Combine(split, "rewards", "every.json"), "{\"every\": 0}")
            expectRefused [ "train"; "--resume"; split; "--steps"; "1400" ] [ "every.json"; "--reward-every" ]
            expectRefused (train "trirl" 400 (freshDir "train-snapshots-zero") [ "--reward-every"; "0" ]) [ "--reward-every"; "must be >= 1" ]
            expectRefused (train "bc" 400 (freshDir "train-snapshots-bc") [ "--reward-every"; "300" ]) [ "--reward-every"; "bc learns no reward" ]

        testCase "--eps-decay N is --set eps_decay_steps=N (the same metrics.csv bytes), and needs the recursive reward model" <| fun () ->
            let short, long = freshDir "train-eps-decay", freshDir "train-eps-decay-set"
            Expect.equal (run (train "trirl" 400 short [ "--reward-model"; "recursive"; "--eps-decay"; "300" ])) 0 "--eps-decay"
            Expect.equal (run (train "trirl" 400 long [ "--reward-model"; "recursive"; "--set"; "eps_decay_steps=300" ])) 0 "--set"
            Expect.equal (metricsBytes short) (metricsBytes long) "the same run"
            use summary = readSummary short
            Expect.equal (summary.RootElement.GetProperty("settings").GetProperty("learner").GetProperty("eps_decay_steps").GetInt64()) 300L "in the settings"
            let plain = freshDir "train-eps-decay-plain"
            Expect.equal (run (train "trirl" 400 plain [ "--reward-model"; "recursive" ])) 0 "no decay"
            Expect.notEqual (metricsBytes plain) (metricsBytes short) "the decay changes the run"
            expectRefused (train "trirl" 400 (freshDir "train-eps-decay-bad") [ "--eps-decay"; "300" ]) [ "eps_decay_steps"; "recursive" ]

        testCase "--average-reward K is --set average_reward=K (the same bytes), exports the average and needs the recursive reward model" <| fun () ->
            let short, long = freshDir "train-average", freshDir "train-average-set"
            Expect.equal (run (train "trirl" 400 short [ "--reward-model"; "recursive"; "--average-reward"; "uniform" ])) 0 "--average-reward"
            Expect.equal (run (train "trirl" 400 long [ "--reward-model"; "recursive"; "--set"; "average_reward=uniform" ])) 0 "--set"
            Expect.equal (metricsBytes short) (metricsBytes long) "the same run"
            let rewardOf dir = File.ReadAllBytes(Path.Combine(dir, "reward", "reward.ckpt"))
            Expect.equal (rewardOf short) (rewardOf long) "the same reward"
            let plain = freshDir "train-average-plain"
            Expect.equal (run (train "trirl" 400 plain [ "--reward-model"; "recursive" ])) 0 "the last iterate"
            Expect.equal (metricsBytes plain) (metricsBytes short) "the policy learns from the same rewards"
            Expect.notEqual (rewardOf plain) (rewardOf short) "but exports another"
            use summary = readSummary short
            Expect.equal (summary.RootElement.GetProperty("settings").GetProperty("learner").GetProperty("average_reward").GetString()) "uniform" "in the settings"
            Expect.stringContains (File.ReadAllText(Path.Combine(short, "reward", "reward.json"))) "\"model\": \"recursive-uniform\"" "the reward says so"
            expectRefused (train "trirl" 400 (freshDir "train-average-bad") [ "--average-reward"; "harmonic" ]) [ "average_reward"; "recursive" ]
            expectRefused (train "trirl" 400 (freshDir "train-average-kind") [ "--reward-model"; "recursive"; "--average-reward"; "mean" ]) [ "average_reward"; "mean" ]

        testCase "the default preset: trirl exports the harmonic average of the recursive model (the policy learns from its last iterate); --reward-model buffer is the buffer, with no average" <| fun () ->
            // Two iterations of the default preset (16 x 128 steps each); only the reward model's flags differ.
            let defaults dir extra = train "trirl" 4096 dir extra |> List.map (fun a -> if a = "tiny" then "default" else a)
            let harmonic, last, buffer = freshDir "train-default", freshDir "train-default-last", freshDir "train-default-buffer"
            Expect.equal (run (defaults harmonic [])) 0 "the default"
            Expect.equal (run (defaults last [ "--reward-model"; "recursive"; "--average-reward"; "none" ])) 0 "the recursive model's last iterate"
            Expect.equal (run (defaults buffer [ "--reward-model"; "buffer" ])) 0 "the buffer"
            let learner dir =
                use summary = readSummary dir
                let l = summary.RootElement.GetProperty("settings").GetProperty("learner")
                l.GetProperty("reward_model").GetString(), (match l.TryGetProperty "average_reward" with | true, v -> v.GetString() | _ -> "(none)")
            Expect.equal (learner harmonic) ("recursive", "harmonic") "the default's settings"
            Expect.equal (learner last) ("recursive", "(none)") "--average-reward none"
            Expect.equal (learner buffer) ("buffer", "(none)") "--reward-model buffer drops the default's average"
            let rewardJson dir = File.ReadAllText(Path.Combine(dir, "reward", "reward.json"))
            Expect.stringContains (rewardJson harmonic) "\"model\": \"recursive-harmonic\"" "the default exports the harmonic average"
            Expect.stringContains (rewardJson last) "\"model\": \"recursive\"" "the last iterate"
            use reward = JsonDocument.Parse(rewardJson buffer)
            Expect.equal (reward.RootElement.GetProperty("networks").GetInt32()) 2 "the buffer holds the two discriminators"
            Expect.equal (metricsBytes last) (metricsBytes harmonic) "the average does not change the run"
            Expect.notEqual (metricsBytes buffer) (metricsBytes harmonic) "the buffer's reward is another"
            let rewardOf dir = File.ReadAllBytes(Path.Combine(dir, "reward", "reward.ckpt"))
            Expect.notEqual (rewardOf last) (rewardOf harmonic) "the average is another reward than the last iterate"

        testCase "bad input: unknown algo, reward model or eta schedule, demos of another task, a truncated npz, a reward of another task or of an unfinished run: exit 2, one line, nothing written" <| fun () ->
            let dir = freshDir "train-bad"
            expectRefused (train "dagger" 200 dir []) [ "--algo"; "dagger"; "trirl, gail, airl or bc" ]
            expectRefused (train "trirl" 200 dir [ "--reward-model"; "exact" ]) [ "--reward-model"; "exact" ]
            expectRefused (train "trirl" 200 dir [ "--eta-schedule"; "cosine" ]) [ "--eta-schedule"; "cosine" ]
            expectRefused (train "gail" 200 dir [ "--eta-schedule"; "adaptive" ]) [ "--eta-schedule"; "trirl" ]
            expectRefused (train "bc" 200 dir [ "--reward-model"; "recursive" ]) [ "--reward-model" ]
            expectRefused (train "trirl" 200 dir [] |> List.map (fun a -> if a = "pendulum" then "cartpole" else a)) [ "--env"; "cartpole" ]
            // Demonstrations of another task: MountainCar's observations have 2 entries, the pendulum's 3.
            let badDemos = freshDir "train-bad-demos"
            let other = Path.Combine(badDemos, "mountaincar.npz")
            Expect.equal (run [ "rollout"; "--env"; "mountaincar"; "--policy"; "random"; "--episodes"; "1"; "--out"; other ]) 0 "mountaincar demos"
            let withDemos file = train "trirl" 200 dir [] |> List.map (fun a -> if a = demos.Force() then file else a)
            expectRefused (withDemos other) [ "--demos"; "observations of size 2"; "pendulum has 3" ]
            let truncated = Path.Combine(badDemos, "truncated.npz")
            let bytes = File.ReadAllBytes(demos.Force())
            File.WriteAllBytes(truncated, Array.sub bytes 0 (bytes.Length / 2))
            expectRefused (withDemos truncated) [ "truncated.npz" ]
            expectRefused (withDemos (Path.Combine(badDemos, "missing.npz"))) [ "--demos"; "does not exist" ]
            Expect.isFalse (Directory.Exists dir) "nothing written"
            // A reward learned on the pendulum cannot be retrained on MountainCar; a bc run has no reward.
            let learned = freshDir "train-bad-reward"
            Expect.equal (run (train "trirl" 200 learned [])) 0 "a tiny trirl run"
            let out = freshDir "retrain-bad"
            expectRefused [ "retrain"; "--reward"; learned; "--env"; "mountaincar"; "--algo"; "sac"; "--steps"; "100"; "--out"; out ] [ "--reward"; "learned on pendulum"; "--env pendulum-shifted" ]
            expectRefused [ "retrain"; "--reward"; learned; "--env"; "pendulum"; "--algo"; "trirl"; "--steps"; "100"; "--out"; out ] [ "--algo" ]
            // The reward of a run that has not ended (a checkpoint but no summary.json) is a checkpoint's: refused, by run
            // folder and by its reward/ folder.
            let unfinished = freshDir "train-unfinished"
            for folder in Directory.GetDirectories(learned, "*", SearchOption.AllDirectories) do
                Directory.CreateDirectory(Path.Combine(unfinished, Path.GetRelativePath(learned, folder))) |> ignore
            for file in Directory.GetFiles(learned, "*", SearchOption.AllDirectories) do
                File.Copy(file, Path.Combine(unfinished, Path.GetRelativePath(learned, file)))
            File.Delete(Path.Combine(unfinished, "summary.json"))
            for reward in [ unfinished; Path.Combine(unfinished, "reward") ] do
                expectRefused [ "retrain"; "--reward"; reward; "--env"; "pendulum"; "--algo"; "sac"; "--steps"; "100"; "--out"; out ] [ "--reward"; "has not finished"; "rewards/STEPS" ]
            let bc = freshDir "train-bad-bc"
            Expect.equal (run (train "bc" 200 bc [])) 0 "a tiny bc run"
            expectRefused [ "retrain"; "--reward"; bc; "--env"; "pendulum"; "--algo"; "sac"; "--steps"; "100"; "--out"; out ] [ "--reward"; "reward.ckpt" ]
            // The absorbing floor belongs to a run that optimises a frozen learned reward: the task's reward has no absorbing
            // reward, and an imitation run's next discriminator scores its falls itself.
            expectRefused [ "rl"; "--env"; "pendulum"; "--algo"; "ppo"; "--steps"; "100"; "--preset"; "tiny"; "--set"; "absorbing_floor=true"; "--out"; out ] [ "absorbing_floor"; "learned reward" ]
            expectRefused (train "trirl" 200 out [ "--set"; "ppo.absorbing_floor=true" ]) [ "absorbing_floor"; "imitation" ]
            Expect.isFalse (Directory.Exists out) "nothing written"
            // Resuming refuses a changed setting.
            expectRefused [ "train"; "--resume"; learned; "--steps"; "400"; "--reward-model"; "compressed" ] [ "--reward-model"; "'buffer'" ]
            expectRefused [ "train"; "--resume"; learned; "--steps"; "400"; "--demos"; demos.Force() ] [ "--demos" ]

        testCase "bench buffer measures the floor and every path, and writes its JSON" <| fun () ->
            let file = Path.Combine(freshDir "bench-buffer", "bench.json")
            Expect.equal (run [ "bench"; "buffer"; "--networks"; "3"; "--batch"; "64"; "--repeats"; "1"; "--out"; file ]) 0 "exit code"
            use doc = JsonDocument.Parse(File.ReadAllText file)
            let paths = [ for p in doc.RootElement.GetProperty("paths").EnumerateArray() -> p.GetProperty("path").GetString() ]
            Expect.equal paths [ "loop"; "batched"; "fused" ] "every path"
            for p in doc.RootElement.GetProperty("paths").EnumerateArray() do
                Expect.isLessThan (p.GetProperty("max_abs_diff_to_loop").GetDouble()) 1e-5 "the same sums as the loop"
    ]
