// Helpers of notebooks/run.sh (dotnet fsi notebooks/tools/nbtool.fsx COMMAND ...); plain .NET, no packages.
//
//   fsharp-core BUNDLED.dll PINNED.dll    prints "<bundled version> <pinned version> older|same|newer"
//   hash NB.ipynb...                      prints "<source hash>  <path>" for each notebook
//   results [--update] OUTDIR NB.ipynb... checks each notebook's run (OUTDIR/<name>.ipynb, .log, .rc, .seconds):
//                                         one line "PASS <name> (<s> s)" or "FAIL <name> ..." per notebook, with the
//                                         failing cell's number and error text; with --update, rewrites each passing
//                                         notebook in place with its new outputs and its source hash
//
// The source hash (metadata.trirl.source_hash) is the SHA-256, in lowercase hex, of the UTF-8 bytes of the code cells'
// sources in order, each with "\r\n" replaced by "\n" and followed by one U+0000 character. tests/Trirl.Tests/
// NotebookTests.fs computes the same hash and fails when a notebook's code changed after its outputs were written.

open System
open System.IO
open System.Reflection
open System.Security.Cryptography
open System.Text
open System.Text.Encodings.Web
open System.Text.Json
open System.Text.Json.Nodes

let jsonOptions =
    JsonSerializerOptions(WriteIndented = true, IndentSize = 1, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping)

let load (path: string) : JsonObject =
    match JsonNode.Parse(File.ReadAllText path) with
    | :? JsonObject as o -> o
    | _ -> failwithf "%s: not a JSON object" path

/// The text of a notebook string field: a string, or a list of lines to concatenate.
let text (node: JsonNode) : string =
    match node with
    | null -> ""
    | :? JsonArray as lines -> lines |> Seq.map (fun l -> l.GetValue<string>()) |> String.concat ""
    | n -> n.GetValue<string>()

let cells (nb: JsonObject) : JsonObject list =
    match nb["cells"] with
    | :? JsonArray as a -> a |> Seq.map (fun c -> c :?> JsonObject) |> List.ofSeq
    | _ -> []

let isCode (cell: JsonObject) = text cell["cell_type"] = "code"

let sourceHash (nb: JsonObject) : string =
    let sb = StringBuilder()
    for cell in cells nb |> List.filter isCode do
        sb.Append((text cell["source"]).Replace("\r\n", "\n")).Append('\u0000') |> ignore
    SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())) |> Convert.ToHexString |> fun h -> h.ToLowerInvariant()

/// Outputs kept in the stored notebook: the kernel's transient progress displays ("Installing Packages" while a
/// restore runs) and its machine-specific "Loading extensions from <path>" notice are left out.
let keep (output: JsonNode) : bool =
    let data = output["data"]
    let html = if isNull data then "" else text data["text/html"]
    let plain = if isNull data then "" else text data["text/plain"]
    not (html.Contains "<strong>Installing Packages</strong>") && not (plain.StartsWith "Loading extensions from")

let firstLine (s: string) =
    let l = s.Split('\n') |> Array.tryFind (fun l -> l.Trim() <> "" && not (l.TrimStart().StartsWith "//")) |> Option.defaultValue ""
    let l = l.Trim()
    if l.Length > 70 then l.Substring(0, 67) + "..." else l

/// "cell N (first line): error text" for every error output of a run notebook.
let errors (run: JsonObject) : string list =
    [ for i, cell in cells run |> List.indexed do
          match cell["outputs"] with
          | :? JsonArray as outputs ->
              for o in outputs do
                  if text o["output_type"] = "error" then
                      let name = text o["ename"]
                      let value = (text o["evalue"]).Trim()
                      yield sprintf "cell %d (%s): %s%s" (i + 1) (firstLine (text cell["source"]))
                                (if name = "" || name = "Error" then "" else name + ": ") value
          | _ -> () ]

