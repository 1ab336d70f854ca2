/// Recorded demonstrations (TrirlProblem.FromDemonstrations, RecordedDemonstrations, `--demos-file`): episodes from
/// flat `obs`/`acts`/`dones` arrays and from JSON, the empirical discounted occupancy as the expert's, the exact and the
/// sample-based learners on it, "n/a" for metrics that need a true reward, the CLI with `.json` and `.npz` files and
/// `--horizon`, and the issue's list of bad input (one error naming the field, exit code 2, no file left).
module Trirl.Tests.RecordedDemonstrationTests

open System
open System.IO
open Expecto
open Trirl.Functional
open Trirl.Functional.Environments
open Trirl.Environments.Data
open Trirl.Tests.CliTests

/// Sampled episodes of a soft-optimal expert, as recorded data (obs, acts, dones).
let recorded (mdp: TabularMdp) (count: int) (horizon: int) =
    let expert = TrirlProblem.FromTrueReward(mdp, 3.0).ExpertPolicy
    let episodes = Sampling.Rollouts(mdp, expert, count, horizon, 7L)
    let obs = [| for e in episodes do for s in e.States -> int64 s |]
    let acts = [| for e in episodes do for a in e.Actions -> int64 a |]
    let dones = [| for e in episodes do for t in 0 .. e.Length - 1 -> t = e.Length - 1 |]
    episodes, obs, acts, dones

let writeNpz (path: string) (obs: int64[]) (acts: int64[]) (dones: bool[]) =
    Npz.Save(path, NpzArchive([| NpzEntry("obs", NpyArray.FromInt64([| obs.Length |], obs))
                                 NpzEntry("acts", NpyArray.FromInt64([| acts.Length |], acts))
                                 NpzEntry("dones", NpyArray.FromBool([| dones.Length |], dones)) |]))

let writeJson (path: string) (obs: int64[]) (acts: int64[]) (dones: bool[]) =
    let ints (xs: int64[]) = String.Join(", ", xs)
    let flags = String.Join(", ", dones |> Array.map (fun d -> if d then "true" else "false"))
    File.WriteAllText(path, sprintf """{"obs": [%s], "acts": [%s], "dones": [%s]}""" (ints obs) (ints acts) flags)

let tempFile (ext: string) = Path.Combine(Path.GetTempPath(), sprintf "trirl-demos-%s%s" (Guid.NewGuid().ToString("N")) ext)

