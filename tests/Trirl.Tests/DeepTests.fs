/// The deep learners' building blocks against values computed by hand: GAE with a truncation and a termination, PPO's
/// clipped surrogate, closed-form Gaussian log-densities, entropies and KL divergences, SAC's soft target and
/// temperature loss, the tanh log-Jacobian correction of squashed actions, orthogonal initialisation, the checkpoint
/// container's integrity checks, the message of a failed libtorch load, device parsing, and the final observation of a
/// recorded episode. No test trains anything long; none asserts a training score.
module Trirl.Tests.DeepTests

open System
open System.IO
open System.Text.Json
open Expecto
open TorchSharp
open Trirl.Functional
open Trirl.Environments
open Trirl.Deep

let private t (xs: float list) = torch.tensor (xs |> List.map float32 |> Array.ofList)

let private t2 (rows: float list list) =
    let r = rows.Length
    let c = rows.Head.Length
    (torch.tensor (rows |> List.concat |> List.map float32 |> Array.ofList)).reshape(int64 r, int64 c)

let private values (x: torch.Tensor) : float[] = x.cpu().data<float32>().ToArray() |> Array.map float

let private scalar (x: torch.Tensor) : float = float (x.cpu().item<float32>())

let private halfLog2Pi = 0.5 * log (2.0 * Math.PI)

