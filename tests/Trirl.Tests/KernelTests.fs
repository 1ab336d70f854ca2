/// The vectorised exp and log of the soft Bellman sweep (SimdMath) against Math.Exp / Math.Log on their domains:
/// exp on x <= 0 (with -infinity and the flushed range below -708), log on 0 and on [1, 1e6].
module Trirl.Tests.KernelTests

open System
open Expecto
open Trirl.Functional
open Trirl.Functional.Environments
open Trirl.Cli.Benchmarks

let relErr (got: float) (want: float) = if want = got then 0.0 else abs (got - want) / abs want

[<Tests>]
let tests =
    testList "Kernels" [
        testCase "SimdMath exp matches Math.Exp to 1e-15 relative on [-708, 0]; below -708 (and -infinity) it flushes to 0" <| fun () ->
            let rng = Rng(7UL)
            let xs =
                Array.append
                    [| 0.0; -0.0; -1e-300; -1e-10; -0.5; -1.0; -700.0; -708.0; -720.0; -740.0; -745.0; -746.0; -800.0; Double.NegativeInfinity |]
                    (Array.init 4001 (fun i -> if i % 2 = 0 then -708.0 * rng.NextDouble() else -5.0 * rng.NextDouble()))
            let ys = Array.copy xs
            SimdMath.ExpNonPositiveInPlace(Span<float>(ys))
            for (x, y) in Array.zip xs ys do
                let want = Math.Exp x
                if x >= -708.0 then Expect.isLessThan (relErr y want) 1e-15 (sprintf "exp(%.17g)" x)
                else Expect.equal y 0.0 (sprintf "exp(%.17g) (below 3.3e-308) is flushed to 0" x)

        testCase "SimdMath log matches Math.Log to 1e-15 (relative, absolute near 0) on [1, 1e6] and gives -infinity at 0" <| fun () ->
            let rng = Rng(8UL)
            let xs = Array.append [| 0.0; 1.0; Math.Sqrt 2.0; 2.0; 4.0; 1e6 |] (Array.init 4001 (fun i -> if i % 2 = 0 then 1.0 + 9.0 * rng.NextDouble() else Math.Exp(13.8 * rng.NextDouble())))
            let ys = Array.copy xs
            SimdMath.LogInPlace(Span<float>(ys))
            for (x, y) in Array.zip xs ys do
                if x = 0.0 then Expect.equal y Double.NegativeInfinity "log 0"
                else Expect.isLessThan (abs (y - Math.Log x)) (1e-15 * max 1.0 (abs (Math.Log x))) (sprintf "log(%.17g)" x)
    
        testCase "bench probes compute what they time: sum_k V(next_k), exp(x), and positive times" <| fun () ->
            let mdp = Garnet.Create(2500, 4, 5, 77L)   // above the parallel threshold: blocks run on threads
            let rng = Rng(9UL)
            let v = Array.init mdp.States (fun _ -> rng.NextDouble())
            let want = mdp.Next |> Seq.sumBy (fun n -> v.[n])
            for inParallel in [ true; false ] do
                let got = Kernels.GatherPass(mdp, v, inParallel)
                Expect.isLessThan (abs (got - want)) (1e-12 * want) (sprintf "gather sum (parallel %b)" inParallel)
            let x = Array.init (mdp.States * mdp.Actions) (fun _ -> -5.0 * rng.NextDouble())
            let y = Array.zeroCreate x.Length
            Kernels.ExpPass(x, y, mdp.States, mdp.Actions, true)
            for i in 0 .. x.Length - 1 do
                Expect.isLessThan (relErr y.[i] (Math.Exp x.[i])) 1e-15 (sprintf "exp(%.17g)" x.[i])
            for seconds in [ KernelBenchmarks.SoftSweeps(mdp, 2); KernelBenchmarks.ReadFloor(mdp, 2); KernelBenchmarks.ReadFloor(mdp, 2, false)
                             KernelBenchmarks.GatherFloor(mdp, 2); KernelBenchmarks.ExpFloor(mdp, 2) ] do
                Expect.isGreaterThan seconds 0.0 "a probe takes time"
    ]
