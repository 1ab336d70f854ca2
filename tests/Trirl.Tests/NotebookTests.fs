/// The stored notebooks (notebooks/*.ipynb), read as files: each is a valid Polyglot notebook (the metadata that VS
/// Code's Polyglot Notebooks and Jupyter's .NET kernel read), holds at least one Plotly chart output and no error
/// output, and its outputs are current: the hash of its code cells equals the one `notebooks/run.sh --update`
/// recorded when it wrote the outputs. Running the notebooks in the real kernel is the job of notebooks/run.sh.
module Trirl.Tests.NotebookTests

open System
open System.IO
open System.Security.Cryptography
open System.Text
open System.Text.Json
open Expecto

/// The notebooks the F# issue asks for.
let required =
    [ "01-max-ent-rl"; "02-dual-descent"; "03-trust-region-and-correction"; "04-trirl-vs-mce-vs-adversarial"; "05-deep-trirl-pendulum"
      "06-csharp-quickstart" ]

/// The repository root: the first folder above the test assembly that holds Trirl.Functional.sln.
let repositoryRoot =
    lazy
        (let rec up (dir: DirectoryInfo) =
            if File.Exists(Path.Combine(dir.FullName, "Trirl.Functional.sln")) then dir.FullName
            else
                match dir.Parent with
                | null -> failwithf "no Trirl.Functional.sln in %s or any folder above it" AppContext.BaseDirectory
                | parent -> up parent
         up (DirectoryInfo AppContext.BaseDirectory))

let notebookFolder = lazy (Path.Combine(repositoryRoot.Force(), "notebooks"))

/// The text of a notebook string field: a string, or a list of lines to concatenate.
let text (e: JsonElement) =
    match e.ValueKind with
    | JsonValueKind.Array -> e.EnumerateArray() |> Seq.map (fun l -> l.GetString() |> string) |> String.concat ""
    | JsonValueKind.String -> e.GetString() |> string
    | _ -> ""

let property (name: string) (e: JsonElement) : JsonElement option =
    match e.ValueKind with
    | JsonValueKind.Object ->
        match e.TryGetProperty name with
        | true, v -> Some v
        | _ -> None
    | _ -> None

/// The string at a path of properties, or "" when a step is missing.
let stringAt (path: string list) (e: JsonElement) =
    path |> List.fold (fun acc name -> acc |> Option.bind (property name)) (Some e) |> Option.map text |> Option.defaultValue ""

let cells (nb: JsonElement) =
    match property "cells" nb with
    | Some c when c.ValueKind = JsonValueKind.Array -> c.EnumerateArray() |> List.ofSeq
    | _ -> []

let codeCells nb = cells nb |> List.filter (fun c -> stringAt [ "cell_type" ] c = "code")

let outputs (cell: JsonElement) =
    match property "outputs" cell with
    | Some o when o.ValueKind = JsonValueKind.Array -> o.EnumerateArray() |> List.ofSeq
    | _ -> []

/// SHA-256 (lowercase hex) of the code cells' sources, each with CRLF as LF and followed by U+0000: the hash that
/// notebooks/tools/nbtool.fsx records in metadata.trirl.source_hash.
let sourceHash (nb: JsonElement) =
    let sb = StringBuilder()
    for cell in codeCells nb do
        sb.Append((stringAt [ "source" ] cell).Replace("\r\n", "\n")).Append('\u0000') |> ignore
    (SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())) |> Convert.ToHexString).ToLowerInvariant()

let parse (json: string) =
    use doc = JsonDocument.Parse json
    doc.RootElement.Clone()

let load (path: string) = parse (File.ReadAllText path)

