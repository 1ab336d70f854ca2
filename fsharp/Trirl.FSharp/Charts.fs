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

    /// Dual `G(r_i)` and primal `P(pi_i)` per iteration (linear scale), with the iteration on x.
    let dualAndPrimal (history: seq<IterationMetrics>) : GenericChart =
        let h = Seq.toArray history
        let xs = h |> Array.map (fun it -> it.Iteration)
        [ Chart.Line(x = xs, y = (h |> Array.map (fun it -> it.Dual)), Name = "dual G(r)")
          Chart.Line(x = xs, y = (h |> Array.map (fun it -> it.Primal)), Name = "primal P(pi)") ]
        |> Chart.combine
        |> Chart.withXAxisStyle (TitleText = "iteration")
        |> Chart.withYAxisStyle (TitleText = "objective")
        |> Chart.withTitle "Dual and primal"

    /// The duality gap `G(r_i) - P(pi_i)` per iteration on a log scale: the certificate of convergence.
    let gap (history: seq<IterationMetrics>) : GenericChart =
        let h = Seq.toArray history
        Chart.Line(x = (h |> Array.map (fun it -> it.Iteration)), y = positive (h |> Array.map (fun it -> it.Gap)), Name = "gap")
        |> Chart.withXAxisStyle (TitleText = "iteration")
        |> Chart.withYAxisStyle (TitleText = "G(r) - P(pi)", AxisType = StyleParam.AxisType.Log)
        |> Chart.withTitle "Duality gap (log scale)"

    /// The trust-region multiplier `eta` and the kept step size `eps_tr = eps / (1 + eta)` per iteration.
    let etaAndStep (history: seq<IterationMetrics>) : GenericChart =
        let h = Seq.toArray history
        let xs = h |> Array.map (fun it -> it.Iteration)
        [ Chart.Line(x = xs, y = (h |> Array.map (fun it -> it.Eta)), Name = "eta")
          Chart.Line(x = xs, y = (h |> Array.map (fun it -> it.EpsTr)), Name = "eps_tr") ]
        |> Chart.combine
        |> Chart.withXAxisStyle (TitleText = "iteration")
        |> Chart.withYAxisStyle (TitleText = "value")
        |> Chart.withTitle "Trust-region multiplier eta and corrected step eps_tr"

    /// A per-state value laid out on a grid: row `r` of the heatmap is grid row `r` (top row first).
    let stateHeatmap (grid: GridShape) (title: string) (values: seq<float>) : GenericChart =
        let v = Seq.toArray values
        if v.Length <> grid.Width * grid.Height then
            invalidArg (nameof values) (sprintf "has %d values but the grid is %d x %d" v.Length grid.Width grid.Height)
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
        |> Chart.withXAxisStyle (TitleText = "true reward")
        |> Chart.withYAxisStyle (TitleText = "learned reward")
        |> Chart.withTitle "Learned vs true reward"

    /// Side by side: the duality gap per iteration of several named runs (e.g. trirl, mce, adversarial).
    let compareGaps (runs: seq<string * seq<IterationMetrics>>) : GenericChart =
        runs
        |> Seq.map (fun (name, history) ->
            let h = Seq.toArray history
            Chart.Line(x = (h |> Array.map (fun it -> it.Iteration)), y = positive (h |> Array.map (fun it -> it.Gap)), Name = name))
        |> Chart.combine
        |> Chart.withXAxisStyle (TitleText = "iteration")
        |> Chart.withYAxisStyle (TitleText = "duality gap", AxisType = StyleParam.AxisType.Log)
        |> Chart.withTitle "Duality gap by algorithm"

    /// Side by side: the normalised return per iteration of several named runs.
    let compareReturns (runs: seq<string * seq<IterationMetrics>>) : GenericChart =
        runs
        |> Seq.map (fun (name, history) ->
            let h = Seq.toArray history
            Chart.Line(x = (h |> Array.map (fun it -> it.Iteration)), y = (h |> Array.map (fun it -> it.NormalizedReturn)), Name = name))
        |> Chart.combine
        |> Chart.withXAxisStyle (TitleText = "iteration")
        |> Chart.withYAxisStyle (TitleText = "normalised return")
        |> Chart.withTitle "Normalised return by algorithm"

    /// The plotly.js bundle that Plotly.NET ships, read from its assembly (no network).
    let plotlyJs : Lazy<string> =
        lazy
            (let asm = typeof<GenericChart>.Assembly
             let name =
                 asm.GetManifestResourceNames()
                 |> Array.tryFind (fun n -> n.StartsWith("Plotly.NET.plotly-") && n.EndsWith(".min.js"))
                 |> Option.defaultWith (fun () -> failwith "Plotly.NET carries no plotly.js resource")
             use stream =
                 match asm.GetManifestResourceStream(name) with
                 | null -> failwithf "Plotly.NET resource %s is missing" name
                 | s -> s
             use reader = new StreamReader(stream)
             reader.ReadToEnd())

    /// A self-contained HTML page: a title, optional preformatted text, and the charts, with plotly.js embedded
    /// once (it renders on a machine with no network).
    let toHtmlPage (title: string) (preamble: string) (charts: seq<GenericChart>) : string =
        let encode (s: string) = Net.WebUtility.HtmlEncode s
        let sb = StringBuilder()
        sb.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
          .Append(encode title)
          .Append("</title>\n<script type=\"text/javascript\">")
          .Append(plotlyJs.Force())
          .Append("</script>\n<style>body{font-family:sans-serif;margin:2em;} pre{background:#f6f6f6;padding:1em;}</style>\n</head>\n<body>\n<h1>")
          .Append(encode title)
          .Append("</h1>\n")
        |> ignore
        if not (String.IsNullOrWhiteSpace preamble) then
            sb.Append("<pre>").Append(encode preamble).Append("</pre>\n") |> ignore
        for chart in charts do
            sb.Append("<div>")
              .Append(chart |> Chart.withDisplayOptionsStyle (PlotlyJSReference = PlotlyJSReference.NoReference) |> GenericChart.toChartHTML)
              .Append("</div>\n")
            |> ignore
        sb.Append("</body>\n</html>\n").ToString()

    /// Writes `content` to `path` atomically: a temporary file in the same folder, then a rename, so a reader never
    /// sees a half-written file.
    let writeAtomic (path: string) (content: string) : unit =
        let full = Path.GetFullPath path
        let dir =
            match Path.GetDirectoryName full with
            | null -> "."
            | d -> d
        Directory.CreateDirectory dir |> ignore
        let tmp = Path.Combine(dir, sprintf ".%s.%s.tmp" (Path.GetFileName full) (Guid.NewGuid().ToString("N")))
        try
            File.WriteAllText(tmp, content, UTF8Encoding(false))
            File.Move(tmp, full, true)
        finally
            if File.Exists tmp then File.Delete tmp

    /// Saves one chart as a self-contained HTML file (plotly.js embedded), atomically.
    let saveHtml (path: string) (chart: GenericChart) : unit =
        let title =
            match Path.GetFileNameWithoutExtension path with
            | null -> "chart"
            | t -> t
        writeAtomic path (toHtmlPage title "" [ chart ])
