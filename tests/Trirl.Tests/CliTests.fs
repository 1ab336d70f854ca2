/// The `trirl` command line, run in-process through `Trirl.Cli.Program.Run`: the output contract of
/// `tabular` (files, CSV header and precision, byte-identical reruns), the reference run through the CLI, the demo,
/// and bad input (exit code 2, nothing written).
module Trirl.Tests.CliTests

open System
open System.Globalization
open System.IO
open System.Text.Json
open Expecto
open Trirl.Tests.ReferenceTests

/// A fresh folder path under the temp directory (not created).
let freshDir (tag: string) = Path.Combine(Path.GetTempPath(), sprintf "trirl-cli-%s-%s" tag (Guid.NewGuid().ToString("N")))

/// Runs the CLI with its console output swallowed; returns the exit code.
let run (args: string list) =
    let out, err = Console.Out, Console.Error
    try
        Console.SetOut TextWriter.Null
        Console.SetError TextWriter.Null
        Trirl.Cli.Program.Run(List.toArray args)
    finally
        Console.SetOut out
        Console.SetError err

/// Runs the CLI and returns the exit code with what it printed to stderr.
let runCapturingErrors (args: string list) =
    let out, err = Console.Out, Console.Error
    use captured = new StringWriter()
    try
        Console.SetOut TextWriter.Null
        Console.SetError captured
        let code = Trirl.Cli.Program.Run(List.toArray args)
        code, captured.ToString()
    finally
        Console.SetOut out
        Console.SetError err

/// Bad input: exit code 2, one `error:` line containing `fragment`, and no output folder (the value after `--out`).
let expectBadInput (args: string list, fragment: string) =
    let code, err = runCapturingErrors args
    Expect.equal code 2 (sprintf "exit code of %A" args)
    let lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries)
    Expect.equal lines.Length 1 (sprintf "one error line for %A, got %A" args lines)
    Expect.stringContains lines.[0] fragment (sprintf "the error names %s" fragment)
    match List.tryFindIndex ((=) "--out") args with
    | Some i when i + 1 < args.Length -> Expect.isFalse (Directory.Exists args.[i + 1]) "no output folder"
    | _ -> ()

/// Bad input to a training command: exit code 2 and one `error:` line that names every fragment (the flag, the value,
/// the fix).
let expectRefused (args: string list) (fragments: string list) =
    let code, err = runCapturingErrors args
    Expect.equal code 2 (sprintf "exit code 2 for %A (stderr: %s)" args err)
    Expect.stringStarts err "error: " "one error line"
    Expect.equal (err.TrimEnd().Split('\n').Length) 1 "exactly one line"
    for f in fragments do
        Expect.stringContains err f "the message names the problem"

/// The bytes of a run folder's metrics.csv (the same seed gives the same bytes; a resumed run continues them exactly).
let metricsBytes (dir: string) = File.ReadAllBytes(Path.Combine(dir, "metrics.csv"))

/// A run folder's summary.json, parsed.
let readSummary (dir: string) = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))

/// Runs a training command that writes `dir` (exit code 0 expected) and returns the lines of its metrics.csv.
let runMetrics (dir: string) (args: string list) =
    Expect.equal (run args) 0 "exit code"
    File.ReadAllLines(Path.Combine(dir, "metrics.csv"))