let write (path: string) (nb: JsonObject) =
    let tmp = path + ".tmp"
    File.WriteAllText(tmp, nb.ToJsonString(jsonOptions).Replace("\r\n", "\n") + "\n", UTF8Encoding(false))
    File.Move(tmp, path, true)

/// The stored notebook with the run's outputs (cell by cell) and the source hash; everything else (metadata, sources,
/// markdown) stays as stored.
let merge (stored: JsonObject) (run: JsonObject) : Result<JsonObject, string> =
    let s = cells stored
    let r = cells run
    if s.Length <> r.Length then Error(sprintf "the run has %d cells, the notebook %d" r.Length s.Length)
    elif List.exists2 (fun (a: JsonObject) (b: JsonObject) -> isCode a && text a["source"] <> text b["source"]) s r then
        Error "the run's code differs from the notebook's (edited during the run?)"
    else
        let mutable count = 0
        for a, b in List.zip s r do
            if isCode a then
                count <- count + 1
                let outputs = JsonArray()
                match b["outputs"] with
                | :? JsonArray as os -> for o in os do if keep o then outputs.Add(o.DeepClone())
                | _ -> ()
                a["outputs"] <- outputs
                a["execution_count"] <- JsonValue.Create(count)
        let metadata =
            match stored["metadata"] with
            | :? JsonObject as m -> m
            | _ ->
                let m = JsonObject()
                stored["metadata"] <- m
                m
        let trirl =
            match metadata["trirl"] with
            | :? JsonObject as t -> t
            | _ ->
                let t = JsonObject()
                metadata["trirl"] <- t
                t
        trirl["source_hash"] <- JsonValue.Create(sourceHash stored)
        Ok stored

let results (update: bool) (outDir: string) (notebooks: string list) =
    let mutable failed = 0
    for path in notebooks do
        let name = Path.GetFileNameWithoutExtension path
        let file ext = Path.Combine(outDir, name + ext)
        let read ext = if File.Exists(file ext) then File.ReadAllText(file ext).Trim() else ""
        let seconds = read ".seconds"
        let rc = read ".rc"
        let fail (lines: string list) =
            failed <- failed + 1
            printfn "FAIL %s (%s s, exit code %s)" name seconds rc
            for l in lines do printfn "    %s" (l.Replace("\n", "\n      "))
        if not (File.Exists(file ".ipynb")) then
            let log = if File.Exists(file ".log") then File.ReadAllLines(file ".log") else [||]
            fail ("the kernel wrote no output notebook; the end of its log:" :: (log |> Array.rev |> Array.truncate 15 |> Array.rev |> List.ofArray))
        else
            let run = load (file ".ipynb")
            match errors run, rc with
            | [], "0" ->
                if update then
                    match merge (load path) run with
                    | Ok nb ->
                        write path nb
                        printfn "PASS %s (%s s), outputs written to %s" name seconds path
                    | Error e -> fail [ e ]
                else printfn "PASS %s (%s s)" name seconds
            | [], _ -> fail [ "the kernel exited with an error but the notebook shows no error output (see " + file ".log" + ")" ]
            | errs, _ -> fail errs
    failed

match fsi.CommandLineArgs |> Array.toList |> List.tail with
| [ "fsharp-core"; bundled; pinned ] ->
    let b = AssemblyName.GetAssemblyName(bundled).Version
    let p = AssemblyName.GetAssemblyName(pinned).Version
    printfn "%O %O %s" b p (if b < p then "older" elif b = p then "same" else "newer")
| "hash" :: notebooks when not notebooks.IsEmpty ->
    for nb in notebooks do printfn "%s  %s" (sourceHash (load nb)) nb
| "results" :: "--update" :: outDir :: notebooks -> exit (min 1 (results true outDir notebooks))
| "results" :: outDir :: notebooks -> exit (min 1 (results false outDir notebooks))
| _ ->
    eprintfn "usage: nbtool.fsx fsharp-core BUNDLED.dll PINNED.dll | hash NB... | results [--update] OUTDIR NB..."
    exit 2
