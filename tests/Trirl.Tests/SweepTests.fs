/// Sweeps: the spec's checks, the plan's order and stable ids, plan.csv and config.json round trips, the Slurm script
/// and squeue parsing, and `trirl sweep` in-process: plan (bad specs exit 2 and write nothing), run-one (skip, exit
/// marker), run with child processes, aggregate (deterministic bytes), slurm --dry-run and a missing sbatch.
module Trirl.Tests.SweepTests

open System
open System.IO
open System.Text.RegularExpressions
open Expecto
open Trirl.Experiments
open Trirl.Tests.CliTests

let private example =
    """{"command": "tabular", "grid": {"env": ["gridworld:5", "cliff"], "algo": ["trirl", "mce"], "seed": [0, 1, 2]},
        "fixed": {"beta": 3, "eps": 0.05, "delta": 0.01, "iterations": 20}}"""

/// A small tabular spec: 2 envs x 2 algos x 2 seeds, 3 iterations.
let private small =
    """{"command": "tabular", "grid": {"env": ["gridworld:4", "cliff"], "algo": ["trirl", "mce"], "seed": [0, 1]},
        "fixed": {"beta": 3, "eps": 0.05, "delta": 0.01, "iterations": 3}}"""

let private writeSpec (text: string) =
    let path = Path.Combine(freshTempDir "trirl-spec", "spec.json")
    File.WriteAllText(path, text)
    path

/// Runs the CLI and returns the exit code with what it printed to stdout.
let private runCapturingOutput (args: string list) =
    let out, err = Console.Out, Console.Error
    use captured = new StringWriter()
    try
        Console.SetOut captured
        Console.SetError TextWriter.Null
        let code = Trirl.Cli.Program.Run(List.toArray args)
        code, captured.ToString()
    finally
        Console.SetOut out
        Console.SetError err

let private specError (field: string) (fragments: string list) (json: string) =
    expectInputError field fragments (fun () -> SweepSpec.Parse json) |> ignore

