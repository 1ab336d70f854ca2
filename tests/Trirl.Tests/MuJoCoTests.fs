/// The MuJoCo layer and the locomotion tasks: struct offsets against the headers (a C program compiled here), every
/// task's step against MuJoCo driven directly the way Gymnasium's v4 environments drive it (persistent data, reset,
/// set_state + mj_forward, ctrl, frame_skip x mj_step) with the reward terms worked out from the positions, the
/// observation layouts, termination and truncation, reset noise, determinism across thread counts and batch sizes, the
/// transfer twins against their base task, the rollout file, bounded scratch data, and bad input.
module Trirl.Tests.MuJoCoTests

open System
open System.Diagnostics
open System.IO
open Expecto
open Trirl.Functional
open Trirl.MuJoCo
open Trirl.Environments

let loco (name: string) = ContinuousEnvs.Create name :?> LocomotionEnv

/// Runs a program; returns (exit code, stdout + stderr).
let exec (file: string) (args: string list) (env: (string * string) list) =
    let psi = ProcessStartInfo(file, args)
    psi.RedirectStandardOutput <- true
    psi.RedirectStandardError <- true
    for k, v in env do psi.Environment.[k] <- v
    use p = Process.Start psi |> nonNull
    let out = p.StandardOutput.ReadToEndAsync()
    let err = p.StandardError.ReadToEnd()
    p.WaitForExit()
    p.ExitCode, out.Result + err

/// The offsets of MjLayout, printed by C's offsetof against Debian's libmujoco-dev headers.
let offsetProgram = """
#include <stdio.h>
#include <stddef.h>
#include <mujoco/mujoco.h>
#define P(s, f) printf("%s.%s %zu\n", #s, #f, offsetof(s, f))
int main(void) {
  P(mjModel, nq); P(mjModel, nv); P(mjModel, nu); P(mjModel, na); P(mjModel, nbody); P(mjModel, opt);
  P(mjOption, timestep); P(mjOption, gravity); P(mjOption, wind); P(mjOption, density); P(mjOption, viscosity);
  P(mjModel, qpos0); P(mjModel, body_mass); P(mjModel, actuator_ctrlrange); P(mjModel, actuator_gear);
  P(mjData, warning); P(mjData, time); P(mjData, qpos); P(mjData, qvel); P(mjData, act); P(mjData, qacc_warmstart);
  P(mjData, ctrl); P(mjData, xfrc_applied); P(mjData, xpos); P(mjData, cfrc_ext);
  P(mjVFS, filedata);
  printf("sizeof.mjVFS %zu\nsizeof.mjWarningStat %zu\n", sizeof(mjVFS), sizeof(mjWarningStat));
  printf("mjWARN_BADQACC %d\nmjOBJ_BODY %d\nmjNWARNING %d\n", (int)mjWARN_BADQACC, (int)mjOBJ_BODY, (int)mjNWARNING);
  return 0;
}
"""

/// One step of task `env` from positions `qpos`, velocities `qvel`, done the way Gymnasium does it: reset the data,
/// set the state, mj_forward, then ctrl and FrameSkip x mj_step on the same data. Returns the data's state after.
type GymStep = { Qpos: float[]; Qvel: float[]; TorsoBefore: float[]; TorsoAfter: float[] }

let gymStep (env: LocomotionEnv) (qpos: float[]) (qvel: float[]) (action: float32[]) (torso: int) =
    use data = env.Model.MakeData()
    data.Reset()
    qpos.CopyTo(data.Qpos)
    qvel.CopyTo(data.Qvel)
    data.Forward()
    let before = [| data.Xpos.[3 * torso]; data.Xpos.[3 * torso + 1] |]
    for u in 0 .. action.Length - 1 do data.Ctrl.[u] <- float action.[u]
    data.Step(env.Parameters.FrameSkip)
    { Qpos = data.Qpos.ToArray(); Qvel = data.Qvel.ToArray(); TorsoBefore = before
      TorsoAfter = [| data.Xpos.[3 * torso]; data.Xpos.[3 * torso + 1] |] }

