/// The robust statistics of `Trirl.Experiments` against values computed by hand on small arrays: the IQM (scipy's
/// trim_mean with 25% cut: floor(n/4) from each end), median and numpy percentiles, the stratified bootstrap (its draw
/// order, stratification, percentile interval, determinism for a seed), the probability of improvement (against a
/// rank-based Mann-Whitney U computed here), performance profiles, and the aggregate tables.
module Trirl.Tests.StatisticsTests

open System
open System.Collections.Generic
open Expecto
open Trirl.Functional
open Trirl.Experiments
open FsCheck.FSharp

let private strata (xss: float list list) : IReadOnlyList<IReadOnlyList<float>> =
    xss |> List.map (fun xs -> List.toArray xs :> IReadOnlyList<float>) |> List.toArray :> IReadOnlyList<_>

let private settings (resamples: int) (seed: int64) = BootstrapSettings(resamples, 0.95, seed)

/// Mann-Whitney U of x from midranks of the pooled sample: `R_x - n_x (n_x + 1) / 2` (scipy's statistic).
let private mannWhitneyU (x: float[]) (y: float[]) =
    let pooled = Array.append x y
    let sorted = Array.sort pooled
    let midrank v =
        let first = Array.findIndex (fun s -> s = v) sorted
        let last = Array.findIndexBack (fun s -> s = v) sorted
        float (first + last + 2) / 2.0
    let rx = x |> Array.sumBy midrank
    rx - float (x.Length * (x.Length + 1)) / 2.0