[<Tests>]
let specTests =
    testList "Sweep spec and plan" [
        testCase "the issue's example: 3 axes, 4 fixed flags, 12 runs" <| fun () ->
            let spec = SweepSpec.Parse example
            Expect.equal spec.Command "tabular" "command"
            Expect.equal [ for a in spec.Grid -> a.Name, a.Linked, [ for v in a.Values -> v.[0].Value ] ]
                [ "env", false, [ "gridworld:5"; "cliff" ]; "algo", false, [ "trirl"; "mce" ]; "seed", false, [ "0"; "1"; "2" ] ] "grid"
            Expect.equal [ for f in spec.Fixed -> f.Name, f.Value ] [ "beta", "3"; "eps", "0.05"; "delta", "0.01"; "iterations", "20" ] "numbers keep their JSON text"
            Expect.equal spec.RunCount 12 "runs"

        testCase "bad specs name the JSON path and the fix" <| fun () ->
            specError "spec" [ "not valid JSON" ] "{"
            specError "spec" [ "array" ] "[]"
            specError "spec.command" [ "missing" ] """{"grid": {"seed": [0]}}"""
            specError "spec.command" [ "'bench'"; "tabular, train, retrain, rl" ] """{"command": "bench", "grid": {"seed": [0]}}"""
            specError "spec.grid" [ "missing" ] """{"command": "tabular"}"""
            specError "spec.grid" [ "empty" ] """{"command": "tabular", "grid": {}}"""
            specError "spec.grid.seed" [ "empty list" ] """{"command": "tabular", "grid": {"seed": []}}"""
            specError "spec.grid.seed" [ "not a list" ] """{"command": "tabular", "grid": {"seed": 3}}"""
            specError "spec.grid.seed[1]" [ "repeats" ] """{"command": "tabular", "grid": {"seed": [0, 0]}}"""
            specError "spec.grid.env[0]" [ "object" ] """{"command": "tabular", "grid": {"env": [{}]}}"""
            specError "spec.fixed.beta" [ "also an axis" ] """{"command": "tabular", "grid": {"beta": [1, 2]}, "fixed": {"beta": 3}}"""
            specError "spec.fixed.out" [ "set by the sweep" ] """{"command": "tabular", "grid": {"seed": [0]}, "fixed": {"out": "x"}}"""
            specError "spec.grid.--seed" [ "dash" ] """{"command": "tabular", "grid": {"--seed": [0]}}"""
            specError "spec.seeds" [ "not a key" ] """{"command": "tabular", "grid": {"seed": [0]}, "seeds": 1}"""
            specError "spec.grid.seed" [ "twice" ] """{"command": "tabular", "grid": {"seed": [0], "seed": [1]}}"""
            specError "spec.fixed.set" [ "empty list" ] """{"command": "train", "grid": {"seed": [0]}, "fixed": {"set": []}}"""
            specError "spec.fixed.set[1]" [ "JSON object" ] """{"command": "train", "grid": {"seed": [0]}, "fixed": {"set": ["a=1", {}]}}"""

        testCase "a fixed list repeats the flag in list order; config.json keeps the list and reads it back" <| fun () ->
            let text = """{"command": "train", "grid": {"seed": [0]}, "fixed": {"env": "pendulum", "set": ["ppo.gamma=0.98", "ppo.epochs=20"], "steps": 200}}"""
            let plan = SweepPlan.Expand(SweepSpec.Parse text)
            let run = plan.Runs.[0]
            Expect.equal [ for f in run.Flags -> f.Name, f.Value ]
                [ "seed", "0"; "env", "pendulum"; "set", "ppo.gamma=0.98"; "set", "ppo.epochs=20"; "steps", "200" ] "flags in order"
            let swapped = SweepPlan.Expand(SweepSpec.Parse(text.Replace("\"ppo.gamma=0.98\", \"ppo.epochs=20\"", "\"ppo.epochs=20\", \"ppo.gamma=0.98\"")))
            Expect.notEqual swapped.Runs.[0].Id run.Id "the order of --set matters (a later value overrides), so it is part of the id"
            let config = RunConfig(run, [| "train" |]).Serialize()
            Expect.stringContains config "\"set\": [\n      \"ppo.gamma=0.98\",\n      \"ppo.epochs=20\"\n    ]" "one key, a list"
            let back = RunConfig.Parse(config, "config.json")
            Expect.equal [ for f in back.Run.Flags -> f.Name, f.Value ] [ for f in run.Flags -> f.Name, f.Value ] "read back"

        testCase "a linked axis sets several flags together (an env with its transfer env), not crossed" <| fun () ->
            let spec =
                SweepSpec.Parse
                    """{"command": "tabular", "grid": {"task": [{"env": "gridworld:4", "transfer-env": "gridworld:4:0.3"}, {"env": "cliff", "transfer-env": "cliff:0.2"}],
                        "algo": ["trirl", "mce"]}}"""
            let plan = SweepPlan.Expand spec
            Expect.equal plan.Runs.Count 4 "2 tasks x 2 algos"
            Expect.equal (List.ofSeq plan.GridNames) [ "env"; "transfer-env"; "algo" ] "plan.csv columns"
            Expect.equal [ for r in plan.Runs -> r.Flag "env", r.Flag "transfer-env", r.Flag "algo" ]
                [ "gridworld:4", "gridworld:4:0.3", "trirl"; "gridworld:4", "gridworld:4:0.3", "mce"; "cliff", "cliff:0.2", "trirl"; "cliff", "cliff:0.2", "mce" ] "runs"
            Expect.isTrue (Regex.IsMatch(plan.Runs.[0].Id, "^gridworld-4_trirl_[0-9a-f]{8}$")) plan.Runs.[0].Id
            specError "spec.grid.task[1]" [ "not an object" ] """{"command": "tabular", "grid": {"task": [{"env": "cliff"}, "cliff"]}}"""
            specError "spec.grid.task[1]" [ "sets env, algo"; "first value sets env" ] """{"command": "tabular", "grid": {"task": [{"env": "cliff"}, {"env": "x", "algo": "mce"}]}}"""
            specError "spec.grid.task[0]" [ "empty object" ] """{"command": "tabular", "grid": {"task": [{}]}}"""
            specError "spec.grid.env" [ "which axis task sets too" ] """{"command": "tabular", "grid": {"task": [{"env": "cliff"}], "env": ["x"]}}"""
            specError "spec.fixed.env" [ "axis task" ] """{"command": "tabular", "grid": {"task": [{"env": "cliff"}]}, "fixed": {"env": "x"}}"""

        testCase "the plan is the grid's product with the last axis fastest; ids are readable, stable and unique" <| fun () ->
            let plan = SweepPlan.Expand(SweepSpec.Parse example)
            Expect.equal plan.Runs.Count 12 "12 runs"
            Expect.equal [ for r in plan.Runs |> Seq.take 4 -> r.Flag "env", r.Flag "algo", r.Flag "seed" ]
                [ "gridworld:5", "trirl", "0"; "gridworld:5", "trirl", "1"; "gridworld:5", "trirl", "2"; "gridworld:5", "mce", "0" ] "order"
            Expect.isTrue (Regex.IsMatch(plan.Runs.[0].Id, "^gridworld-5_trirl_s0_[0-9a-f]{8}$")) plan.Runs.[0].Id
            Expect.isTrue (Regex.IsMatch(plan.Runs.[11].Id, "^cliff_mce_s2_[0-9a-f]{8}$")) plan.Runs.[11].Id
            Expect.equal (plan.Runs |> Seq.map (fun r -> r.Id) |> Seq.distinct |> Seq.length) 12 "unique"
            Expect.equal [ for r in plan.Runs -> r.Index ] [ 0 .. 11 ] "indices"
            // The same flags in another order give the same ids; another fixed value changes every id.
            let reordered =
                """{"fixed": {"iterations": 20, "delta": 0.01, "eps": 0.05, "beta": 3}, "command": "tabular",
                    "grid": {"env": ["gridworld:5", "cliff"], "algo": ["trirl", "mce"], "seed": [0, 1, 2]}}"""
            Expect.equal [ for r in SweepPlan.Expand(SweepSpec.Parse reordered).Runs -> r.Id ] [ for r in plan.Runs -> r.Id ] "order-free ids"
            let changed = SweepPlan.Expand(SweepSpec.Parse(example.Replace("\"iterations\": 20", "\"iterations\": 21")))
            for a, b in Seq.zip plan.Runs changed.Runs do
                Expect.notEqual a.Id b.Id "another flag value, another id"
            Expect.equal (RunIds.Canonical("tabular", [| SweepFlag("seed", "0"); SweepFlag("algo", "mce") |])) "command=tabular\nalgo=mce\nseed=0\n" "canonical text"

        testCase "plan.csv and config.json read back what was written (quoted cells too)" <| fun () ->
            let spec = SweepSpec.Parse """{"command": "tabular", "grid": {"env": ["file:/a,b \"c\".json", "cliff"]}, "fixed": {"algo": "trirl"}}"""
            let plan = SweepPlan.Expand spec
            let csv = plan.ToCsv()
            Expect.stringStarts csv "index,id,command,env\n0," "header"
            Expect.stringContains csv "\"file:/a,b \"\"c\"\".json\"" "quoted cell"
            Expect.equal (PlanTable.Ids(csv, "plan.csv") |> List.ofSeq) [ for r in plan.Runs -> r.Id ] "ids"
            Expect.equal (PlanTable.GridNames(csv, "plan.csv") |> List.ofSeq) [ "env" ] "grid names"
            let config = RunConfig(plan.Runs.[0], [| "tabular"; "--env"; "x" |])
            let back = RunConfig.Parse(config.Serialize(), "config.json")
            Expect.equal (back.Run.Index, back.Run.Id, back.Run.Command) (0, plan.Runs.[0].Id, "tabular") "run"
            Expect.equal [ for f in back.Run.Flags -> f.Name, f.Value ] [ for f in plan.Runs.[0].Flags -> f.Name, f.Value ] "flags"
            Expect.equal (List.ofSeq back.Args) [ "tabular"; "--env"; "x" ] "args"
            expectInputError "plan.csv" [ "not a plan.csv" ] (fun () -> PlanTable.Ids("a,b\n", "plan.csv")) |> ignore

        testCase "the Slurm script: one array task per run, %K, --requeue, logs under DIR/slurm, run-one with absolute paths" <| fun () ->
            let settings = SlurmSettings("trirl-x", "debug", "01:30:00", 2, "4G", 3)
            let script = SlurmScript.Render(settings, 12, "/data/sweep", [| "/usr/bin/dotnet"; "/opt/trirl/trirl.dll" |])
            let lines = script.Split('\n')
            Expect.equal lines.[0] "#!/bin/bash" "shebang"
            for line in
                [ "#SBATCH --job-name=trirl-x"; "#SBATCH --array=0-11%3"; "#SBATCH --requeue"; "#SBATCH --output=/data/sweep/slurm/%A_%a.out"
                  "#SBATCH --partition=debug"; "#SBATCH --time=01:30:00"; "#SBATCH --cpus-per-task=2"; "#SBATCH --mem=4G"
                  "exec '/usr/bin/dotnet' '/opt/trirl/trirl.dll' sweep run-one '/data/sweep' --index \"$SLURM_ARRAY_TASK_ID\"" ] do
                Expect.contains lines line "script line"
            // Every #SBATCH line comes before the first command (sbatch stops reading them there).
            let firstCommand = lines |> Array.findIndex (fun l -> l <> "" && not (l.StartsWith "#"))
            Expect.isTrue (lines |> Array.indexed |> Array.forall (fun (i, l) -> not (l.StartsWith "#SBATCH") || i < firstCommand)) "directives first"
            let plain = SlurmScript.Render(SlurmSettings("j"), 1, "/d", [| "/bin/trirl" |])
            Expect.stringContains plain "#SBATCH --array=0-0\n" "no limit"
            Expect.isFalse (plain.Contains "--partition") "no partition"
            expectInputError "DIR" [ "space" ] (fun () -> SlurmScript.Render(SlurmSettings("j"), 1, "/my sweep", [| "/bin/trirl" |])) |> ignore
            for t in [ "30"; "10:00"; "01:00:00"; "2-00"; "1-12:30:00"; "UNLIMITED" ] do SlurmSettings("j", time = t) |> ignore
            expectInputError "time" [ "'1h'" ] (fun () -> SlurmSettings("j", time = "1h")) |> ignore
            expectInputError "mem" [ "'4GB'" ] (fun () -> SlurmSettings("j", memory = "4GB")) |> ignore
            expectInputError "partition" [ "'a b'" ] (fun () -> SlurmSettings("j", partition = "a b")) |> ignore

        testCase "squeue output: tasks by state, unexpanded array ranges counted" <| fun () ->
            let q = QueueCounts.Parse "12_[4-9%2]|PENDING\n12_1|RUNNING\n12_2|COMPLETING\n12_3|REQUEUED\n12_0|STOPPED\n"
            Expect.equal (q.Pending, q.Running, q.Other, q.Listed) (7, 2, 1, 10) "counts"
            Expect.equal (QueueCounts.Parse "").Listed 0 "ended"
            Expect.equal (QueueCounts.Parse "7_[0,2,5-6]|PENDING").Pending 4 "comma list"
    ]