// Sequenced: libtorch's thread count and generator are process-wide.
[<Tests>]
let tests =
    testSequenced <| testList "Deep" [
        testCase "GAE by hand: 5 steps with a truncation (bootstraps from its final observation) and a termination" <| fun () ->
            // gamma 0.9, lambda 0.8 (gamma * lambda = 0.72). Step 1 is truncated: its s' is the final observation,
            // whose value 10 is bootstrapped, and the advantage does not flow back across the boundary. Step 3 is
            // terminated: V(s') (99, deliberately absurd) is ignored. Step 4 bootstraps from the next rollout's start (3).
            //   delta = [1 + 0.9*1 - 0.5, 2 + 0.9*10 - 1, 3 + 0.9*2 - 1.5, 4 - 2, 5 + 0.9*3 - 2.5] = [1.4, 10, 3.3, 2, 5.2]
            //   A4 = 5.2; A3 = 2; A2 = 3.3 + 0.72*2 = 4.74; A1 = 10; A0 = 1.4 + 0.72*10 = 8.6
            let gae =
                Gae.Compute([| 1.0; 2.0; 3.0; 4.0; 5.0 |], [| 0.5f; 1.0f; 1.5f; 2.0f; 2.5f |], [| 1.0f; 10.0f; 2.0f; 99.0f; 3.0f |],
                            [| false; false; false; true; false |], [| false; true; false; false; false |], 1, 0.9, 0.8)
            let expectedA = [| 8.6; 10.0; 4.74; 2.0; 5.2 |]
            let expectedR = [| 9.1; 11.0; 6.24; 4.0; 7.7 |]
            for i in 0 .. 4 do
                expectClose 1e-5 expectedA.[i] (float gae.Advantages.[i]) (sprintf "A_%d" i)
                expectClose 1e-5 expectedR.[i] (float gae.Returns.[i]) (sprintf "R_%d" i)
            // Time-major layout with two copies: copy 1 (all zeros, never done) does not disturb copy 0.
            let inter (a: 'a[]) (z: 'a) = a |> Array.collect (fun x -> [| x; z |])
            let two =
                Gae.Compute(inter [| 1.0; 2.0; 3.0; 4.0; 5.0 |] 0.0, inter [| 0.5f; 1.0f; 1.5f; 2.0f; 2.5f |] 0.0f,
                            inter [| 1.0f; 10.0f; 2.0f; 99.0f; 3.0f |] 0.0f, inter [| false; false; false; true; false |] false,
                            inter [| false; true; false; false; false |] false, 2, 0.9, 0.8)
            for i in 0 .. 4 do
                Expect.equal two.Advantages.[2 * i] gae.Advantages.[i] (sprintf "copy 0, step %d" i)
                Expect.equal two.Advantages.[2 * i + 1] 0.0f (sprintf "copy 1, step %d" i)

        testCase "GAE refuses arrays of mismatched lengths" <| fun () ->
            expectInputError "values" [ "has 2 entries" ] (fun () ->
                Gae.Compute([| 1.0; 2.0; 3.0 |], [| 0.0f; 0.0f |], [| 0.0f; 0.0f; 0.0f |], [| false; false; false |], [| false; false; false |], 1, 0.9, 0.9))
            |> ignore

        testCase "PPO clipped surrogate on fixed tensors equals the hand-computed value" <| fun () ->
            // ratios [1, 1.5, 0.5], advantages [1, 2, -1], clip 0.2:
            //   max(-1, -1) = -1;  max(-3, -2*1.2) = -2.4;  max(0.5, 1*0.8) = 0.8;  mean = -2.6 / 3
            use logp = t [ 0.0; log 1.5; log 0.5 ]
            use old = t [ 0.0; 0.0; 0.0 ]
            use adv = t [ 1.0; 2.0; -1.0 ]
            use loss = PpoLoss.ClippedSurrogate(logp, old, adv, 0.2)
            expectClose 1e-6 (-2.6 / 3.0) (scalar loss) "clipped surrogate"

        testCase "PPO loss terms: entropy, KL to the rollout policy and the weighted total on fixed tensors" <| fun () ->
            // One sample, one action dimension: policy N(1, 2^2), rollout policy N(0, 1), action 1, old log-prob 0.
            use mean = t2 [ [ 1.0 ] ]
            use logStd = t [ log 2.0 ]
            use oldMean = t2 [ [ 0.0 ] ]
            use oldLogStd = t [ 0.0 ]
            use action = t2 [ [ 1.0 ] ]
            use oldLogp = t [ 0.0 ]
            use adv = t [ 1.0 ]
            use value = t [ 3.0 ]
            use ret = t [ 1.0 ]
            let settings = PpoSettings.Tiny.WithEta(2.0)
            use terms = PpoLoss.Compute(mean, logStd, action, oldLogp, oldMean, oldLogStd, adv, value, ret, settings)
            // log pi(1) = -log 2 - log(2 pi)/2; ratio = exp(log pi) = 0.1995 < 0.8: clipped to 0.8, max(-0.1995, -0.8) = -0.1995
            let logPi = -(log 2.0) - halfLog2Pi
            expectClose 1e-6 (-(exp logPi)) (scalar terms.Policy) "policy term"
            expectClose 1e-6 2.0 (scalar terms.Value) "0.5 (V - R)^2"
            expectClose 1e-6 (log 2.0 + 0.5 * log (2.0 * Math.PI * Math.E)) (scalar terms.Entropy) "entropy"
            // KL(N(1, 4) || N(0, 1)) = log(1/2) + (4 + 1)/2 - 1/2
            let kl = log 0.5 + 2.5 - 0.5
            expectClose 1e-6 kl (scalar terms.Kl) "KL(pi || pi_old)"
            let total = -(exp logPi) - settings.EntropyCoef * scalar terms.Entropy + settings.ValueCoef * 2.0 + 2.0 * kl
            expectClose 1e-5 total (scalar terms.Total) "total = policy - alpha H + c_v value + eta KL"

        testCase "diagonal Gaussian: log-density, entropy and KL in closed form against hand values" <| fun () ->
            use x = t2 [ [ 1.0; 0.0 ] ]
            use zero = t2 [ [ 0.0; 0.0 ] ]
            use logStd0 = t2 [ [ 0.0; 0.0 ] ]
            use lp = DiagonalGaussian.LogProb(x, zero, logStd0)
            expectClose 1e-6 (-0.5 - 2.0 * halfLog2Pi) (scalar lp) "log N([1, 0]; 0, I)"
            use h = DiagonalGaussian.Entropy(logStd0)
            expectClose 1e-6 (log (2.0 * Math.PI * Math.E)) (scalar h) "entropy of N(0, I_2)"
            // p = N([1, 0], diag(4, 1)), q = N(0, I): KL(p||q) = log(1/2) + 5/2 - 1/2 = 1.3069; KL(q||p) = log 2 + 2/8 - 1/2 = 0.4431
            use meanP = t2 [ [ 1.0; 0.0 ] ]
            use logStdP = t2 [ [ log 2.0; 0.0 ] ]
            use pq = DiagonalGaussian.Kl(meanP, logStdP, zero, logStd0)
            use qp = DiagonalGaussian.Kl(zero, logStd0, meanP, logStdP)
            use pp = DiagonalGaussian.Kl(meanP, logStdP, meanP, logStdP)
            expectClose 1e-6 (log 0.5 + 2.0) (scalar pq) "KL(p || q)"
            expectClose 1e-6 (log 2.0 + 0.25 - 0.5) (scalar qp) "KL(q || p)"
            expectClose 1e-7 0.0 (scalar pp) "KL(p || p)"

        testCase "squashed Gaussian: log pi(tanh x) = log N(x) - log |d tanh/dx|, checked by finite differences and for large x" <| fun () ->
            let xs = [ 0.3; -1.2; 2.5 ]
            use x = t2 (xs |> List.map (fun v -> [ v ]))
            use mu = t2 [ [ 0.1 ]; [ 0.1 ]; [ 0.1 ] ]
            use logStd = t2 [ [ log 0.7 ]; [ log 0.7 ]; [ log 0.7 ] ]
            let got = values (DiagonalGaussian.SquashedLogProb(x, mu, logStd))
            xs |> List.iteri (fun i v ->
                let logN = -0.5 * ((v - 0.1) / 0.7) ** 2.0 - log 0.7 - halfLog2Pi
                let h = 1e-5
                let jac = (tanh (v + h) - tanh (v - h)) / (2.0 * h)
                expectClose 1e-4 (logN - log jac) got.[i] (sprintf "x = %g" v))
            // Far in the tail 1 - tanh(x)^2 underflows in float32; the stable form stays finite: log|J| ~ 2 (log 2 - x).
            use big = t2 [ [ 20.0 ] ]
            let j = scalar (DiagonalGaussian.TanhLogDetJacobian(big))
            Expect.isTrue (Double.IsFinite j) "finite for x = 20"
            expectClose 1e-3 (2.0 * (log 2.0 - 20.0)) j "log(1 - tanh(20)^2)"

        testCase "SAC soft target and temperature loss by hand" <| fun () ->
            // y0 = 1 + 0.9 (min(5, 4) - 0.2 * -1) = 4.78;  y1 = 2 (terminated: no bootstrap)
            use r = t [ 1.0; 2.0 ]
            use term = t [ 0.0; 1.0 ]
            use q1 = t [ 5.0; 3.0 ]
            use q2 = t [ 4.0; 6.0 ]
            use logp = t [ -1.0; 0.5 ]
            let y = values (SacTargets.Compute(r, term, q1, q2, logp, 0.2, 0.9))
            expectClose 1e-5 4.78 y.[0] "y0"
            expectClose 1e-6 2.0 y.[1] "y1"
            // -(log 0.5 * mean([-1 - 1, 0.5 - 1])) = -(log 0.5 * -1.25)
            use logAlpha = t [ log 0.5 ]
            expectClose 1e-6 (-(log 0.5 * -1.25)) (scalar (SacTargets.TemperatureLoss(logAlpha, logp, -1.0))) "temperature loss"

        testCase "orthogonal initialisation: orthonormal rows or columns times the gain, seeded" <| fun () ->
            for rows, cols in [ 4, 9; 9, 4; 5, 5 ] do
                let w = OrthogonalInit.Matrix(rows, cols, 2.0, Rng(7UL))
                let k = min rows cols
                for i in 0 .. k - 1 do
                    for j in 0 .. k - 1 do
                        let dot =
                            if rows <= cols then Seq.sum (seq { for c in 0 .. cols - 1 -> float w.[i * cols + c] * float w.[j * cols + c] })
                            else Seq.sum (seq { for r in 0 .. rows - 1 -> float w.[r * cols + i] * float w.[r * cols + j] })
                        expectClose 1e-5 (if i = j then 4.0 else 0.0) dot (sprintf "%dx%d (%d,%d)" rows cols i j)
            Expect.equal (OrthogonalInit.Matrix(3, 5, 1.0, Rng(3UL))) (OrthogonalInit.Matrix(3, 5, 1.0, Rng(3UL))) "same seed, same weights"

        testCase "checkpoint container: round trip, and a flipped byte, a truncation or a foreign file is refused" <| fun () ->
            let file = CheckpointFile("""{"kind":"run","algo":"ppo"}""", [| 1uy; 2uy; 3uy; 4uy |])
            let bytes = file.ToBytes()
            Expect.equal (CheckpointFile.Read(bytes, "c")) file "round trip"
            let flipped = Array.copy bytes
            flipped.[bytes.Length - 40] <- flipped.[bytes.Length - 40] ^^^ 1uy
            expectInputError "c" [ "corrupt" ] (fun () -> CheckpointFile.Read(flipped, "c")) |> ignore
            expectInputError "c" [ "truncated" ] (fun () -> CheckpointFile.Read(Array.sub bytes 0 (bytes.Length - 1), "c")) |> ignore
            expectInputError "c" [ "not a trirl checkpoint" ] (fun () -> CheckpointFile.Read(Text.Encoding.ASCII.GetBytes("PK\003\004 not a checkpoint at all, just text......................"), "c")) |> ignore
            let dir = Path.Combine(Path.GetTempPath(), sprintf "trirl-ckpt-%s" (Guid.NewGuid().ToString("N")))
            let path = Path.Combine(dir, "sub", "x.ckpt")
            file.Save path
            Expect.equal (CheckpointFile.Load path) file "saved and loaded"
            Expect.isEmpty (Directory.GetFiles(Path.Combine(dir, "sub"), "*.tmp")) "no temp file left"

        testCase "a native libtorch load failure becomes one message naming the fix" <| fun () ->
            let glibcxx =
                TypeInitializationException("TorchSharp.torch",
                    DllNotFoundException("Unable to load shared library 'LibTorchSharp': /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found"))
            match TorchRuntime.Explain glibcxx with
            | Null -> failtest "not recognised"
            | NonNull m ->
                Expect.stringContains m "GLIBCXX_3.4.32" "names the missing symbol version"
                Expect.stringContains m "scripts/ensure-libstdcxx.sh" "names the fix"
                Expect.stringContains m "Debian 12 / Ubuntu 22.04" "names the platforms"
                Expect.isFalse (m.Contains "\n") "one line"
            Expect.isNotNull (TorchRuntime.Explain(NotSupportedException("The libtorch-cpu-linux-x64 native library could not be loaded"))) "TorchSharp's own message"
            Expect.isNull (TorchRuntime.Explain(InvalidOperationException("something else"))) "other failures pass through"
            TorchRuntime.Ensure() // loads on this machine

        testCase "devices: cpu works; cuda without a CUDA libtorch and unknown names are input errors" <| fun () ->
            Expect.equal (Devices.Parse "cpu").``type`` DeviceType.CPU "cpu"
            if not (torch.cuda.is_available ()) then
                expectInputError "device" [ "no CUDA device" ] (fun () -> Devices.Parse "cuda") |> ignore
            expectInputError "device" [ "unknown device 'tpu'" ] (fun () -> Devices.Parse "tpu") |> ignore

        testCase "BoxClippedPolicy clips each action to the box; a PPO run with ClipActions evaluates the clipped actions" <| fun () ->
            let env = ContinuousEnvs.Create "pendulum" // the action box is [-2, 2]
            // A fixed policy whose actions leave the box on both sides: -4, -1, 2, 5.
            let wide =
                { new IContinuousPolicy with
                    member _.ObservationSize = 3
                    member _.ActionSize = 1
                    member _.Act(_, count, _) = Array.init count (fun i -> float32 (i * 3 - 4)) }
            let clipped = BoxClippedPolicy(wide, env.Spec.ActionLow, env.Spec.ActionHigh)
            Expect.equal (clipped.Act(Array.zeroCreate 12, 4, Rng(0UL))) [| -2.0f; -1.0f; 2.0f; 2.0f |] "clipped to [-2, 2], inside values kept"
            expectInputError "low" [ "2 bounds"; "1 action dimensions" ] (fun () -> BoxClippedPolicy(wide, [| -1.0f; -1.0f |], [| 1.0f; 1.0f |])) |> ignore
            expectInputError "low" [ "above high" ] (fun () -> BoxClippedPolicy(wide, [| 1.0f |], [| -1.0f |])) |> ignore
            // The learner: with ClipActions its evaluation takes the clipped actions, without it the Gaussian's mean.
            for clip in [ true; false ] do
                let s = RlRunSettings.Create("pendulum", "ppo", 0L, "tiny")
                let s = s.WithLearner(SettingsPatch.Apply(s.Learner, [ SettingsPatch("clip_actions", (if clip then "true" else "false")) ], "set"))
                use run = RlRun.Start(s, Devices.Cpu)
                Expect.equal (run.Policy :? BoxClippedPolicy) clip (sprintf "clip_actions = %b" clip)

        testCase "preset halfcheetah = preset locomotion with the zoo's settings that the committed halfcheetah specs set, for every algorithm" <| fun () ->
            // The specs' fixed "set" lists (docs/specs/halfcheetah-zoo-*.json) made the measured halfcheetah results; the
            // preset must give the same settings byte for byte, so that a run under it reproduces them.
            let root = requiredRepositoryRoot ()
            let setList file =
                use doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "docs", "specs", file)))
                [ for e in doc.RootElement.GetProperty("fixed").GetProperty("set").EnumerateArray() -> SettingsPatch.Parse(e.GetString() |> Option.ofObj |> Option.defaultValue "", "set") ]
            let imitation = setList "halfcheetah-zoo-trirl.json" |> List.filter (fun p -> p.Path.StartsWith "ppo.")
            Expect.equal (List.length imitation) 12 "the TRIRL spec's twelve ppo.* settings"
            Expect.sequenceEqual (setList "halfcheetah-zoo-baselines.json") imitation "the baselines' spec sets the same twelve"
            let rl = setList "halfcheetah-zoo-retrain.json"
            Expect.sequenceEqual [ for p in rl -> "ppo." + p.Path, p.Value ] [ for p in imitation -> p.Path, p.Value ] "the retrain spec sets them on PPO itself"
            for algo in [ "ppo"; "trirl"; "gail"; "airl"; "bc" ] do
                let patches = if algo = "ppo" then rl else imitation
                let viaSets = SettingsPatch.Apply(RlRunSettings.Create("halfcheetah", algo, 0L, "locomotion").Learner, patches, "set")
                let preset = RlRunSettings.Create("halfcheetah", algo, 0L, "halfcheetah").Learner
                Expect.equal (SettingsJson.Serialize preset) (SettingsJson.Serialize viaSets) (algo + ": the same settings JSON")
                Expect.notEqual (SettingsJson.Serialize preset) (SettingsJson.Serialize(RlRunSettings.Create("halfcheetah", algo, 0L, "locomotion").Learner)) (algo + ": not the plain locomotion preset")
            Expect.equal (RlPreset.Parse "HalfCheetah") RlPreset.HalfCheetah "parsed case-insensitively"
            Expect.equal (DeepPresets.Parse "halfcheetah") DeepPreset.HalfCheetah "the typed preset"
            Expect.equal (EnumNames.Name DeepPreset.HalfCheetah) "halfcheetah" "and its name"
            expectInputError "preset" [ "unknown preset 'cheetah'"; "halfcheetah" ] (fun () -> RlPreset.Parse "cheetah") |> ignore

        testCase "policy.ckpt records clip_actions: the opened policy acts as the run evaluates, and its draws stay in the box" <| fun () ->
            let obs = Array.init (64 * 3) (fun i -> float32 (sin (float i)))
            for clip in [ true; false ] do
                // A wide Gaussian (std 10) on the pendulum's [-2, 2]: its draws leave the box unless clipped.
                let s = RlRunSettings.Create("pendulum", "ppo", 0L, "tiny")
                let patches = [ SettingsPatch("clip_actions", (if clip then "true" else "false")); SettingsPatch("initial_std", "10") ]
                let s = s.WithLearner(SettingsPatch.Apply(s.Learner, patches, "set"))
                use run = RlRun.Start(s, Devices.Cpu)
                let path = Path.Combine(freshTempDir "policy-clip", "policy.ckpt")
                run.ExportPolicy().Save path
                let file = PolicyFile.Load path
                Expect.equal file.ClipActions clip "read back"
                Expect.equal (file.ToCheckpoint().HeaderJson.Contains "clip_actions") clip "written only when on"
                use mean = file.Open(Devices.Cpu)
                Expect.equal (mean.Act(obs, 64, Rng(1UL))) (run.Policy.Act(obs, 64, Rng(1UL))) "the run's evaluation actions, bit for bit"
                use draws = file.Open(Devices.Cpu, true)
                let a = draws.Act(obs, 64, Rng(2UL))
                let outside = a |> Array.filter (fun x -> x < -2.0f || x > 2.0f) |> Array.length
                if clip then Expect.equal outside 0 "clipped draws stay in [-2, 2]"
                else Expect.isGreaterThan outside 10 "unclipped draws of std 10 leave [-2, 2]"

        testCase "recorded episodes keep the final observation in next_obs, never the reset one" <| fun () ->
            let env = ContinuousEnvs.Create "pendulum"
            let run = Rollouts.Record(env, RandomPolicy(env.Spec), 2, 5L)
            let d = run.Dataset
            Expect.equal d.Count 400 "two 200-step episodes"
            Expect.equal [ for i in 0 .. d.Count - 1 do if d.Dones.[i] then yield i ] [ 199; 399 ] "dones at the ends"
            let obsDim = env.Spec.ObservationSize
            let row (a: Collections.Immutable.ImmutableArray<float32>) i = [| for j in 0 .. obsDim - 1 -> a.[i * obsDim + j] |]
            for i in 0 .. 198 do
                Expect.equal (row d.NextObs i) (row d.Obs (i + 1)) (sprintf "next_obs = obs of the next step inside an episode (%d)" i)
            // Replay episode 0 alone on copy 0 of the same batch: its last step's observation is next_obs[199]; the
            // reset that would follow gives another observation.
            let mutable state = env.Reset(2, 5L)
            let mutable last = Unchecked.defaultof<StepResult>
            for i in 0 .. 199 do
                let a = d.Acts.[i]
                last <- env.Step(state, [| a; 0.0f |])
                state <- last.Next
            Expect.equal (Array.ofSeq (last.ObservationOf 0)) (row d.NextObs 199) "final observation"
            let reset = env.Observe(env.ResetDone last)
            Expect.notEqual [| for j in 0 .. obsDim - 1 -> reset.[j] |] (row d.NextObs 199) "not the reset observation"
            Expect.isTrue (run.Returns |> Seq.forall (fun r -> r < 0.0)) "pendulum returns are negative"
    ]
