/// The F# charts (fsharp/Trirl.FSharp/Charts.fs): a self-contained HTML page with plotly.js inline, the charts'
/// data in it, atomic writes, and the heatmap's shape check.
module Trirl.Tests.ChartTests

open System
open System.IO
open Expecto
open Trirl.Functional
open Trirl.Functional.Environments
open Trirl.FSharp
open Plotly.NET

let run =
    lazy
        (let problem = TrirlProblem.FromTrueReward(Gridworld.Create(3, 0.1), 2.0)
         Learner.Run(problem, TrirlSettings.Trirl(2.0, 0.1, 0.01)) |> Seq.take 5 |> Seq.toArray)

/// The scalar history the charts draw.
let history = lazy (run.Force() |> Array.map (fun it -> it.Metrics))

let page =
    lazy
        (let h = history.Force()
         Charts.toHtmlPage "TRIRL <report>" "beta = 2" [ Charts.gap h; Charts.dualAndPrimal h; Charts.etaAndStep h ])

let countOccurrences (text: string) (part: string) =
    let rec go (from: int) n =
        match text.IndexOf(part, from, StringComparison.Ordinal) with
        | -1 -> n
        | i -> go (i + part.Length) (n + 1)
    go 0 0

[<Tests>]
let tests =
    testList "Charts" [
        testCase "toHtmlPage embeds plotly.js once and loads nothing from the network" <| fun () ->
            let html = page.Force()
            let js = Charts.plotlyJs.Force()
            Expect.isGreaterThan js.Length 1_000_000 "the plotly.js bundle is large"
            Expect.isGreaterThan html.Length 1_000_000 "the page is > 1 MB because plotly.js is inline"
            Expect.equal (countOccurrences html js) 1 "plotly.js embedded exactly once"
            Expect.isFalse (html.Contains("<script src=", StringComparison.OrdinalIgnoreCase)) "no <script src="
            // plotly.js itself mentions its CDN (e.g. for map topologies it never fetches here); outside the
            // bundle the page must not reference a CDN.
            let rest = html.Replace(js, "")
            Expect.isFalse (rest.Contains("cdn", StringComparison.OrdinalIgnoreCase)) "no CDN outside the embedded bundle"
            Expect.isFalse (rest.Contains("https://", StringComparison.OrdinalIgnoreCase)) "no URL outside the embedded bundle"

        testCase "toHtmlPage contains the charts' data, Plotly.newPlot, and the encoded title and preamble" <| fun () ->
            let html = page.Force()
            Expect.stringContains html "Plotly.newPlot" "draws with Plotly.newPlot"
            let charts = html.Replace(Charts.plotlyJs.Force(), "")
            Expect.equal (countOccurrences charts "Plotly.newPlot") 3 "one plot per chart (outside the bundle)"
            Expect.stringContains html "Duality gap (log scale)" "gap chart title"
            Expect.stringContains html "\"x\":[1,2,3,4,5]" "iterations on x"
            let h = history.Force()
            let gapText = h.[0].Gap.ToString("R", Globalization.CultureInfo.InvariantCulture)
            Expect.stringContains html gapText "the first gap value"
            Expect.stringContains html "TRIRL &lt;report&gt;" "title HTML-encoded"
            Expect.stringContains html "<pre>beta = 2</pre>" "preamble"

        testCase "writeAtomic writes the content, replaces an existing file and leaves no temporary file" <| fun () ->
            let dir = Support.freshTempDir "trirl-charts"
            let path = Path.Combine(dir, "report.html")
            Charts.writeAtomic path "first"
            Expect.equal (File.ReadAllText path) "first" "content"
            Charts.writeAtomic path "second ü"
            Expect.equal (File.ReadAllText path) "second ü" "replaced"
            Expect.equal (Directory.GetFiles dir |> Array.map Path.GetFileName) [| "report.html" |] "only the target file"
            let nested = Path.Combine(dir, "a", "b", "c.html")
            Charts.writeAtomic nested "x"
            Expect.isTrue (File.Exists nested) "creates missing folders"
            Expect.equal (Directory.GetFiles(Path.Combine(dir, "a", "b")) |> Array.map Path.GetFileName) [| "c.html" |] "no temporary file"
            Directory.Delete(dir, true)

        testCase "saveHtml writes one self-contained page atomically" <| fun () ->
            let dir = Support.freshTempDir "trirl-charts"
            let path = Path.Combine(dir, "gap.html")
            Charts.saveHtml path (Charts.gap (history.Force()))
            Expect.equal (Directory.GetFiles dir |> Array.map Path.GetFileName) [| "gap.html" |] "only the page"
            let html = File.ReadAllText path
            Expect.isGreaterThan html.Length 1_000_000 "plotly.js inline"
            Expect.stringContains html "<title>gap</title>" "title from the file name"
            Directory.Delete(dir, true)

        testCase "chartHtml writes byte for byte the data, layout and config of Plotly.NET's own serializer (every chart kind of the report)" <| fun () ->
            let h = history.Force()
            let last = Array.last (run.Force())
            let grid = GridShape(3, 3)
            let truth = Gridworld.Create(3, 0.1).RequireReward "the chart test"
            let withNaN =
                h |> Array.mapi (fun i m -> if i = 2 then IterationMetrics(m.Iteration, m.Dual, m.Primal, nan, m.Eta, m.EpsTr, m.StepKl, m.KlToExpert, infinity) else m)
            let charts =
                [ Charts.gap h; Charts.dualAndPrimal h; Charts.etaAndStep h; Charts.gap withNaN; Charts.compareReturns [ "x \"<q>\"", Seq.ofArray withNaN ]
                  Charts.rewardScatter last.Reward truth; Charts.rewardHeatmap grid "True reward" truth
                  Charts.occupancyHeatmap grid "Expert state occupancy" last.Occupancy; Charts.policyHeatmap grid "Policy" last.Policy
                  Charts.compareMetric "KL" "KL" true (fun m -> m.KlToExpert) [ "a", Seq.ofArray h; "b", Seq.ofArray h ] ]
            let parts (html: string) =
                let between (a: string) (b: string) =
                    let i = html.IndexOf(a, StringComparison.Ordinal) + a.Length
                    html.Substring(i, html.IndexOf(b, i, StringComparison.Ordinal) - i)
                between "var data = " ";\n    var layout", between "var layout = " ";\n    var config", between "var config = " ";\n    Plotly.newPlot"
            for chart in charts do
                let ours = Charts.chartHtml chart
                let theirs = chart |> Chart.withDisplayOptionsStyle (PlotlyJSReference = PlotlyJSReference.NoReference) |> GenericChart.toChartHTML
                Expect.equal (parts ours) (parts theirs) "same JSON"
                let shape (html: string) = Text.RegularExpressions.Regex.Replace(html, "var (data|layout|config) = [^\n]*;|[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", "X")
                Expect.equal (shape ours) (shape theirs) "same HTML around the JSON"

        testCase "heatmaps check the grid size; all chart functions build" <| fun () ->
            let grid = GridShape(3, 3)
            Expect.throwsT<ArgumentException> (fun () -> Charts.stateHeatmap grid "bad" [ 1.0; 2.0 ] |> ignore) "8 values for 9 cells"
            let h = history.Force()
            let last = (run.Force()).[h.Length - 1]
            let charts =
                [ Charts.stateHeatmap grid "v" (Seq.init 9 float)
                  Charts.rewardHeatmap grid "r" last.Reward
                  Charts.occupancyHeatmap grid "rho" last.Occupancy
                  Charts.rewardScatter last.Reward last.Reward
                  Charts.compareGaps [ "trirl", Seq.ofArray h ]
                  Charts.compareReturns [ "trirl", Seq.ofArray h ] ]
            let html = Charts.toHtmlPage "all" "" charts
            Expect.equal (countOccurrences (html.Replace(Charts.plotlyJs.Force(), "")) "Plotly.newPlot") charts.Length "one plot per chart"
            Expect.isFalse (html.Contains "<pre>") "an empty preamble is omitted"
    ]
