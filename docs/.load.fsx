// Loaded by the `condition: prepare` block of every literate page under docs/ (fsdocs evaluates it, the pages do not
// show it, the notebooks made from the pages leave it out). It references the library as built by
// `dotnet build Trirl.Functional.sln -c Release` and the packages its DLLs need, and registers an HTML printer so that
// a snippet whose value is a Plotly.NET chart shows the chart: a div and a script that calls Plotly.newPlot, with
// plotly.js loaded once by the page (docs/_template.html), never from a CDN. The file name starts with a dot so that
// fsdocs does not turn it into a page.
#r "nuget: Plotly.NET, 6.0.0"
#r "nuget: System.Numerics.Tensors, 10.0.0"
#r "../fsharp/Trirl.FSharp/bin/Release/net10.0/Trirl.Functional.dll"
#r "../fsharp/Trirl.FSharp/bin/Release/net10.0/Trirl.FSharp.dll"

#if HAS_FSI_ADDHTMLPRINTER
open Plotly.NET

fsi.AddHtmlPrinter(fun (chart: GenericChart) ->
    let html = chart |> Chart.withDisplayOptionsStyle (PlotlyJSReference = PlotlyJSReference.NoReference) |> GenericChart.toChartHTML
    Seq.empty, "<div class=\"chart\">" + html + "</div>")
#endif