/// Positions and velocities of copy 0 of a state.
let qOf (env: LocomotionEnv) (s: VecEnvState) =
    let v = s.StateOf 0 |> Seq.toArray
    v.[.. env.Nq - 1], v.[env.Nq .. env.Nq + env.Nv - 1]

let actionOf (rng: Rng) (n: int) = Array.init n (fun _ -> float32 (1.3 * (2.0 * rng.NextDouble() - 1.0)))

// Sequenced: the rollout test swaps the process-wide console, and the determinism test times nothing but uses threads.
[<Tests>]
let tests =
    testSequenced <| testList "MuJoCo" [
        testCase "struct offsets of MjLayout are the headers' (C offsetof, libmujoco-dev 2.2.2)" <| fun () ->
            let dir = Path.Combine(Path.GetTempPath(), "trirl-mjoffsets-" + Guid.NewGuid().ToString("N"))
            Directory.CreateDirectory dir |> ignore
            try
                let src = Path.Combine(dir, "offsets.c")
                File.WriteAllText(src, offsetProgram)
                let exe = Path.Combine(dir, "offsets")
                let code, text =
                    try exec "cc" [ src; "-o"; exe ] []
                    with :? ComponentModel.Win32Exception -> failtest "no C compiler 'cc': install gcc and libmujoco-dev (apt-get install gcc libmujoco-dev)"
                if code <> 0 then failtestf "compiling against /usr/include/mujoco failed (install libmujoco-dev): %s" text
                let code, text = exec exe [] []
                Expect.equal code 0 "offsets program ran"
                let printed =
                    text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    |> Array.map (fun l -> let p = l.Split(' ') in p.[0], int p.[1]) |> Map.ofArray
                for KeyValue(name, offset) in Trirl.MuJoCo.Native.MjLayout.ByName do
                    Expect.equal offset printed.[name] (sprintf "offset of %s" name)
                Expect.equal printed.["mjWARN_BADQACC"] (int MjWarning.BadQacc) "mjtWarning order"
                Expect.equal printed.["mjNWARNING"] (Enum.GetValues<MjWarning>().Length) "number of warning kinds"
                Expect.equal printed.["mjOBJ_BODY"] 1 "mjOBJ_BODY"
            finally
                Directory.Delete(dir, true)

        testCase "the library is MuJoCo 2.2.2" <| fun () ->
            Expect.equal MuJoCoLibrary.Version 222 "mj_version()"

        testCase "a model MuJoCo 2.2.2 rejects is an input error carrying MuJoCo's own text" <| fun () ->
            let e =
                expectInputError "bad.xml" [ "does not load in MuJoCo 2.2.2"; "gravcomp" ] (fun () ->
                    MjModel.FromXml("""<mujoco><worldbody><body gravcomp="1"><geom size="1"/></body></worldbody></mujoco>""", "bad.xml"))
            Expect.stringContains e.Message "unrecognized attribute" "MuJoCo's schema message"

        testCase "model and data: sizes, timestep, qpos0 and spans of the hopper" <| fun () ->
            let env = loco "hopper"
            let m = env.Model
            Expect.equal (m.Nq, m.Nv, m.Nu, m.Na) (6, 6, 3, 0) "nq nv nu na"
            Expect.equal m.Timestep 0.002 "timestep"
            Expect.equal (m.Gravity) [| 0.0; 0.0; -9.81 |] "gravity"
            Expect.equal (m.Qpos0) [| 0.0; 1.25; 0.0; 0.0; 0.0; 0.0 |] "qpos0 (rootz's ref = 1.25)"
            Expect.equal (m.ActuatorGear 1) 200.0 "gear"
            Expect.equal (m.ActuatorCtrlRange 2) (-1.0, 1.0) "ctrlrange"
            use d = m.MakeData()
            Expect.equal d.Qpos.Length 6 "qpos span"
            Expect.equal d.Xpos.Length (3 * m.Nbody) "xpos span"
            d.Ctrl.[0] <- 0.5
            d.Step 3
            expectClose 1e-15 0.006 d.Time "time after 3 steps"
            d.Dispose()
            Expect.throws (fun () -> d.Qpos.[0] |> ignore) "a disposed data refuses access"

        for name, frameSkip, obsDim, actDim in [ "hopper", 4, 11, 3; "walker2d", 4, 17, 6; "halfcheetah", 5, 17, 6; "ant", 5, 27, 8 ] do
            testCase (sprintf "%s: 25 steps equal MuJoCo driven as Gymnasium does; reward, observation and info from the positions" name) <| fun () ->
                let env = loco name
                Expect.equal (env.Parameters.FrameSkip, env.Spec.ObservationSize, env.Spec.ActionSize) (frameSkip, obsDim, actDim) "frame skip, sizes"
                let torso = env.Model.BodyId "torso"
                let rng = Rng(7UL)
                let mutable s = env.Reset(1, 3L)
                let p = env.Parameters
                // The reference keeps its own (qpos, qvel) and, like Gymnasium, never leaves its data between steps.
                use data = env.Model.MakeData()
                let q0, v0 = qOf env s
                data.Reset()
                q0.CopyTo(data.Qpos)
                v0.CopyTo(data.Qvel)
                data.Forward()
                let mutable t = 0
                while t < 25 && not (s.Steps.[0] = 0 && t > 0) do
                    let a = actionOf rng actDim
                    let qBefore = data.Qpos.ToArray()
                    let torsoBefore = [| data.Xpos.[3 * torso]; data.Xpos.[3 * torso + 1] |]
                    for u in 0 .. actDim - 1 do data.Ctrl.[u] <- float a.[u]
                    data.Step frameSkip
                    let q1, v1 = data.Qpos.ToArray(), data.Qvel.ToArray()
                    let r = env.Step(s, a)
                    let nq, nv = qOf env r.Next
                    Expect.isTrue (sameBitsArray q1 nq && sameBitsArray v1 nv) (sprintf "step %d: (qpos, qvel) bit for bit" t)
                    let dt = env.Dt
                    let xBefore, xAfter, yBefore, yAfter =
                        if name = "ant" then torsoBefore.[0], data.Xpos.[3 * torso], torsoBefore.[1], data.Xpos.[3 * torso + 1]
                        else qBefore.[0], q1.[0], 0.0, 0.0
                    let vx = (xAfter - xBefore) / dt
                    let cost = a |> Array.sumBy (fun x -> float x * float x)
                    let healthy =
                        match name with
                        | "hopper" ->
                            Array.append q1.[2..] v1 |> Array.forall (fun x -> -100.0 < x && x < 100.0)
                            && q1.[1] > 0.7 && abs q1.[2] < 0.2
                        | "walker2d" -> q1.[1] > 0.8 && q1.[1] < 2.0 && q1.[2] > -1.0 && q1.[2] < 1.0
                        | "ant" -> Array.forall Double.IsFinite (Array.append q1 v1) && q1.[2] >= 0.2 && q1.[2] <= 1.0
                        | _ -> true
                    let expected = p.ForwardRewardWeight * vx + p.HealthyReward - p.CtrlCostWeight * cost
                    expectClose 1e-12 expected r.Rewards.[0] (sprintf "step %d: reward" t)
                    Expect.equal r.Terminated.[0] (p.TerminateWhenUnhealthy && not healthy) (sprintf "step %d: terminated" t)
                    expectClose 0.0 xAfter r.Info.[0] "info x_position"
                    expectClose 1e-12 vx r.Info.[1] "info x_velocity"
                    if name = "ant" then expectClose 1e-12 ((yAfter - yBefore) / dt) r.Info.[3] "info y_velocity"
                    // Observation: positions without x (and y for the ant), velocities clipped to 10 for hopper and walker.
                    let skip = if name = "ant" then 2 else 1
                    let clip = if name = "hopper" || name = "walker2d" then 10.0 else infinity
                    let expectedObs = Array.append q1.[skip..] (v1 |> Array.map (fun v -> max -clip (min clip v))) |> Array.map float32
                    Expect.equal (r.ObservationOf 0 |> Seq.toArray) expectedObs (sprintf "step %d: observation" t)
                    s <- r.Next
                    t <- t + 1
                    if r.Done 0 then t <- 25

        testCase "hand-computed hopper terms: healthy reward counts on the terminating step, control cost of the raw action" <| fun () ->
            let env = loco "hopper"
            // Fallen: torso at 0.6 m (< 0.7) - the step is unhealthy, terminated, and still earns the healthy reward 1.
            let fallen = env.StateFromPositions([ 0.0; 0.6; 0.0; 0.0; 0.0; 0.0 ], [ 0.0; 0.0; 0.0; 0.0; 0.0; 0.0 ])
            let r = env.Step(env.ResetFrom([| Seq.toArray fallen |], 0L), [| 2.0f; 0.0f; 0.0f |])
            Expect.isTrue r.Terminated.[0] "z < 0.7 terminates"
            let x1 = (r.Next.StateOf 0).[0]
            // reward = (x1 - 0) / 0.008 + 1 - 0.001 * 2^2: the cost is on the unclipped action 2 (MuJoCo clamps ctrl to 1).
            expectClose 1e-12 (x1 / 0.008 + 1.0 - 0.004) r.Rewards.[0] "reward"
            // Upright at qpos0: healthy, not terminated.
            let s = env.ResetFrom([| (Seq.toArray (env.StateFromPositions(env.Qpos0, Array.zeroCreate 6))) |], 0L)
            Expect.isFalse (env.Step(s, [| 0.0f; 0.0f; 0.0f |])).Terminated.[0] "upright is healthy"

        testCase "termination: walker's pitch, ant's height; halfcheetah never; truncation at 1,000 steps" <| fun () ->
            let walker = loco "walker2d"
            let tilted = walker.StateFromPositions([ 0.0; 1.25; 1.2; 0.0; 0.0; 0.0; 0.0; 0.0; 0.0 ], Array.zeroCreate 9)
            Expect.isTrue (walker.Step(walker.ResetFrom([| Seq.toArray tilted |], 0L), Array.zeroCreate 6)).Terminated.[0] "pitch 1.2 > 1"
            let ant = loco "ant"
            let q = Seq.toArray ant.Qpos0
            q.[2] <- 1.3
            let high = ant.StateFromPositions(q, Array.zeroCreate 14)
            Expect.isTrue (ant.Step(ant.ResetFrom([| Seq.toArray high |], 0L), Array.zeroCreate 8)).Terminated.[0] "z 1.3 > 1"
            let cheetah = loco "halfcheetah"
            let q = Seq.toArray cheetah.Qpos0
            q.[2] <- Math.PI // upside down
            let flipped = cheetah.ResetFrom([| (Seq.toArray (cheetah.StateFromPositions(q, Array.zeroCreate 9))) |], 0L)
            let r = cheetah.Step(flipped, Array.zeroCreate 6)
            Expect.isFalse r.Terminated.[0] "halfcheetah never terminates"
            Expect.isFalse r.Truncated.[0] "not yet truncated"
            let r = cheetah.Step(flipped.WithSteps([| 999 |]), Array.zeroCreate 6)
            Expect.isTrue r.Truncated.[0] "the 1,000th step truncates"
            Expect.equal r.Next.Steps.[0] 1000 "step counter"

        testCase "reset noise: uniform within +-0.005 (hopper, walker2d), within +-0.1 and N(0, 0.1^2) velocities (halfcheetah, ant); warm start from mj_forward" <| fun () ->
            for name, scale, gaussian in [ "hopper", 0.005, false; "walker2d", 0.005, false; "halfcheetah", 0.1, true; "ant", 0.1, true ] do
                let env = loco name
                let n = 400
                let s = env.Reset(n, 11L)
                let q0 = Seq.toArray env.Qpos0
                let mutable sum, sumSq, count = 0.0, 0.0, 0
                for i in 0 .. n - 1 do
                    let v = s.StateOf i |> Seq.toArray
                    for j in 0 .. env.Nq - 1 do
                        Expect.isTrue (abs (v.[j] - q0.[j]) <= scale) (sprintf "%s qpos[%d] within +-%g" name j scale)
                    for j in 0 .. env.Nv - 1 do
                        let x = v.[env.Nq + j]
                        if gaussian then
                            sum <- sum + x
                            sumSq <- sumSq + x * x
                            count <- count + 1
                        else Expect.isTrue (abs x <= scale) (sprintf "%s qvel[%d] within +-%g" name j scale)
                if gaussian then
                    let mean = sum / float count
                    let std = sqrt (sumSq / float count - mean * mean)
                    // count >= 3600 draws: the sample mean's sd is 0.1/60; the sample sd's about 0.1/85.
                    expectClose 0.01 0.0 mean (name + ": velocity noise mean")
                    expectClose 0.01 0.1 std (name + ": velocity noise sd")
                // The warm start of copy 0 is MuJoCo's forward accelerations at its state.
                let v = s.StateOf 0 |> Seq.toArray
                use d = env.Model.MakeData()
                v.[.. env.Nq - 1].CopyTo(d.Qpos)
                v.[env.Nq .. env.Nq + env.Nv - 1].CopyTo(d.Qvel)
                d.Forward()
                Expect.isTrue (sameBitsArray (d.QaccWarmstart.ToArray()) v.[env.Nq + env.Nv .. env.Nq + 2 * env.Nv - 1]) (name + ": warm start")

        testCase "determinism: a copy's trajectory is the same bits for 1, 2 and 3 threads and for N = 7 or N = 1" <| fun () ->
            for name in [ "hopper"; "ant" ] do
                let env = loco name
                let run (threads: int) (n: int) (seeds: int64[]) =
                    let e = env.WithThreads threads
                    let mutable s = e.ResetSeeds seeds
                    let rng = Rng(5UL)
                    let trace = Collections.Generic.List<float>()
                    for _ in 1 .. 60 do
                        let a = Array.concat [ for _ in 1 .. n -> actionOf rng e.Spec.ActionSize ]
                        // Copy 3 of 7 gets the same actions as the single copy: draw them separately.
                        let r = e.Step(s, a)
                        trace.AddRange(r.Next.StateOf(min 3 (n - 1)))
                        trace.Add r.Rewards.[min 3 (n - 1)]
                        s <- e.ResetDone r
                    trace.ToArray()
                let seeds = Array.init 7 (fun i -> ContinuousEnvs.CopySeed(9L, i))
                let t1 = run 1 7 seeds
                Expect.isTrue (sameBitsArray t1 (run 2 7 seeds)) (name + ": 1 vs 2 threads")
                Expect.isTrue (sameBitsArray t1 (run 3 7 seeds)) (name + ": 1 vs 3 threads")
                // Alone, with copy 3's seed and the actions copy 3 got (the 4th block of each step's draws).
                let e = env.WithThreads 1
                let mutable s = e.ResetSeeds [| seeds.[3] |]
                let rng = Rng(5UL)
                let alone = Collections.Generic.List<float>()
                for _ in 1 .. 60 do
                    let blocks = [| for _ in 1 .. 7 -> actionOf rng e.Spec.ActionSize |]
                    let r = e.Step(s, blocks.[3])
                    alone.AddRange(r.Next.StateOf 0)
                    alone.Add r.Rewards.[0]
                    s <- e.ResetDone r
                Expect.isTrue (sameBitsArray t1 (alone.ToArray())) (name + ": N = 7 vs N = 1")

        testCase "twins: mars changes gravity alone, wind the medium alone; both change the motion" <| fun () ->
            let baseEnv, mars, wind = loco "halfcheetah", loco "halfcheetah-mars", loco "halfcheetah-wind"
            let same (a: LocomotionEnv) (b: LocomotionEnv) what =
                Expect.equal a.Model.Timestep b.Model.Timestep (what + ": timestep")
                Expect.equal a.Model.Qpos0 b.Model.Qpos0 (what + ": qpos0")
                for u in 0 .. a.Nu - 1 do Expect.equal (a.Model.ActuatorGear u) (b.Model.ActuatorGear u) (what + ": gear")
                for body in 0 .. a.Model.Nbody - 1 do Expect.equal (a.Model.BodyMass body) (b.Model.BodyMass body) (what + ": mass")
                Expect.equal a.Parameters.CtrlCostWeight b.Parameters.CtrlCostWeight (what + ": reward weights")
            same baseEnv mars "mars"
            same baseEnv wind "wind"
            Expect.equal mars.Model.Gravity [| 0.0; 0.0; -3.73 |] "mars gravity"
            Expect.equal (mars.Model.Wind, mars.Model.Density, mars.Model.Viscosity) (baseEnv.Model.Wind, 0.0, 0.0) "mars: no medium"
            Expect.equal wind.Model.Gravity baseEnv.Model.Gravity "wind: gravity unchanged"
            Expect.equal (wind.Model.Wind, wind.Model.Density, wind.Model.Viscosity) ([| -5.0; 0.0; 0.0 |], 1.2, 2e-5) "wind: medium"
            let start (e: LocomotionEnv) = e.ResetFrom([| (Seq.toArray (e.StateFromPositions(e.Qpos0, Array.create 9 0.5))) |], 0L)
            let a = Array.create 6 0.3f
            let nb = (baseEnv.Step(start baseEnv, a)).Next.StateOf 0 |> Seq.toArray
            for e in [ mars; wind ] do
                let nt = (e.Step(start e, a)).Next.StateOf 0 |> Seq.toArray
                Expect.isFalse (sameBitsArray nb nt) (e.Name + ": the shift moves the next state")

        testCase "twins: ant-disabled's front-leg controls (2-5) do nothing and cost nothing; its front legs are shorter and lighter" <| fun () ->
            let ant, disabled = loco "ant", loco "ant-disabled"
            let s = disabled.Reset(1, 4L)
            let a = [| 0.5f; -0.5f; 0.9f; 0.9f; -0.9f; 0.9f; 0.2f; 0.1f |]
            let b = Array.copy a
            for u in 2 .. 5 do b.[u] <- 0.0f
            let ra, rb = disabled.Step(s, a), disabled.Step(s, b)
            Expect.equal ra rb "controls 2-5 change neither the motion nor the reward"
            let c = Array.copy b
            c.[0] <- -0.5f
            Expect.notEqual (disabled.Step(s, c)).Next rb.Next "control 0 still acts"
            // Body masses: the two front legs (bodies of front_left_leg, front_right_leg and below) are lighter; the rest equal.
            let front = set [ for n in [ "front_left_leg"; "aux_1"; "front_right_leg"; "aux_2" ] -> ant.Model.BodyId n ]
            let mutable lighter = 0
            for body in 0 .. ant.Model.Nbody - 1 do
                let m0, m1 = ant.Model.BodyMass body, disabled.Model.BodyMass body
                if front.Contains body then Expect.isLessThan m1 m0 (sprintf "front body %d lighter" body)
                if m1 < m0 then lighter <- lighter + 1
                elif not (front.Contains body) then Expect.equal m1 m0 (sprintf "body %d unchanged" body)
            Expect.equal lighter 6 "the six bodies of the two front legs are lighter"
            Expect.equal disabled.Model.Gravity ant.Model.Gravity "gravity unchanged"

        testCase "scratch data stays bounded over a long run (one per worker, not one per step)" <| fun () ->
            let env = (loco "hopper").WithThreads 2
            let mutable s = env.Reset(8, 1L)
            let rng = Rng(3UL)
            for _ in 1 .. 500 do
                let r = env.Step(s, actionOf rng (8 * 3))
                s <- env.ResetDone r
            let created = LocomotionModels.For(env.Parameters).DataCreated
            Expect.isLessThanOrEqual created (Environment.ProcessorCount + 3) "data buffers made"

        testCase "trirl rollout writes terminated, truncated, x_position, x_velocity, qpos and qvel; the file replays through MuJoCo" <| fun () ->
            let file = Path.Combine(Path.GetTempPath(), sprintf "trirl-rollout-%s.npz" (Guid.NewGuid().ToString("N")))
            try
                let code = Trirl.Tests.CliTests.run [ "rollout"; "--env"; "hopper"; "--policy"; "random"; "--episodes"; "3"; "--seed"; "2"; "--out"; file ]
                Expect.equal code 0 "exit code"
                let npz = Trirl.Environments.Data.Npz.Load file
                Expect.equal (List.ofSeq npz.Names)
                    [ "obs"; "acts"; "next_obs"; "rews"; "dones"; "terminated"; "truncated"; "x_position"; "x_velocity"; "qpos"; "qvel" ] "arrays"
                let data = Trirl.Environments.Data.TransitionDataset.FromNpz npz
                let n = data.Count
                Expect.equal (List.ofSeq npz.["qpos"].Shape) [ n; 6 ] "qpos shape"
                Expect.equal (List.ofSeq npz.["qvel"].Shape) [ n; 6 ] "qvel shape"
                let qpos = npz.["qpos"].ToFloat64() |> Seq.toArray
                let qvel = npz.["qvel"].ToFloat64() |> Seq.toArray
                let xpos = npz.["x_position"].ToFloat64() |> Seq.toArray
                let term = npz.["terminated"].ToBool() |> Seq.toArray
                let dones = data.Dones |> Seq.toArray
                Expect.equal (Array.filter id dones).Length 3 "three episode ends"
                for k in 0 .. n - 1 do
                    Expect.equal dones.[k] (term.[k] || (npz.["truncated"].ToBool()).[k]) "dones = terminated or truncated"
                    // x_position after step k is qpos[k + 1, 0] within an episode.
                    if not dones.[k] then Expect.equal xpos.[k] qpos.[(k + 1) * 6] "x_position = next qpos[0]"
                // Replay from qpos/qvel: the first step of an episode (its warm start is mj_forward's) bit for bit, every
                // step to the solver's tolerance.
                let env = loco "hopper"
                let nextObs = data.NextObs |> Seq.toArray
                let acts = data.Acts |> Seq.toArray
                let mutable worst = 0.0
                for k in 0 .. n - 1 do
                    let state = env.StateFromPositions(qpos.[6 * k .. 6 * k + 5], qvel.[6 * k .. 6 * k + 5])
                    let r = env.Step(env.ResetFrom([| Seq.toArray state |], 0L), acts.[3 * k .. 3 * k + 2])
                    let o = r.ObservationOf 0 |> Seq.toArray
                    let first = k = 0 || dones.[k - 1]
                    for j in 0 .. 10 do
                        let d = abs (float o.[j] - float nextObs.[11 * k + j])
                        if first then Expect.equal o.[j] nextObs.[11 * k + j] (sprintf "first step of an episode, obs %d" j)
                        worst <- max worst d
                expectBelow 1e-4 worst "replayed next_obs"
            finally
                File.Delete file

        testCase "a missing libmujoco: trirl exits with code 2, one line naming the apt command, no file written" <| fun () ->
            let command = Trirl.Cli.Sweeps.TrirlExecutable.Command() |> Seq.toList
            let file = Path.Combine(Path.GetTempPath(), sprintf "trirl-nomujoco-%s.npz" (Guid.NewGuid().ToString("N")))
            let code, text =
                exec command.Head (command.Tail @ [ "rollout"; "--env"; "hopper"; "--policy"; "random"; "--episodes"; "1"; "--out"; file ])
                    [ "TRIRL_MUJOCO_LIBRARY", "/nonexistent/libmujoco.so.2.2.2" ]
            Expect.equal code 2 (sprintf "exit code (output: %s)" text)
            let lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            Expect.equal lines.Length 1 (sprintf "one line: %s" text)
            Expect.stringContains text "apt-get install libmujoco2.2.2" "names the fix"
            Expect.stringContains text "TRIRL_MUJOCO_LIBRARY=/nonexistent" "names what it tried"
            Expect.isFalse (File.Exists file) "no file written"

        testCase "bench mujoco: every task's rates and ratios in the JSON, each ratio its rates' quotient; bad flags exit 2" <| fun () ->
            // A tiny run (2 copies x 5 steps): the figures are checked for consistency, not for speed.
            let dir = Trirl.Tests.CliTests.freshDir "bench-mujoco"
            let file = Path.Combine(dir, "bench.json")
            try
                Expect.equal (Trirl.Tests.CliTests.run [ "bench"; "mujoco"; "--copies"; "2"; "--steps"; "5"; "--out"; file ]) 0 "exit code"
                use doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText file)
                let cases = doc.RootElement.GetProperty("cases").EnumerateArray() |> Seq.toList
                Expect.equal (cases |> List.map (fun c -> string (c.GetProperty("task").GetString()))) [ "hopper"; "walker2d"; "halfcheetah"; "ant" ] "tasks"
                for c in cases do
                    let num (name: string) = c.GetProperty(name).GetDouble()
                    let task = string (c.GetProperty("task").GetString())
                    for name in [ "raw_mj_steps_per_second"; "env_steps_per_second_1_threads"; "env_steps_per_second_2_threads"; "raw_pair_mj_steps_per_second" ] do
                        Expect.isTrue (num name > 0.0 && Double.IsFinite(num name)) (sprintf "%s: %s positive" task name)
                    let raw = num "raw_env_steps_per_second_per_core"
                    let expectClose (tol: float) expected actual what = expectClose (tol * abs expected) expected actual what // relative
                    expectClose 1e-12 (num "raw_mj_steps_per_second" / num "frame_skip") raw (task + ": raw env steps = mj_step / frame skip")
                    expectClose 1e-12 (num "env_steps_per_second_1_threads" / raw) (num "ratio_1_threads") (task + ": ratio, 1 thread")
                    expectClose 1e-12 (num "env_steps_per_second_2_threads" / (2.0 * raw)) (num "ratio_2_threads") (task + ": ratio, 2 threads")
                    expectClose 1e-12 (num "raw_pair_mj_steps_per_second" / (2.0 * num "raw_mj_steps_per_second")) (num "raw_pair_scaling") (task + ": raw pair scaling")
                    expectClose 1e-12 (num "env_steps_per_second_2_threads" / (num "raw_pair_mj_steps_per_second" / num "frame_skip")) (num "ratio_2_threads_to_raw_pair") (task + ": 2 threads / raw pair")
                Trirl.Tests.CliTests.expectBadInput ([ "bench"; "mujoco"; "--copies"; "0"; "--out"; Path.Combine(dir, "x") ], "--copies")
                Trirl.Tests.CliTests.expectBadInput ([ "bench"; "mujoco"; "--steps"; "0"; "--out"; Path.Combine(dir, "y") ], "--steps")
            finally
                if Directory.Exists dir then Directory.Delete(dir, true)

        testCase "bad input: action width, NaN action, unknown task, wrong state size" <| fun () ->
            let env = loco "hopper"
            let s = env.Reset(2, 0L)
            expectInputError "actions" [ "has 5 values but 2 copies of hopper need 2 x 3 = 6" ] (fun () -> env.Step(s, Array.zeroCreate 5)) |> ignore
            let a = Array.zeroCreate 6
            a.[4] <- Single.NaN
            expectInputError "actions[4]" [ "NaN"; "copy 1" ] (fun () -> env.Step(s, a)) |> ignore
            expectInputError "env" [ "unknown continuous environment 'hoper'"; "hopper" ] (fun () -> ContinuousEnvs.Create "hoper") |> ignore
            expectInputError "qpos" [ "nq = 6" ] (fun () -> env.StateFromPositions([ 0.0 ], Array.zeroCreate 6)) |> ignore
            expectInputError "states[0]" [ "18 state components" ] (fun () -> env.ResetFrom([| [| 0.0 |] |], 0L)) |> ignore
    ]
