namespace Trirl.FSharp

open System
open System.IO
open System.Text
open Plotly.NET
open Trirl.Functional
open Trirl.Functional.Environments

/// Plotly.NET charts of TRIRL runs. Every function returns a `GenericChart` that the caller can compose,
/// show or save; the CLI's report.html and the notebooks draw with these same functions.
[<RequireQualifiedAccess>]
module Charts =

    /// Values that a log axis can draw: non-positive entries (a gap of exactly 0, or -1e-12 from rounding) become NaN
    /// (a break in the line) instead of breaking the axis.
    let private positive (xs: seq<float>) = xs |> Seq.map (fun x -> if x > 0.0 then x else nan)

    let private axisType (axis: ChartAxis) = if axis.Log then Some StyleParam.AxisType.Log else None

    /// The chart with its title and its x and y axes (titles and scales).
    let withAxes (title: string) (x: ChartAxis) (y: ChartAxis) (chart: GenericChart) : GenericChart =
        chart
        |> Chart.withXAxisStyle (TitleText = x.Title, ?AxisType = axisType x)
        |> Chart.withYAxisStyle (TitleText = y.Title, ?AxisType = axisType y)
        |> Chart.withTitle title

    /// The chart with its title and the titles of its (linear) x and y axes.
    let withLabels (title: string) (xTitle: string) (yTitle: string) (chart: GenericChart) : GenericChart =
        chart |> withAxes title (ChartAxis.linear xTitle) (ChartAxis.linear yTitle)

    /// Named per-iteration metrics of one run as lines against the iteration (linear scale).
    let private iterationLines (yTitle: string) (title: string) (lines: (string * (IterationMetrics -> float)) list) (history: seq<IterationMetrics>) =
        let h = Seq.toArray history
        let xs = h |> Array.map (fun it -> it.Iteration)
        [ for name, value in lines -> Chart.Line(x = xs, y = (h |> Array.map value), Name = name) ]
        |> Chart.combine
        |> withLabels title "iteration" yTitle

    /// Dual `G(r_i)` and primal `P(pi_i)` per iteration (linear scale), with the iteration on x.
    let dualAndPrimal (history: seq<IterationMetrics>) : GenericChart =
        history |> iterationLines "objective" "Dual and primal" [ "dual G(r)", (fun it -> it.Dual); "primal P(pi)", (fun it -> it.Primal) ]

    /// The duality gap `G(r_i) - P(pi_i)` per iteration on a log scale: the certificate of convergence.
    let gap (history: seq<IterationMetrics>) : GenericChart =
        let h = Seq.toArray history
        Chart.Line(x = (h |> Array.map (fun it -> it.Iteration)), y = positive (h |> Array.map (fun it -> it.Gap)), Name = "gap")
        |> withAxes "Duality gap (log scale)" (ChartAxis.linear "iteration") (ChartAxis.log "G(r) - P(pi)")

    /// The trust-region multiplier `eta` and the kept step size `eps_tr = eps / (1 + eta)` per iteration.
    let etaAndStep (history: seq<IterationMetrics>) : GenericChart =
        history
        |> iterationLines "value" "Trust-region multiplier eta and corrected step eps_tr" [ "eta", (fun it -> it.Eta); "eps_tr", (fun it -> it.EpsTr) ]

    /// A per-state value laid out on a grid: row `r` of the heatmap is grid row `r` (top row first).
    let stateHeatmap (grid: GridShape) (title: string) (values: seq<float>) : GenericChart =
        let v = Seq.toArray values
        if v.Length <> grid.Width * grid.Height then
            invalidArg (nameof values) ("has " + string v.Length + " values but the grid is " + string grid.Width + " x " + string grid.Height)
        let rows = Array.init grid.Height (fun r -> Array.sub v (r * grid.Width) grid.Width)
        Chart.Heatmap(zData = rows, ReverseYAxis = true)
        |> Chart.withTitle title

    /// A reward `r(s,a)` on a grid, averaged over actions (state rewards are constant over actions).
    let rewardHeatmap (grid: GridShape) (title: string) (reward: StateActionTable) : GenericChart =
        Array.init reward.States (fun s -> reward.Row(s).ToArray() |> Array.average)
        |> stateHeatmap grid title

    /// A state occupancy `rho(s) = sum_a rho(s,a)` on a grid.
    let occupancyHeatmap (grid: GridShape) (title: string) (occupancy: StateActionTable) : GenericChart =
        occupancy.RowSums() |> stateHeatmap grid title

    /// Learned reward against true reward, one point per `(s,a)`. The learned reward is only defined up to
    /// shaping and a constant, so the cloud, not the diagonal, tells whether the ordering was recovered.
    let rewardScatter (learned: StateActionTable) (truth: StateActionTable) : GenericChart =
        Chart.Point(x = truth.ToFlatArray(), y = learned.ToFlatArray(), Name = "(s,a)")
        |> withLabels "Learned vs true reward" "true reward" "learned reward"

    /// Side by side: any per-iteration metric of several named runs (e.g. the dual or the KL to the expert), on a log
    /// y-axis when `logY` (non-positive values become breaks in the line).
    let compareMetric (title: string) (yTitle: string) (logY: bool) (value: IterationMetrics -> float) (runs: seq<string * seq<IterationMetrics>>) : GenericChart =
        runs
        |> Seq.map (fun (name, history) ->
            let h = Seq.toArray history
            let ys = h |> Array.map value
            Chart.Line(x = (h |> Array.map (fun it -> it.Iteration)), y = (if logY then positive ys else ys), Name = name))
        |> Chart.combine
        |> withAxes title (ChartAxis.linear "iteration") { Title = yTitle; Log = logY }

    /// Side by side: the duality gap per iteration of several named runs (e.g. trirl, mce, adversarial), log scale.
    let compareGaps (runs: seq<string * seq<IterationMetrics>>) : GenericChart =
        compareMetric "Duality gap by algorithm" "duality gap" true (fun it -> it.Gap) runs

    /// Side by side: the normalised return per iteration of several named runs.
    let compareReturns (runs: seq<string * seq<IterationMetrics>>) : GenericChart =
        compareMetric "Normalised return by algorithm" "normalised return" false (fun it -> it.NormalizedReturn) runs

    /// The most likely action `argmax_a pi(a|s)` of every cell of a grid, as its name (up, down, left, right for four
    /// actions, else `a0`, `a1`, ...), coloured by its probability `max_a pi(a|s)` (how decided the policy is there).
    let policyHeatmap (grid: GridShape) (title: string) (policy: Policy) : GenericChart =
        if policy.States <> grid.Width * grid.Height then
            invalidArg (nameof policy) ("has " + string policy.States + " states but the grid is " + string grid.Width + " x " + string grid.Height)
        let names =
            if policy.Actions = Gridworld.ActionNames.Count then Seq.toArray Gridworld.ActionNames
            else Array.init policy.Actions (fun a -> ("a" + string a))
        let best = Policy.mostLikely policy
        let cell r c = r * grid.Width + c
        let z = Array.init grid.Height (fun r -> Array.init grid.Width (fun c -> let s = cell r c in policy.Probability(s, best.[s])))
        let text = Array.init grid.Height (fun r -> Array.init grid.Width (fun c -> names.[best.[cell r c]]))
        // A light scale (white to pale blue) keeps the black action names readable in every cell.
        let light = StyleParam.Colorscale.Custom [ 0.0, Color.fromString "#ffffff"; 1.0, Color.fromString "#6baed6" ]
        Chart.AnnotatedHeatmap(zData = z, annotationText = text, ReverseYAxis = true, ColorScale = light)
        |> Chart.withTitle title

    /// The points `(x, y)` of two columns where both are finite (a metric logged less often than the x column leaves
    /// empty cells; the line joins the points it has).
    let private finitePoints (xs: float[]) (ys: float[]) : float[] * float[] =
        Array.zip xs ys |> Array.filter (fun (x, y) -> Double.IsFinite x && Double.IsFinite y) |> Array.unzip

    /// One line per numeric column of a metrics table against the column `x` (with the column's name), with its axis
    /// titles, skipping empty and non-finite cells; an error names the columns when `x` is not one of them.
    let private curvePanels (x: string) (table: MetricsTable) : (string * GenericChart) list =
        let xs = (MetricsTable.column x table).Values
        let ys = table.Columns |> List.filter (fun c -> c.Name <> x)
        if List.isEmpty ys then
            invalidArg (nameof table) (table.Source + " has no numeric column besides '" + x + "' to plot")
        ys
        |> List.map (fun c ->
            let px, py = finitePoints xs c.Values
            c.Name,
            Chart.Line(x = px, y = py, Name = c.Name, ShowLegend = false)
            |> Chart.withXAxisStyle (TitleText = x)
            |> Chart.withYAxisStyle (TitleText = c.Name))

    /// Learning curves from a metrics table as separate charts, one per numeric column against the column `x`, each
    /// titled with its column and 320 px high: for a page that lays its charts out in a grid (`toReportPage`; the CLI's
    /// reports). `learningCurvesAgainst` draws the same curves stacked in one chart.
    let learningCurveCharts (x: string) (table: MetricsTable) : GenericChart list =
        curvePanels x table |> List.map (fun (name, chart) -> chart |> Chart.withSize (Height = 320) |> Chart.withTitle name)

    /// Learning curves from a metrics table: one panel per numeric column, plotted against the column `x`
    /// (e.g. env_steps or iteration), skipping empty and non-finite cells; an error names the columns when `x` is not
    /// one of them.
    let learningCurvesAgainst (x: string) (table: MetricsTable) : GenericChart =
        let ys = curvePanels x table |> List.map snd
        ys
        |> Chart.Grid(ys.Length, 1, YGap = 0.35)
        |> Chart.withSize (Height = 120 + 220 * ys.Length)
        |> Chart.withTitle ("Learning curves (" + (Path.GetFileName table.Source) + ")")

    /// Learning curves from a metrics table: every numeric column against the first column (e.g. env_steps).
    let learningCurves (table: MetricsTable) : GenericChart =
        match table.Columns with
        | first :: _ -> learningCurvesAgainst first.Name table
        | [] -> invalidArg (nameof table) (table.Source + " has no numeric column")

    /// Learning curves of a metrics.csv file (`MetricsTable.load`, then `learningCurves`): every numeric column
    /// against the first.
    let learningCurvesOfCsv (path: string) : GenericChart = MetricsTable.load path |> learningCurves

    /// Side by side: column `y` against column `x` of several named runs' metrics tables (e.g. normalized_return
    /// against env_steps for trirl and adversarial).
    let compareCurves (x: string) (y: string) (runs: seq<string * MetricsTable>) : GenericChart =
        runs
        |> Seq.map (fun (name, table) ->
            let px, py = finitePoints (MetricsTable.column x table).Values (MetricsTable.column y table).Values
            Chart.Line(x = px, y = py, Name = name))
        |> Chart.combine
        |> withLabels (y + " by run") x y

    /// The plotly.js bundle that Plotly.NET ships, read from its assembly (no network).
    let plotlyJs : Lazy<string> = ChartHtml.plotlyJs

    /// A chart as the HTML fragment of Plotly.NET's `GenericChart.toChartHTML` without a plotly.js reference (a div and
    /// the script that draws into it), serialised as Plotly.NET serialises it (ChartHtml).
    let chartHtml (chart: GenericChart) : string = ChartHtml.chartHtml chart

    /// The pages' stylesheet (the site's look: colours, type, chart cards, and the reports' header and grid), embedded in
    /// this assembly; `toReportPage` inlines it and scripts/site.sh writes it into the site as content/trirl.css.
    let stylesheet : Lazy<string> = ChartHtml.stylesheet

    /// A self-contained HTML report in the site's look (`stylesheet` inline): a header with the title, the facts (what
    /// the run was: command, environment, algorithm, seed, final numbers, wall time) and the preformatted details
    /// (folded away under the facts, shown as they are when there are no facts; left out when empty), then the charts as cards in
    /// a grid (as many 460 px columns as the window holds, each chart as wide as its card), with plotly.js embedded once
    /// (it renders on a machine with no network).
    let toReportPage (title: string) (facts: seq<ReportFact>) (details: string) (charts: seq<GenericChart>) : string =
        let encode (s: string) = Net.WebUtility.HtmlEncode s
        let facts = Seq.toArray facts
        let sb = StringBuilder()
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>")
          .Append(encode title)
          .Append("</title>\n<style>\n")
          .Append(stylesheet.Force())
          .Append("</style>\n<script type=\"text/javascript\">")
          .Append(plotlyJs.Force())
          .Append("</script>\n</head>\n<body class=\"trirl-report\">\n<header class=\"report-header\">\n<h1>")
          .Append(encode title)
          .Append("</h1>\n")
        |> ignore
        if facts.Length > 0 then
            sb.Append("<dl class=\"facts\">") |> ignore
            for f in facts do
                sb.Append("<div><dt>").Append(encode f.Label).Append("</dt><dd>").Append(encode f.Value).Append("</dd></div>") |> ignore
            sb.Append("</dl>\n") |> ignore
        if not (String.IsNullOrWhiteSpace details) then
            let pre = "<pre>" + encode details + "</pre>"
            if facts.Length > 0 then sb.Append("<details><summary>Settings and numbers</summary>").Append(pre).Append("</details>\n") |> ignore
            else sb.Append(pre).Append('\n') |> ignore
        sb.Append("</header>\n<main class=\"charts\">\n") |> ignore
        for chart in charts do
            let wide, html = ChartHtml.card chart
            sb.Append(if wide then "<div class=\"chart wide\">" else "<div class=\"chart\">").Append(html).Append("</div>\n") |> ignore
        sb.Append("</main>\n</body>\n</html>\n").ToString()

    /// A self-contained HTML page: a title, optional preformatted text, and the charts (`toReportPage` without facts).
    let toHtmlPage (title: string) (preamble: string) (charts: seq<GenericChart>) : string =
        toReportPage title [] preamble charts

    /// Writes `content` to `path` atomically: a temporary file in the same folder, then a rename, so a reader never
    /// sees a half-written file.
    let writeAtomic (path: string) (content: string) : unit = Files.writeAtomic path content

    /// Saves one chart as a self-contained HTML file (plotly.js embedded), atomically.
    let saveHtml (path: string) (chart: GenericChart) : unit =
        let title =
            match Path.GetFileNameWithoutExtension path with
            | null -> "chart"
            | t -> t
        writeAtomic path (toHtmlPage title "" [ chart ])

    /// Checks that the named columns of a chart's data have one entry per label.
    let private sameLength (labels: string[]) (columns: (string * float[]) list) =
        for name, xs in columns do
            if xs.Length <> labels.Length then
                invalidArg name ("has " + string xs.Length + " values but there are " + string labels.Length + " labels")

    /// Interval estimates (rliable's interval plot): one row per label, the point estimate (e.g. an IQM) as a marker and
    /// its confidence interval `[low, high]` as a horizontal error bar, the first label at the top.
    let intervalEstimates (title: string) (xTitle: string) (labels: seq<string>) (points: seq<float>) (lows: seq<float>) (highs: seq<float>) : GenericChart =
        let l, p, lo, hi = Seq.toArray labels, Seq.toArray points, Seq.toArray lows, Seq.toArray highs
        sameLength l [ nameof points, p; nameof lows, lo; nameof highs, hi ]
        let longest = if l.Length = 0 then 0 else l |> Array.map String.length |> Array.max
        Chart.Point(x = p, y = l, Name = xTitle, ShowLegend = false)
        |> Chart.withXError (
            TraceObjects.Error.init (
                Symmetric = false,
                Array = Array.map2 (fun h x -> max 0.0 (h - x)) hi p,
                Arrayminus = Array.map2 (fun x lw -> max 0.0 (x - lw)) p lo))
        |> Chart.withXAxisStyle (TitleText = xTitle)
        |> Chart.withYAxisStyle (TitleText = "", CategoryOrder = StyleParam.CategoryOrder.Array, CategoryArray = Array.rev l)
        |> Chart.withMarginSize (Left = 30 + 7 * longest)
        |> Chart.withSize (Width = 900, Height = 180 + 36 * l.Length)
        |> Chart.withTitle title

    /// The probability of improvement `P(X > Y)` of pairs of algorithms with their intervals (an interval plot on [0, 1];
    /// 0.5 means neither is better).
    let improvementProbabilities (title: string) (labels: seq<string>) (points: seq<float>) (lows: seq<float>) (highs: seq<float>) : GenericChart =
        intervalEstimates title "P(X > Y)" labels points lows highs
        |> Chart.withXAxisStyle (TitleText = "P(X > Y)", MinMax = (-0.02, 1.02))

    /// Performance profiles (rliable): for each named curve, the fraction of runs with a score above each threshold,
    /// as a line with its confidence band `[low, high]` shaded in the line's colour.
    let performanceProfiles
        (title: string) (xTitle: string) (names: seq<string>) (thresholds: seq<float>)
        (fractions: seq<seq<float>>) (lows: seq<seq<float>>) (highs: seq<seq<float>>) : GenericChart =
        let n, taus = Seq.toArray names, Seq.toArray thresholds
        let rows (xss: seq<seq<float>>) = xss |> Seq.map Seq.toArray |> Seq.toArray
        let f, lo, hi = rows fractions, rows lows, rows highs
        for name, xss in [ nameof fractions, f; nameof lows, lo; nameof highs, hi ] do
            if xss.Length <> n.Length then invalidArg name ("has " + string xss.Length + " curves but there are " + string n.Length + " names")
            for xs in xss do
                if xs.Length <> taus.Length then invalidArg name ("has a curve of " + string xs.Length + " values but there are " + string taus.Length + " thresholds")
        // plotly's default colour cycle, so each band matches its line.
        let palette = [| "31,119,180"; "255,127,14"; "44,160,44"; "214,39,40"; "148,103,189"; "140,86,75"; "227,119,194"; "127,127,127"; "188,189,34"; "23,190,207" |]
        n
        |> Array.mapi (fun i name ->
            let rgb = palette.[i % palette.Length]
            let line = Color.fromString ("rgb(" + rgb + ")")
            let band = Color.fromString ("rgba(" + rgb + ",0.2)")
            let edge = Color.fromString "rgba(0,0,0,0)"
            // The band is the area between the upper edge and the lower edge (filled to the previous trace).
            [ Chart.Line(x = taus, y = hi.[i], ShowLegend = false, LineColor = edge, Name = name + " upper")
              Chart.Line(x = taus, y = lo.[i], ShowLegend = false, LineColor = edge, Fill = StyleParam.Fill.ToNext_y, FillColor = band, Name = name + " lower")
              Chart.Line(x = taus, y = f.[i], Name = name, LineColor = line) ]
            |> Chart.combine)
        |> Chart.combine
        |> Chart.withXAxisStyle (TitleText = xTitle)
        |> Chart.withYAxisStyle (TitleText = "fraction of runs with score > tau", MinMax = (0.0, 1.0))
        |> Chart.withSize (Width = 900, Height = 500)
        |> Chart.withTitle title
