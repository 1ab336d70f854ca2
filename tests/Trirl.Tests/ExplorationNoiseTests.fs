/// SAC's colored exploration noise (`SacSettings.NoiseExponent`, `trirl rl|expert --noise`): the Timmer-König
/// sequences against hand-derived values for lengths 2 and 3, unit marginal variance and the autocorrelation ordering
/// white < pink < red on seeded samples, the normal distribution function, the flag's parsing, and through the CLI
/// (tiny preset): a pink run differs from a white one, resumes exactly, and `--noise` is refused for PPO and on resume.
module Trirl.Tests.ExplorationNoiseTests

open System
open System.IO
open Expecto
open Trirl.Functional
open Trirl.Deep
open Trirl.Tests.CliTests

let private gaussians (rng: Rng) k = Array.init k (fun _ -> rng.NextGaussian())

let private rl (steps: int) (dir: string) (extra: string list) =
    [ "rl"; "--env"; "pendulum"; "--algo"; "sac"; "--steps"; string steps; "--seed"; "5"; "--preset"; "tiny"; "--eval-episodes"; "2"; "--out"; dir ] @ extra

let private metrics (dir: string) = File.ReadAllBytes(Path.Combine(dir, "metrics.csv"))

[<Tests>]
let tests =
    testSequenced <| testList "ExplorationNoise" [
        testCase "length 2 and 3 by hand: the inverse real DFT of the drawn coefficients, scaled to unit variance" <| fun () ->
            // n = 2: f = (0, 1/2), both amplitudes max(f, 1/2)^(-beta/2) = s; both coefficients real and scaled by sqrt 2:
            // y_t = (sqrt2 s g0 + sqrt2 s g2 cos(pi t)) / sqrt(2 s^2 + 2 s^2) = (g0 +- g2) / sqrt 2, whatever beta.
            for beta in [ 0.0; 1.0; 2.0 ] do
                let y = ColoredNoise.Sequence(beta, 2, Rng.Derive(11L, 0L))
                let g = gaussians (Rng.Derive(11L, 0L)) 4
                expectClose 1e-12 ((g.[0] + g.[2]) / sqrt 2.0) y.[0] (sprintf "beta %g, t = 0" beta)
                expectClose 1e-12 ((g.[0] - g.[2]) / sqrt 2.0) y.[1] (sprintf "beta %g, t = 1" beta)
            // n = 3: f = (0, 1/3), both amplitudes s = (1/3)^(-beta/2); c0 = sqrt2 s g0 (real), c1 = s (g2 + i g3), weight 2:
            // y_t = (sqrt2 g0 + 2 (g2 cos(2 pi t/3) - g3 sin(2 pi t/3))) / sqrt(2 + 4).
            let y = ColoredNoise.Sequence(1.0, 3, Rng.Derive(12L, 0L))
            let g = gaussians (Rng.Derive(12L, 0L)) 4
            for t in 0 .. 2 do
                let angle = 2.0 * Math.PI * float t / 3.0
                let expected = (sqrt 2.0 * g.[0] + 2.0 * (g.[2] * cos angle - g.[3] * sin angle)) / sqrt 6.0
                expectClose 1e-12 expected y.[t] (sprintf "n = 3, t = %d" t)

        testCase "unit marginal variance at every step; lag-1 autocorrelation near 0 for white, high for pink, higher for red" <| fun () ->
            let n = 200
            let lag1 = Collections.Generic.Dictionary<float, float>()
            for beta in [ ColoredNoise.White; ColoredNoise.Pink; ColoredNoise.Red ] do
                let seqs = Array.init 4000 (fun s -> ColoredNoise.Sequence(beta, n, Rng.Derive(3L, int64 s)))
                for t in [ 0; 57; n - 1 ] do
                    let var = seqs |> Array.averageBy (fun y -> y.[t] * y.[t])
                    // 4000 draws of a unit-variance normal: the sample second moment has std sqrt(2/4000) = 0.022.
                    expectClose 0.09 1.0 var (sprintf "beta %g: E[y_%d^2]" beta t)
                lag1.[beta] <- seqs |> Array.averageBy (fun y -> Array.init (n - 1) (fun t -> y.[t] * y.[t + 1]) |> Array.average)
            expectClose 0.02 0.0 lag1.[0.0] "white: uncorrelated"
            expectAtLeast 0.6 lag1.[1.0] "pink: correlated"
            expectAtLeast 0.9 lag1.[2.0] "red: strongly correlated"
            Expect.equal (ColoredNoise.Sequence(1.0, 50, Rng.Derive(9L, 1L))) (ColoredNoise.Sequence(1.0, 50, Rng.Derive(9L, 1L))) "deterministic"

        testCase "the normal distribution function against tabulated values; 2 Phi(z) - 1 stays in [-1, 1]" <| fun () ->
            for z, phi in [ 0.0, 0.5; 1.0, 0.8413447460685429; -1.96, 0.024997895148220435; 3.0, 0.9986501019683699; -6.0, 9.865876450376946e-10 ] do
                expectClose 1.2e-7 phi (ColoredNoise.NormalCdf z) (sprintf "Phi(%g)" z)
            for z in [ -40.0; -8.0; 8.0; 40.0 ] do
                let u = 2.0 * ColoredNoise.NormalCdf z - 1.0
                Expect.isTrue (u >= -1.0 && u <= 1.0) (sprintf "z = %g" z)

        testCase "noise names and exponents parse; anything else is an input error naming --noise" <| fun () ->
            Expect.equal (ColoredNoise.Parse "white") 0.0 "white"
            Expect.equal (ColoredNoise.Parse " Pink ") 1.0 "pink"
            Expect.equal (ColoredNoise.Parse "red") 2.0 "red"
            Expect.equal (ColoredNoise.Parse "0.5") 0.5 "a number"
            expectInputError "noise" [ "'blue'" ] (fun () -> ColoredNoise.Parse "blue") |> ignore
            expectInputError "noise" [ "[0, 4]" ] (fun () -> ColoredNoise.Parse "-1") |> ignore
            expectInputError "sac.noise_exponent" [ "[0, 4]" ] (fun () -> SacSettings.Tiny.WithNoiseExponent(5.0).Validated()) |> ignore

        testCase "rl --noise pink: differs from white, resumes exactly (1k + resume = 2k), refused for ppo and on resume" <| fun () ->
            // The tiny preset warms up for 200 steps, so both halves hold colored warm-up and policy noise.
            let white, straight, split = freshDir "noise-white", freshDir "noise-straight", freshDir "noise-split"
            Expect.equal (run (rl 1000 white [])) 0 "white"
            Expect.equal (run (rl 1000 split [ "--noise"; "pink" ])) 0 "pink, first half"
            Expect.notEqual (metrics split) (metrics white) "the noise changes the run"
            Expect.equal (run [ "rl"; "--resume"; split; "--steps"; "2000" ]) 0 "resumed"
            Expect.equal (run (rl 2000 straight [ "--noise"; "pink" ])) 0 "straight"
            Expect.equal (metrics split) (metrics straight) "byte-identical metrics.csv"
            let code, err = runCapturingErrors [ "rl"; "--resume"; split; "--steps"; "3000"; "--noise"; "red" ]
            Expect.equal code 2 "no --noise on resume"
            Expect.stringContains err "--noise" "names the flag"
            let code, err = runCapturingErrors [ "rl"; "--env"; "pendulum"; "--algo"; "ppo"; "--steps"; "200"; "--noise"; "pink"; "--out"; freshDir "noise-ppo" ]
            Expect.equal code 2 "ppo has no --noise"
            Expect.stringContains err "--algo sac" "says what works"
    ]