// Sequenced: the tests swap Console.Out / Console.Error and PATH.
[<Tests>]
let cliTests =
    testSequenced <| testList "Sweep CLI" [
        testCase "sweep plan validates every run with the command's own checks; bad specs exit 2 and write nothing" <| fun () ->
            let cases =
                [ """{"command": "tabular", "grid": {"env": ["cliff"], "algo": ["trirl"], "sed": [0]}}""", [ "spec.grid.sed"; "not a flag of trirl tabular" ]
                  """{"command": "tabular", "grid": {"env": ["cliff", "gridworld:4"], "algo": ["trirl"]}, "fixed": {"eps": 0}}""", [ "spec run 0"; "--eps" ]
                  """{"command": "tabular", "grid": {"env": ["cliff"], "algo": ["nope"]}}""", [ "--algo"; "unknown algorithm" ]
                  """{"command": "tabular", "grid": {"env": ["cliff"], "algo": ["trirl"]}, "fixed": {"iterations": "abc"}}""", [ "--iterations"; "not a whole number" ]
                  """{"command": "tabular", "grid": {"algo": ["trirl"]}}""", [ "--env: is required" ]
                  """{"command": "tabular", "grid": {}}""", [ "spec.grid: is empty" ]
                  """{"command": "train", "grid": {"seed": [0]}}""", [ "--steps: is required" ]
                  """{"command": "train", "grid": {"algo": ["dagger"]}, "fixed": {"env": "pendulum", "steps": 200}}""", [ "spec run 0"; "--algo"; "dagger" ]
                  """{"command": "retrain", "grid": {"seed": [0]}, "fixed": {"steps": 100}}""", [ "--reward"; "is missing" ]
                  // A fixed flag that one algorithm of the grid refuses is caught when planning, not when that run starts.
                  """{"command": "train", "grid": {"algo": ["gail", "bc"]}, "fixed": {"env": "pendulum", "steps": 200, "preset": "tiny", "reward-every": 100}}""",
                  [ "spec run 1"; "--reward-every"; "bc learns no reward" ]
                  // A list repeats a flag: only for one the command takes several times.
                  """{"command": "train", "grid": {"seed": [0]}, "fixed": {"env": "pendulum", "steps": 200, "eps": [0.1, 0.2]}}""",
                  [ "spec.fixed.eps"; "list of 2 values"; "takes eps once" ]
                  """{"command": "train", "grid": {"seed": [0]}, "fixed": {"env": "pendulum", "algo": "trirl", "steps": 200, "preset": "tiny", "set": ["eps=0.1", "nope=1"]}}""",
                  [ "spec run 0"; "--set"; "nope=1" ] ]
            for spec, fragments in cases do
                let dir = freshDir "sweep-bad"
                let code, err = runCapturingErrors [ "sweep"; "plan"; "--spec"; writeSpec spec; "--out"; dir ]
                Expect.equal code 2 (sprintf "exit code for %s (%s)" spec err)
                Expect.equal (err.TrimEnd().Split('\n').Length) 1 "one line"
                Expect.stringStarts err "error: " "error line"
                for f in fragments do Expect.stringContains err f "names the problem"
                Expect.isFalse (Directory.Exists dir) "nothing written"
            let code, err = runCapturingErrors [ "sweep"; "plan"; "--spec"; "/does/not/exist.json"; "--out"; freshDir "x" ]
            Expect.equal code 2 (sprintf "missing spec: %s" err)

        testCase "sweep plan writes plan.csv and runs/<id>/config.json; the same plan again changes nothing, another is refused" <| fun () ->
            let dir = freshDir "sweep-plan"
            let spec = writeSpec small
            Expect.equal (run [ "sweep"; "plan"; "--spec"; spec; "--out"; dir ]) 0 "plan"
            let lines = File.ReadAllLines(Path.Combine(dir, "plan.csv"))
            Expect.equal lines.[0] "index,id,command,env,algo,seed" "header"
            Expect.equal lines.Length 9 "8 runs"
            let id = lines.[1].Split(',').[1]
            let config = File.ReadAllText(Path.Combine(dir, "runs", id, "config.json"))
            Expect.stringContains config "\"--iterations\",\n    \"3\"" "args with the fixed flags"
            let stamp = File.GetLastWriteTimeUtc(Path.Combine(dir, "plan.csv"))
            Expect.equal (run [ "sweep"; "plan"; "--spec"; spec; "--out"; dir ]) 0 "same plan again"
            Expect.equal (File.GetLastWriteTimeUtc(Path.Combine(dir, "plan.csv"))) stamp "not rewritten"
            let code, err = runCapturingErrors [ "sweep"; "plan"; "--spec"; writeSpec (small.Replace("\"iterations\": 3", "\"iterations\": 4")); "--out"; dir ]
            Expect.equal code 2 "another plan"
            Expect.stringContains err "already holds another plan" "message"

        testCase "a fixed list of --set reaches the run: both changes in its settings, the later one winning" <| fun () ->
            let dir = freshDir "sweep-set-list"
            let spec =
                """{"command": "train", "grid": {"seed": [0]},
                    "fixed": {"env": "pendulum", "algo": "trirl", "steps": 200, "preset": "tiny", "eval-episodes": 1, "set": ["eps=0.3", "buffer_size=3", "eps=0.15"]}}"""
            Expect.equal (run [ "sweep"; "plan"; "--spec"; writeSpec spec; "--out"; dir ]) 0 "plan"
            Expect.equal (run [ "sweep"; "run-one"; dir; "--index"; "0" ]) 0 "run-one"
            let id = File.ReadAllLines(Path.Combine(dir, "plan.csv")).[1].Split(',').[1]
            let summary = File.ReadAllText(Path.Combine(dir, "runs", id, "summary.json"))
            Expect.stringContains summary "\"eps\": 0.15," "the last eps wins"
            Expect.stringContains summary "\"buffer_size\": 3," "buffer size set"

        testCase "run-one runs one run in-process, writes its exit marker, and skips it the second time; a bad index exits 2" <| fun () ->
            let dir = freshDir "sweep-one"
            Expect.equal (run [ "sweep"; "plan"; "--spec"; writeSpec small; "--out"; dir ]) 0 "plan"
            let id = File.ReadAllLines(Path.Combine(dir, "plan.csv")).[2].Split(',').[1]
            Expect.equal (run [ "sweep"; "run-one"; dir; "--index"; "1" ]) 0 "run-one"
            Expect.isTrue (File.Exists(Path.Combine(dir, "runs", id, "summary.json"))) "summary.json"
            Expect.equal (File.ReadAllText(Path.Combine(dir, "runs", id, "exit_code"))) "0\n" "exit marker"
            let code, out = runCapturingOutput [ "sweep"; "run-one"; dir; "--index"; "1" ]
            Expect.equal code 0 "second time"
            Expect.stringContains out "skipped" "skipped"
            let code, err = runCapturingErrors [ "sweep"; "run-one"; dir; "--index"; "8" ]
            Expect.equal code 2 "index out of range"
            Expect.stringContains err "0..7" "names the range"
            let code, err = runCapturingErrors [ "sweep"; "run-one"; freshDir "none"; "--index"; "0" ]
            Expect.equal code 2 "no plan"
            Expect.stringContains err "holds no plan.csv" "message"

        testCase "a run another live process holds is refused, its files untouched; a lock whose process ended, or from another machine, is taken over" <| fun () ->
            let dir = freshDir "sweep-lock"
            Expect.equal (run [ "sweep"; "plan"; "--spec"; writeSpec small; "--out"; dir ]) 0 "plan"
            let id = File.ReadAllLines(Path.Combine(dir, "plan.csv")).[1].Split(',').[1]
            let lockPath = Path.Combine(dir, "runs", id, "run.lock")
            let writeLock (machine: string) (pid: int) (start: DateTime) =
                File.WriteAllText(lockPath, sprintf "{\"Machine\":\"%s\",\"Pid\":%d,\"StartTicks\":%d}" machine pid (start.ToUniversalTime().Ticks))
                File.SetLastWriteTimeUtc(lockPath, DateTime.UtcNow.AddMinutes -1.0)
            // Held: this test process, alive, on this machine.
            use self = Diagnostics.Process.GetCurrentProcess()
            writeLock Environment.MachineName self.Id self.StartTime
            let code, err = runCapturingErrors [ "sweep"; "run-one"; dir; "--index"; "0" ]
            Expect.equal code 2 "refused while held"
            Expect.stringContains err (sprintf "run %s is already running (process %d" id self.Id) "names the run and the holder"
            Expect.isFalse (File.Exists(Path.Combine(dir, "runs", id, "summary.json"))) "nothing run"
            Expect.isFalse (File.Exists(Path.Combine(dir, "runs", id, "exit_code"))) "no exit marker written"
            Expect.isTrue (File.Exists lockPath) "the holder's lock left in place"
            // The same process id with another start time is a later process that reuses the id: stale.
            writeLock Environment.MachineName self.Id (self.StartTime.AddSeconds -5.0)
            Expect.equal (run [ "sweep"; "run-one"; dir; "--index"; "0" ]) 0 "a stale lock is taken over"
            Expect.isTrue (File.Exists(Path.Combine(dir, "runs", id, "summary.json"))) "the run ran"
            Expect.isFalse (File.Exists lockPath) "released when the run ends"
            // Another machine's lock (a Slurm task requeued after its node failed) is stale too.
            let id2 = File.ReadAllLines(Path.Combine(dir, "plan.csv")).[2].Split(',').[1]
            let lock2 = Path.Combine(dir, "runs", id2, "run.lock")
            File.WriteAllText(lock2, sprintf "{\"Machine\":\"another-node\",\"Pid\":%d,\"StartTicks\":%d}" self.Id (self.StartTime.ToUniversalTime().Ticks))
            File.SetLastWriteTimeUtc(lock2, DateTime.UtcNow.AddMinutes -1.0)
            Expect.equal (run [ "sweep"; "run-one"; dir; "--index"; "1" ]) 0 "another machine's lock is taken over"
            Expect.isFalse (File.Exists lock2) "released"

        testCase "a run that another trirl process is running is refused (the holder's start time as that process dates itself)" <| fun () ->
            // Each process dates a process's start from its own estimate of the boot time; the lock must hold across them.
            let dir = freshDir "sweep-lock-child"
            let spec = """{"command": "train", "grid": {"seed": [0]}, "fixed": {"env": "pendulum", "algo": "trirl", "preset": "tiny", "steps": 5000000}}"""
            Expect.equal (run [ "sweep"; "plan"; "--spec"; writeSpec spec; "--out"; dir ]) 0 "plan"
            let id = File.ReadAllLines(Path.Combine(dir, "plan.csv")).[1].Split(',').[1]
            let lockPath = Path.Combine(dir, "runs", id, "run.lock")
            let info = Diagnostics.ProcessStartInfo("dotnet", [| Path.Combine(AppContext.BaseDirectory, "trirl.dll"); "sweep"; "run-one"; dir; "--index"; "0" |],
                                                   RedirectStandardOutput = true, RedirectStandardError = true)
            use child = Diagnostics.Process.Start info |> nonNull
            try
                let deadline = DateTime.UtcNow.AddSeconds 60.0
                let held () = File.Exists lockPath && (try File.ReadAllText(lockPath).EndsWith "}" with :? IOException -> false)
                while not (held ()) && not child.HasExited && DateTime.UtcNow < deadline do Threading.Thread.Sleep 100
                Expect.isTrue (held ()) "the child took the lock"
                Expect.isFalse child.HasExited "the child is still running"
                // The lock alone (a run-one taking it wrongly would go on to train for minutes).
                let e = Expect.throwsC (fun () -> Trirl.Cli.Sweeps.RunLock.Acquire(Path.Combine(dir, "runs", id), id).Dispose()) (fun (e: exn) -> e)
                Expect.stringContains e.Message (sprintf "run %s is already running (process %d" id child.Id) "refused, naming the child"
                Expect.isTrue (File.Exists lockPath) "the child's lock left in place"
            finally
                if not child.HasExited then child.Kill true
                child.WaitForExit()

        testCase "sweep run --jobs 2 runs the rest as child processes; aggregate writes the same bytes twice for a seed" <| fun () ->
            let dir = freshDir "sweep-run"
            Expect.equal (run [ "sweep"; "plan"; "--spec"; writeSpec small; "--out"; dir ]) 0 "plan"
            Expect.equal (run [ "sweep"; "run-one"; dir; "--index"; "0" ]) 0 "one run done before"
            let code, out = runCapturingOutput [ "sweep"; "run"; dir; "--jobs"; "2" ]
            Expect.equal code 0 (sprintf "sweep run: %s" out)
            Expect.stringContains out "8 runs, 1 done, 7 to run, 2 at a time" "skips the finished run"
            Expect.stringContains out "[8/8] ok" "progress lines"
            for line in File.ReadAllLines(Path.Combine(dir, "plan.csv")) |> Array.skip 1 do
                let id = line.Split(',').[1]
                Expect.isTrue (File.Exists(Path.Combine(dir, "runs", id, "summary.json"))) (sprintf "%s finished" id)
            Expect.isTrue (File.Exists(Path.Combine(dir, "logs", (File.ReadAllLines(Path.Combine(dir, "plan.csv")).[2].Split(',').[1]) + ".log"))) "a log per child"
            let a, b = freshDir "agg-a", freshDir "agg-b"
            Expect.equal (run [ "sweep"; "aggregate"; dir; "--out"; a ]) 0 "aggregate"
            Expect.equal (run [ "sweep"; "aggregate"; dir; "--out"; b ]) 0 "aggregate again"
            let csv = File.ReadAllLines(Path.Combine(a, "aggregate.csv"))
            Expect.equal csv.[0] "env,algo,n,mean,median,iqm,iqm_low,iqm_high" "header"
            Expect.equal [ for l in Array.skip 1 csv -> l.Split(',').[0..2] |> String.concat "," ]
                [ "gridworld:4,trirl,2"; "gridworld:4,mce,2"; "cliff,trirl,2"; "cliff,mce,2" ] "groups in plan order"
            Expect.equal (File.ReadAllBytes(Path.Combine(a, "aggregate.csv"))) (File.ReadAllBytes(Path.Combine(b, "aggregate.csv"))) "same bytes"
            Expect.stringContains (File.ReadAllText(Path.Combine(a, "aggregate.md"))) "## Paper table" "markdown"
            Expect.isTrue (File.Exists(Path.Combine(a, "aggregate-retrain.csv"))) "retraining scores"
            let html = File.ReadAllText(Path.Combine(a, "report.html"))
            Expect.stringContains html "performance profiles" "profiles"
            Expect.isFalse (html.Contains "<script src=") "plotly.js embedded"
            let report = ChartTests.readReport html
            Expect.equal (ChartTests.fact report "command") "trirl sweep aggregate" "the header"
            Expect.equal (ChartTests.fact report "runs") "8" "every run"
            Expect.equal (ChartTests.fact report "tasks") "2" "two tasks"
            Expect.isTrue (List.forall id report.Cards) "the 900 px interval plots and profiles span the row"
            let code, err = runCapturingErrors [ "sweep"; "aggregate"; dir; "--out"; freshDir "agg-c"; "--resamples"; "100" ]
            Expect.equal code 2 (sprintf "too few resamples: %s" err)
            // The report's scores.csv stands in for the sweep: the same tables, byte for byte, without the run folders.
            let scores = Path.Combine(a, "scores.csv")
            Expect.equal (File.ReadAllLines(scores).[0]) "env,algo,run,normalized_return,retrain_normalized_return,transfer_normalized_return" "scores header"
            Expect.equal (File.ReadAllLines(scores).Length) 9 "one row per run"
            let fromTable = freshDir "agg-table"
            Expect.equal (run [ "sweep"; "aggregate"; scores; "--out"; fromTable ]) 0 "aggregate the score table"
            for file in [ "aggregate.csv"; "aggregate-retrain.csv"; "scores.csv" ] do
                Expect.equal (File.ReadAllBytes(Path.Combine(fromTable, file))) (File.ReadAllBytes(Path.Combine(a, file))) (file + ": same bytes from the table")
            let badDir = freshDir "bad-table"
            Directory.CreateDirectory badDir |> ignore
            let bad = Path.Combine(badDir, "bad.csv")
            File.WriteAllText(bad, "env,algo,run,normalized_return\ncliff,trirl,r0,high\n")
            let code, err = runCapturingErrors [ "sweep"; "aggregate"; bad; "--out"; freshDir "agg-bad" ]
            Expect.equal code 2 "a bad score table"
            Expect.stringContains err "row 2, column normalized_return" "names the row and the column"

        testCase "aggregate --tasks keeps the listed tasks' runs and refuses a task that no run has, an empty name and a name given twice" <| fun () ->
            let tableDir = freshDir "tasks-table"
            Directory.CreateDirectory tableDir |> ignore
            let table = Path.Combine(tableDir, "scores.csv")
            let rows =
                [ for env, shift in [ "hopper", 0.0; "walker2d", 0.5; "ant", -1.0 ] do
                    for algo, off in [ "trirl", 0.1; "airl", 0.0 ] do
                        for s in 0 .. 3 -> sprintf "%s,%s,s%d,%g,," env algo s (shift + off + 0.01 * float s) ]
            File.WriteAllLines(table, "env,algo,run,normalized_return,retrain_normalized_return,transfer_normalized_return" :: rows)
            let out = freshDir "agg-tasks"
            Expect.equal (run [ "sweep"; "aggregate"; table; "--tasks"; "hopper,walker2d"; "--out"; out ]) 0 "two of three tasks"
            let labels =
                File.ReadAllLines(Path.Combine(out, "aggregate.csv")) |> Array.skip 1
                |> Array.map (fun l -> String.concat "," (l.Split(',').[0..1])) |> Array.toList
            Expect.equal labels [ "hopper,trirl"; "hopper,airl"; "walker2d,trirl"; "walker2d,airl" ] "only hopper's and walker2d's rows"
            Expect.equal (File.ReadAllLines(Path.Combine(out, "scores.csv")).Length) 17 "16 runs and the header"
            // The filter is the table without ant's rows: the same runs in the same order, so the same bytes.
            let twoTasks = Path.Combine(tableDir, "two.csv")
            File.WriteAllLines(twoTasks, File.ReadAllLines(table) |> Array.filter (fun l -> not (l.StartsWith "ant,")))
            let direct = freshDir "agg-two"
            Expect.equal (run [ "sweep"; "aggregate"; twoTasks; "--out"; direct ]) 0 "the two-task table"
            Expect.equal (File.ReadAllBytes(Path.Combine(out, "aggregate.csv"))) (File.ReadAllBytes(Path.Combine(direct, "aggregate.csv"))) "same bytes as the table without ant"
            let code, err = runCapturingErrors [ "sweep"; "aggregate"; table; "--tasks"; "hopper,hoper"; "--out"; freshDir "agg-typo" ]
            Expect.equal code 2 "a task that no run has"
            Expect.stringContains err "--tasks" "names the flag"
            Expect.stringContains err "'hoper'" "names the task"
            Expect.stringContains err "hopper, walker2d, ant" "lists the tasks there are"
            let code, err = runCapturingErrors [ "sweep"; "aggregate"; table; "--tasks"; "hopper,"; "--out"; freshDir "agg-empty" ]
            Expect.equal code 2 (sprintf "an empty task name: %s" err)
            Expect.stringContains err "empty name" "says what is wrong"
            let code, err = runCapturingErrors [ "sweep"; "aggregate"; table; "--tasks"; "hopper,walker2d,hopper"; "--out"; freshDir "agg-twice" ]
            Expect.equal code 2 (sprintf "a task named twice: %s" err)
            Expect.stringContains err "'hopper' twice" "names the task given twice"

        testCase "a sweep with a linked transfer env gives the paper table's three columns" <| fun () ->
            let spec =
                """{"command": "tabular", "grid": {"task": [{"env": "gridworld:4", "transfer-env": "gridworld:4:0.3"}, {"env": "cliff", "transfer-env": "cliff:0.2"}],
                    "algo": ["trirl", "mce"], "seed": [0, 1]}, "fixed": {"iterations": 3}}"""
            let dir = freshDir "sweep-transfer"
            Expect.equal (run [ "sweep"; "plan"; "--spec"; writeSpec spec; "--out"; dir ]) 0 "plan"
            for i in 0 .. 7 do
                Expect.equal (run [ "sweep"; "run-one"; dir; "--index"; string i ]) 0 (sprintf "run %d" i)
            let report = freshDir "sweep-transfer-report"
            Expect.equal (run [ "sweep"; "aggregate"; dir; "--out"; report ]) 0 "aggregate"
            let transfer = File.ReadAllLines(Path.Combine(report, "aggregate-transfer.csv"))
            Expect.equal [ for l in Array.skip 1 transfer -> l.Split(',').[0..2] |> String.concat "," ]
                [ "gridworld:4,trirl,2"; "gridworld:4,mce,2"; "cliff,trirl,2"; "cliff,mce,2" ] "the algo label leaves out the linked transfer env"
            let md = File.ReadAllText(Path.Combine(report, "aggregate.md"))
            Expect.stringContains md "| task | algo | Training | Retraining | Transfer |" "paper table header"
            Expect.stringContains md "| all tasks | trirl |" "aggregate rows"

        testCase "a train sweep and the retrain sweep of its rewards aggregate into one paper table (retrain runs count for the reward's task and method)" <| fun () ->
            let trainDir = freshDir "sweep-train"
            let trainSpec = """{"command": "train", "grid": {"algo": ["trirl", "gail"]}, "fixed": {"env": "pendulum", "steps": 400, "preset": "tiny", "eval-episodes": 1}}"""
            Expect.equal (run [ "sweep"; "plan"; "--spec"; writeSpec trainSpec; "--out"; trainDir ]) 0 "plan train"
            let ids = File.ReadAllLines(Path.Combine(trainDir, "plan.csv")) |> Array.skip 1 |> Array.map (fun l -> l.Split(',').[1])
            let tasks envs =
                [ for id in ids do
                    for env in envs ->
                        sprintf """{"reward": "%s", "env": "%s"}""" (Path.Combine(trainDir, "runs", id, "reward").Replace("\\", "/")) env ]
            let retrainSpec envs =
                sprintf """{"command": "retrain", "grid": {"task": [%s]}, "fixed": {"algo": "ppo", "steps": 400, "preset": "tiny", "eval-episodes": 1}}""" (String.Join(", ", tasks envs))
            // Retraining is planned before its rewards exist (they are planned train runs) and queues behind them: a
            // retrain started early is refused and left unfinished; a task the reward cannot serve is refused at plan time.
            let retrainDir = freshDir "sweep-retrain"
            Expect.equal (run [ "sweep"; "plan"; "--spec"; writeSpec (retrainSpec [ "pendulum"; "pendulum-shifted" ]); "--out"; retrainDir ]) 0 "plan retrain on pending rewards"
            let code, err = runCapturingErrors [ "sweep"; "run-one"; retrainDir; "--index"; "0" ]
            Expect.notEqual code 0 (sprintf "a retrain before its reward exists: %s" err)
            for part in [ "--reward"; "has not finished"; "config.json" ] do Expect.stringContains err part "names the reward and why"
            Expect.isFalse (File.Exists(Path.Combine(Directory.GetDirectories(Path.Combine(retrainDir, "runs")).[0], "summary.json"))) "not finished"
            let code, err = runCapturingErrors [ "sweep"; "plan"; "--spec"; writeSpec (retrainSpec [ "mountaincar" ]); "--out"; freshDir "sweep-retrain-bad" ]
            Expect.equal code 2 (sprintf "a pending reward on another task: %s" err)
            for part in [ "--reward"; "will be learned on pendulum"; "--env pendulum-shifted" ] do Expect.stringContains err part "message"
            let snapshot = Path.Combine(trainDir, "runs", ids.[0], "rewards", "200").Replace("\\", "/")
            let snapshotSpec = sprintf """{"command": "retrain", "grid": {"seed": [0]}, "fixed": {"reward": "%s", "env": "pendulum", "algo": "ppo", "steps": 400}}""" snapshot
            let snapshotDir = freshDir "sweep-retrain-snapshot"
            Expect.equal (run [ "sweep"; "plan"; "--spec"; writeSpec snapshotSpec; "--out"; snapshotDir ]) 0 "a snapshot not written yet is pending too"
            let code, err = runCapturingErrors [ "sweep"; "run-one"; snapshotDir; "--index"; "0" ]
            Expect.notEqual code 0 (sprintf "a retrain before its snapshot exists: %s" err)
            for part in [ "--reward"; "snapshot that its train run has not written yet"; "config.json"; "pass 200 env steps" ] do
                Expect.stringContains err part "names the snapshot and why"
            for i in 0 .. 1 do Expect.equal (run [ "sweep"; "run-one"; trainDir; "--index"; string i ]) 0 (sprintf "train %d" i)
            for i in 0 .. 3 do Expect.equal (run [ "sweep"; "run-one"; retrainDir; "--index"; string i ]) 0 (sprintf "retrain %d" i)
            let report = freshDir "sweep-pooled-report"
            Expect.equal (run [ "sweep"; "aggregate"; trainDir; retrainDir; "--out"; report ]) 0 "aggregate both"
            let labels file = [ for l in Array.skip 1 (File.ReadAllLines(Path.Combine(report, file))) -> l.Split(',').[0..2] |> String.concat "," ]
            Expect.equal (labels "aggregate.csv") [ "pendulum,trirl,1"; "pendulum,gail,1" ] "training: the train runs only"
            Expect.equal (labels "aggregate-retrain.csv") [ "pendulum,trirl,1"; "pendulum,gail,1" ] "retraining: by the reward's task and method"
            Expect.equal (labels "aggregate-transfer.csv") [ "pendulum,trirl,1"; "pendulum,gail,1" ] "transfer: by the reward's task and method"
            let retrained id env =
                let dirs = Directory.GetDirectories(Path.Combine(retrainDir, "runs"))
                let summaries = dirs |> Array.map (fun d -> File.ReadAllText(Path.Combine(d, "summary.json")))
                summaries |> Array.filter (fun t -> t.Contains(sprintf "%s/reward" id) && t.Contains(sprintf "\"env\": \"%s\"" env))
            Expect.equal (retrained ids.[0] "pendulum-shifted").Length 1 "one transfer run per reward"
            let md = File.ReadAllText(Path.Combine(report, "aggregate.md"))
            Expect.stringContains md "| task | algo | Training | Retraining | Transfer |" "paper table header"
            Expect.stringContains md "sweep-train" "names both sweeps"
            Expect.stringContains md "sweep-retrain" "names both sweeps"
            let code, err = runCapturingErrors [ "sweep"; "aggregate"; trainDir; trainDir; "--out"; freshDir "agg-twice" ]
            Expect.equal code 2 (sprintf "the same sweep twice: %s" err)
            Expect.stringContains err "the same sweep twice" "message"

        testCase "an rl sweep: planned with rl's own validation, run-one trains, and a run without its summary resumes from its checkpoint" <| fun () ->
            let spec = """{"command": "rl", "grid": {"algo": ["ppo", "sac"]}, "fixed": {"env": "pendulum", "steps": 200, "preset": "tiny", "eval-episodes": 1}}"""
            let dir = freshDir "sweep-rl"
            Expect.equal (run [ "sweep"; "plan"; "--spec"; writeSpec spec; "--out"; dir ]) 0 "plan"
            let id = File.ReadAllLines(Path.Combine(dir, "plan.csv")).[1].Split(',').[1]
            Expect.stringStarts id "pendulum_ppo_" "id"
            Expect.equal (run [ "sweep"; "run-one"; dir; "--index"; "0" ]) 0 "train"
            let summary = Path.Combine(dir, "runs", id, "summary.json")
            Expect.stringContains (File.ReadAllText summary) "\"normalized_return\"" "summary carries normalized_return"
            File.Delete summary
            let code, out = runCapturingOutput [ "sweep"; "run-one"; dir; "--index"; "0" ]
            Expect.equal code 0 (sprintf "resume: %s" out)
            Expect.stringContains out (sprintf "trirl rl --resume %s" (Path.Combine(dir, "runs", id))) "resumed"
            Expect.isTrue (File.Exists summary) "summary written again"
            for bad, fragment in
                [ """{"command": "rl", "grid": {"algo": ["ppx"]}, "fixed": {"env": "pendulum", "steps": 200}}""", "--algo"
                  """{"command": "rl", "grid": {"algo": ["ppo"]}, "fixed": {"env": "pendulum"}}""", "--steps"
                  """{"command": "rl", "grid": {"algo": ["ppo"]}, "fixed": {"env": "pendulum", "steps": 200, "resume": "x"}}""", "spec.fixed.resume" ] do
                let out = freshDir "sweep-rl-bad"
                let code, err = runCapturingErrors [ "sweep"; "plan"; "--spec"; writeSpec bad; "--out"; out ]
                Expect.equal code 2 (sprintf "exit code for %s (%s)" bad err)
                Expect.stringContains err fragment "names the flag"
                Expect.isFalse (Directory.Exists out) "nothing written"

        testCase "aggregate of a sweep without results exits 2; slurm --dry-run prints the script; a missing sbatch is one line, exit 2" <| fun () ->
            let dir = freshDir "sweep-slurm"
            Expect.equal (run [ "sweep"; "plan"; "--spec"; writeSpec small; "--out"; dir ]) 0 "plan"
            let code, err = runCapturingErrors [ "sweep"; "aggregate"; dir; "--out"; freshDir "agg" ]
            Expect.equal code 2 "no results yet"
            Expect.stringContains err "run the sweep first" "fix"
            let code, out = runCapturingOutput [ "sweep"; "slurm"; dir; "--dry-run"; "--max-parallel"; "3"; "--time"; "10" ]
            Expect.equal code 0 "dry run"
            Expect.stringContains out "#SBATCH --array=0-7%3" "array"
            Expect.stringContains out (sprintf "sweep run-one '%s' --index \"$SLURM_ARRAY_TASK_ID\"" dir) "run-one"
            Expect.isFalse (Directory.Exists(Path.Combine(dir, "slurm"))) "a dry run writes nothing"
            let path = Environment.GetEnvironmentVariable "PATH"
            try
                Environment.SetEnvironmentVariable("PATH", "/nonexistent")
                let code, err = runCapturingErrors [ "sweep"; "slurm"; dir ]
                Expect.equal code 2 "missing sbatch"
                Expect.equal (err.TrimEnd().Split('\n').Length) 1 "one line"
                Expect.stringContains err "sbatch: is not on PATH" "names sbatch"
            finally
                Environment.SetEnvironmentVariable("PATH", path)
            let code, err = runCapturingErrors [ "sweep"; "slurm"; dir; "--time"; "1h" ]
            Expect.equal code 2 (sprintf "bad --time: %s" err)
            let code, _ = runCapturingErrors [ "sweep"; "slurm"; dir; "--max-parallel"; "0" ]
            Expect.equal code 2 "bad --max-parallel"
    ]

