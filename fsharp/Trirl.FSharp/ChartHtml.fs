namespace Trirl.FSharp

open System
open System.IO
open System.Text
open Plotly.NET

/// A chart as the HTML that a page or a report draws: plotly.js JSON written exactly as Plotly.NET writes it, the div
/// and script of `GenericChart.toChartHTML`, a report's card, and the embedded plotly.js and stylesheet (`Charts`
/// exposes what a page needs).
module internal ChartHtml =

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
                 | null -> failwith ("Plotly.NET resource " + name + " is missing")
                 | s -> s
             use reader = new StreamReader(stream)
             reader.ReadToEnd())

    /// Writes a chart's value as plotly.js JSON exactly as Plotly.NET's own serializer does (Newtonsoft with its
    /// settings: properties in insertion order, doubles in round-trip form with a decimal point, NaN and infinities as
    /// strings, colours as their value), by walking the DynamicObj tree directly: no JSON library, no dynamic binder,
    /// so the report costs little in a short-lived process. A test checks it against Plotly.NET's output.
    let rec writeJson (sb: StringBuilder) (value: objnull) : unit =
        match value with
        | null -> sb.Append("null") |> ignore
        | :? string as s -> writeString sb s
        | :? bool as b -> sb.Append(if b then "true" else "false") |> ignore
        | :? int as i -> sb.Append(i.ToString(Globalization.CultureInfo.InvariantCulture)) |> ignore
        | :? int64 as i -> sb.Append(i.ToString(Globalization.CultureInfo.InvariantCulture)) |> ignore
        | :? float as x -> writeDouble sb x
        | :? float32 as x -> writeDouble sb (float x)
        | :? Color as c -> writeJson sb c.Value
        | :? ARGB as c ->
            // Plotly.NET's ARGBConverter: "rgba(R, G, B, alpha)" with alpha = A / 255 as a double.
            let alpha = StringBuilder()
            writeDouble alpha (float c.A / 255.0)
            writeString sb ("rgba(" + string c.R + ", " + string c.G + ", " + string c.B + ", " + string alpha + ")")
        | :? DynamicObj.DynamicObj as d -> writeObject sb (d.GetProperties(true))
        | :? Collections.IEnumerable as items ->
            sb.Append('[') |> ignore
            let mutable first = true
            for item in items do
                if not first then sb.Append(',') |> ignore
                first <- false
                writeJson sb item
            sb.Append(']') |> ignore
        | other -> writeString sb (string other)

    /// A JSON object of the given properties, in their order.
    and writeObject (sb: StringBuilder) (properties: seq<Collections.Generic.KeyValuePair<string, objnull>>) : unit =
        sb.Append('{') |> ignore
        let mutable first = true
        for kv in properties do
            if not first then sb.Append(',') |> ignore
            first <- false
            writeString sb kv.Key
            sb.Append(':') |> ignore
            writeJson sb kv.Value
        sb.Append('}') |> ignore

    and writeDouble (sb: StringBuilder) (x: float) : unit =
        if Double.IsNaN x then sb.Append("\"NaN\"") |> ignore
        elif Double.IsPositiveInfinity x then sb.Append("\"Infinity\"") |> ignore
        elif Double.IsNegativeInfinity x then sb.Append("\"-Infinity\"") |> ignore
        else
            let text = x.ToString("R", Globalization.CultureInfo.InvariantCulture)
            sb.Append(text) |> ignore
            if text.IndexOfAny([| '.'; 'E'; 'e' |]) < 0 then sb.Append(".0") |> ignore

    and writeString (sb: StringBuilder) (s: string) : unit =
        sb.Append('"') |> ignore
        for ch in s do
            match ch with
            | '"' -> sb.Append("\\\"") |> ignore
            | '\\' -> sb.Append("\\\\") |> ignore
            | '\n' -> sb.Append("\\n") |> ignore
            | '\r' -> sb.Append("\\r") |> ignore
            | '\t' -> sb.Append("\\t") |> ignore
            | '\b' -> sb.Append("\\b") |> ignore
            | '\f' -> sb.Append("\\f") |> ignore
            | c when c < ' ' -> sb.Append("\\u").Append((int c).ToString("x4")) |> ignore
            | c -> sb.Append(c) |> ignore
        sb.Append('"') |> ignore

    /// The JSON text of a value (`writeJson`).
    let json (value: objnull) : string =
        let sb = StringBuilder()
        writeJson sb value
        sb.ToString()

    /// The HTML fragment of Plotly.NET's `GenericChart.toChartHTML` without a plotly.js reference (a div and the script
    /// that draws into it) for the given JSON texts.
    let plotHtml (data: string) (layout: string) (config: string) : string =
        let id = Guid.NewGuid()
        let name = id.ToString("N")
        String.Concat(
            [| "<div><div id=\""; string id; "\"><!-- Plotly chart will be drawn inside this DIV --></div><script type=\"text/javascript\">var renderPlotly_"
               name; " = function() {\n    var data = "; data; ";\n    var layout = "; layout; ";\n    var config = "; config
               ";\n    Plotly.newPlot('"; string id; "', data, layout, config);\n};\nrenderPlotly_"; name; "();\n</script></div>" |])

    /// The chart's traces as plotly.js JSON.
    let dataJson (chart: GenericChart) : string =
        json (GenericChart.getTraces chart |> List.map (fun t -> t :> DynamicObj.DynamicObj))

    /// A chart as the HTML fragment of Plotly.NET's `GenericChart.toChartHTML` without a plotly.js reference (a div and
    /// the script that draws into it), serialised by `writeJson`.
    let chartHtml (chart: GenericChart) : string =
        plotHtml (dataJson chart) (json (GenericChart.getLayout chart)) (json (GenericChart.getConfig chart))

    /// The height in pixels of a report card whose chart kept Plotly.NET's default size.
    let cardHeight = 440

    /// A chart as a report's card draws it, and whether the card spans its row of the grid. The layout is the chart's
    /// without its width, so that plotly.js fits the chart to the card (and, with Plotly.NET's default config
    /// `responsive`, refits it when the window changes); a chart that kept Plotly.NET's default height gets
    /// `cardHeight`, one that set its own keeps it. The card spans the row when the chart asked for a width of its own
    /// (e.g. 900 px interval plots) or holds a grid of subplots (the learning curves). The chart itself is not changed.
    let card (chart: GenericChart) : bool * string =
        // One pass over the layout's properties, as writeJson walks an object (no sequence pipeline over key-value
        // structs: a short-lived process would compile one more generic instantiation for it).
        let layout = StringBuilder().Append('{')
        let mutable wide, first = false, true
        for kv in (GenericChart.getLayout chart).GetProperties(true) do
            match kv.Value with
            | :? int as w when kv.Key = "width" -> wide <- wide || w <> Defaults.DefaultWidth
            | _ when kv.Key = "width" -> wide <- true
            | value ->
                wide <- wide || kv.Key = "grid"
                if not first then layout.Append(',') |> ignore
                first <- false
                writeString layout kv.Key
                layout.Append(':') |> ignore
                match value with
                | :? int as h when kv.Key = "height" && h = Defaults.DefaultHeight -> layout.Append(cardHeight) |> ignore
                | _ -> writeJson layout value
        layout.Append('}') |> ignore
        wide, plotHtml (dataJson chart) (layout.ToString()) (json (GenericChart.getConfig chart))

    /// The pages' stylesheet (the site's look: colours, type, chart cards, and the reports' header and grid), embedded in
    /// this assembly; `toReportPage` inlines it and scripts/site.sh writes it into the site as content/trirl.css.
    let stylesheet : Lazy<string> =
        lazy
            (let name = "Trirl.FSharp.trirl.css"
             use stream =
                 match typeof<ReportFact>.Assembly.GetManifestResourceStream(name) with
                 | null -> failwith ("Trirl.FSharp carries no resource " + name)
                 | s -> s
             use reader = new StreamReader(stream)
             reader.ReadToEnd())
