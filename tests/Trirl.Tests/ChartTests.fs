/// The F# charts (fsharp/Trirl.FSharp/Charts.fs): a self-contained HTML page with plotly.js inline, the charts'
/// data in it, atomic writes, and the heatmap's shape check; report pages (`toReportPage`): the header, the grid of
/// cards sized to their cards, the stylesheet and plotly.js once (`readReport` reads a page back for the CLI's tests).
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

/// A report page (`Charts.toReportPage`) read back from its HTML.
type ReportView =
    { /// The header's facts, label and value, HTML-decoded, in order.
      Facts: (string * string) list
      /// One entry per chart card, true when the card spans its row.
      Cards: bool list
      /// The layout JSON of each card's chart, in order.
      Layouts: string list
      /// The folded details' text, HTML-decoded ("" when there are none).
      Details: string }

/// Reads a report page back, checking what every report must be: plotly.js and the stylesheet inline exactly once, no
/// external script or stylesheet, the header, and one card in the grid per chart (each draws with Plotly.newPlot).
let readReport (html: string) : ReportView =
    let js, css = Charts.plotlyJs.Force(), Charts.stylesheet.Force()
    Expect.equal (countOccurrences html js) 1 "plotly.js inline exactly once"
    Expect.equal (countOccurrences html css) 1 "the stylesheet inline exactly once"
    let rest = html.Replace(js, "")
    Expect.isFalse (rest.Contains("<script src=", StringComparison.OrdinalIgnoreCase)) "no external script"
    Expect.isFalse (rest.Contains("<link", StringComparison.OrdinalIgnoreCase)) "no external stylesheet"
    Expect.isFalse (rest.Contains("https://", StringComparison.OrdinalIgnoreCase)) "no URL outside the embedded bundle"
    Expect.stringContains rest "<body class=\"trirl-report\">\n<header class=\"report-header\">\n<h1>" "the header"
    Expect.stringContains rest "</header>\n<main class=\"charts\">\n" "the grid after the header"
    let decode (s: string) = match Net.WebUtility.HtmlDecode s with null -> "" | d -> d
    let matches (pattern: string) = [ for m in Text.RegularExpressions.Regex.Matches(rest, pattern) -> m ]
    let facts = matches "<div><dt>(.*?)</dt><dd>(.*?)</dd></div>" |> List.map (fun m -> decode m.Groups.[1].Value, decode m.Groups.[2].Value)
    let cards = matches "<div class=\"chart( wide)?\"><div><div id=" |> List.map (fun m -> m.Groups.[1].Success)
    let layouts = matches "var layout = ([^\n]*);\n" |> List.map (fun m -> m.Groups.[1].Value)
    Expect.equal (countOccurrences rest "Plotly.newPlot") cards.Length "one plot per card"
    let details =
        match matches "<details><summary>Settings and numbers</summary><pre>([^<]*)</pre></details>" with
        | [ m ] -> decode m.Groups.[1].Value
        | _ -> ""
    { Facts = facts; Cards = cards; Layouts = layouts; Details = details }

/// The value of a report's fact, or a failure naming the facts it has.
let fact (view: ReportView) (label: string) : string =
    match view.Facts |> List.tryFind (fun (l, _) -> l = label) with
    | Some(_, v) -> v
    | None -> failtestf "the report has no fact '%s' (it has %A)" label (List.map fst view.Facts)

