/// `trirl bench trirl --reference pytorch` (issue 22) without Python: the spec the C# bench writes for the PyTorch
/// re-creation holds the presets' own counts, the script is embedded as it is in the repository, the script's result
/// line is read back, and a missing Python or torch, an unknown reference or a task the script cannot simulate is one
/// error line with exit code 2 before anything is timed (no file written). The run with torch itself is the CI smoke
/// (tests/pytorch/check.sh), which needs Debian's python3-torch.
module Trirl.Tests.PyTorchReferenceTests

open System
open System.IO
open System.Text.Json
open Expecto
open Trirl.Deep
open Trirl.Environments
open Trirl.Cli.Benchmarks
open Trirl.Tests.CliTests

let private ints (e: JsonElement) = e.EnumerateArray() |> Seq.map (fun x -> x.GetInt32()) |> List.ofSeq

/// Runs `bench trirl` with `args` and expects exit code 2, one error line naming every fragment, and no file at `--out`.
let private refusedBeforeTiming (args: string list) (fragments: string list) =
    let dir = freshDir "pytorch-ref"
    let out = Path.Combine(dir, "bench-trirl.json")
    try
        expectRefused ([ "bench"; "trirl"; "--preset"; "tiny"; "--iterations"; "1"; "--out"; out ] @ args) fragments
        Expect.isFalse (File.Exists out) "no file written"
    finally
        if Directory.Exists dir then Directory.Delete(dir, true)

