/// Continuous environments: single steps of pendulum, mountain car and point maze against numbers worked out by hand
/// from the equations (Gymnasium's Pendulum-v1 and MountainCarContinuous-v0, docs/pointmaze.md), clipping, limits,
/// termination vs truncation, reset distributions, exact wall collisions, and vectorised determinism (copy k of a batch
/// of 7 equals the same copy run alone).
module Trirl.Tests.ContinuousEnvTests

open System
open Expecto
open Trirl.Functional
open Trirl.Environments

let pi = Math.PI

/// float32 rounding, as Gymnasium's np.float32 state and observations.
let f32 (x: float) = float (float32 x)

/// One step of one copy started from `state` with `action`.
let stepFrom (env: ContinuousEnv) (state: float list) (action: float32 list) =
    let s = env.ResetFrom([| Array.ofList state |], 0L)
    env.Step(s, Array.ofList action)

let next (r: StepResult) = r.Next.StateOf 0 |> Seq.toArray
let obs (r: StepResult) = r.ObservationOf 0 |> Seq.toArray

let expectVec (tol: float) (expected: float list) (actual: float[]) (what: string) =
    Expect.equal actual.Length expected.Length (what + ": length")
    List.iteri (fun i e -> expectClose tol e actual.[i] (sprintf "%s[%d]" what i)) expected

/// The float32 observation against values from the equations (within float32 rounding).
let expectObs (expected: float list) (r: StepResult) =
    let o = obs r
    Expect.equal o.Length expected.Length "observation size"
    List.iteri (fun i e -> expectClose (1.2e-7 * max 1.0 (abs e)) e (float o.[i]) (sprintf "observation[%d]" i)) expected

let pendulum () = ContinuousEnvs.Create "pendulum"
let mountaincar () = ContinuousEnvs.Create "mountaincar"
let pointmaze () = ContinuousEnvs.Create "pointmaze"

/// A seeded generator of action batches over the action box widened by 20% (so that clipping happens).
let randomActions (env: ContinuousEnv) (n: int) (rng: Rng) =
    let lo = env.Spec.ActionLow |> Seq.toArray
    let hi = env.Spec.ActionHigh |> Seq.toArray
    let d = env.Spec.ActionSize
    Array.init (n * d) (fun k ->
        let j = k % d
        let mid = (float lo.[j] + float hi.[j]) / 2.0
        let half = 1.2 * (float hi.[j] - float lo.[j]) / 2.0
        float32 (mid + half * (2.0 * rng.NextDouble() - 1.0)))