/// The methods of an assembly whose IL calls a printf-family member (`sprintf`, `printfn`, `failwithf`, ... compile to
/// calls of `ExtraTopLevelOperators.PrintFormat*` or `PrintfModule.*`), as
/// "Type.Method".
let printfCallers (assembly: Reflection.Assembly) : string list =
    let open' = Reflection.Metadata.Ecma335.MetadataTokens.GetToken : Reflection.Metadata.EntityHandle -> int
    use pe = new Reflection.PortableExecutable.PEReader(File.OpenRead assembly.Location)
    let md = Reflection.Metadata.PEReaderExtensions.GetMetadataReader pe
    let memberToken (h: Reflection.Metadata.MemberReferenceHandle) : int =
        open' (Reflection.Metadata.MemberReferenceHandle.op_Implicit h : Reflection.Metadata.EntityHandle)
    let printf =
        [ for h in md.MemberReferences do
            let m = md.GetMemberReference h
            if m.Parent.Kind = Reflection.Metadata.HandleKind.TypeReference then
                let parent = md.GetString(md.GetTypeReference(Reflection.Metadata.TypeReferenceHandle.op_Explicit m.Parent).Name)
                if parent = "PrintfModule" || (md.GetString m.Name).StartsWith "PrintFormat" then yield memberToken h ]
        |> set
    // Generic printf members are called through a method specification (its own token).
    let specs =
        [ for i in 1 .. Reflection.Metadata.Ecma335.MetadataReaderExtensions.GetTableRowCount(md, Reflection.Metadata.Ecma335.TableIndex.MethodSpec) do
            let h = Reflection.Metadata.Ecma335.MetadataTokens.MethodSpecificationHandle i
            if printf.Contains(open' (md.GetMethodSpecification h).Method) then
                yield open' (Reflection.Metadata.MethodSpecificationHandle.op_Implicit h : Reflection.Metadata.EntityHandle) ]
        |> set
    let targets = Set.union printf specs
    [ for h in md.MethodDefinitions do
        let m = md.GetMethodDefinition h
        if m.RelativeVirtualAddress <> 0 then
            let il = match Reflection.Metadata.PEReaderExtensions.GetMethodBody(pe, m.RelativeVirtualAddress).GetILBytes() with
                     | null -> [||]
                     | bytes -> bytes
            // call (0x28) and callvirt (0x6F) carry a 4-byte token after their one-byte opcode.
            if Seq.exists (fun i -> (il.[i] = 0x28uy || il.[i] = 0x6Fuy) && targets.Contains(BitConverter.ToInt32(il, i + 1))) (seq { 0 .. il.Length - 5 }) then
                yield md.GetString(md.GetTypeDefinition(m.GetDeclaringType()).Name) + "." + md.GetString m.Name ]
    |> List.distinct

[<Tests>]
let tests =
    testList "Charts" [
        testCase "the F# layer formats without printf, so the native build's reports have code for every call (the detector finds the test assembly's sprintf)" <| fun () ->
            // printf's implementation builds generic methods by reflection at run time, which a NativeAOT build has no
            // code for: `trirl tabular` failed in the report there until these calls were replaced.
            // Records' and unions' ToString are the compiler's (`%+A`); nothing in a run calls them.
            let ours = printfCallers typeof<ReportFact>.Assembly |> List.filter (fun m -> not (m.EndsWith ".ToString"))
            Expect.isEmpty ours "no method of Trirl.FSharp calls printf"
            Expect.contains (printfCallers typeof<ReportFact>.Assembly) "ReportFact.ToString" "the detector sees the compiler's %+A in a record's ToString"
            Expect.isNonEmpty (printfCallers (Reflection.Assembly.GetExecutingAssembly()) |> List.filter (fun m -> not (m.EndsWith ".ToString"))) "the detector sees this test assembly's sprintf"

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

        testCase "toReportPage: the header's facts (encoded), the details folded, one card per chart in the stylesheet's grid, plotly.js once" <| fun () ->
            let h = history.Force()
            let facts = [ { Label = "command"; Value = "trirl tabular" }; { Label = "seed"; Value = "<3> & \"4\"" } ]
            let charts =
                [ Charts.gap h
                  Charts.dualAndPrimal h |> Chart.withSize (Height = 300)
                  Charts.intervalEstimates "IQM" "score" [ "a"; "b" ] [ 0.5; 0.6 ] [ 0.4; 0.5 ] [ 0.6; 0.7 ]
                  Charts.learningCurves (MetricsTable.ofRows [ "env_steps"; "y"; "z" ] [ [ 0.0; 1.0; 2.0 ]; [ 10.0; 2.0; 3.0 ] ]) ]
            let html = Charts.toReportPage "TRIRL <report>" facts "beta = 2\nseed <3>" charts
            let view = readReport html
            Expect.equal view.Facts [ "command", "trirl tabular"; "seed", "<3> & \"4\"" ] "the facts, in order"
            Expect.stringContains html "<dt>seed</dt><dd>&lt;3&gt; &amp; &quot;4&quot;</dd>" "values HTML-encoded"
            Expect.stringContains html "<h1>TRIRL &lt;report&gt;</h1>" "title encoded"
            Expect.equal view.Details "beta = 2\nseed <3>" "the details, folded under the facts"
            // Cards: the default-size chart and the one that set its height share a row; the 900 px interval plot and the
            // stacked learning curves span it.
            Expect.equal view.Cards [ false; false; true; true ] "wide cards"
            let heights =
                view.Layouts
                |> List.map (fun layout ->
                    use doc = Text.Json.JsonDocument.Parse layout
                    Expect.isFalse (fst (doc.RootElement.TryGetProperty "width")) "no fixed width: the chart fits its card"
                    doc.RootElement.GetProperty("height").GetInt32())
            Expect.equal heights [ 440; 300; 180 + 36 * 2; 120 + 220 * 2 ] "Plotly.NET's default height becomes the card's 440 px; a chart's own height is kept"
            Expect.stringContains (Charts.chartHtml charts.[0]) "\"width\":600,\"height\":600" "the chart itself is unchanged"
            // The grid is the stylesheet's: as many 460 px columns as the window holds, wide cards across the row.
            let css = Charts.stylesheet.Force()
            Expect.stringContains css ".trirl-report .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(460px, 100%), 1fr));" "grid"
            Expect.stringContains css ".trirl-report .chart.wide { grid-column: 1 / -1; }" "wide cards span the row"
            // Without facts the details show as they are (toHtmlPage).
            let plain = Charts.toHtmlPage "p" "beta = 2" [ Charts.gap h ]
            Expect.isEmpty (readReport plain).Facts "no facts"
            Expect.stringContains plain "</h1>\n<pre>beta = 2</pre>\n</header>" "details shown"
            Expect.isFalse (plain.Contains "<details>") "not folded"

        testCase "learningCurveCharts: one 320 px chart per column titled by it, the points of learningCurvesAgainst; an unknown x is an error" <| fun () ->
            let table = MetricsTable.ofRows [ "env_steps"; "normalized_return"; "loss" ] [ [ 0.0; 0.1; nan ]; [ 100.0; 0.4; 2.5 ]; [ 200.0; 0.9; 1.5 ] ]
            let charts = Charts.learningCurveCharts "env_steps" table
            Expect.equal charts.Length 2 "one chart per column besides x"
            let json = charts |> List.map Charts.chartHtml
            Expect.stringContains json.[0] "\"x\":[0.0,100.0,200.0],\"y\":[0.1,0.4,0.9]" "normalized_return's points"
            Expect.stringContains json.[1] "\"x\":[100.0,200.0],\"y\":[2.5,1.5]" "loss without its NaN cell"
            Expect.stringContains json.[1] "\"title\":{\"text\":\"loss\"}" "titled by its column"
            Expect.stringContains json.[1] "\"height\":320" "320 px high"
            let stacked = Charts.chartHtml (Charts.learningCurvesAgainst "env_steps" table)
            Expect.stringContains stacked "\"x\":[100.0,200.0],\"y\":[2.5,1.5]" "the same points stacked"
            Expect.throwsT<ArgumentException> (fun () -> Charts.learningCurveCharts "normalized_return" (MetricsTable.ofRows [ "normalized_return" ] [ [ 1.0 ] ]) |> ignore) "no column besides x"
            Expect.throwsC (fun () -> Charts.learningCurveCharts "steps" table |> ignore) (fun e ->
                Expect.stringContains e.Message "has no numeric column 'steps'" "names the missing x"
                Expect.stringContains e.Message "env_steps, normalized_return, loss" "names the columns")

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