/// A training run's summary.json (`root`) has every key of `keys`, and its normalized_return is the last metrics row's
/// (`lines`: metrics.csv, normalized_return its second column), to the bit, and it names the machine it ran on.
let expectSummaryOfLastRow (root: JsonElement) (lines: string[]) (keys: string list) =
    for key in keys do
        Expect.isTrue (fst (root.TryGetProperty key)) (sprintf "summary has %s" key)
    let lastNormalized = (Array.last lines).Split(',').[1]
    Expect.equal (root.GetProperty("normalized_return").GetDouble()) (Double.Parse(lastNormalized, CultureInfo.InvariantCulture)) "summary = last row"
    // The machine it ran on: the CPU model as /proc/cpuinfo names it (where there is one), the processors, the kernel set.
    let machine = root.GetProperty "machine"
    let cpuinfo =
        if File.Exists "/proc/cpuinfo" then
            File.ReadLines "/proc/cpuinfo" |> Seq.tryFind (fun l -> l.StartsWith "model name") |> Option.map (fun l -> l.Substring(l.IndexOf ':' + 1).Trim())
        else None
    match cpuinfo with
    | Some model when model <> "" -> Expect.equal (machine.GetProperty("cpu").GetString()) model "the CPU model"
    | _ -> Expect.isGreaterThan (machine.GetProperty("cpu").GetString() |> Option.ofObj |> Option.map String.length |> Option.defaultValue 0) 0 "a CPU named"
    Expect.equal (machine.GetProperty("processors").GetInt32()) Environment.ProcessorCount "the processors"
    let kernels = match Environment.GetEnvironmentVariable "ATEN_CPU_CAPABILITY" with | null -> "" | v -> v.Trim()
    Expect.equal (machine.GetProperty("aten_cpu_capability").GetString()) (if kernels = "" then "default" else kernels) "libtorch's kernel set"

/// Exact resume of `command`: `fresh steps dir` (the command line of a fresh run of `steps` env steps into `dir`) run
/// straight, and to half the steps then `--resume`d to all of them, give byte-identical metrics.csv; the resumed
/// summary.json says where it resumed. Returns the two folders (straight, split).
let expectExactResume (command: string) (tag: string) (fresh: int -> string -> string list) (steps: int) (label: string) =
    let straight, split = freshDir (tag + "-straight"), freshDir (tag + "-split")
    Expect.equal (run (fresh steps straight)) 0 "straight run"
    Expect.equal (run (fresh (steps / 2) split)) 0 "first half"
    Expect.equal (run [ command; "--resume"; split; "--steps"; string steps ]) 0 (sprintf "resumed to %d" steps)
    Expect.equal (metricsBytes split) (metricsBytes straight) (sprintf "%s: byte-identical metrics.csv" label)
    use summary = readSummary split
    Expect.equal (summary.RootElement.GetProperty("resumed_from").GetInt64()) (int64 (steps / 2)) "summary says where it resumed"
    straight, split

let tabular (env: string) (dir: string) (extra: string list) =
    [ "tabular"; "--env"; env; "--algo"; "trirl"; "--beta"; "3"; "--eps"; "0.05"; "--delta"; "0.01"; "--iterations"; "12"; "--seed"; "1"; "--out"; dir ] @ extra