[<Tests>]
let tests =
    testList "ContinuousEnvs" [
        testCase "TrainingTask and Twins: each twin maps to its training task, and a training task lists exactly its twins" <| fun () ->
            let expected =
                [ "pendulum", [ "pendulum-shifted" ]; "mountaincar", [ "mountaincar-shifted" ]; "pointmaze", [ "pointmaze-shifted" ]
                  "hopper", []; "walker2d", []; "halfcheetah", [ "halfcheetah-mars"; "halfcheetah-wind" ]; "ant", [ "ant-disabled" ] ]
            for task, twins in expected do
                Expect.equal (ContinuousEnvs.TrainingTask task) task (task + " is its own training task")
                Expect.sequenceEqual (ContinuousEnvs.Twins task) twins (task + ": its twins")
                Expect.sequenceEqual (ContinuousEnvs.Family task) (task :: twins) (task + ": its family, the task first")
                for twin in twins do
                    Expect.equal (ContinuousEnvs.TrainingTask twin) task (twin + " shifts " + task)
                    Expect.isEmpty (ContinuousEnvs.Twins twin) (twin + " is a twin, not a training task")
                    Expect.sequenceEqual (ContinuousEnvs.Family twin) (task :: twins) (twin + ": the same family as " + task)
            let listed = expected |> List.collect (fun (t, ts) -> t :: ts) |> List.sort
            Expect.sequenceEqual listed (ContinuousEnvs.Names |> Seq.sort) "every registered task is covered"

        // ------------------------------------------------------------------ pendulum (Gymnasium Pendulum-v1)
        testCase "pendulum: upright at rest with full torque (th = 0, thdot = 0, a = 2)" <| fun () ->
            let r = stepFrom (pendulum ()) [ 0.0; 0.0 ] [ 2.0f ]
            // thdot' = 0 + (3*10/(2*1) * sin 0 + 3/(1*1^2) * 2) * 0.05 = 0.3;  th' = 0 + 0.3 * 0.05 = 0.015
            // cost = 0^2 + 0.1 * 0^2 + 0.001 * 2^2 = 0.004
            expectVec 1e-15 [ 0.015; 0.3 ] (next r) "next state"
            expectClose 1e-15 (-0.004) r.Rewards.[0] "reward"
            expectObs [ cos 0.015; sin 0.015; 0.3 ] r
            let th1, w1 = (next r).[0], (next r).[1]
            Expect.equal (obs r) [| float32 (cos th1); float32 (sin th1); float32 w1 |] "observation = float32 (cos th', sin th', thdot')"
            Expect.isFalse r.Terminated.[0] "never terminated"
            Expect.isFalse r.Truncated.[0] "not truncated after one step"

        testCase "pendulum: horizontal, no torque (th = pi/2, thdot = 0.5, a = 0); reward from the state before the update" <| fun () ->
            let r = stepFrom (pendulum ()) [ pi / 2.0; 0.5 ] [ 0.0f ]
            // thdot' = 0.5 + (15 * sin(pi/2) + 0) * 0.05 = 1.25;  th' = pi/2 + 1.25 * 0.05 = pi/2 + 0.0625
            // cost = (pi/2)^2 + 0.1 * 0.5^2 + 0 = pi^2/4 + 0.025
            expectVec 1e-14 [ pi / 2.0 + 0.0625; 1.25 ] (next r) "next state"
            expectClose 1e-14 (-(pi * pi / 4.0 + 0.025)) r.Rewards.[0] "reward"
            expectObs [ cos (pi / 2.0 + 0.0625); sin (pi / 2.0 + 0.0625); 1.25 ] r

        testCase "pendulum: torque is clipped to [-2, 2] in the dynamics and in the cost" <| fun () ->
            let env = pendulum ()
            let at2 = stepFrom env [ 0.3; -0.2 ] [ 2.0f ]
            let at5 = stepFrom env [ 0.3; -0.2 ] [ 5.0f ]
            Expect.equal (next at5) (next at2) "a = 5 acts as u = 2"
            Expect.equal at5.Rewards.[0] at2.Rewards.[0] "the cost uses u = 2, not 5"
            let atM7 = stepFrom env [ 0.0; 0.0 ] [ -7.0f ]
            // u = -2: thdot' = 3 * (-2) * 0.05 = -0.3, cost = 0.001 * 4
            expectVec 1e-15 [ -0.015; -0.3 ] (next atM7) "a = -7 acts as u = -2"
            expectClose 1e-15 (-0.004) atM7.Rewards.[0] "reward with u = -2"

        testCase "pendulum: angular velocity is clipped to [-8, 8] before th' is computed" <| fun () ->
            let env = pendulum ()
            // 7.9 + (15 * 1 + 3 * 2) * 0.05 = 8.95 -> 8;  th' = pi/2 + 8 * 0.05 = pi/2 + 0.4
            let up = stepFrom env [ pi / 2.0; 7.9 ] [ 2.0f ]
            expectVec 1e-14 [ pi / 2.0 + 0.4; 8.0 ] (next up) "clipped at +8"
            Expect.equal (next up).[1] 8.0 "exactly the limit"
            // cost = (pi/2)^2 + 0.1 * 7.9^2 + 0.001 * 4
            expectClose 1e-12 (-(pi * pi / 4.0 + 0.1 * 7.9 * 7.9 + 0.004)) up.Rewards.[0] "cost uses thdot before the clip"
            let down = stepFrom env [ -pi / 2.0; -7.9 ] [ -2.0f ]
            expectVec 1e-14 [ -pi / 2.0 - 0.4; -8.0 ] (next down) "clipped at -8"

        testCase "pendulum: angle_normalize has Python's modulo semantics" <| fun () ->
            // ((x + pi) mod 2pi) - pi, the remainder taking the sign of 2pi
            expectClose 1e-15 (-pi / 2.0) (Pendulum.AngleNormalize(3.0 * pi / 2.0)) "3pi/2 -> -pi/2"
            expectClose 1e-15 (pi / 2.0) (Pendulum.AngleNormalize(-3.0 * pi / 2.0)) "-3pi/2 -> pi/2"
            Expect.equal (Pendulum.AngleNormalize pi) (-pi) "pi -> -pi ((2pi mod 2pi) = 0)"
            Expect.equal (Pendulum.AngleNormalize(-pi)) (-pi) "-pi -> -pi"
            expectClose 1e-15 (7.0 - 2.0 * pi) (Pendulum.AngleNormalize 7.0) "7 -> 7 - 2pi"
            expectClose 1e-15 (-7.0 + 2.0 * pi) (Pendulum.AngleNormalize(-7.0)) "-7 -> -7 + 2pi (not fmod's -7 + 2pi - 2pi)"
            expectClose 1e-13 0.3 (Pendulum.AngleNormalize(0.3 + 20.0 * pi)) "ten turns"
            // the cost sees the normalised angle: th = 2pi + 0.3 costs 0.3^2
            let r = stepFrom (pendulum ()) [ 2.0 * pi + 0.3; 0.0 ] [ 0.0f ]
            expectClose 1e-14 (-0.09) r.Rewards.[0] "cost of th = 2pi + 0.3"
            Expect.isGreaterThan (next r).[0] (2.0 * pi) "the state itself is not wrapped"

        testCase "pendulum-shifted: mass 1.3 in 3 / (m l^2)" <| fun () ->
            let r = stepFrom (ContinuousEnvs.Create "pendulum-shifted") [ 0.3; 0.0 ] [ 1.0f ]
            // thdot' = (15 sin 0.3 + 3 / 1.3 * 1) * 0.05
            let w = (15.0 * sin 0.3 + 3.0 / 1.3) * 0.05
            expectVec 1e-15 [ 0.3 + w * 0.05; w ] (next r) "next state"
            let base' = stepFrom (pendulum ()) [ 0.3; 0.0 ] [ 1.0f ]
            expectClose 1e-15 ((15.0 * sin 0.3 + 3.0) * 0.05) (next base').[1] "unshifted: 3 / 1"
            Expect.equal r.Rewards.[0] base'.Rewards.[0] "the cost does not depend on the mass"

        testCase "pendulum: truncated at step 200, never terminated; ResetDone starts episode 1" <| fun () ->
            let env = pendulum ()
            let mutable s = env.Reset(3, 7L)
            let zero = Array.zeroCreate<float32> 3
            let mutable last = Unchecked.defaultof<StepResult>
            for t in 1..200 do
                last <- env.Step(s, zero)
                Expect.isFalse (last.Terminated |> Seq.exists id) (sprintf "terminated at step %d" t)
                Expect.equal (last.Truncated |> Seq.toList) (List.replicate 3 (t = 200)) (sprintf "truncated flags at step %d" t)
                Expect.equal (last.Next.Steps |> Seq.toList) (List.replicate 3 t) "step counters"
                s <- last.Next
            let r = env.ResetDone last
            Expect.equal (r.Steps |> Seq.toList) [ 0; 0; 0 ] "counters back to 0"
            Expect.equal (r.Episodes |> Seq.toList) [ 1; 1; 1 ] "episode 1"
            Expect.equal (r.Seeds |> Seq.toList) (s.Seeds |> Seq.toList) "seeds kept"
            let again = env.ResetDone last
            Expect.equal r again "ResetDone is a pure function"
            let fresh = env.Reset(3, 7L)
            Expect.notEqual (r.StateOf 0 |> Seq.toArray) (fresh.StateOf 0 |> Seq.toArray) "episode 1 starts elsewhere than episode 0"

        testCase "pendulum: reset draws th ~ U[-pi, pi], thdot ~ U[-1, 1]" <| fun () ->
            let s = pendulum().Reset(4000, 123L)
            let th = s.Component 0 |> Seq.toArray
            let w = s.Component 1 |> Seq.toArray
            Expect.isTrue (th |> Array.forall (fun x -> x >= -pi && x <= pi)) "theta in [-pi, pi]"
            Expect.isTrue (w |> Array.forall (fun x -> x >= -1.0 && x <= 1.0)) "thetadot in [-1, 1]"
            expectBelow (-pi + 0.05) (Array.min th) "theta reaches the lower end"
            expectAtLeast (pi - 0.05) (Array.max th) "theta reaches the upper end"
            expectBelow (-0.98) (Array.min w) "thetadot reaches -1"
            expectAtLeast 0.98 (Array.max w) "thetadot reaches 1"
            expectBelow 0.1 (abs (Array.average th)) "theta centred"
            Expect.equal (s.Steps |> Seq.forall ((=) 0)) true "steps 0"
            Expect.equal (pendulum().Reset(4000, 123L)) s "same seed, same states"
            Expect.notEqual (pendulum().Reset(4000, 124L)) s "another seed, other states"

        // ------------------------------------------------------------------ mountain car (MountainCarContinuous-v0)
        testCase "mountaincar: one step from (-0.5, 0) with a = 1, state rounded to float32" <| fun () ->
            let r = stepFrom (mountaincar ()) [ -0.5; 0.0 ] [ 1.0f ]
            // v' = 0 + 1 * 0.0015 - 0.0025 cos(-1.5);  x' = -0.5 + v'
            // Gymnasium: velocity += force * power - 0.0025 * cos(3 * position)
            let v = 0.0 + (1.0 * 0.0015 - 0.0025 * cos (3.0 * -0.5))
            let x = -0.5 + v
            Expect.equal (next r) [| f32 x; f32 v |] "next state = float32(x', v')"
            expectClose 1e-15 (-0.1) r.Rewards.[0] "reward = -0.1 * 1^2"
            expectObs [ x; v ] r
            Expect.isFalse r.Terminated.[0] "far from the goal"

        testCase "mountaincar: force clipped to [-1, 1], the action cost uses the raw action" <| fun () ->
            let env = mountaincar ()
            let a1 = stepFrom env [ -0.5; 0.0 ] [ 1.0f ]
            let a3 = stepFrom env [ -0.5; 0.0 ] [ 3.0f ]
            Expect.equal (next a3) (next a1) "a = 3 pushes like a = 1"
            expectClose 1e-15 (-0.9) a3.Rewards.[0] "reward = -0.1 * 3^2"
            let am = stepFrom env [ -0.5; 0.0 ] [ -2.5f ]
            let v = 0.0 + (-1.0 * 0.0015 - 0.0025 * cos (3.0 * -0.5))
            Expect.equal (next am) [| f32 (-0.5 + v); f32 v |] "a = -2.5 pushes like a = -1"
            expectClose 1e-15 (-0.625) am.Rewards.[0] "reward = -0.1 * 2.5^2"

        testCase "mountaincar: velocity clipped to [-0.07, 0.07]" <| fun () ->
            let env = mountaincar ()
            // at x = -pi/6, cos(3x) = cos(-pi/2) ~ 0: v' = 0.069 + 0.0015 = 0.0705 -> 0.07
            let x0 = -pi / 6.0
            let up = stepFrom env [ x0; 0.069 ] [ 1.0f ]
            Expect.equal (next up) [| f32 (x0 + 0.07); f32 0.07 |] "clipped at +0.07"
            let down = stepFrom env [ x0; -0.069 ] [ -1.0f ]
            Expect.equal (next down) [| f32 (x0 - 0.07); f32 (-0.07) |] "clipped at -0.07"

        testCase "mountaincar: position clipped to [-1.2, 0.6]; at x = -1.2 a negative velocity becomes 0" <| fun () ->
            let env = mountaincar ()
            // v' = -0.05 - 0.0015 - 0.0025 cos(-3.57) ~ -0.0492;  x' = -1.19 + v' < -1.2 -> -1.2 and v' -> 0
            let r = stepFrom env [ -1.19; -0.05 ] [ -1.0f ]
            Expect.isLessThan (-1.19 + (-0.05 + (-1.0 * 0.0015 - 0.0025 * cos (3.0 * -1.19)))) (-1.2) "the unclipped x' is beyond the wall"
            Expect.equal (next r) [| f32 (-1.2); 0.0 |] "x = -1.2 (as float32), v = 0"
            Expect.isFalse r.Terminated.[0] "not a goal"
            // at the wall with a positive velocity nothing is zeroed: v' = 0.01 + 0.0015 - 0.0025 cos(-3.6)
            let v = 0.01 + (1.0 * 0.0015 - 0.0025 * cos (3.0 * -1.2))
            let r2 = stepFrom env [ -1.2; 0.01 ] [ 1.0f ]
            Expect.equal (next r2) [| f32 (-1.2 + v); f32 v |] "leaves the wall"
            // inside the bounds a negative velocity is kept
            let r3 = stepFrom env [ -1.0; -0.01 ] [ 0.0f ]
            let v3 = -0.01 + (0.0 * 0.0015 - 0.0025 * cos (3.0 * -1.0))
            Expect.equal (next r3) [| f32 (-1.0 + v3); f32 v3 |] "v < 0 kept away from the wall"
            // the right bound: x' = 0.59 + 0.05 + ... > 0.6 -> 0.6, which is a goal
            let r4 = stepFrom env [ 0.59; 0.05 ] [ 0.0f ]
            let v4 = 0.05 + (0.0 * 0.0015 - 0.0025 * cos (3.0 * 0.59))
            Expect.equal (next r4) [| f32 0.6; f32 v4 |] "x clipped to 0.6"
            Expect.isTrue r4.Terminated.[0] "0.6 >= 0.45 with v >= 0"
            expectClose 1e-15 100.0 r4.Rewards.[0] "reward 100 - 0"

        testCase "mountaincar: terminated when x' >= 0.45 and v' >= 0, reward +100 - 0.1 a^2" <| fun () ->
            let env = mountaincar ()
            let r = stepFrom env [ 0.44; 0.02 ] [ 0.5f ]
            // v' = 0.02 + 0.5 * 0.0015 - 0.0025 cos(1.32);  x' = 0.44 + v' ~ 0.4603
            let v = 0.02 + (0.5 * 0.0015 - 0.0025 * cos (3.0 * 0.44))
            Expect.equal (next r) [| f32 (0.44 + v); f32 v |] "next state"
            Expect.isTrue r.Terminated.[0] "reached the goal"
            Expect.isFalse r.Truncated.[0] "not truncated"
            expectClose 1e-13 (100.0 - 0.1 * 0.25) r.Rewards.[0] "reward = 100 - 0.1 * 0.5^2"
            let short = stepFrom env [ 0.40; 0.02 ] [ 0.0f ]
            Expect.isFalse short.Terminated.[0] "x' ~ 0.42 < 0.45"
            let back = stepFrom env [ 0.5; -0.01 ] [ -1.0f ]
            Expect.isLessThan (next back).[1] 0.0 "moving left"
            Expect.isGreaterThan (next back).[0] 0.45 "beyond the goal position"
            Expect.isFalse back.Terminated.[0] "v' < 0 does not count"

        testCase "mountaincar: termination and truncation are separate flags (both at step 999 on the goal)" <| fun () ->
            let env = mountaincar ()
            let s = env.ResetFrom([| [| 0.44; 0.02 |]; [| -0.5; 0.0 |]; [| 0.44; 0.02 |] |], 0L).WithSteps([| 998; 998; 10 |])
            let r = env.Step(s, [| 0.0f; 0.0f; 0.0f |])
            Expect.equal (r.Terminated |> Seq.toList) [ true; false; true ] "terminated"
            Expect.equal (r.Truncated |> Seq.toList) [ true; true; false ] "truncated at the 999th step"
            Expect.isTrue (r.Done 0 && r.Done 1 && r.Done 2) "all done"

        testCase "mountaincar: zero force never reaches the goal; truncated exactly at step 999" <| fun () ->
            let env = mountaincar ()
            let mutable s = env.Reset(2, 3L)
            let zero = [| 0.0f; 0.0f |]
            for t in 1..999 do
                let r = env.Step(s, zero)
                Expect.isFalse (r.Terminated |> Seq.exists id) "no goal without force"
                Expect.equal (r.Truncated |> Seq.toList) [ t = 999; t = 999 ] (sprintf "truncated at step %d" t)
                for c in 0..1 do
                    for v in r.Next.Component c do
                        Expect.equal (f32 v) v "the state stays float32-representable"
                s <- r.Next

        testCase "mountaincar-shifted: power 0.0012" <| fun () ->
            let r = stepFrom (ContinuousEnvs.Create "mountaincar-shifted") [ -0.5; 0.0 ] [ 1.0f ]
            let v = 0.0 + (1.0 * 0.0012 - 0.0025 * cos (3.0 * -0.5))
            Expect.equal (next r) [| f32 (-0.5 + v); f32 v |] "v' = 0.0012 - 0.0025 cos(3x)"

        testCase "mountaincar: reset draws x ~ U[-0.6, -0.4], v = 0" <| fun () ->
            let s = mountaincar().Reset(3000, 5L)
            let x = s.Component 0 |> Seq.toArray
            Expect.isTrue (x |> Array.forall (fun v -> v >= -0.6 && v <= -0.4)) "x in [-0.6, -0.4]"
            expectBelow (-0.595) (Array.min x) "reaches -0.6"
            expectAtLeast (-0.405) (Array.max x) "reaches -0.4"
            Expect.isTrue (s.Component 1 |> Seq.forall ((=) 0.0)) "v = 0"

        // ------------------------------------------------------------------ point maze (docs/pointmaze.md)
        testCase "pointmaze: a free step (damping, gain, reward = -distance - 0.01 |u|^2)" <| fun () ->
            let r = stepFrom (pointmaze ()) [ 1.0; 0.5; 0.0; 0.0 ] [ 1.0f; -0.5f ]
            // v' = v + 0.1 (4 u - 4 v) = (0.4, -0.2);  p' = p + 0.1 v' = (1.04, 0.48)
            expectVec 1e-15 [ 1.04; 0.48; 0.4; -0.2 ] (next r) "next state"
            let d = sqrt ((1.04 - 1.5) ** 2.0 + (0.48 - 2.5) ** 2.0)
            expectClose 1e-14 (-d - 0.01 * (1.0 + 0.25)) r.Rewards.[0] "reward"
            expectObs [ 1.04; 0.48; 0.4; -0.2 ] r
            Expect.isFalse r.Terminated.[0] "far from the goal"

        testCase "pointmaze: actions clipped to [-1, 1]^2, velocity damped and clipped to [-1, 1]" <| fun () ->
            let env = pointmaze ()
            let r = stepFrom env [ 1.0; 0.5; 0.5; 0.5 ] [ 5.0f; -5.0f ]
            // u = (1, -1): vx = 0.5 + 0.1 (4 - 2) = 0.7, vy = 0.5 + 0.1 (-4 - 2) = -0.1
            expectVec 1e-15 [ 1.07; 0.49; 0.7; -0.1 ] (next r) "next state"
            let d = sqrt ((1.07 - 1.5) ** 2.0 + (0.49 - 2.5) ** 2.0)
            expectClose 1e-14 (-d - 0.01 * 2.0) r.Rewards.[0] "control cost of the clipped action"
            let coast = stepFrom env [ 1.0; 0.5; 1.0; -1.0 ] [ 0.0f; 0.0f ]
            expectVec 1e-15 [ 1.06; 0.44; 0.6; -0.6 ] (next coast) "damping alone: v' = 0.6 v"
            let fast = stepFrom env [ 1.0; 0.5; 3.0; 0.0 ] [ 1.0f; 0.0f ]
            // vx = 3 + 0.1 (4 - 12) = 2.2 -> 1
            expectVec 1e-15 [ 1.1; 0.5; 1.0; 0.0 ] (next fast) "speed clipped to 1"

        testCase "pointmaze: hitting the wall from below stops exactly on its face and zeroes vy" <| fun () ->
            let r = stepFrom (pointmaze ()) [ 1.0; 1.35; 0.0; 1.0 ] [ 0.0f; 1.0f ]
            // v' = (0, 1), displacement (0, 0.1): the face y = 1.4 is met at t = 0.5
            Expect.equal (next r) [| 1.0; 1.4; 0.0; 0.0 |] "on the face, vy = 0"
            let fromAbove = stepFrom (pointmaze ()) [ 1.0; 1.65; 0.0; -1.0 ] [ 0.0f; -1.0f ]
            Expect.equal (next fromAbove) [| 1.0; 1.6; 0.0; 0.0 |] "on the top face"

        testCase "pointmaze: a diagonal hit slides along the face with the rest of the displacement" <| fun () ->
            let r = stepFrom (pointmaze ()) [ 1.0; 1.35; 1.0; 1.0 ] [ 1.0f; 1.0f ]
            // displacement (0.1, 0.1); y = 1.4 at t = 0.5 -> (1.05, 1.4); the remaining 0.05 in x -> 1.1
            let n = next r
            expectClose 1e-15 1.1 n.[0] "x slides on"
            Expect.equal n.[1] 1.4 "y exactly on the face"
            Expect.equal (n.[2], n.[3]) (1.0, 0.0) "vx kept, vy zeroed"

        testCase "pointmaze: the gap at the wall's end, its end face, the border, the corner" <| fun () ->
            let env = pointmaze ()
            let gap = stepFrom env [ 2.05; 1.35; 0.0; 1.0 ] [ 0.0f; 1.0f ]
            expectVec 1e-15 [ 2.05; 1.45; 0.0; 1.0 ] (next gap) "x > 2 passes through the gap"
            let endFace = stepFrom env [ 2.05; 1.5; -1.0; 0.0 ] [ -1.0f; 0.0f ]
            Expect.equal (next endFace) [| 2.0; 1.5; 0.0; 0.0 |] "stops on the end face x = 2"
            let left = stepFrom env [ 0.05; 0.5; -1.0; 0.0 ] [ -1.0f; 0.0f ]
            Expect.equal (next left) [| 0.0; 0.5; 0.0; 0.0 |] "left border"
            let corner = stepFrom env [ 2.95; 2.95; 1.0; 1.0 ] [ 1.0f; 1.0f ]
            Expect.equal (next corner) [| 3.0; 3.0; 0.0; 0.0 |] "the arena's corner blocks both axes"
            let seam = stepFrom env [ 0.0; 1.3; 0.0; 1.0 ] [ 0.0f; 1.0f ]
            Expect.equal (next seam) [| 0.0; 1.4; 0.0; 0.0 |] "no seam between the wall and the left border"

        testCase "pointmaze: no tunnelling through a wall thinner than one step's displacement" <| fun () ->
            // a wall 0.01 thick; at max speed the point moves 0.1 per step
            let thin = PointMazeParameters.Default.WithWalls([| Wall(-1.0, 1.40, 2.0, 1.41) |])
            let env = PointMaze(thin, "thin-maze")
            let mutable s = env.ResetFrom([| [| 1.0; 1.2; 0.0; 1.0 |]; [| 1.5; 1.6; 0.0; -1.0 |]; [| 0.3; 1.33; 1.0; 1.0 |] |], 0L)
            let push = [| 0.0f; 1.0f; 0.0f; -1.0f; 0.3f; 1.0f |]
            for _ in 1..40 do
                s <- env.Step(s, push).Next
                let y = s.Component 1
                Expect.isLessThanOrEqual y.[0] 1.40 "from below: never above the bottom face"
                Expect.isGreaterThanOrEqual y.[1] 1.41 "from above: never below the top face"
                Expect.isLessThanOrEqual y.[2] 1.40 "diagonal: never above the bottom face"
            Expect.equal (s.Component 1 |> Seq.toList) [ 1.40; 1.41; 1.40 ] "resting exactly on the faces"
            Expect.isGreaterThan (s.Component 0).[2] 1.2 "the diagonal one slid along the face"

        testCase "pointmaze: random pushes never enter a wall or cross the thin wall away from its gap" <| fun () ->
            let thin = PointMazeParameters.Default.WithWalls([| Wall(-1.0, 1.40, 2.0, 1.41) |])
            let env = PointMaze(thin, "thin-maze")
            let rng = Rng(99UL)
            let n = 32
            let starts = Array.init n (fun i -> [| 0.1 + 2.8 * rng.NextDouble(); (if i % 2 = 0 then 1.3 else 1.5) + 0.05 * rng.NextDouble(); 0.0; 0.0 |])
            let mutable s = env.ResetFrom(starts, 1L)
            for _ in 1..300 do
                let r = env.Step(s, randomActions env n rng)
                for i in 0 .. n - 1 do
                    let x0, y0 = s.Component(0).[i], s.Component(1).[i]
                    let x1, y1 = r.Next.Component(0).[i], r.Next.Component(1).[i]
                    Expect.isTrue (env.IsFree(x1, y1)) (sprintf "copy %d at (%.17g, %.17g) is free" i x1 y1)
                    // each axis moves at most 0.1 per step, so with x < 1.9 at both ends the whole path has x < 2
                    if x0 < 1.9 && x1 < 1.9 then
                        Expect.isFalse (y0 <= 1.40 && y1 >= 1.41) (sprintf "copy %d crossed upwards" i)
                        Expect.isFalse (y0 >= 1.41 && y1 <= 1.40) (sprintf "copy %d crossed downwards" i)
                s <- env.ResetDone r

        testCase "pointmaze: terminated within 0.25 of the goal (1.5, 2.5); truncated at step 200" <| fun () ->
            let env = pointmaze ()
            let r = stepFrom env [ 1.5; 2.3; 0.0; 1.0 ] [ 0.0f; 1.0f ]
            // v' = (0, 1), p' = (1.5, 2.4): distance 0.1 <= 0.25
            expectVec 1e-15 [ 1.5; 2.4; 0.0; 1.0 ] (next r) "next state"
            Expect.isTrue r.Terminated.[0] "at the goal"
            expectClose 1e-14 (-0.1 - 0.01) r.Rewards.[0] "reward = -0.1 - 0.01 * 1"
            let near = stepFrom env [ 1.5; 2.0; 0.0; 0.0 ] [ 0.0f; 0.0f ]
            Expect.isFalse near.Terminated.[0] "0.5 away is not the goal"
            let mutable s = env.Reset(2, 8L)
            for t in 1..200 do
                let step = env.Step(s, Array.zeroCreate 4)
                Expect.isFalse (step.Terminated |> Seq.exists id) "resting at the start never reaches the goal"
                Expect.equal (step.Truncated |> Seq.toList) [ t = 200; t = 200 ] (sprintf "truncated at step %d" t)
                s <- step.Next

        testCase "pointmaze-shifted: the wall moved to [1, 4] x [1.4, 1.6], the gap on the left" <| fun () ->
            let original = pointmaze ()
            let shifted = ContinuousEnvs.Create "pointmaze-shifted"
            let right = [ 2.5; 1.35; 0.0; 1.0 ]
            let leftSide = [ 0.5; 1.35; 0.0; 1.0 ]
            expectVec 1e-15 [ 2.5; 1.45; 0.0; 1.0 ] (next (stepFrom original right [ 0.0f; 1.0f ])) "original: gap on the right"
            Expect.equal (next (stepFrom shifted right [ 0.0f; 1.0f ])) [| 2.5; 1.4; 0.0; 0.0 |] "shifted: blocked on the right"
            Expect.equal (next (stepFrom original leftSide [ 0.0f; 1.0f ])) [| 0.5; 1.4; 0.0; 0.0 |] "original: blocked on the left"
            expectVec 1e-15 [ 0.5; 1.45; 0.0; 1.0 ] (next (stepFrom shifted leftSide [ 0.0f; 1.0f ])) "shifted: gap on the left"

        testCase "pointmaze: reset draws p ~ (1.5, 0.5) + U[-0.1, 0.1]^2 with v = 0; states inside walls are refused" <| fun () ->
            let env = pointmaze ()
            let s = env.Reset(2000, 4L)
            let x = s.Component 0 |> Seq.toArray
            let y = s.Component 1 |> Seq.toArray
            Expect.isTrue (x |> Array.forall (fun v -> v >= 1.4 && v <= 1.6)) "x in [1.4, 1.6]"
            Expect.isTrue (y |> Array.forall (fun v -> v >= 0.4 && v <= 0.6)) "y in [0.4, 0.6]"
            expectBelow 1.405 (Array.min x) "x spread"
            expectAtLeast 0.595 (Array.max y) "y spread"
            Expect.isTrue (s.Component 2 |> Seq.append (s.Component 3) |> Seq.forall ((=) 0.0)) "v = 0"
            expectInputError "states[1]" [ "inside a wall" ] (fun () -> env.ResetFrom([| [| 1.0; 1.0; 0.0; 0.0 |]; [| 1.0; 1.5; 0.0; 0.0 |] |], 0L)) |> ignore
            expectInputError "states[0]" [ "outside the arena" ] (fun () -> env.ResetFrom([| [| 3.5; 1.0; 0.0; 0.0 |] |], 0L)) |> ignore

        // ------------------------------------------------------------------ every task: registry, purity, determinism
        testCase "registry: every name builds its task with the documented sizes; unknown names list the valid ones" <| fun () ->
            let sizes =
                [ "pendulum", (3, 1, -2.0f, 2.0f, 200); "pendulum-shifted", (3, 1, -2.0f, 2.0f, 200)
                  "mountaincar", (2, 1, -1.0f, 1.0f, 999); "mountaincar-shifted", (2, 1, -1.0f, 1.0f, 999)
                  "pointmaze", (4, 2, -1.0f, 1.0f, 200); "pointmaze-shifted", (4, 2, -1.0f, 1.0f, 200)
                  "hopper", (11, 3, -1.0f, 1.0f, 1000); "walker2d", (17, 6, -1.0f, 1.0f, 1000)
                  "halfcheetah", (17, 6, -1.0f, 1.0f, 1000); "halfcheetah-mars", (17, 6, -1.0f, 1.0f, 1000)
                  "halfcheetah-wind", (17, 6, -1.0f, 1.0f, 1000); "ant", (27, 8, -1.0f, 1.0f, 1000); "ant-disabled", (27, 8, -1.0f, 1.0f, 1000) ]
            Expect.equal (ContinuousEnvs.Names |> Seq.toList) (sizes |> List.map fst) "the registered names"
            for name, (obsDim, actDim, lo, hi, maxSteps) in sizes do
                let env = ContinuousEnvs.Create name
                Expect.equal env.Name name "name"
                Expect.equal (env.Spec.ObservationSize, env.Spec.ActionSize, env.Spec.MaxSteps) (obsDim, actDim, maxSteps) name
                Expect.isTrue (env.Spec.ActionLow |> Seq.forall ((=) lo) && env.Spec.ActionHigh |> Seq.forall ((=) hi)) (name + " action box")
                Expect.equal (env.Observe(env.Reset(5, 1L)).Length) (5 * obsDim) (name + " observation length")
            let e = expectInputError "env" [ "unknown continuous environment 'cartpole'"; "pendulum"; "mountaincar-shifted"; "pointmaze-shifted" ] (fun () -> ContinuousEnvs.Create "cartpole")
            Expect.stringContains e.Fix "pendulum-shifted" "the fix lists the names"
            expectInputError "env" [ "is empty" ] (fun () -> ContinuousEnvs.Create "") |> ignore

        testCase "bad actions and foreign states are refused with the field named" <| fun () ->
            let env = pendulum ()
            let s = env.Reset(2, 1L)
            expectInputError "actions" [ "has 3 values"; "2 x 1 = 2" ] (fun () -> env.Step(s, [| 0.0f; 0.0f; 0.0f |])) |> ignore
            expectInputError "actions[1]" [ "NaN"; "copy 1" ] (fun () -> env.Step(s, [| 0.0f; Single.NaN |])) |> ignore
            expectInputError "actions[0]" [ "Infinity" ] (fun () -> env.Step(s, [| Single.PositiveInfinity; 0.0f |])) |> ignore
            expectInputError "state" [ "belongs to environment 'pendulum', not 'mountaincar'" ] (fun () -> mountaincar().Step(s, [| 0.0f; 0.0f |])) |> ignore
            expectInputError "states[0]" [ "has 3 values"; "2 state components" ] (fun () -> env.ResetFrom([| [| 0.0; 0.0; 0.0 |] |], 0L)) |> ignore
            expectInputError "states[0][1] (thetadot)" [ "finite" ] (fun () -> env.ResetFrom([| [| 0.0; nan |] |], 0L)) |> ignore
            expectInputError "count" [ ">= 1" ] (fun () -> env.Reset(0, 1L)) |> ignore

        testCase "Step is pure: the same (state, action) gives the same result and leaves the state untouched" <| fun () ->
            for name in ContinuousEnvs.Names do
                let env = ContinuousEnvs.Create name
                let s = env.Reset(4, 17L)
                let before = s.Components |> Seq.map Seq.toArray |> Seq.toArray
                let a = randomActions env 4 (Rng(5UL))
                let r1 = env.Step(s, a)
                let r2 = env.Step(s, a)
                Expect.equal r1 r2 (name + ": same result")
                Expect.equal (s.Components |> Seq.map Seq.toArray |> Seq.toArray) before (name + ": input state unchanged")
                Expect.equal (r1.Observations |> Seq.toArray) (env.Observe(r1.Next) |> Seq.toArray) (name + ": observations are Observe(next)")
                Expect.isTrue (obj.ReferenceEquals(env.ResetDone r1, r1.Next) || r1.AnyDone) (name + ": ResetDone without a finished copy returns the state")

        testCase "vectorised determinism: copy k of a batch of 7 equals copy k run alone with its seed (250 steps, auto-reset)" <| fun () ->
            let n, seed, steps = 7, 2026L, 250
            for name in ContinuousEnvs.Names do
                let env = ContinuousEnvs.Create name
                let d = env.Spec.ActionSize
                let rng = Rng(31UL)
                let actions = Array.init steps (fun _ -> randomActions env n rng)
                // the batch
                let batch = Array.init n (fun _ -> ResizeArray<float[] * float32[] * float * bool * bool * int>())
                let mutable s = env.Reset(n, seed)
                for t in 0 .. steps - 1 do
                    let r = env.Step(s, actions.[t])
                    for k in 0 .. n - 1 do
                        batch.[k].Add(Seq.toArray (r.Next.StateOf k), Seq.toArray (r.ObservationOf k), r.Rewards.[k], r.Terminated.[k], r.Truncated.[k], r.Next.Episodes.[k])
                    s <- env.ResetDone r
                // each copy alone
                for k in 0 .. n - 1 do
                    let mutable one = env.ResetSeeds([| ContinuousEnvs.CopySeed(seed, k) |])
                    Expect.equal (one.StateOf 0 |> Seq.toArray) (env.Reset(n, seed).StateOf k |> Seq.toArray) (sprintf "%s copy %d: initial state" name k)
                    for t in 0 .. steps - 1 do
                        let r = env.Step(one, actions.[t].[k * d .. k * d + d - 1])
                        let st, o, rew, term, trunc, ep = batch.[k].[t]
                        let same = sameBitsArray st (Seq.toArray (r.Next.StateOf 0)) && o = Seq.toArray (r.ObservationOf 0) && sameBits rew r.Rewards.[0]
                        if not (same && term = r.Terminated.[0] && trunc = r.Truncated.[0] && ep = r.Next.Episodes.[0]) then
                            failtestf "%s copy %d differs at step %d" name k t
                        one <- env.ResetDone r
            // the batch really did auto-reset for the 200-step tasks
            let env = pendulum ()
            let mutable s = env.Reset(n, seed)
            for _ in 1..250 do
                s <- env.ResetDone(env.Step(s, Array.zeroCreate n))
            Expect.equal (s.Episodes |> Seq.toList) (List.replicate n 1) "pendulum copies are in episode 1 after 250 steps"
            Expect.equal (s.Steps |> Seq.toList) (List.replicate n 50) "and 50 steps into it"
    ]