[<Tests>]
let tests =
    testList "Statistics" [
        testCase "IQM is scipy's trim_mean(x, 0.25): floor(n/4) cut from each end, by hand for n = 1..9" <| fun () ->
            let cases =
                [ [ 7.0 ], 7.0                                      // n=1: nothing cut
                  [ 1.0; 2.0; 9.0 ], 4.0                            // n=3: floor(0.75) = 0, plain mean
                  [ 4.0; 1.0; 3.0; 2.0 ], 2.5                       // n=4: cut 1 each end -> mean(2, 3)
                  [ 1.0; 2.0; 3.0; 4.0; 100.0 ], 3.0                // n=5: cut 1 -> mean(2, 3, 4)
                  [ 1.0; 2.0; 3.0; 4.0; 5.0; 100.0 ], 3.5           // n=6: cut 1 -> mean(2..5)
                  [ 60.0; 0.0; 1.0; 2.0; 3.0; 4.0; 5.0 ], 3.0       // n=7: cut 1 -> mean(1..5)
                  [ 8.0; 7.0; 6.0; 5.0; 4.0; 3.0; 2.0; 1.0 ], 4.5   // n=8: cut 2 -> mean(3..6)
                  [ 1.0 .. 9.0 ], 5.0 ]                             // n=9: cut 2 -> mean(3..7)
            for xs, expected in cases do
                expectClose 1e-15 expected (PointEstimates.Iqm(List.toArray xs)) (sprintf "IQM of %A" xs)
            // trim_mean(x, 0.1) on 10 values cuts one from each end.
            expectClose 1e-15 5.5 (PointEstimates.TrimmedMean([| 100.0; 2.0; 3.0; 4.0; 5.0; 6.0; 7.0; 8.0; 9.0; -50.0 |], 0.1)) "trim_mean 0.1"

        testCase "mean, median and numpy's linear percentiles by hand" <| fun () ->
            expectClose 1e-15 2.0 (PointEstimates.Median [| 3.0; 1.0; 2.0 |]) "odd median"
            expectClose 1e-15 2.5 (PointEstimates.Median [| 4.0; 1.0; 3.0; 2.0 |]) "even median"
            expectClose 1e-15 2.5 (PointEstimates.Mean [| 4.0; 1.0; 3.0; 2.0 |]) "mean"
            let xs = [| 4.0; 2.0; 1.0; 3.0 |]
            for q, expected in [ 0.0, 1.0; 2.5, 1.075; 50.0, 2.5; 97.5, 3.925; 100.0, 4.0 ] do
                expectClose 1e-12 expected (PointEstimates.Percentile(xs, q)) (sprintf "percentile %g" q)

        testCase "point estimates refuse an empty sample and non-finite scores" <| fun () ->
            expectInputError "scores" [ "empty" ] (fun () -> PointEstimates.Iqm [||]) |> ignore
            expectInputError "scores[1]" [ "NaN" ] (fun () -> PointEstimates.Mean [| 1.0; nan |]) |> ignore
            expectInputError "proportion" [ "0.5" ] (fun () -> PointEstimates.TrimmedMean([| 1.0 |], 0.5)) |> ignore

        testCase "the bootstrap draws n_s indices per stratum with Rng.Derive(seed, FNV-1a(stream)), resample by resample" <| fun () ->
            let data = [ [ 1.0; 2.0; 3.0 ]; [ 10.0; 20.0 ] ]
            let reps = StratifiedBootstrap.Replicates(strata data, (fun s -> [| s |> Seq.sumBy Array.sum |]), 5, 42L, "demo")
            let rng = Rng.Derive(42L, StratifiedBootstrap.StreamId "demo")
            for b in 0 .. 4 do
                let mutable sum = 0.0
                for stratum in data do
                    let a = List.toArray stratum
                    for _ in a do sum <- sum + a.[rng.NextInt a.Length]
                Expect.equal reps.[b].[0] sum (sprintf "replicate %d" b)

        testCase "a stratified resample keeps each task's run count: strata [0,0,0] and [1,1,1] give a pooled mean of exactly 0.5" <| fun () ->
            let stratified = StratifiedBootstrap.Interval(strata [ [ 0.0; 0.0; 0.0 ]; [ 1.0; 1.0; 1.0 ] ], (fun s -> StratifiedBootstrap.PooledMean s), settings 2000 0L)
            Expect.equal (stratified.Point, stratified.Low, stratified.High) (0.5, 0.5, 0.5) "no spread across strata"
            // The same six scores as one stratum do vary.
            let pooled = StratifiedBootstrap.Interval(strata [ [ 0.0; 0.0; 0.0; 1.0; 1.0; 1.0 ] ], (fun s -> StratifiedBootstrap.PooledMean s), settings 2000 0L)
            Expect.isLessThan pooled.Low 0.5 "unstratified lower end"
            Expect.isGreaterThan pooled.High 0.5 "unstratified upper end"

        testCase "the bootstrap of the mean of [0, 1]: replicates 0, 0.5, 1 with chances 1/4, 1/2, 1/4; the 95% interval is [0, 1]" <| fun () ->
            let reps = StratifiedBootstrap.Replicates(strata [ [ 0.0; 1.0 ] ], (fun s -> [| Array.average s.[0] |]), 4000, 7L, "")
            let values = reps |> Array.map (fun r -> r.[0])
            Expect.isTrue (values |> Array.forall (fun v -> v = 0.0 || v = 0.5 || v = 1.0)) "only three values"
            let share v = float (values |> Array.filter ((=) v) |> Array.length) / 4000.0
            // Binomial standard deviations: sqrt(p (1 - p) / 4000) <= 0.008; 4 of them.
            expectClose 0.032 0.25 (share 0.0) "P(0)"
            expectClose 0.032 0.5 (share 0.5) "P(0.5)"
            expectClose 0.032 0.25 (share 1.0) "P(1)"
            let ci = StratifiedBootstrap.Interval(strata [ [ 0.0; 1.0 ] ], (fun s -> Array.average s.[0]), BootstrapSettings(4000, 0.95, 7L))
            Expect.equal (ci.Point, ci.Low, ci.High) (0.5, 0.0, 1.0) "percentile interval"

        testCase "the interval is the 2.5th and 97.5th percentiles of the replicates; the same seed gives the same bits" <| fun () ->
            let data = strata [ [ 0.1; 0.4; 0.35; 0.8; 0.9; 0.62 ]; [ 0.2; 0.25; 0.7 ] ]
            let stat = fun (s: IReadOnlyList<float[]>) -> StratifiedBootstrap.PooledIqm s
            let ci = StratifiedBootstrap.Interval(data, stat, settings 2500 11L, "x")
            let reps = StratifiedBootstrap.Replicates(data, (fun s -> [| stat s |]), 2500, 11L, "x") |> Array.map (fun r -> r.[0])
            Expect.equal ci.Low (PointEstimates.Percentile(reps, 2.5)) "low = 2.5th percentile"
            Expect.equal ci.High (PointEstimates.Percentile(reps, 97.5)) "high = 97.5th percentile"
            Expect.equal ci.Point (PointEstimates.Iqm [| 0.1; 0.4; 0.35; 0.8; 0.9; 0.62; 0.2; 0.25; 0.7 |]) "point = pooled IQM"
            let again = StratifiedBootstrap.Interval(data, stat, settings 2500 11L, "x")
            Expect.isTrue (sameBits ci.Low again.Low && sameBits ci.High again.High) "deterministic"
            let other = StratifiedBootstrap.Interval(data, stat, settings 2500 12L, "x")
            Expect.isTrue (other.Low <> ci.Low || other.High <> ci.High) "another seed, another interval"
            Expect.isTrue (ci.Low <= ci.Point && ci.Point <= ci.High) "the interval holds the point"

        testCase "bootstrap settings and strata are checked" <| fun () ->
            expectInputError "resamples" [ "0" ] (fun () -> BootstrapSettings(0, 0.95, 0L)) |> ignore
            expectInputError "confidence" [ "(0, 1)" ] (fun () -> BootstrapSettings(2000, 1.0, 0L)) |> ignore
            expectInputError "strata" [ "empty" ] (fun () -> StratifiedBootstrap.Interval(strata [], (fun _ -> 0.0), settings 10 0L)) |> ignore
            expectInputError "scores" [ "empty" ] (fun () -> StratifiedBootstrap.Interval(strata [ [] ], (fun _ -> 0.0), settings 10 0L)) |> ignore

        testCase "probability of improvement by hand: run pairs with x > y, ties one half" <| fun () ->
            let p (x: float list) (y: float list) = ImprovementProbability.OfTask(List.toArray x, List.toArray y)
            expectClose 1e-15 0.5 (p [ 1.0; 2.0; 3.0 ] [ 0.0; 2.0; 4.0 ]) "4 wins + 1 tie of 9"
            expectClose 1e-15 (5.5 / 9.0) (p [ 2.0; 3.0; 5.0 ] [ 1.0; 3.0; 4.0 ]) "5 wins + 1 tie of 9"
            expectClose 1e-15 1.0 (p [ 3.0; 4.0 ] [ 1.0; 2.0 ]) "always better"
            expectClose 1e-15 0.0 (p [ 1.0 ] [ 2.0 ]) "always worse"
            expectClose 1e-15 0.5 (p [ 1.0; 2.0 ] [ 1.0; 2.0 ]) "identical runs"
            // Over tasks: the mean of the tasks' probabilities (1 and 0).
            expectClose 1e-15 0.5 (ImprovementProbability.Of(strata [ [ 3.0; 4.0 ]; [ 1.0 ] ], strata [ [ 1.0; 2.0 ]; [ 2.0 ] ])) "mean over tasks"
            expectInputError "y" [ "2 tasks"; "1" ] (fun () -> ImprovementProbability.Of(strata [ [ 1.0 ] ], strata [ [ 1.0 ]; [ 2.0 ] ])) |> ignore

        testCase "probability of improvement = Mann-Whitney U / (n_x n_y), and P(X > Y) + P(Y > X) = 1" <| fun () ->
            let rng = Rng(5UL)
            for _ in 1 .. 50 do
                // Scores on a coarse grid, so ties happen.
                let draw n = Array.init n (fun _ -> float (rng.NextInt 6) / 4.0)
                let x, y = draw (1 + rng.NextInt 7), draw (1 + rng.NextInt 7)
                let pxy = ImprovementProbability.OfTask(x, y)
                expectClose 1e-12 (mannWhitneyU x y / float (x.Length * y.Length)) pxy (sprintf "U of %A vs %A" x y)
                expectClose 1e-12 1.0 (pxy + ImprovementProbability.OfTask(y, x)) "complement"

        testCase "probability of improvement's interval resamples X and Y independently per task" <| fun () ->
            let x, y = strata [ [ 0.9; 0.8; 0.95 ]; [ 0.6; 0.7 ] ], strata [ [ 0.1; 0.2 ]; [ 0.3; 0.4; 0.5 ] ]
            let ci = ImprovementProbability.WithInterval(x, y, settings 2000 3L)
            Expect.equal (ci.Point, ci.Low, ci.High) (1.0, 1.0, 1.0) "X always wins"
            let mixed = ImprovementProbability.WithInterval(strata [ [ 0.1; 0.5; 0.9 ] ], strata [ [ 0.3; 0.6 ] ], settings 2000 3L)
            expectClose 1e-15 0.5 mixed.Point "3 wins of 6"
            Expect.isTrue (mixed.Low < 0.5 && mixed.High > 0.5) (sprintf "a spread around 0.5: %A" mixed)

        testCase "IQM ratio: IQM(X) / IQM(Y) of the pooled runs, by hand; reciprocal when swapped; undefined where Y's IQM is not positive" <| fun () ->
            // X pools 1, 2, 3, 4 (IQM mean(2, 3) = 2.5); Y pools 1, 1, 1, 2, 2, 2, 3, 3 (cut 2 each end: mean(1, 2, 2, 2) = 1.75).
            let x, y = strata [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ], strata [ [ 1.0; 1.0; 1.0; 2.0 ]; [ 2.0; 2.0; 3.0; 3.0 ] ]
            expectClose 1e-15 (2.5 / 1.75) (IqmRatio.Of(x, y)) "by hand"
            expectClose 1e-15 (1.75 / 2.5) (IqmRatio.Of(y, x)) "swapped: the reciprocal"
            let ci = IqmRatio.WithInterval(x, y, settings 2000 4L)
            Expect.equal ci.Point (IqmRatio.Of(x, y)) "the point is the ratio"
            Expect.isTrue (ci.Low < ci.Point && ci.Point < ci.High) (sprintf "a spread around the point: %A" ci)
            Expect.equal (IqmRatio.WithInterval(x, y, settings 2000 4L)) ci "deterministic for a seed"
            Expect.isTrue (Double.IsNaN(IqmRatio.Of(x, strata [ [ -1.0; 0.0 ]; [ 0.0; 0.5 ] ]))) "Y's IQM <= 0: undefined"
            // Y's IQM is 2/3 > 0, but a resample of three -1s is not positive: the interval is undefined, not trimmed.
            let straddles = IqmRatio.WithInterval(strata [ [ 1.0; 2.0; 3.0 ] ], strata [ [ -1.0; 1.0; 2.0 ] ], settings 2000 4L)
            expectClose 1e-15 3.0 straddles.Point "2 / (2/3)"
            Expect.isTrue (Double.IsNaN straddles.Low && Double.IsNaN straddles.High) "NaN bounds"
            expectInputError "y" [ "2 tasks"; "1" ] (fun () -> IqmRatio.Of(strata [ [ 1.0 ] ], strata [ [ 1.0 ]; [ 2.0 ] ])) |> ignore

        testCase "performance profiles: the fraction of pooled runs strictly above each threshold, by hand" <| fun () ->
            let s = strata [ [ 0.1; 0.5 ]; [ 0.9; 1.0 ] ]
            for tau, expected in [ 0.0, 1.0; 0.1, 0.75; 0.5, 0.5; 0.95, 0.25; 1.0, 0.0 ] do
                expectClose 1e-15 expected (PerformanceProfile.FractionAbove(s, tau)) (sprintf "tau %g" tau)
            Expect.equal (PerformanceProfile.Thresholds(0.0, 1.0, 5) |> Seq.toArray) [| 0.0; 0.25; 0.5; 0.75; 1.0 |] "thresholds"
            let curve = PerformanceProfile.Of("a", s, PerformanceProfile.Thresholds(0.0, 1.0, 11), settings 2000 0L)
            let points = curve.Fractions |> Seq.map (fun f -> f.Point) |> Seq.toArray
            Expect.equal points (curve.Thresholds |> Seq.map (fun t -> PerformanceProfile.FractionAbove(s, t)) |> Seq.toArray) "points"
            Expect.isTrue (points |> Array.pairwise |> Array.forall (fun (a, b) -> a >= b)) "non-increasing"
            for f in curve.Fractions do
                Expect.isTrue (f.Low <= f.Point && f.Point <= f.High) "band holds the point"

        testCase "the sweep aggregate by hand: per-task stats, pooled IQM over tasks, pairs, and the exact CSV" <| fun () ->
            let run env algo id (x: float) = RunScore(env, algo, id, readOnlyDict [ "normalized_return", x ])
            let runs =
                [ for i, x in List.indexed [ 1.0; 2.0; 3.0; 4.0 ] -> run "e1" "a" (sprintf "a1-%d" i) x
                  for i, x in List.indexed [ 5.0; 6.0; 7.0; 8.0 ] -> run "e2" "a" (sprintf "a2-%d" i) x
                  for i, x in List.indexed [ 0.5; 0.5 ] -> run "e1" "b" (sprintf "b1-%d" i) x
                  for i, x in List.indexed [ 9.0 ] -> run "e2" "b" (sprintf "b2-%d" i) x ]
            let agg = SweepAggregate.Compute(List.toArray runs, settings 2000 0L)
            Expect.equal agg.Metrics.Count 1 "only training is reported"
            let m = agg.Metrics.[0]
            Expect.equal [ for g in m.Groups -> g.Env, g.Algo, g.N ] [ "e1", "a", 4; "e1", "b", 2; "e2", "a", 4; "e2", "b", 1 ] "groups in plan order"
            let g = m.Groups.[0]
            Expect.equal (g.Mean, g.Median, g.Iqm.Point) (2.5, 2.5, 2.5) "e1/a: mean, median, IQM = mean(2, 3)"
            // a over both tasks: 8 pooled scores, cut 2 each end -> mean(3, 4, 5, 6).
            Expect.equal m.Algos.[0].Iqm.Point 4.5 "aggregate IQM"
            Expect.equal (m.Algos.[0].Tasks, m.Algos.[0].Runs) (2, 8) "tasks and runs"
            // P(a > b): e1 a = 1..4 vs 0.5, 0.5 -> 1; e2 a = 5..8 vs 9 -> 0; mean 0.5.
            Expect.equal (m.Improvements |> Seq.map (fun p -> p.X, p.Y, p.Tasks, p.Probability.Point) |> Seq.toList) [ "a", "b", 2, 0.5 ] "pairs"
            // IQM(a) / IQM(b): a pools 1..8 (IQM 4.5), b pools 0.5, 0.5, 9 (n = 3: nothing cut, mean 10/3).
            expectClose 1e-12 (4.5 / (10.0 / 3.0)) m.Improvements.[0].IqmRatio.Point "IQM ratio"
            let csv = AggregateTables.ToCsv m
            let lines = csv.Split('\n')
            Expect.equal lines.[0] "env,algo,n,mean,median,iqm,iqm_low,iqm_high" "header"
            Expect.equal lines.[2] "e1,b,2,0.5,0.5,0.5,0.5,0.5" "a constant group has a zero-width interval"
            Expect.equal lines.[4] "e2,b,1,9,9,9,9,9" "one run"
            Expect.equal (AggregateTables.ToCsv (SweepAggregate.Compute(List.toArray runs, settings 2000 0L)).Metrics.[0]) csv "same seed, same bytes"
            // The mean of 8 pooled runs takes many values: another seed moves its interval.
            Expect.notEqual (SweepAggregate.Compute(List.toArray runs, settings 2000 1L)).Metrics.[0].Algos.[0].Mean m.Algos.[0].Mean "another seed"
            let md = AggregateTables.ToMarkdown(agg, "t", [| "a note" |])
            for fragment in [ "## Paper table"; "| e1 | a | 2.500 ["; "| all tasks | a | 4.500 ["; "- a note"; "floor(n/4)"; "| a | b | 2 | 0.500 | ["; "| 1.350 | [" ] do
                Expect.stringContains md fragment "markdown"

        testCase "a run's interval does not change when other runs are added (one bootstrap stream per quantity)" <| fun () ->
            let run env algo id (x: float) = RunScore(env, algo, id, readOnlyDict [ "normalized_return", x ])
            let base' = [| for i, x in List.indexed [ 0.1; 0.5; 0.7; 0.2 ] -> run "e1" "a" (string i) x |]
            let more = Array.append base' [| run "e2" "c" "z" 0.3 |]
            let iqm (rs: RunScore[]) = (SweepAggregate.Compute(rs, settings 2000 0L)).Metrics.[0].Groups.[0].Iqm
            Expect.equal (iqm more) (iqm base') "e1/a unchanged"

        property 100 "a score table reads back the runs it was written from: labels, ids, every score bit for bit, missing scores"
            (gen {
                let! n = Gen.choose (1, 12)
                let label = Gen.elements [ "hopper"; "ant-disabled"; "gridworld:4"; "a,b"; "say \"hi\"" ]
                let score = Gen.oneof [ Gen.constant None; genRange -2.0 2.0 |> Gen.map (fun x -> Some (x / 3.0)) ]
                let! rows = Gen.listOfLength n (Gen.zip3 label label (Gen.listOfLength 3 score))
                return rows |> List.mapi (fun i (env, algo, s) ->
                    let s = if List.forall Option.isNone s then [ Some 0.5; None; None ] else s
                    let scores = Dictionary<string, float>()
                    for m, x in List.zip (List.ofSeq ScoreMetric.All) s do x |> Option.iter (fun x -> scores.[m.Key] <- x)
                    RunScore(env, algo, sprintf "run%d" i, scores))
            })
            (fun runs ->
                let back = RunScoreTable.Parse(RunScoreTable.ToCsv(List.toArray runs), "scores.csv")
                Expect.equal back.Count runs.Length "one run per row"
                for a, b in Seq.zip runs back do
                    Expect.equal (b.Env, b.Algo, b.RunId) (a.Env, a.Algo, a.RunId) "identity"
                    Expect.equal (b.Scores |> Seq.map (fun kv -> kv.Key, BitConverter.DoubleToInt64Bits kv.Value) |> Set.ofSeq)
                                 (a.Scores |> Seq.map (fun kv -> kv.Key, BitConverter.DoubleToInt64Bits kv.Value) |> Set.ofSeq) "scores, bit for bit")

        testCase "a score table by hand: any subset of score columns; bad tables are one error naming the row and the column" <| fun () ->
            let runs = RunScoreTable.Parse("env,algo,run,retrain_normalized_return\nant,trirl,s0,-0.434\n\nant,airl,s0,0.1\n", "t.csv")
            Expect.equal [ for r in runs -> r.Env, r.Algo, r.RunId, r.Scores.["retrain_normalized_return"] ]
                [ "ant", "trirl", "s0", -0.434; "ant", "airl", "s0", 0.1 ] "two runs, the blank line skipped"
            Expect.isFalse (runs.[0].Scores.ContainsKey "normalized_return") "no training score"
            expectInputError "t.csv" [ "column 2"; "'algo'" ] (fun () -> RunScoreTable.Parse("env,method,run,normalized_return\n", "t.csv")) |> ignore
            expectInputError "t.csv" [ "'return'"; "normalized_return" ] (fun () -> RunScoreTable.Parse("env,algo,run,return\na,b,c,1\n", "t.csv")) |> ignore
            expectInputError "t.csv, row 2, column normalized_return" [ "'NaN'"; "finite" ] (fun () -> RunScoreTable.Parse("env,algo,run,normalized_return\na,b,c,NaN\n", "t.csv")) |> ignore
            expectInputError "t.csv, row 2, column normalized_return" [ "'0,5'" ] (fun () -> RunScoreTable.Parse("env,algo,run,normalized_return\na,b,c,\"0,5\"\n", "t.csv")) |> ignore
            expectInputError "t.csv, row 2" [ "3 cells"; "header 4" ] (fun () -> RunScoreTable.Parse("env,algo,run,normalized_return\na,b,c\n", "t.csv")) |> ignore
            expectInputError "t.csv, row 2, column run" [ "empty" ] (fun () -> RunScoreTable.Parse("env,algo,run,normalized_return\na,b,,1\n", "t.csv")) |> ignore
            expectInputError "t.csv, row 2" [ "no score" ] (fun () -> RunScoreTable.Parse("env,algo,run,normalized_return\na,b,c,\n", "t.csv")) |> ignore
            expectInputError "t.csv, row 3" [ "second time" ] (fun () -> RunScoreTable.Parse("env,algo,run,normalized_return\na,b,c,1\na,b,c,2\n", "t.csv")) |> ignore
            expectInputError "t.csv" [ "no run" ] (fun () -> RunScoreTable.Parse("env,algo,run,normalized_return\n", "t.csv")) |> ignore
            expectInputError "t.csv" [ "empty" ] (fun () -> RunScoreTable.Parse("", "t.csv")) |> ignore
            expectInputError "t.csv" [ "twice" ] (fun () -> RunScoreTable.Parse("env,algo,run,normalized_return,normalized_return\na,b,c,1,1\n", "t.csv")) |> ignore
    ]
