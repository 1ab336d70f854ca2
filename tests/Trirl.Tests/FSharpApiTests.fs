/// The F# layer (fsharp/Trirl.FSharp): each curried function gives bitwise the numbers of the C# call it wraps,
/// pipelines compose, option-returning functions give None and Some where C# gives null and a value, metrics tables
/// parse CSV and reject malformed files with errors naming the line, and every public member has XML docs.
module Trirl.Tests.FSharpApiTests

open System
open System.IO
open System.Reflection
open System.Xml.Linq
open Expecto
open Trirl.Functional
open Trirl.Functional.Environments
open Trirl.FSharp

/// Bitwise equality of two tables (shape and every entry's bits).
let expectSameTable (expected: StateActionTable) (actual: StateActionTable) (what: string) =
    Expect.equal (actual.States, actual.Actions) (expected.States, expected.Actions) (what + ": shape")
    if not (sameBitsArray (flat expected) (flat actual)) then
        failtestf "%s: tables differ (max |diff| %.3g)" what (maxAbsDiff (flat expected) (flat actual))

/// Bitwise equality of two doubles.
let expectSameBits (expected: float) (actual: float) (what: string) =
    if not (sameBits expected actual) then failtestf "%s: expected %.17g, got %.17g" what expected actual

let expectSamePolicy (expected: Policy) (actual: Policy) (what: string) =
    expectSameTable expected.LogProbabilities actual.LogProbabilities (what + ": log pi")
    expectSameTable expected.Probabilities actual.Probabilities (what + ": pi")

let expectSameTrajectories (expected: seq<Trajectory>) (actual: seq<Trajectory>) (what: string) =
    let key (t: Trajectory) = Seq.toArray t.States, Seq.toArray t.Actions
    Expect.sequenceEqual (Seq.map key actual) (Seq.map key expected) what

let gridworld4 = lazy (Gridworld.Create(4, 0.2, seed = 3L))
let problem4 = lazy (TrirlProblem.FromTrueReward(gridworld4.Force(), 2.0))

/// A reward, a policy that is not soft-optimal, and the expert occupancy on the 4x4 gridworld.
let case4 =
    lazy
        (let mdp = gridworld4.Force()
         let reward = StateActionTable.Create(mdp.States, mdp.Actions, fun s a -> sin (float (3 * s + a)))
         let policy = Policy.FromLogits(StateActionTable.Create(mdp.States, mdp.Actions, fun s a -> cos (float (s + 2 * a))))
         mdp, reward, policy, problem4.Force().ExpertOccupancy)

/// The folder of a file path (never null for the absolute paths of these tests).
let dirOf (path: string) : string =
    match Path.GetDirectoryName path with
    | null -> "."
    | d -> d

let writeTemp (name: string) (text: string) =
    let dir = freshTempDir "trirl-fsharp-api"
    let path = Path.Combine(dir, name)
    File.WriteAllText(path, text)
    path

