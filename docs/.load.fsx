// Loaded by the `condition: prepare` block of every literate page under docs/ (fsdocs evaluates it, the pages do not
// show it). It references the library as built by `dotnet build Trirl.Functional.sln -c Release` and the packages
// its DLLs need, and registers an HTML printer so that a snippet whose value is a Plotly.NET chart shows the chart: a
// div and a script that calls Plotly.newPlot, with plotly.js loaded once by the page (docs/_template.html), never from
// a CDN. Its `#if IPYNB` block is what a notebook made from a page holds instead (notebooks/tools/literate.fsx copies
// it into the notebook's setup cell; F# Interactive skips it). The file name starts with a dot so that fsdocs does not
// turn it into a page.
#if IPYNB
// The package built by bash scripts/pack.sh, from the feed notebooks/NuGet.Config names (notebooks/README.md)
#r "nuget: Trirl.FSharp, *-*"
#r "nuget: Plotly.NET.Interactive, 6.0.0"
#endif // IPYNB
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