// Sequenced: the tests swap the process-wide Console.Out / Console.Error.
[<Tests>]
let tests =
    testSequenced <| testList "Cli" [
        testCase "tabular writes the four files; the CSV has the contract header and one row per iteration 1..N" <| fun () ->
            let dir = freshDir "files"
            Expect.equal (run (tabular "gridworld:4" dir [])) 0 "exit code"
            for f in [ "iterations.csv"; "summary.json"; "reward.json"; "report.html" ] do
                Expect.isTrue (File.Exists(Path.Combine(dir, f))) (sprintf "%s written" f)
            let lines = File.ReadAllLines(Path.Combine(dir, "iterations.csv"))
            Expect.equal lines.[0] "iteration,dual,primal,gap,eta,eps_tr,kl_to_expert,normalized_return" "header"
            Expect.equal (lines |> Array.skip 1 |> Array.map (fun l -> l.Split(',').[0])) [| for i in 1..12 -> string i |] "iterations 1..12"
            // Full precision: every double parses back to itself when printed with "R".
            for line in Array.skip 1 lines do
                for cell in line.Split(',') |> Array.skip 1 do
                    let x = Double.Parse(cell, CultureInfo.InvariantCulture)
                    Expect.equal (x.ToString("R", CultureInfo.InvariantCulture)) cell "round-trip precision"
            use summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))
            let root = summary.RootElement
            Expect.equal (root.GetProperty("algo").GetString()) "trirl" "summary algo"
            Expect.equal (root.GetProperty("iterations").GetInt32()) 12 "summary iterations"
            let lastGap = Double.Parse((Array.last lines).Split(',').[3], CultureInfo.InvariantCulture)
            Expect.equal (root.GetProperty("gap").GetDouble()) lastGap "summary gap = last CSV row"
            // The learned reward re-optimised on the same MDP reproduces pi_N (correction theorem).
            expectBelow 1e-9 (root.GetProperty("retrain_max_log_policy_error").GetDouble()) "retrain residual"
            let html = File.ReadAllText(Path.Combine(dir, "report.html"))
            Expect.isFalse (html.Contains "<script src=") "no external script"
            Expect.isGreaterThan html.Length 1_000_000 "plotly.js embedded"
            Expect.isEmpty (Directory.GetFiles(dir, "*.tmp")) "no temp file left"
            // The report: a header that says what the run was (its numbers those of the CSV and summary.json), the
            // charts as cards in the grid, plotly.js and the stylesheet inline once (ChartTests.readReport checks these).
            let report = ChartTests.readReport html
            let g6 (x: float) = x.ToString("G6", CultureInfo.InvariantCulture)
            Expect.equal (report.Facts |> List.map fst)
                [ "command"; "environment"; "algorithm"; "seed"; "iterations"; "final gap"; "normalized return"; "wall time"; "written" ] "the header's items"
            for label, value in
                [ "command", "trirl tabular"; "environment", "gridworld:4 (16 states, 4 actions)"; "algorithm", "trirl"; "seed", "1"
                  "iterations", "12"; "final gap", g6 lastGap; "normalized return", g6 (root.GetProperty("normalized_return").GetDouble()) ] do
                Expect.equal (ChartTests.fact report label) value label
            Expect.stringEnds (ChartTests.fact report "wall time") " s" "wall time in seconds"
            let written = DateTime.ParseExact(ChartTests.fact report "written", "yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
            Expect.isLessThan (abs (DateTime.UtcNow - written).TotalMinutes) 10.0 "written now, in UTC"
            Expect.stringContains report.Details "algorithm  trirl: beta 3, eps 0.05, delta 0.01" "the settings, folded under the header"
            Expect.equal report.Cards (List.replicate 8 false) "gap, dual and primal, eta, reward scatter and four heatmaps, a card each"

        testCase "the same seed gives byte-identical iterations.csv (also for the sample-based learner)" <| fun () ->
            for extra in [ []; [ "--demos"; "40"; "--rollouts"; "30" ] ] do
                let a, b = freshDir "det-a", freshDir "det-b"
                Expect.equal (run (tabular "gridworld:4" a extra)) 0 "first run"
                Expect.equal (run (tabular "gridworld:4" b extra)) 0 "second run"
                let bytes d = File.ReadAllBytes(Path.Combine(d, "iterations.csv"))
                Expect.equal (bytes a) (bytes b) (sprintf "identical CSV bytes %A" extra)

        testCase "the CLI reproduces the reference run (iterations 1..30) to 1e-8" <| fun () ->
            let refDir = referenceDir ()
            let dir = freshDir "reference"
            let args =
                [ "tabular"; "--env"; "file:" + Path.Combine(refDir, "mdp.json"); "--algo"; "trirl"; "--beta"; "2.0"; "--eps"; "0.1"
                  "--delta"; "0.0005"; "--iterations"; "30"; "--seed"; "0"; "--out"; dir ]
            Expect.equal (run args) 0 "exit code"
            let expected = readReference refDir
            let actual =
                File.ReadAllLines(Path.Combine(dir, "iterations.csv"))
                |> Array.skip 1
                |> Array.map (fun l -> l.Split(',') |> Array.map (fun x -> Double.Parse(x, CultureInfo.InvariantCulture)))
            Expect.equal actual.Length expected.Length "30 rows"
            for (e, a) in Array.zip expected actual do
                Expect.equal (int a.[0]) e.Iteration "iteration"
                for (name, want, got) in
                    [ "dual", e.Dual, a.[1]; "primal", e.Primal, a.[2]; "gap", e.Gap, a.[3]; "eta", e.Eta, a.[4]
                      "eps_tr", e.EpsTr, a.[5]; "kl_to_expert", e.KlToExpert, a.[6] ] do
                    expectClose 1e-8 want got (sprintf "iteration %d %s" e.Iteration name)

        testCase "demo runs and writes its report" <| fun () ->
            let dir = freshDir "demo"
            Expect.equal (run [ "demo"; "--out"; dir ]) 0 "exit code"
            Expect.isTrue (File.Exists(Path.Combine(dir, "report.html"))) "report.html"
            let last = File.ReadAllLines(Path.Combine(dir, "iterations.csv")) |> Array.last
            let gap = Double.Parse(last.Split(',').[3], CultureInfo.InvariantCulture)
            expectBelow 1e-6 gap "the demo's final gap"

        testCase "bad input: exit code 2, one error line naming the problem, no output folder" <| fun () ->
            let cases =
                [ [ "tabular"; "--env"; "gridworld:4"; "--algo"; "trirl"; "--out" ], "--out"
                  tabular "nowhere:3" (freshDir "x") [], "unknown environment"
                  tabular "gridworld:4" (freshDir "x") [ "--eps"; "0" ], "eps"
                  tabular "gridworld:4" (freshDir "x") [ "--delta"; "-1" ], "delta"
                  tabular "gridworld:4" (freshDir "x") [ "--beta"; "abc" ], "beta"
                  tabular "gridworld:4" (freshDir "x") [ "--iterations"; "0" ], "iterations"
                  tabular "gridworld:4" (freshDir "x") [ "--rollouts"; "5" ], "--demos"
                  tabular "gridworld:4" (freshDir "x") [ "--transfer-env"; "gridworld:5" ], "--transfer-env"
                  tabular "file:/does/not/exist.json" (freshDir "x") [], "does not exist"
                  [ "tabular"; "--env"; "gridworld:4"; "--algo"; "gail"; "--out"; freshDir "x" ], "gail"
                  [ "tabular"; "--bogus" ], "--bogus" ]
            for case in cases do expectBadInput case

        testCase "NativeBuild: a JIT build runs every command; a native build runs tabular, demo and bench tabular and refuses the rest with the fix" <| fun () ->
            Expect.isFalse Trirl.Cli.NativeBuild.IsCurrent "the tests run on the JIT"
            Expect.equal Trirl.Cli.NativeBuild.Name "JIT" "benchmarks label this build JIT"
            for path in [ "trirl train"; "trirl sweep run"; "trirl tabular"; "trirl bench trirl" ] do
                Expect.isNull (Trirl.Cli.NativeBuild.Refusal(path, false)) $"the JIT build runs {path}"
            for path in Trirl.Cli.NativeBuild.Supported do
                Expect.isNull (Trirl.Cli.NativeBuild.Refusal(path, true)) $"the native build runs {path}"
                // Each supported path is a command of this CLI (a renamed command would leave the list stale).
                let words = path.Split(' ') |> Array.skip 1
                Expect.equal (Trirl.Cli.Program.Run(Array.append words [| "--help" |])) 0 $"'{path} --help' runs"
            for path in [ "trirl train"; "trirl retrain"; "trirl rl"; "trirl expert"; "trirl rollout"; "trirl bench trirl"; "trirl bench mujoco"; "trirl sweep run" ] do
                match Trirl.Cli.NativeBuild.Refusal(path, true) with
                | null -> failtest $"the native build must refuse {path}"
                | refusal ->
                    Expect.stringContains refusal $"'{path}'" "names the command"
                    Expect.stringContains refusal "bash scripts/publish-cli.sh" "names the fix"

        testCase "a malformed MDP file is exit code 2 with the JSON path named" <| fun () ->
            let file = Path.Combine(Path.GetTempPath(), sprintf "trirl-bad-%s.json" (Guid.NewGuid().ToString("N")))
            File.WriteAllText(file, """{"name":"bad","gamma":0.9,"initial":[1.0],"transitions":[[[[0, 0.5]]]]}""")
            let dir = freshDir "badjson"
            let code, err = runCapturingErrors (tabular ("file:" + file) dir [])
            Expect.equal code 2 "exit code"
            Expect.stringContains err "transitions[0][0]" "names the row"
            Expect.isFalse (Directory.Exists dir) "no output folder"
    ]