[<Tests>]
let tests =
    testList "RecordedDemonstrations" [
        testCase "episodes split at dones; the expert occupancy is their empirical discounted occupancy" <| fun () ->
            let mdp = Gridworld.Create(4, 0.1, seed = 0L)
            let episodes, obs, acts, dones = recorded mdp 20 15
            let parsed = RecordedDemonstrations.FromArrays(mdp, obs, acts, dones)
            Expect.equal parsed.Length 20 "20 episodes"
            for a, b in Seq.zip episodes parsed do
                Expect.sequenceEqual b.States a.States "states"
                Expect.sequenceEqual b.Actions a.Actions "actions"
            let problem = TrirlProblem.FromDemonstrations(mdp, parsed)
            Expect.isTrue problem.Recorded "recorded"
            // by hand: sum_traj sum_t gamma^t [s_t, a_t] / sum_traj sum_t gamma^t
            let counts = Array.zeroCreate (mdp.States * mdp.Actions)
            let mutable total = 0.0
            for e in parsed do
                for t in 0 .. e.Length - 1 do
                    let w = mdp.Gamma ** float t
                    counts.[e.States.[t] * mdp.Actions + e.Actions.[t]] <- counts.[e.States.[t] * mdp.Actions + e.Actions.[t]] + w
                    total <- total + w
            expectBelow 1e-15 (maxAbsDiff (flat problem.ExpertOccupancy) (counts |> Array.map (fun c -> c / total))) "empirical occupancy"
            // the empirical policy: proportional to the occupancy, uniform where unvisited
            for s in 0 .. mdp.States - 1 do
                let row = Array.init mdp.Actions (fun a -> counts.[s * mdp.Actions + a])
                let sum = Array.sum row
                for a in 0 .. mdp.Actions - 1 do
                    expectClose 1e-12 (if sum > 0.0 then row.[a] / sum else 0.25) (problem.ExpertPolicy.Probability(s, a)) "empirical policy"

        testCase "JSON, flat and as a list of episodes, gives the same episodes as the arrays" <| fun () ->
            let mdp = Gridworld.Create(4, 0.1, seed = 0L)
            let _, obs, acts, dones = recorded mdp 5 6
            let file = tempFile ".json"
            writeJson file obs acts dones
            let flatEpisodes = RecordedDemonstrations.Load(mdp, file)
            let listed =
                flatEpisodes
                |> Seq.map (fun e -> sprintf """{"obs": [%s], "acts": [%s]}""" (String.Join(",", e.States)) (String.Join(",", e.Actions)))
            let fromList = RecordedDemonstrations.Parse(mdp, sprintf """{"episodes": [%s]}""" (String.Join(",", listed)))
            Expect.equal fromList.Length flatEpisodes.Length "episodes"
            for a, b in Seq.zip flatEpisodes fromList do Expect.sequenceEqual b.States a.States "same states"
            let zeroOne = RecordedDemonstrations.Parse(mdp, sprintf """{"obs": [%s], "acts": [%s], "dones": [%s]}""" (String.Join(",", obs)) (String.Join(",", acts)) (String.Join(",", dones |> Array.map (fun d -> if d then 1 else 0))))
            Expect.equal zeroOne.Length flatEpisodes.Length "dones as 0/1"

        testCase "the exact learner on recorded data: dual decreases, the return approaches the demonstrations', retraining holds" <| fun () ->
            let mdp = Gridworld.Create(4, 0.1, seed = 0L)
            let _, obs, acts, dones = recorded mdp 200 30
            let problem = TrirlProblem.FromDemonstrations(mdp, RecordedDemonstrations.FromArrays(mdp, obs, acts, dones))
            let history = Learner.Run(problem, TrirlSettings.Trirl(3.0, 0.05, 0.01)) |> Seq.take 60 |> Seq.toArray
            for a, b in Array.pairwise history do Expect.isLessThanOrEqual b.Dual (a.Dual + 1e-9) "dual does not increase"
            let last = Array.last history
            Expect.isGreaterThan last.NormalizedReturn 0.7 "normalised by the demonstrations' own return"
            expectBelow 1e-10 (logPolicyDiff (Irl.SoftOptimal(mdp, last.Reward).Policy) last.Policy) "retraining reproduces pi_n"
            let sampled = Learner.Run(problem, TrirlSettings.Trirl(3.0, 0.05, 0.01).WithSampling(SampleSettings(100, 30, SampleSettings.DefaultL2, 3L))) |> Seq.item 9
            Expect.isTrue (Double.IsFinite sampled.Dual) "the sample-based learner reads the recorded episodes"

        testCase "without a true reward: returns are NaN, the dual is finite; a finite horizon works" <| fun () ->
            let mdp = Gridworld.Create(3, 0.1, seed = 0L)
            let _, obs, acts, dones = recorded mdp 30 8
            let bare = mdp.WithReward(null).WithHorizon(Nullable 8)
            let problem = TrirlProblem.FromDemonstrations(bare, RecordedDemonstrations.FromArrays(bare, obs, acts, dones))
            let last = Learner.Run(problem, TrirlSettings.Mce(3.0, 0.05)) |> Seq.item 9
            Expect.isTrue (Double.IsNaN last.NormalizedReturn) "no true reward: NaN"
            Expect.isTrue (Double.IsFinite last.Dual) "finite dual"
            Expect.equal last.Policy.Steps 8 "time-indexed"
            Expect.isTrue (Double.IsNaN (RewardReuse.Retrain(problem, last.Reward).NormalizedReturn)) "retraining score NaN"

        testList "bad input (library)" [
            testCase "a state or action index out of range names the step" <| fun () ->
                let mdp = Gridworld.Create(3, 0.1)
                expectInputError "obs[2]" [ "state index 9"; "9 states" ] (fun () ->
                    RecordedDemonstrations.FromArrays(mdp, [| 0L; 1L; 9L |], [| 0L; 0L; 0L |], [| false; false; true |])) |> ignore
                expectInputError "acts[1]" [ "action index -1"; "4 actions" ] (fun () ->
                    RecordedDemonstrations.FromArrays(mdp, [| 0L; 1L |], [| 0L; -1L |], [| false; true |])) |> ignore
                expectInputError "episodes[0].obs[1]" [ "state index 12" ] (fun () ->
                    RecordedDemonstrations.Parse(mdp, """{"episodes": [{"obs": [0, 12], "acts": [0, 0]}]}""")) |> ignore
            testCase "empty demonstrations" <| fun () ->
                let mdp = Gridworld.Create(3, 0.1)
                expectInputError "obs" [ "empty" ] (fun () -> RecordedDemonstrations.Parse(mdp, """{"obs": [], "acts": [], "dones": []}""")) |> ignore
                expectInputError "episodes" [ "empty" ] (fun () -> RecordedDemonstrations.Parse(mdp, """{"episodes": []}""")) |> ignore
                expectInputError "json" [ "not valid JSON" ] (fun () -> RecordedDemonstrations.Parse(mdp, "")) |> ignore
                expectInputError "demonstrations" [ "empty" ] (fun () -> TrirlProblem.FromDemonstrations(mdp, [||])) |> ignore
            testCase "lengths that disagree, an unfinished last episode, an episode longer than the horizon" <| fun () ->
                let mdp = Gridworld.Create(3, 0.1)
                expectInputError "acts" [ "1 entries"; "obs has 2" ] (fun () -> RecordedDemonstrations.FromArrays(mdp, [| 0L; 1L |], [| 0L |], [| false; true |])) |> ignore
                expectInputError "dones[1]" [ "never ends" ] (fun () -> RecordedDemonstrations.FromArrays(mdp, [| 0L; 1L |], [| 0L; 0L |], [| false; false |])) |> ignore
                expectInputError "episode 0 (ending at dones[2])" [ "3 steps"; "horizon 2" ] (fun () ->
                    RecordedDemonstrations.FromArrays(mdp.WithHorizon(Nullable 2), [| 0L; 1L; 2L |], [| 0L; 0L; 0L |], [| false; false; true |])) |> ignore
            testCase "an iteration stepped with a problem of another MDP" <| fun () ->
                let small = TrirlProblem.FromTrueReward(Gridworld.Create(3, 0.1), 3.0)
                let large = TrirlProblem.FromTrueReward(Gridworld.Create(4, 0.1), 3.0)
                let settings = TrirlSettings.Trirl(3.0, 0.05, 0.01)
                let state = Learner.Start(small, settings)
                let e = expectInputError "state" [ "another MDP"; "stepped with a problem of another MDP"; "9 states"; "16 states" ] (fun () -> Learner.Step(large, settings, state))
                Expect.isFalse (e.Message.Contains "logRatio") "no internal parameter name"
                expectInputError "state" [ "another MDP"; "20 time steps" ] (fun () ->
                    Learner.RunFrom(TrirlProblem.FromTrueReward(Gridworld.Create(3, 0.1).WithHorizon(Nullable 20), 3.0), settings, state)) |> ignore
        ]

        testSequenced <| testList "CLI" [
            testCase "--demos-file (.json and .npz) and --horizon: the same episodes give the same run; summary and CSV" <| fun () ->
                let mdp = Gridworld.Create(4, 0.1, seed = 1L)
                let _, obs, acts, dones = recorded mdp 40 12
                let json, npz = tempFile ".json", tempFile ".npz"
                writeJson json obs acts dones
                writeNpz npz obs acts dones
                let a, b = freshDir "demos-json", freshDir "demos-npz"
                Expect.equal (run (tabular "gridworld:4" a [ "--demos-file"; json; "--horizon"; "12" ])) 0 "json run"
                Expect.equal (run (tabular "gridworld:4" b [ "--demos-file"; npz; "--horizon"; "12" ])) 0 "npz run"
                let csv d = File.ReadAllText(Path.Combine(d, "iterations.csv"))
                Expect.equal (csv a) (csv b) "same bytes from .json and .npz"
                let summary = File.ReadAllText(Path.Combine(a, "summary.json"))
                for fragment in [ "\"horizon\": 12"; "\"demos_file\""; "\"demos\": 40" ] do Expect.stringContains summary fragment fragment
                let c = freshDir "demos-sampled"
                Expect.equal (run (tabular "gridworld:4" c [ "--demos-file"; npz; "--rollouts"; "30" ])) 0 "sample-based on recorded data"

            testCase "no true reward: n/a in the console, the CSV and the report; exit 0" <| fun () ->
                let mdp = Gridworld.Create(3, 0.1, seed = 1L)
                let _, obs, acts, dones = recorded mdp 20 10
                let bare = Path.Combine(Path.GetTempPath(), sprintf "trirl-bare-%s.json" (Guid.NewGuid().ToString("N")))
                File.WriteAllText(bare, MdpJson.Serialize(mdp.WithReward(null)))
                let json = tempFile ".json"
                writeJson json obs acts dones
                let dir = freshDir "bare"
                let out = Console.Out
                use captured = new StringWriter()
                let code =
                    try
                        Console.SetOut captured
                        Trirl.Cli.Program.Run([| "tabular"; "--env"; "file:" + bare; "--algo"; "mce"; "--iterations"; "3"; "--demos-file"; json; "--out"; dir |])
                    finally Console.SetOut out
                Expect.equal code 0 "exit code"
                Expect.stringContains (captured.ToString()) "normalized return n/a" "console"
                let last = File.ReadAllLines(Path.Combine(dir, "iterations.csv")) |> Array.last
                Expect.isTrue (last.EndsWith ",n/a") "CSV"
                Expect.stringContains (File.ReadAllText(Path.Combine(dir, "report.html"))) "normalized return n/a" "report"

            testCase "bad input of the issue: exit code 2, one error line naming the field, no output folder" <| fun () ->
                let mdp = Gridworld.Create(4, 0.1)
                let outOfRange, emptyJson, emptyNpz, notDemos, gammaOne = tempFile ".json", tempFile ".json", tempFile ".npz", tempFile ".txt", tempFile ".json"
                writeJson outOfRange [| 0L; 1L; 77L |] [| 0L; 0L; 0L |] [| false; false; true |]
                writeJson emptyJson [||] [||] [||]
                writeNpz emptyNpz [||] [||] [||]
                File.WriteAllText(notDemos, "0 1 2")
                File.WriteAllText(gammaOne, (MdpJson.Serialize mdp).Replace("\"gamma\": 0.9", "\"gamma\": 1"))
                let cases =
                    [ tabular "gridworld:4" (freshDir "x") [ "--horizon"; "0" ], "--horizon: must be a positive integer"
                      tabular "gridworld:4" (freshDir "x") [ "--horizon"; "-4" ], "--horizon: must be a positive integer"
                      tabular "gridworld:4" (freshDir "x") [ "--horizon"; "2.5" ], "--horizon"
                      tabular ("file:" + gammaOne) (freshDir "x") [], "gamma: is 1"
                      tabular "gridworld:4" (freshDir "x") [ "--demos-file"; outOfRange ], "obs[2]: state index 77"
                      tabular "gridworld:4" (freshDir "x") [ "--demos-file"; emptyJson ], "obs: holds no steps"
                      tabular "gridworld:4" (freshDir "x") [ "--demos-file"; emptyNpz ], "obs: holds no steps"
                      tabular "gridworld:4" (freshDir "x") [ "--demos-file"; notDemos ], "--demos-file"
                      tabular "gridworld:4" (freshDir "x") [ "--demos-file"; "/no/such/demos.npz" ], "does not exist"
                      tabular "gridworld:4" (freshDir "x") [ "--demos-file"; emptyJson; "--demos"; "5" ], "--demos"
                      tabular "gridworld:4" (freshDir "x") [ "--demos-file"; outOfRange; "--expert-beta"; "2" ], "--expert-beta" ]
                for case in cases do expectBadInput case
                // a gamma-1 file runs once it is given a horizon
                let dir = freshDir "gamma-one"
                Expect.equal (run (tabular ("file:" + gammaOne) dir [ "--horizon"; "10" ])) 0 "gamma 1 with --horizon"
        ]
    ]
