/// The F# layer of the deep half (fsharp/Trirl.FSharp.Deep) against the C# it names: the curried learner and its five
/// phases give the C# learner's numbers bit for bit, datasets read as rows and episodes, the shipped reward scores
/// through NeuralRewards.score as through NeuralReward.Rewards, and a run's iterations become a metrics table.
module Trirl.Tests.FSharpDeepTests

open System
open Expecto
open Trirl.Environments
open Trirl.Deep
open Trirl.FSharp

[<Tests>]
let tests =
    testSequenced <| testList "F# deep layer" [
        testCase "Deep.start/step and the Phase pipeline equal DeepLearner.Step bit for bit" <| fun () ->
            let settings = Imitation.trirl DeepPreset.Tiny |> Imitation.withEps 0.3
            let demos = Datasets.shipped Tasks.pendulum
            let viaCSharp =
                use state = DeepLearner.Start(ContinuousEnvs.Create "pendulum", settings, demos, 5L, Devices.Cpu)
                [ for _ in 1 .. 2 -> Array.ofSeq (DeepLearner.Step state).Values ]
            let viaModule = Tasks.pendulum |> Deep.start settings 5L demos |> Deep.using (Deep.run >> Seq.take 2 >> Seq.map (fun it -> Array.ofSeq it.Values) >> List.ofSeq)
            let viaPhases =
                Tasks.pendulum |> Deep.start settings 5L demos |> Deep.using (fun state ->
                    [ for _ in 1 .. 2 ->
                        let rollout = Phase.collect state
                        let fit = Phase.fitDiscriminator state rollout
                        let proposal = Phase.propose state rollout fit
                        let step = Phase.policyStep state rollout proposal
                        let correction = Phase.correct state proposal step
                        Array.append (Array.ofSeq (ImitationStatistics.Of(fit, proposal, step, correction)).Values) (Array.ofSeq step.Ppo.Values) ])
            for a, b, c in List.zip3 viaCSharp viaModule viaPhases do
                Expect.isTrue (sameBitsArray a b) "module = C#"
                Expect.isTrue (sameBitsArray a c) "phases = C#"

        testCase "the settings functions set what their C# members set" <| fun () ->
            let s = Imitation.trirl DeepPreset.Tiny |> Imitation.withRewardModel RewardModelKind.Recursive |> Imitation.withEpsDecaySteps 500L |> Imitation.withAverageReward RewardAverage.Harmonic
            Expect.equal s (ImitationSettings.Preset(ImitationMethod.Trirl, RlPreset.Tiny).WithRewardModel(RewardModelKind.Recursive).WithEpsDecaySteps(500L).WithAverageReward(RewardAverage.Harmonic)) "the same record"
            Expect.equal (s.EpsDecaySteps, s.AverageReward) (500L, RewardAverage.Harmonic) "both set"

        testCase "datasets: episodes as (first, length) cover the rows; observations index as [i, j]" <| fun () ->
            let d = Datasets.shipped Tasks.pendulum
            let eps = Datasets.episodes d
            Expect.equal eps.Length d.Episodes "one range per episode"
            Expect.equal (eps |> List.sumBy snd) d.Count "they cover every row"
            Expect.equal (List.head eps |> fst) 0 "first starts at 0"
            for (first, length), (next, _) in List.pairwise eps do Expect.equal (first + length) next "contiguous"
            Expect.isTrue (eps |> List.forall (fun (first, length) -> d.Dones.[first + length - 1])) "each ends at a done flag"
            Expect.equal (Datasets.observations d).[3, 2] d.Obs.[3 * 3 + 2] "obs.[i, j]"
            Expect.equal (Tasks.parse "Pendulum") Tasks.pendulum "parse"
            expectInputError "env" [ "cartpole" ] (fun () -> Tasks.parse "cartpole") |> ignore

        testCase "NeuralRewards.score = NeuralReward.Rewards with the task's terminations; iterations make a metrics table" <| fun () ->
            use reward = NeuralRewards.shipped Tasks.pendulum
            let d = Datasets.shipped Tasks.pendulum
            let direct = reward.Rewards(d, Demonstrations.Terminations(d, (ContinuousEnvs.Create "pendulum").Spec.MaxSteps))
            Expect.isTrue (sameBitsArray direct (NeuralRewards.score Tasks.pendulum d reward)) "score"
            let its = Tasks.pendulum |> Deep.start (Imitation.trirl DeepPreset.Tiny) 0L d |> Deep.using (Deep.run >> Seq.take 2 >> Seq.toArray)
            let table = DeepCharts.tableOfIterations "tiny" its
            Expect.equal (table.Columns |> List.map (fun c -> c.Name) |> List.take 3) [ "env_steps"; "eps_tr"; "disc_loss" ] "columns"
            Expect.equal (MetricsTable.column "eta" table).Values [| its.[0].Ppo.Eta; its.[1].Ppo.Eta |] "eta column"
    ]