[<Tests>]
let tests =
    testList "F# API" [
        testList "bitwise the C# core" [
            testCase "Table wraps StateActionTable" <| fun () ->
                let f s a = float (s * 10 + a) / 7.0
                expectSameTable (StateActionTable.Create(3, 2, fun s a -> f s a)) (Table.create 3 2 f) "create"
                expectSameTable (StateActionTable.Constant(3, 2, 0.25)) (Table.constant 3 2 0.25) "constant"
                let v = Array.init 6 (fun i -> float i * 0.1)
                let t = StateActionTable.FromFlat(3, 2, v)
                expectSameTable t (Table.ofFlat 3 2 v) "ofFlat"
                expectSameTable t (Table.ofRows [| [| 0.0; 0.1 |]; [| 0.2; 0.30000000000000004 |]; [| 0.4; 0.5 |] |]) "ofRows"
                Expect.isTrue (sameBitsArray v (Table.toFlat t)) "toFlat"
                Expect.equal (Table.toRows t) (t.ToJagged()) "toRows"
                Expect.equal (Table.toArray2D t) (t.ToArray2D()) "toArray2D"
                Expect.equal (Table.row 1 t) [| t.[1, 0]; t.[1, 1] |] "row"
                Expect.equal (Table.get 2 1 t) t.[2, 1] "get"
                Expect.equal (Table.shape t) (3, 2) "shape"
                expectSameTable (t.Map(fun x -> x * x)) (Table.map (fun x -> x * x) t) "map"
                expectSameTable (StateActionTable.Combine(t, t.Scale(2.0), fun x y -> x - y)) (Table.combine (-) t (Table.scale 2.0 t)) "combine, scale"
                expectSameTable (StateActionTable.Affine(0.3, t, 0.7, t.Scale(-1.0))) (Table.affine 0.3 t 0.7 (Table.scale -1.0 t)) "affine"
                expectSameBits (StateActionTable.MaxAbsDifference(t, t.Scale(3.0))) (Table.maxAbsDiff t (Table.scale 3.0 t)) "maxAbsDiff"
                expectSameBits (t.Sum()) (Table.sum t) "sum"
                Expect.isTrue (sameBitsArray (Seq.toArray (t.RowSums())) (Table.rowSums t)) "rowSums"

            testCase "Mdp builds the same MDPs as the C# environments and JSON" <| fun () ->
                let json (m: TabularMdp) = MdpJson.Serialize m
                Expect.equal (json (Mdp.gridworld 5 0.1)) (json (Gridworld.Create(5, 0.1))) "gridworld"
                let options = { GridworldOptions.Default with Goal = Some 3; Traps = Some [ 5; 6 ]; Seed = 9L; Gamma = 0.8 }
                Expect.equal (json (Mdp.gridworldWith options 4 0.2)) (json (Gridworld.Create(4, 0.2, 3, [| 5; 6 |], 9L, 0.8))) "gridworldWith"
                Expect.equal (json (Mdp.gridworldWith { GridworldOptions.Default with Seed = 4L } 4 0.2))
                    (json (Gridworld.Create(4, 0.2, seed = 4L))) "gridworldWith random traps"
                Expect.equal (json (Mdp.gridworldWith GridworldOptions.Default 6 0.1)) (json (Mdp.gridworld 6 0.1)) "defaults are Gridworld.Create's"
                Expect.equal (json (Mdp.garnet 7 3 2 11L)) (json (Garnet.Create(7, 3, 2, 11L))) "garnet"
                Expect.equal (json (Mdp.cliff 0.1)) (json (CliffWalk.Create(0.1))) "cliff"
                let m = Mdp.gridworld 3 0.1
                Expect.equal (Mdp.toJson m) (json m) "toJson"
                Expect.equal (json (Mdp.parse (json m))) (json (MdpJson.Parse(json m))) "parse"
                let dir = freshTempDir "trirl-fsharp-api"
                let path = Path.Combine(dir, "mdp.json")
                Mdp.save path m
                Expect.equal (File.ReadAllText path) (json m) "save writes the JSON"
                Expect.equal (json (Mdp.load path)) (json m) "load reads it back"
                Expect.equal (Directory.GetFiles dir |> Array.map Path.GetFileName) [| "mdp.json" |] "no temporary file"
                Directory.Delete(dir, true)
                Expect.equal (Mdp.name m, Mdp.states m, Mdp.actions m, Mdp.gamma m) (m.Name, m.States, m.Actions, m.Gamma) "accessors"
                Expect.equal (Mdp.initial m) (Seq.toArray m.Initial) "initial"
                Expect.equal (Mdp.transitions 4 2 m) (m.TransitionsOf(4, 2) |> Seq.map (fun t -> t.Next, t.Probability) |> Seq.toArray) "transitions"
                Expect.equal (Mdp.withName "renamed" m).Name "renamed" "withName"
                let hand = Mdp.create "hand" 0.5 [| 1.0; 0.0 |] [ [ [ 0, 0.5; 1, 0.5 ] ]; [ [ 1, 1.0 ] ] ] None
                let direct = handMdp 0.5 [ 1.0; 0.0 ] [ [ [ 0, 0.5; 1, 0.5 ] ]; [ [ 1, 1.0 ] ] ]
                Expect.equal (json hand) (json direct) "create"

            testCase "Soft, Occupancy, Return, Dual and Primal on the 4x4 gridworld" <| fun () ->
                let mdp, reward, policy, rhoE = case4.Force()
                for tau in [ 0.5; 1.0; 2.0 ] do
                    let expected = Irl.SoftOptimal(mdp, reward, tau)
                    let actual = Soft.optimal tau mdp reward
                    expectSameTable expected.Q actual.Q (sprintf "Q at tau %g" tau)
                    Expect.isTrue (sameBitsArray (Seq.toArray expected.V) (Soft.values actual)) (sprintf "V at tau %g" tau)
                    expectSamePolicy expected.Policy actual.Policy (sprintf "policy at tau %g" tau)
                let solver = SolverSettings(1e-9, 1e-10, 100000, false)
                expectSamePolicy (Irl.SoftOptimal(mdp, reward, 1.5, solver).Policy) (Soft.optimalWith solver 1.5 mdp reward).Policy "optimalWith"
                expectSamePolicy (Irl.SoftOptimal(mdp, reward, 1.0).Policy) (Soft.policy mdp reward) "Soft.policy"
                let rho = Irl.Occupancy(mdp, policy)
                expectSameTable rho (Occupancy.ofPolicy mdp policy) "Occupancy.ofPolicy"
                expectSameTable (Irl.Occupancy(mdp, policy, solver)) (Occupancy.ofPolicyWith solver mdp policy) "Occupancy.ofPolicyWith"
                Expect.isTrue (sameBitsArray (Seq.toArray (Irl.StateOccupancy rho)) (Occupancy.states rho)) "Occupancy.states"
                expectSameBits (Irl.OccupancyKl(rho, rhoE)) (rho |> Occupancy.klTo rhoE) "Occupancy.klTo: KL(rho || rho_E)"
                let truth = trueReward mdp
                expectSameBits (Irl.ExpectedReturn(rho, truth)) (rho |> Return.expected truth) "Return.expected"
                expectSameBits (Irl.NormalizedReturn(0.3, 0.1, 0.9)) (Return.normalized 0.1 0.9 0.3) "Return.normalized"
                expectSameBits (Irl.DualObjective(mdp, reward, rhoE, 2.0)) (reward |> Dual.objective mdp rhoE 2.0) "Dual.objective"
                expectSameTable (Irl.DualGradient(mdp, reward, rhoE, 2.0)) (reward |> Dual.gradient mdp rhoE 2.0) "Dual.gradient"
                expectSameBits (Irl.DualityGap(mdp, reward, rhoE, 2.0)) (reward |> Dual.gap mdp rhoE 2.0) "Dual.gap"
                expectSameBits (Irl.PrimalObjective(mdp, policy, rhoE, 2.0)) (policy |> Primal.objective mdp rhoE 2.0) "Primal.objective"

            property 25 "Dual, Primal, Soft and Occupancy equal the C# calls on random Garnets" genDualCase <| fun c ->
                expectSameBits (Irl.DualObjective(c.Mdp, c.Reward, c.ExpertOccupancy, c.Beta)) (Dual.objective c.Mdp c.ExpertOccupancy c.Beta c.Reward) "G(r)"
                expectSameBits (Irl.DualityGap(c.Mdp, c.Reward, c.ExpertOccupancy, c.Beta)) (Dual.gap c.Mdp c.ExpertOccupancy c.Beta c.Reward) "gap"
                expectSameBits (Irl.PrimalObjective(c.Mdp, c.Policy, c.ExpertOccupancy, c.Beta)) (Primal.objective c.Mdp c.ExpertOccupancy c.Beta c.Policy) "P(pi)"
                expectSamePolicy (Irl.SoftOptimal(c.Mdp, c.Reward, 1.0).Policy) (Soft.policy c.Mdp c.Reward) "pi_r"
                expectSameTable (Irl.Occupancy(c.Mdp, c.Policy)) (Occupancy.ofPolicy c.Mdp c.Policy) "rho_pi"

            property 25 "Reward.propose, Reward.correct and TrustRegion.step equal the C# calls" genStepCase <| fun c ->
                expectSameTable (Irl.ProposeReward(c.Reward, c.LogRatio, c.Eps, c.Beta)) (Reward.propose c.Eps c.Beta c.LogRatio c.Reward) "U_eps(r)"
                let old = Irl.SoftOptimal(c.Mdp, c.Reward, 1.0).Policy
                let proposal = Irl.ProposeReward(c.Reward, c.LogRatio, c.Eps, c.Beta)
                let expected = Irl.TrustRegionStep(c.Mdp, proposal, old, c.Delta)
                let actual = proposal |> TrustRegion.step c.Mdp c.Delta old
                expectSamePolicy expected.Policy actual.Policy "pi_tr"
                expectSameBits expected.Eta actual.Eta "eta"
                expectSameBits expected.Kl actual.Kl "KL of the step"
                expectSameTable expected.Occupancy actual.Occupancy "rho_tr"
                expectSameTable (Irl.CorrectReward(c.Reward, c.LogRatio, c.Eps, actual.Eta, c.Beta))
                    (Reward.correct c.Eps actual.Eta c.Beta c.LogRatio c.Reward) "U_{eps/(1+eta)}(r)"
                expectSameBits (Irl.CorrectedStepSize(c.Eps, actual.Eta)) (Reward.correctedStep c.Eps actual.Eta) "eps_tr"
                expectSameBits (Irl.CausalKl(c.Mdp, actual.Policy, old)) (actual.Policy |> TrustRegion.causalKl c.Mdp old) "causal KL"

            testCase "LogRatio, Sampling and empirical occupancies" <| fun () ->
                let mdp, _, policy, rhoE = case4.Force()
                let rho = Irl.Occupancy(mdp, policy)
                expectSameTable (Irl.LogRatio(rhoE, rho)) (LogRatio.exact rhoE rho) "LogRatio.exact"
                let expertPolicy = problem4.Force().ExpertPolicy
                let demos = Sampling.Rollouts(mdp, expertPolicy, 7, 20, 5L)
                let demosF = expertPolicy |> Sampling.rollouts mdp 7 20 5L
                expectSameTrajectories demos demosF "Sampling.rollouts"
                let rollouts = policy |> Sampling.rollouts mdp 9 20 6L
                expectSameTable (Irl.EmpiricalOccupancy(mdp, demos)) (Occupancy.empirical mdp demosF) "Occupancy.empirical"
                expectSameTable (Irl.FitDiscriminator(mdp, demos, rollouts, 1e-3)) (LogRatio.fit 1e-3 mdp demosF rollouts) "LogRatio.fit"
                Expect.equal (Sampling.defaultHorizon 0.9) (Trirl.Functional.Sampling.DefaultHorizon 0.9) "defaultHorizon"

            testCase "Policy wraps Policy; mostLikely is the first argmax" <| fun () ->
                expectSamePolicy (Policy.Uniform(5, 3)) (Policy.uniform 5 3) "uniform"
                let mdp = gridworld4.Force()
                expectSamePolicy (Policy.Uniform(mdp.States, mdp.Actions)) (Policy.uniformOn mdp) "uniformOn"
                let p = StateActionTable.FromRows([| [| 0.2; 0.5; 0.3 |]; [| 0.4; 0.2; 0.4 |]; [| 0.0; 0.0; 1.0 |] |])
                let policy = Policy.ofProbabilities p
                expectSamePolicy (Policy.FromProbabilities p) policy "ofProbabilities"
                let logits = StateActionTable.FromFlat(2, 2, [| 1.0; -1.0; 0.5; 2.0 |])
                expectSamePolicy (Policy.FromLogits logits) (Policy.ofLogits logits) "ofLogits"
                Expect.equal (Policy.mostLikely policy) [| 1; 0; 2 |] "argmax per state, first on ties"
                expectSameBits (policy.Entropy 1) (Policy.entropy 1 policy) "entropy"
                expectSameBits (policy.Probability(0, 1)) (Policy.probability 0 1 policy) "probability"
                Expect.isTrue (obj.ReferenceEquals(Policy.probabilities policy, policy.Probabilities)) "probabilities"
                Expect.isTrue (obj.ReferenceEquals(Policy.logProbabilities policy, policy.LogProbabilities)) "logProbabilities"

            testCase "Expert and Settings build the same problems and settings" <| fun () ->
                let mdp = gridworld4.Force()
                let expected = TrirlProblem.FromTrueReward(mdp, 2.0)
                let actual = mdp |> Expert.softOptimal 2.0
                expectSameTable expected.ExpertOccupancy (Expert.occupancy actual) "rho_E"
                expectSamePolicy expected.ExpertPolicy (Expert.policy actual) "pi_E"
                expectSameBits expected.ExpertReturn actual.ExpertReturn "J(pi_E)"
                expectSameBits expected.UniformReturn actual.UniformReturn "J(uniform)"
                Expect.isTrue (obj.ReferenceEquals(Expert.mdp actual, mdp)) "Expert.mdp"
                let fromPolicy = mdp |> Expert.ofPolicy expected.ExpertPolicy
                expectSameTable (TrirlProblem.FromExpert(mdp, expected.ExpertPolicy).ExpertOccupancy) fromPolicy.ExpertOccupancy "ofPolicy"
                let demos = actual |> Expert.withDemonstrations 4 15 2L
                expectSameTrajectories (expected.WithDemonstrations(4, 15, 2L).Demonstrations) (Expert.demonstrations demos) "withDemonstrations"
                Expect.isEmpty (Expert.demonstrations actual) "no demonstrations by default"
                Expect.equal (Settings.trirl 3.0 0.05 0.01) (TrirlSettings.Trirl(3.0, 0.05, 0.01)) "trirl"
                Expect.equal (Settings.mce 3.0 0.05) (TrirlSettings.Mce(3.0, 0.05)) "mce"
                Expect.equal (Settings.adversarial 3.0 0.01) (TrirlSettings.Adversarial(3.0, 0.01)) "adversarial"
                Expect.equal (Settings.preset Algorithm.Mce 2.0 0.1 0.5) (TrirlSettings.Preset(Algorithm.Mce, 2.0, 0.1, 0.5)) "preset"
                let sample = SampleSettings(10, 20, 1e-3, 4L)
                Expect.equal (Settings.trirl 3.0 0.05 0.01 |> Settings.withSampling sample) (TrirlSettings.Trirl(3.0, 0.05, 0.01).WithSampling sample) "withSampling"
                Expect.equal (Settings.trirl 3.0 0.05 0.01 |> Settings.sampled 10 20 4L)
                    (TrirlSettings.Trirl(3.0, 0.05, 0.01).WithSampling(SampleSettings(10, 20, SampleSettings.DefaultL2, 4L))) "sampled"
                let solver = SolverSettings(1e-10)
                Expect.equal (Settings.trirl 3.0 0.05 0.01 |> Settings.withSolver solver) (TrirlSettings.Trirl(3.0, 0.05, 0.01).WithSolver solver) "withSolver"
                Expect.equal (Settings.trirl 3.0 0.05 0.01 |> Settings.withDelta 0.1) (TrirlSettings.Trirl(3.0, 0.05, 0.01).WithDelta 0.1) "withDelta"
                Expect.equal (Settings.warnings (Settings.adversarial 3.0 0.01)) (Seq.toList (TrirlSettings.Adversarial(3.0, 0.01).Warnings)) "warnings"
                Expect.isEmpty (Settings.warnings (Settings.trirl 3.0 0.05 0.01)) "no warning in the safe regime"
                Expect.equal (Settings.algorithmName (Settings.adversarial 3.0 0.01)) "adversarial" "algorithmName"

            testCase "Trirl.start, step, run and runFrom are Learner's iterations, bit for bit" <| fun () ->
                let problem = problem4.Force()
                let settings = TrirlSettings.Trirl(2.0, 0.1, 0.01)
                let fp = LearnerTests.fingerprint
                Expect.isTrue (sameBitsArray (fp (Learner.Start(problem, settings))) (fp (Trirl.start settings problem))) "start"
                let expected = Learner.Run(problem, settings) |> Seq.take 6 |> Seq.toArray
                let actual = Trirl.run settings problem |> Seq.take 6 |> Seq.toArray
                Array.iter2 (fun e a -> Expect.isTrue (sameBitsArray (fp e) (fp a)) "run") expected actual
                let stepped = Trirl.step settings problem expected.[2]
                Expect.isTrue (sameBitsArray (fp expected.[3]) (fp stepped)) "step"
                let resumed = Trirl.runFrom settings problem expected.[2] |> Seq.take 3 |> Seq.toArray
                Array.iter2 (fun e a -> Expect.isTrue (sameBitsArray (fp e) (fp a)) "runFrom") expected.[3..5] resumed
                Expect.equal (Trirl.metrics expected.[5]) expected.[5].Metrics "metrics"
                expectSameBits expected.[5].Gap (Trirl.gap expected.[5]) "gap"
                let sampled = Settings.trirl 2.0 0.1 0.01 |> Settings.sampled 20 30 1L
                let demoProblem = problem |> Expert.withDemonstrations 20 30 0L
                let e = Learner.Run(demoProblem, sampled) |> Seq.item 2
                let a = Trirl.run sampled demoProblem |> Seq.item 2
                Expect.isTrue (sameBitsArray (fp e) (fp a)) "the sample-based learner too"

            testCase "finite horizons and recorded demonstrations: Mdp.withHorizon, Policy.atStep, Occupancy.timed, Demos, Expert.ofDemonstrations" <| fun () ->
                let mdp = gridworld4.Force() |> Mdp.withHorizon 6
                Expect.equal (Mdp.horizon mdp) (Some 6) "horizon"
                Expect.equal (Mdp.horizon (Mdp.withoutHorizon mdp)) None "without"
                let reward = Table.create 16 4 (fun s a -> sin (float (s + a)))
                let solution = reward |> Soft.optimal 1.0 mdp
                expectSameTable (Irl.SoftOptimal(mdp, reward).Policy.LogProbabilities) solution.Policy.LogProbabilities "Soft.optimal"
                Expect.equal (Policy.steps solution.Policy) 6 "steps"
                expectSamePolicy (solution.Policy.AtStep 2) (Policy.atStep 2 solution.Policy) "atStep"
                expectSamePolicy (Policy.FromSteps([| for t in 0 .. 5 -> solution.Policy.AtStep t |])) (Policy.ofSteps [ for t in 0 .. 5 -> Policy.atStep t solution.Policy ]) "ofSteps"
                expectSameTable (Irl.TimedOccupancy(mdp, solution.Policy)) (Occupancy.timed mdp solution.Policy) "timed"
                let episodes = [| Demos.episode [ 0; 1; 5 ] [ 3; 1; 3 ]; Demos.episode [ 0; 4 ] [ 1; 3 ] |]
                let flat = Demos.ofArrays mdp [| 0L; 1L; 5L; 0L; 4L |] [| 3L; 1L; 3L; 1L; 3L |] [| false; false; true; false; true |]
                expectSameTrajectories episodes flat "ofArrays"
                expectSameTrajectories episodes (Demos.parse mdp """{"episodes": [{"obs": [0, 1, 5], "acts": [3, 1, 3]}, {"obs": [0, 4], "acts": [1, 3]}]}""") "parse"
                let problem = mdp |> Expert.ofDemonstrations episodes
                expectSameTable (TrirlProblem.FromDemonstrations(mdp, episodes).ExpertOccupancy) problem.ExpertOccupancy "ofDemonstrations"

            testCase "Reuse.reoptimize and learned-reward files" <| fun () ->
                let problem = problem4.Force()
                let settings = Settings.trirl 2.0 0.1 0.01
                let final = Trirl.run settings problem |> Seq.item 9
                let target = Gridworld.Create(4, 0.3, seed = 3L)
                let expected = RewardReuse.Reoptimize(target, final.Reward, 2.0)
                let actual = final.Reward |> Reuse.reoptimize 2.0 target
                Expect.equal actual.Mdp expected.Mdp "name"
                expectSamePolicy expected.Policy actual.Policy "policy"
                expectSameBits expected.NormalizedReturn actual.NormalizedReturn "normalised return"
                expectSameBits expected.KlToExpert actual.KlToExpert "KL to expert"
                let learned = Trirl.learnedReward settings problem final
                Expect.equal (learned.Mdp, learned.Algorithm, learned.Beta, learned.Iteration) (problem.Mdp.Name, "trirl", 2.0, 10) "learnedReward"
                Expect.isTrue (obj.ReferenceEquals(learned.Reward, final.Reward)) "the iteration's reward"
                Expect.equal (Reward.learned "m" "mce" 2.0 3 final.Reward) (LearnedReward("m", "mce", 2.0, 3, final.Reward)) "Reward.learned"
                let json = Reward.toJson learned
                Expect.equal json (RewardJson.Serialize learned) "toJson"
                expectSameTable learned.Reward (Reward.parse json).Reward "parse"
                let dir = freshTempDir "trirl-fsharp-api"
                let path = Path.Combine(dir, "reward.json")
                Reward.save path learned
                Expect.equal (File.ReadAllText path) json "save"
                expectSameTable learned.Reward (Reward.load path).Reward "load"
                Directory.Delete(dir, true)
        ]

        testList "pipelines" [
            testCase "Mdp.gridworld 5 0.1 |> Expert.softOptimal 3.0 |> Trirl.run settings |> Seq.take 5" <| fun () ->
                let history =
                    Mdp.gridworld 5 0.1
                    |> Expert.softOptimal 3.0
                    |> Trirl.run (Settings.trirl 3.0 0.05 0.01)
                    |> Seq.take 5
                    |> Seq.toArray
                Expect.equal (history |> Array.map (fun it -> it.Iteration)) [| 1 .. 5 |] "iterations 1..5"
                let expected = Learner.Run(TrirlProblem.FromTrueReward(Gridworld.Create(5, 0.1), 3.0), TrirlSettings.Trirl(3.0, 0.05, 0.01)) |> Seq.take 5 |> Seq.toArray
                Array.iter2 (fun (e: TrirlIteration) (a: TrirlIteration) -> expectSameBits e.Gap a.Gap "the C# run's gap") expected history
                for i in 1 .. 4 do
                    expectAtLeast (history.[i].Dual - 1e-12) history.[i - 1].Dual "the dual does not increase (safe regime)"

            testCase "one TRIRL step by hand: propose, step, correct; the correction theorem holds" <| fun () ->
                let mdp = Mdp.gridworld 4 0.1
                let problem = mdp |> Expert.softOptimal 3.0
                let settings = Settings.trirl 3.0 0.05 0.01
                let start = problem |> Trirl.start settings
                let d = start.Occupancy |> LogRatio.exact (Expert.occupancy problem)
                let step = start.Reward |> Reward.propose 0.05 3.0 d |> TrustRegion.step mdp 0.01 start.Policy
                let corrected = start.Reward |> Reward.correct 0.05 step.Eta 3.0 d
                let residual = Table.maxAbsDiff step.Policy.LogProbabilities (corrected |> Soft.policy mdp).LogProbabilities
                expectBelow 1e-10 residual "pi_tr = SoftOptimal(U_{eps/(1+eta)}(r), 1)"
                let next = Trirl.step settings problem start
                expectBelow 1e-12 (Table.maxAbsDiff next.Reward corrected) "the learner keeps the same corrected reward"

            testCase "a retrained learned reward reproduces the policy (Soft.policy after Trirl.run)" <| fun () ->
                let mdp = Mdp.gridworld 4 0.1
                let final = mdp |> Expert.softOptimal 2.0 |> Trirl.run (Settings.trirl 2.0 0.05 0.01) |> Seq.item 19
                let retrained = final.Reward |> Soft.policy mdp
                expectBelow 1e-10 (Table.maxAbsDiff retrained.LogProbabilities final.Policy.LogProbabilities) "retraining residual"
        ]

        testList "options instead of nulls" [
            testCase "Mdp.reward" <| fun () ->
                let m = Mdp.gridworld 3 0.1
                match Mdp.reward m with
                | Some r -> Expect.isTrue (obj.ReferenceEquals(r, m.Reward)) "Some: the true reward"
                | None -> failtest "a gridworld has a true reward"
                Expect.isNone (Mdp.reward (Mdp.withoutReward m)) "None without a reward"
                Expect.isNone (Mdp.reward (handMdp 0.9 [ 1.0 ] [ [ [ 0, 1.0 ] ] ])) "None for a hand-built MDP without reward"
                let r = Table.constant m.States m.Actions 0.5
                Expect.equal (Mdp.reward (m |> Mdp.withoutReward |> Mdp.withReward r)) (Some r) "withReward"
                Expect.isSome (Mdp.reward (Mdp.create "c" 0.9 [| 1.0 |] [ [ [ 0, 1.0 ] ] ] (Some(Table.constant 1 1 1.0)))) "create with Some reward"

            testCase "Env.grid" <| fun () ->
                let grid = Env.parse 0L "gridworld:4:0.2" |> Env.grid
                Expect.equal grid (Some(GridShape(4, 4))) "Some for a gridworld"
                Expect.equal (Env.parse 0L "cliff" |> Env.grid) (Some(GridShape(12, 4))) "Some for the cliff"
                Expect.isNone (Env.parse 1L "garnet:10:3:2" |> Env.grid) "None for a Garnet"
                let env = Env.parse 2L "gridworld:4:0.2"
                Expect.equal (MdpJson.Serialize(Env.mdp env)) (MdpJson.Serialize(TabularEnvs.Parse("gridworld:4:0.2", 2L).Mdp)) "Env.mdp"
                Expect.equal Env.forms TabularEnvs.Forms "forms"

            testCase "Settings.sampling, Settings.tryAlgorithm, Expert.normalizedReturn, MetricsTable.tryColumn" <| fun () ->
                Expect.isNone (Settings.sampling (Settings.trirl 3.0 0.05 0.01)) "exact learner: None"
                let s = SampleSettings(5, 10, 1e-3, 0L)
                Expect.equal (Settings.trirl 3.0 0.05 0.01 |> Settings.withSampling s |> Settings.sampling) (Some s) "sampled: Some"
                Expect.equal (Settings.tryAlgorithm "TRIRL") (Some Algorithm.Trirl) "any case"
                Expect.equal (Settings.tryAlgorithm "adversarial") (Some Algorithm.Adversarial) "adversarial"
                Expect.isNone (Settings.tryAlgorithm "gail") "unknown name"
                Expect.isNone (Settings.tryAlgorithm "7") "a number is not a name"
                let problem = problem4.Force()
                let rho = Irl.Occupancy(problem.Mdp, Policy.Uniform(problem.Mdp.States, problem.Mdp.Actions))
                Expect.equal (Expert.normalizedReturn problem rho) (Some(problem.NormalizedReturn rho)) "scored: Some"
                let unscored = problem.Mdp |> Mdp.withoutReward |> Expert.ofPolicy problem.ExpertPolicy
                Expect.isNone (Expert.normalizedReturn unscored rho) "no true reward: None"
                let table = MetricsTable.ofRows [ "x"; "y" ] [ [ 1.0; 2.0 ] ]
                Expect.isSome (MetricsTable.tryColumn "y" table) "Some column"
                Expect.isNone (MetricsTable.tryColumn "z" table) "None column"
        ]

        testList "metrics tables and learning curves" [
            testCase "learningCurves reads a metrics.csv: numeric columns, skipped text columns, nan and empty cells" <| fun () ->
                let path =
                    writeTemp "metrics.csv"
                        "env_steps,normalized_return,disc_loss,algorithm\r\n0,0.0,0.69,trirl\r\n\r\n1000,0.25,,trirl\r\n2000,0.5,nan,trirl\r\n3000,1e-1,-inf,trirl\r\n"
                let table = MetricsTable.load path
                Expect.equal table.Source path "source"
                Expect.equal (table.Columns |> List.map (fun c -> c.Name)) [ "env_steps"; "normalized_return"; "disc_loss" ] "numeric columns in order"
                Expect.equal table.Skipped [ "algorithm" ] "the text column is skipped"
                Expect.equal (MetricsTable.rowCount table) 4 "blank lines ignored"
                Expect.equal (MetricsTable.column "env_steps" table).Values [| 0.0; 1000.0; 2000.0; 3000.0 |] "x values"
                Expect.equal (MetricsTable.column "normalized_return" table).Values [| 0.0; 0.25; 0.5; 0.1 |] "y values"
                let loss = (MetricsTable.column "disc_loss" table).Values
                Expect.equal loss.[0] 0.69 "a number"
                Expect.isTrue (Double.IsNaN loss.[1] && Double.IsNaN loss.[2]) "empty and nan cells are NaN"
                Expect.equal loss.[3] -infinity "-inf"
                // iterations.csv writes n/a for a number that does not exist (CsvWriter.NotAvailable); it reads back as NaN.
                let mixed = MetricsTable.parse "iterations.csv" "iteration,normalized_return\n1,n/a\n2,NaN\n3,0.5\n"
                let ret = (MetricsTable.column "normalized_return" mixed).Values
                Expect.isTrue (Double.IsNaN ret.[0] && Double.IsNaN ret.[1] && ret.[2] = 0.5) "n/a and NaN are NaN, 0.5 is 0.5"
                let html = Charts.toHtmlPage "curves" "" [ Charts.learningCurvesOfCsv path; Charts.learningCurves table ]
                for name in [ "normalized_return"; "disc_loss"; "env_steps" ] do
                    Expect.stringContains html name "axis titles name the columns"
                let against = Charts.learningCurvesAgainst "normalized_return" table |> Plotly.NET.GenericChart.toChartHTML
                Expect.stringContains against "Learning curves (metrics.csv)" "title names the file"
                let compared = Charts.compareCurves "env_steps" "normalized_return" [ "a", table; "b", table ] |> Plotly.NET.GenericChart.toChartHTML
                Expect.stringContains compared "\"x\":[0.0,1000.0,2000.0,3000.0]" "the x column"
                Directory.Delete(dirOf path, true)

            testCase "learningCurves rejects malformed CSV with errors naming the file and line" <| fun () ->
                let bad = writeTemp "metrics.csv" "env_steps,normalized_return,eta\n0,0.1,1\n1000,0.2\n"
                let e = expectInputError (bad + ": line 3") [ "has 2 cells but the header has 3 columns"; "env_steps,normalized_return,eta" ] (fun () -> Charts.learningCurvesOfCsv bad)
                Expect.stringContains e.Message "one value per column" "the fix"
                expectInputError "m.csv: line 1" [ "appears twice" ] (fun () -> MetricsTable.parse "m.csv" "a,b,a\n1,2,3\n") |> ignore
                expectInputError "m.csv: line 2" [ "column 2 has an empty name" ] (fun () -> MetricsTable.parse "m.csv" "\na,,c\n1,2,3\n") |> ignore
                expectInputError "m.csv" [ "no data rows" ] (fun () -> MetricsTable.parse "m.csv" "a,b\n") |> ignore
                expectInputError "m.csv" [ "is empty" ] (fun () -> MetricsTable.parse "m.csv" " \n") |> ignore
                expectInputError "m.csv" [ "no numeric column" ] (fun () -> MetricsTable.parse "m.csv" "a,b\nx,y\n") |> ignore
                let missing = Path.Combine(dirOf bad, "absent.csv")
                expectInputError missing [ "does not exist" ] (fun () -> MetricsTable.load missing) |> ignore
                let table = MetricsTable.parse "m.csv" "steps,ret,name\n1,2,x\n"
                expectInputError "m.csv" [ "no numeric column 'name' (it is not numeric)"; "steps, ret" ] (fun () -> Charts.learningCurvesAgainst "name" table) |> ignore
                expectInputError "m.csv" [ "no numeric column 'nope'" ] (fun () -> MetricsTable.column "nope" table) |> ignore
                Expect.throwsT<ArgumentException> (fun () -> MetricsTable.parse "m.csv" "steps\n1\n" |> Charts.learningCurves |> ignore) "nothing to plot"
                expectInputError "rows[1]" [ "has 1 values but there are 2 columns" ] (fun () -> MetricsTable.ofRows [ "a"; "b" ] [ [ 1.0; 2.0 ]; [ 3.0 ] ]) |> ignore
                Directory.Delete(dirOf bad, true)

            testCase "MetricsTable.ofIterations has the columns of iterations.csv" <| fun () ->
                let history = Trirl.run (Settings.trirl 2.0 0.1 0.01) (problem4.Force()) |> Seq.take 4 |> Seq.map Trirl.metrics |> Seq.toArray
                let table = MetricsTable.ofIterations history
                Expect.equal (table.Columns |> List.map (fun c -> c.Name))
                    [ "iteration"; "dual"; "primal"; "gap"; "eta"; "eps_tr"; "step_kl"; "kl_to_expert"; "normalized_return" ] "columns"
                Expect.equal (MetricsTable.column "iteration" table).Values [| 1.0; 2.0; 3.0; 4.0 |] "iterations"
                Expect.isTrue (sameBitsArray (MetricsTable.column "gap" table).Values (history |> Array.map (fun m -> m.Gap))) "gap bits"
                Charts.learningCurves table |> ignore

            testCase "policyHeatmap names the most likely action per cell and checks the grid" <| fun () ->
                let problem = problem4.Force()
                let html = Charts.policyHeatmap (GridShape(4, 4)) "expert" problem.ExpertPolicy |> Plotly.NET.GenericChart.toChartHTML
                let names = Policy.mostLikely problem.ExpertPolicy |> Array.map (fun a -> Gridworld.ActionNames.[a]) |> Array.distinct
                for n in names do
                    Expect.stringContains html (sprintf "\"%s\"" n) "action names as annotations"
                Expect.throwsT<ArgumentException> (fun () -> Charts.policyHeatmap (GridShape(3, 3)) "bad" problem.ExpertPolicy |> ignore) "16 states on a 3x3 grid"
                let garnet = Policy.uniform 6 3
                let other = Charts.policyHeatmap (GridShape(3, 2)) "garnet" garnet |> Plotly.NET.GenericChart.toChartHTML
                Expect.stringContains other "\"a0\"" "actions named by index when not the four grid moves"
        ]

        testCase "every public member of Trirl.FSharp has XML docs" <| fun () ->
            let asm = typeof<MetricsTable>.Assembly
            let xmlPath = Path.Combine(dirOf asm.Location, "Trirl.FSharp.xml")
            Expect.isTrue (File.Exists xmlPath) (sprintf "%s is shipped next to the assembly" xmlPath)
            let documented =
                XDocument.Load(xmlPath).Descendants(XName.Get "member")
                |> Seq.filter (fun m -> not (String.IsNullOrWhiteSpace m.Value))
                |> Seq.choose (fun m ->
                    match m.Attribute(XName.Get "name") with
                    | null -> None
                    | a -> Some a.Value)
                |> Set.ofSeq
            let hasDoc (prefix: string) =
                documented |> Set.exists (fun n -> n = prefix || n.StartsWith(prefix + "(", StringComparison.Ordinal))
            let generated (m: MemberInfo) = m.GetCustomAttributes(typeof<System.Runtime.CompilerServices.CompilerGeneratedAttribute>, false).Length > 0
            let missing =
                [ for t in asm.GetExportedTypes() do
                      if not (hasDoc ("T:" + t.FullName)) then yield "T:" + t.FullName
                      let flags = BindingFlags.Public ||| BindingFlags.Static ||| BindingFlags.Instance ||| BindingFlags.DeclaredOnly
                      for m in t.GetMethods(flags) do
                          if not m.IsSpecialName && not (generated m) && m.DeclaringType = t then
                              let name = sprintf "M:%s.%s" t.FullName m.Name
                              if not (hasDoc name) then yield name
                      for p in t.GetProperties(flags) do
                          if not (generated p) then
                              let name = sprintf "P:%s.%s" t.FullName p.Name
                              if not (hasDoc name) then yield name ]
            Expect.isEmpty missing "public members without XML docs"
    ]