let notebookTests (path: string) =
    let name = Path.GetFileNameWithoutExtension path |> string
    let nb = lazy (load path)
    testList name [
        testCase "is a Polyglot notebook (nbformat 4, .NET kernelspec, kernel info, a kernel per code cell)" <| fun () ->
            let nb = nb.Force()
            Expect.equal (property "nbformat" nb |> Option.map (fun v -> v.GetInt32())) (Some 4) "nbformat 4"
            Expect.equal (stringAt [ "metadata"; "kernelspec"; "name" ] nb) ".net-fsharp" "kernelspec name"
            Expect.equal (stringAt [ "metadata"; "kernelspec"; "display_name" ] nb) ".NET (F#)" "kernelspec display name"
            Expect.equal (stringAt [ "metadata"; "language_info"; "name" ] nb) "polyglot-notebook" "language_info name"
            Expect.equal (stringAt [ "metadata"; "polyglot_notebook"; "kernelInfo"; "defaultKernelName" ] nb) "fsharp" "default kernel"
            let kernels =
                match Some nb |> Option.bind (property "metadata") |> Option.bind (property "polyglot_notebook")
                      |> Option.bind (property "kernelInfo") |> Option.bind (property "items") with
                | Some items when items.ValueKind = JsonValueKind.Array -> items.EnumerateArray() |> Seq.map (stringAt [ "name" ]) |> Set.ofSeq
                | _ -> Set.empty
            Expect.contains kernels "fsharp" "kernelInfo.items names the fsharp kernel"
            let code = codeCells nb
            Expect.isNonEmpty code "has code cells"
            for i, cell in List.indexed code do
                let language = stringAt [ "metadata"; "dotnet_interactive"; "language" ] cell
                let kernel = stringAt [ "metadata"; "polyglot_notebook"; "kernelName" ] cell
                Expect.equal language kernel (sprintf "code cell %d: dotnet_interactive.language = polyglot_notebook.kernelName" (i + 1))
                Expect.isTrue (kernels.Contains kernel) (sprintf "code cell %d: kernel '%s' is one of kernelInfo.items %A" (i + 1) kernel kernels)
            for cell in cells nb do
                Expect.contains [ "code"; "markdown"; "raw" ] (stringAt [ "cell_type" ] cell) "cell type"
                Expect.isSome (property "source" cell) "every cell has a source"

        testCase "holds a Plotly chart output and no error output" <| fun () ->
            let nb = nb.Force()
            let all = codeCells nb |> List.collect outputs
            let isPlotly (o: JsonElement) =
                let html = stringAt [ "data"; "text/html" ] o
                html.Contains("Plotly.newPlot", StringComparison.Ordinal) && html.Contains("plotly", StringComparison.OrdinalIgnoreCase)
            Expect.isTrue (List.exists isPlotly all) (sprintf "%s has no Plotly chart among its outputs: run bash notebooks/run.sh --update %s" name name)
            for i, cell in List.indexed (cells nb) do
                for o in outputs cell do
                    if stringAt [ "output_type" ] o = "error" then
                        failtestf "%s, cell %d has an error output: %s" name (i + 1) (stringAt [ "evalue" ] o)

        testCase "stored outputs are current (the recorded source hash matches the code cells)" <| fun () ->
            let nb = nb.Force()
            let recorded = stringAt [ "metadata"; "trirl"; "source_hash" ] nb
            let current = sourceHash nb
            if recorded <> current then
                failtestf "%s: its code cells changed after its outputs were written (recorded source hash %s, now %s): run bash notebooks/run.sh --update %s"
                    name (if recorded = "" then "none" else recorded) current name
            for i, cell in List.indexed (codeCells nb) do
                match property "execution_count" cell with
                | Some c when c.ValueKind = JsonValueKind.Number -> ()
                | _ -> failtestf "%s: code cell %d was not executed by notebooks/run.sh --update" name (i + 1)
    ]

[<Tests>]
let tests =
    let folder = notebookFolder.Force()
    let paths = if Directory.Exists folder then Directory.GetFiles(folder, "*.ipynb") |> Array.sort |> List.ofArray else []
    testList "Notebooks" [
        testCase "the notebooks folder holds the notebooks of the F# issue" <| fun () ->
            let names = paths |> List.map (Path.GetFileNameWithoutExtension >> string)
            for r in required do Expect.contains names r (sprintf "notebooks/%s.ipynb" r)

        testCase "the source hash covers exactly the code cells (markdown edits keep outputs current)" <| fun () ->
            let notebook (cells: string) =
                parse ("{\"cells\": [" + cells + "], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}")
            let code (source: string) = sprintf "{\"cell_type\": \"code\", \"source\": %s, \"outputs\": []}" source
            let markdown (source: string) = sprintf "{\"cell_type\": \"markdown\", \"source\": %s}" source
            let a = notebook (String.Join(", ", [ code "[\"let x = 1\\n\", \"x\"]"; markdown "\"# title\"" ]))
            let b = notebook (String.Join(", ", [ code "\"let x = 1\\r\\nx\""; markdown "\"# another title\"" ]))
            let c = notebook (String.Join(", ", [ code "\"let x = 2\\nx\"" ]))
            let d = notebook (String.Join(", ", [ code "\"let x = 1\""; code "\"x\"" ]))
            Expect.equal (sourceHash a) (sourceHash b) "lines or one string, LF or CRLF, markdown: same hash"
            Expect.notEqual (sourceHash a) (sourceHash c) "changed code: another hash"
            Expect.notEqual (sourceHash a) (sourceHash d) "code split into two cells: another hash"

        yield! paths |> List.map notebookTests
    ]