[<Tests>]
let tests =
    testList "PyTorchReference" [
        test "the spec at the paper preset holds the C# settings: rollout, networks, discriminator, PPO, buffer, and each phase's products" {
            let pendulum = ContinuousEnvs.Create "pendulum" :?> Pendulum
            let s = ImitationSettings.Paper
            use doc = JsonDocument.Parse(PyTorchReferenceSpec.Text(pendulum, s, 1000, 2, 3, ImitationBenchmark.FillEta))
            let r = doc.RootElement
            Expect.equal (r.GetProperty("format").GetInt32()) PyTorchReferenceSpec.Format "format"
            Expect.equal (r.GetProperty("env").GetProperty("max_torque").GetDouble()) 2.0 "Pendulum-v1's torque limit"
            Expect.equal (r.GetProperty("env").GetProperty("max_steps").GetInt32()) 200 "time limit"
            Expect.equal (r.GetProperty("observation_size").GetInt32(), r.GetProperty("action_size").GetInt32()) (3, 1) "sizes"
            Expect.equal (r.GetProperty("threads").GetInt32(), r.GetProperty("iterations").GetInt32()) (2, 3) "threads, iterations"
            Expect.equal (r.GetProperty("expert_transitions").GetInt32()) 1000 "expert rows"
            let ppo = r.GetProperty "ppo"
            Expect.equal (ppo.GetProperty("copies").GetInt32(), ppo.GetProperty("rollout_steps").GetInt32()) (4000, 10) "4,000 copies x 10 steps"
            Expect.equal (ppo.GetProperty("epochs").GetInt32(), ppo.GetProperty("minibatch_size").GetInt32()) (10, 512) "10 epochs of 512"
            Expect.equal (ppo.GetProperty("learning_rate").GetDouble()) 1e-4 "Adam 1e-4"
            Expect.equal (ppo.GetProperty("max_grad_norm").GetDouble()) 10.0 "clip 10"
            Expect.equal (ppo.GetProperty("entropy_coef").GetDouble()) 0.001 "alpha"
            for name, gain in [ "policy", 0.01; "critic", 1.0 ] do
                let n = ppo.GetProperty name
                Expect.equal (ints (n.GetProperty "hidden")) [ 512; 256; 128 ] (name + ": 512-256-128")
                Expect.equal (n.GetProperty("activation").GetString()) "elu" (name + ": ELU")
                Expect.isTrue (n.GetProperty("layer_norm").GetBoolean()) (name + ": LayerNorm")
                Expect.equal (n.GetProperty("output_gain").GetDouble()) gain (name + ": output gain")
            let imi = r.GetProperty "imitation"
            Expect.equal (imi.GetProperty("buffer_size").GetInt32()) 100 "K = 100"
            Expect.equal (imi.GetProperty("eps").GetDouble()) 0.2 "eps"
            Expect.isTrue (imi.GetProperty("corrects").GetBoolean()) "trirl corrects"
            let d = imi.GetProperty "discriminator"
            Expect.equal (ints (d.GetProperty "hidden")) [ 512; 256 ] "discriminator 512-256"
            Expect.equal (d.GetProperty("activation").GetString()) "tanh" "tanh"
            Expect.isFalse (d.GetProperty("layer_norm").GetBoolean()) "no LayerNorm"
            Expect.equal (d.GetProperty("output_gain").GetDouble()) 0.1 "output gain 0.1"
            Expect.equal (imi.GetProperty("disc_epochs").GetInt32(), imi.GetProperty("disc_minibatch_size").GetInt32()) (10, 512) "10 epochs of 512"
            Expect.equal (imi.GetProperty("disc_learning_rate").GetDouble()) 1e-5 "Adam 1e-5"
            Expect.equal (imi.GetProperty("gp_lambda").GetDouble(), imi.GetProperty("gp_alpha").GetDouble()) (0.05, 0.5) "penalty 0.05 at 0.5"
            Expect.equal (imi.GetProperty("eta_schedule").GetProperty("kind").GetString()) "anneal" "eta annealed"
            Expect.equal (imi.GetProperty("eta_schedule").GetProperty("initial").GetDouble()) 100.0 "from 100"
            // The products the script times are PhaseFloors' own: the same multiply-adds per phase.
            let work = PhaseFloors.Loop(s, 3, 1)
            let gemms = r.GetProperty("gemms").EnumerateArray() |> Seq.toArray
            Expect.sequenceEqual (gemms |> Seq.map (fun g -> g.GetProperty("phase").GetString())) (work |> Seq.map (fun w -> w.Phase)) "phase order"
            for g, w in Seq.zip gemms work do
                let macs =
                    g.GetProperty("products").EnumerateArray()
                    |> Seq.sumBy (fun p -> p.GetProperty("count").GetInt64() * int64 (p.GetProperty("batch").GetInt32()) * int64 (p.GetProperty("inputs").GetInt32()) * int64 (p.GetProperty("outputs").GetInt32()))
                Expect.equal macs w.MultiplyAdds (w.Phase + ": the same multiply-adds")
        }

        test "the spec refuses a reward model the script does not re-create" {
            let pendulum = ContinuousEnvs.Create "pendulum" :?> Pendulum
            let recursive = ImitationSettings.Tiny.WithRewardModel RewardModelKind.Recursive
            expectInputError "imitation.reward_model" [ "buffer reward model" ] (fun () -> PyTorchReferenceSpec.Text(pendulum, recursive, 10, 1, 1, 1.0)) |> ignore
        }

        test "the CLI carries the repository's script byte for byte" {
            let asm = typeof<PyTorchTiming>.Assembly
            use stream =
                match asm.GetManifestResourceStream "trirl_pytorch.py" with
                | null -> failtest "the CLI carries no trirl_pytorch.py"
                | s -> s
            use reader = new StreamReader(stream)
            let file = Path.Combine(__SOURCE_DIRECTORY__, "..", "..", PyTorchReference.ScriptPath)
            Expect.equal (reader.ReadToEnd()) (File.ReadAllText file) "the embedded script is scripts/bench/trirl_pytorch.py"
        }

        test "the script's result line is read back in phase order; a malformed one is an error that quotes it" {
            let line =
                """{"implementation": "pytorch", "torch_version": "1.13.1", "python_version": "3.11.2", "blas": "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3", "threads": 2, "iterations": 3, "steps_per_iteration": 200, "buffer_size": 4, """
                + """"acting_seconds": 1.0, "discriminator_seconds": 2.0, "reward_seconds": 3.0, "policy_seconds": 4.0, "loop_seconds": 10.0, "env_steps_per_second": 20.0, """
                + """"gemm_floor_seconds": {"acting_seconds": 0.1, "discriminator_seconds": 0.2, "reward_seconds": 0.3, "policy_seconds": null}, """
                + """"gemm_multiply_adds_per_second": {"acting_seconds": 1e9, "discriminator_seconds": 2e9, "reward_seconds": 3e9, "policy_seconds": null}}"""
            let t = PyTorchReference.Parse("python3", line)
            Expect.sequenceEqual t.Phases [ 1.0; 2.0; 3.0; 4.0 ] "phases in order"
            Expect.equal t.LoopSeconds 10.0 "loop = sum"
            Expect.equal (t.Threads, t.Iterations, t.StepsPerIteration) (2, 3, 200) "counts"
            Expect.equal t.Gflops.[2] 6.0 "GFLOP/s = 2 x rate / 1e9"
            Expect.isTrue (Double.IsNaN t.FloorSeconds.[3]) "a phase without products: NaN"
            Expect.isFalse t.ReferenceBlas "OpenBLAS"
            let netlib =
                PyTorchTiming(t.Python, t.PythonVersion, t.TorchVersion, "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3", t.Threads, t.Iterations,
                              t.StepsPerIteration, t.Phases, t.EnvStepsPerSecond, t.FloorSeconds, t.MultiplyAddsPerSecond)
            Expect.isTrue netlib.ReferenceBlas "netlib's reference BLAS is told apart"
            let malformed = """{"torch_version": "1"}"""
            try
                PyTorchReference.Parse("python3", malformed) |> ignore
                failtest "a malformed line was read"
            with :? InvalidOperationException as e -> Expect.stringContains e.Message malformed "quotes the line"
        }

        testSequenced <| testList "a missing Python or torch, or input the script cannot take, is refused before anything is timed" [
            test "--python at a path that does not exist: exit 2, one line naming --python and apt-get install python3-torch" {
                refusedBeforeTiming [ "--reference"; "pytorch"; "--python"; "/nonexistent/trirl-test/python3" ]
                    [ "error: --python"; "/nonexistent/trirl-test/python3 cannot be started"; "apt-get install python3-torch" ]
            }

            test "TRIRL_PYTHON at a path that does not exist: the same, naming the variable; --python wins over it" {
                let before = Environment.GetEnvironmentVariable PyTorchReference.EnvironmentVariable
                try
                    Environment.SetEnvironmentVariable(PyTorchReference.EnvironmentVariable, "/nonexistent/trirl-test/python-from-env")
                    refusedBeforeTiming [ "--reference"; "pytorch" ] [ "error: TRIRL_PYTHON"; "python-from-env cannot be started"; "apt-get install python3-torch" ]
                    refusedBeforeTiming [ "--reference"; "pytorch"; "--python"; "/nonexistent/trirl-test/python-flag" ] [ "error: --python"; "python-flag" ]
                finally
                    Environment.SetEnvironmentVariable(PyTorchReference.EnvironmentVariable, before)
            }

            test "an unknown reference, a task other than the pendulum, a device other than the CPU" {
                refusedBeforeTiming [ "--reference"; "tensorflow" ] [ "error: --reference"; "none or pytorch"; "tensorflow" ]
                refusedBeforeTiming [ "--reference"; "pytorch"; "--env"; "mountaincar"; "--python"; "/nonexistent/python3" ] [ "error: --env"; "pendulum only" ]
                refusedBeforeTiming [ "--reference"; "pytorch"; "--device"; "cuda"; "--python"; "/nonexistent/python3" ] [ "--device" ]
            }
        ]
    ]