// The committed results tables (docs/results/) that `trirl sweep aggregate` makes from committed score tables, re-made
// byte for byte: a score edited by hand, or an aggregate left stale after one, fails here instead of in a reader's diff.
[<Tests>]
let committedResultsTests =
    let tables =
        [ [ "mujoco-scores.csv"; "ant-baselines-scores.csv" ], [],
          [ "aggregate.csv", "mujoco-ant-aggregate.csv"; "aggregate-retrain.csv", "mujoco-ant-aggregate-retrain.csv"; "aggregate-transfer.csv", "mujoco-ant-aggregate-transfer.csv" ]
          [ "mujoco-scores.csv"; "halfcheetah-zoo-retrain-scores.csv" ], [ "--tasks"; "hopper,walker2d,halfcheetah" ],
          [ "aggregate-retrain.csv", "mujoco-hc-aggregate-retrain.csv" ]
          [ "mujoco-scores.csv"; "halfcheetah-zoo-retrain-scores.csv"; "ant-baselines-scores.csv" ], [],
          [ "aggregate-retrain.csv", "mujoco-all-aggregate-retrain.csv"; "aggregate-transfer.csv", "mujoco-all-aggregate-transfer.csv" ]
          [ "ant-baselines-scores.csv" ], [],
          [ "aggregate.csv", "ant-baselines-aggregate.csv"; "aggregate-retrain.csv", "ant-baselines-aggregate-retrain.csv"; "aggregate-transfer.csv", "ant-baselines-aggregate-transfer.csv" ]
          [ "halfcheetah-zoo-retrain-scores.csv" ], [],
          [ "aggregate-retrain.csv", "halfcheetah-zoo-retrain-aggregate-retrain.csv"; "aggregate-transfer.csv", "halfcheetah-zoo-retrain-aggregate-transfer.csv" ]
          [ "hopper-raw-scores.csv" ], [],
          [ "aggregate.csv", "hopper-raw-aggregate.csv"; "aggregate-retrain.csv", "hopper-raw-aggregate-retrain.csv" ] ]
    testSequenced <| testList "Committed results" [
        for inputs, flags, outputs in tables ->
            testCase (sprintf "%s re-make %s byte for byte" (String.concat " + " (inputs @ flags)) (outputs |> List.map snd |> String.concat ", ")) <| fun () ->
                let results = Path.Combine(requiredRepositoryRoot (), "docs", "results")
                let out = freshDir "committed-aggregate"
                Expect.equal (run ([ "sweep"; "aggregate" ] @ [ for f in inputs -> Path.Combine(results, f) ] @ flags @ [ "--out"; out ])) 0 "aggregate the committed score tables"
                for made, committed in outputs do
                    Expect.equal (File.ReadAllBytes(Path.Combine(out, made))) (File.ReadAllBytes(Path.Combine(results, committed))) (sprintf "%s = docs/results/%s" made committed)
    ]
