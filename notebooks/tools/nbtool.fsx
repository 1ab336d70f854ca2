// Helpers of notebooks/run.sh (dotnet fsi notebooks/tools/nbtool.fsx COMMAND ...); plain .NET, no packages.
//
//   fsharp-core BUNDLED.dll PINNED.dll    prints "<bundled version> <pinned version> older|same|newer"
//   hash NB.ipynb...                      prints "<source hash>  <path>" for each notebook
//   results [--update] OUTDIR NB.ipynb... checks each notebook's run (OUTDIR/<name>.ipynb, .log, .rc, .seconds):
//                                         one line "PASS <name> (<s> s)" or "FAIL <name> ..." per notebook, with the
//                                         failing cell's number and error text; with --update, rewrites each passing
//                                         notebook in place with its new outputs and its source hash
//   generate [SOURCE...]                  writes notebooks/NAME.ipynb from each source docs/tutorials/NAME.fsx|.cs (all
//                                         by default; literate.fsx says how), keeping the stored outputs of code cells
//                                         whose code is unchanged
//   check                                 fails when a stored notebook and its source disagree, or a notebook has no
//                                         source; ends with "notebook-sources: P passed, F failed"
//
// The source hash (metadata.trirl.source_hash) is the SHA-256, in lowercase hex, of the UTF-8 bytes of the code cells'
// sources in order, each with "\r\n" replaced by "\n" and followed by one U+0000 character. tests/Trirl.Tests/
// NotebookTests.fs computes the same hash and fails when a notebook's code changed after its outputs were written.

#load "notebook.fsx"
#load "literate.fsx"

open System
open System.IO
open System.Reflection
open System.Text.Json.Nodes
open Notebook
open Literate

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

/// The object `parent[key]`, made (empty) when it is missing or not an object.
let childObject (key: string) (parent: JsonObject) : JsonObject =
    match parent[key] with
    | :? JsonObject as child -> child
    | _ ->
        let child = JsonObject()
        parent[key] <- child
        child

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
        let trirl = stored |> childObject "metadata" |> childObject "trirl"
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

/// The sources of the notebooks: docs/tutorials/NN-NAME.fsx and NN-NAME.cs (the repository root is the current folder).
let sourcesFolder = Path.Combine("docs", "tutorials")
let notebooksFolder = "notebooks"

let allSources () =
    Directory.GetFiles(sourcesFolder)
    |> Array.filter (fun p ->
        let name = Path.GetFileName p
        name.Length > 3 && Char.IsDigit name.[0] && Char.IsDigit name.[1] && name.[2] = '-'
        && (name.EndsWith ".fsx" || name.EndsWith ".cs"))
    |> Array.sort
    |> List.ofArray

let notebookPathOf (source: string) =
    Path.Combine(notebooksFolder, Path.GetFileNameWithoutExtension source + ".ipynb")

/// Writes each source's notebook (keeping the stored outputs of unchanged code cells); returns the number written.
let generate (sources: string list) =
    let mutable written = 0
    for source in sources do
        let path = notebookPathOf source
        let stored = if File.Exists path then Some(load path) else None
        let nb = notebookOf source notebooksFolder |> withStoredOutputs stored
        let before = if File.Exists path then File.ReadAllText path else ""
        write path nb
        if File.ReadAllText path <> before then
            written <- written + 1
            printfn "wrote %s (from %s)%s" path source
                (let recorded = match nb["metadata"]["trirl"] with null -> "" | trirl -> text trirl["source_hash"]
                 if recorded = sourceHash nb then ""
                 else ": its code changed, run bash notebooks/run.sh --update " + Path.GetFileNameWithoutExtension path)
        else printfn "unchanged %s" path
    written

/// Compares every stored notebook with the one its source makes; prints one line per notebook and the summary line
/// "notebook-sources: P passed, F failed"; returns the number that failed.
let check () =
    let sources = allSources ()
    let mutable passed, failed = 0, 0
    let fail name (why: string) =
        failed <- failed + 1
        printfn "FAILED %s: %s" name why
    for source in sources do
        let path = notebookPathOf source
        let name = Path.GetFileNameWithoutExtension path
        if not (File.Exists path) then fail name (sprintf "%s has no notebook %s: run dotnet fsi notebooks/tools/nbtool.fsx generate" source path)
        else
            let generated = sourceView (notebookOf source notebooksFolder)
            let stored = sourceView (load path)
            match List.zip (List.truncate (min generated.Length stored.Length) generated) (List.truncate (min generated.Length stored.Length) stored)
                  |> List.tryFind (fun (g, s) -> g <> s) with
            | Some(g, s) ->
                let firstDiff (a: string) (b: string) =
                    let la, lb = a.Split('\n'), b.Split('\n')
                    let k = Seq.zip la lb |> Seq.tryFindIndex (fun (x, y) -> x <> y) |> Option.defaultValue (min la.Length lb.Length)
                    sprintf "%s\n      source:   %s\n      notebook: %s" la.[0]
                        (if k < la.Length then la.[k].Trim() else "(ends)") (if k < lb.Length then lb.[k].Trim() else "(ends)")
                fail name (sprintf "%s and %s disagree at %s\n    (run dotnet fsi notebooks/tools/nbtool.fsx generate, then bash notebooks/run.sh --update %s)" source path (firstDiff g s) name)
            | None when generated.Length <> stored.Length ->
                fail name (sprintf "%s makes %d cells, %s has %d (run dotnet fsi notebooks/tools/nbtool.fsx generate)" source (generated.Length - 1) path (stored.Length - 1))
            | None ->
                passed <- passed + 1
                printfn "ok     %s (%s)" name source
    let made = sources |> List.map (notebookPathOf >> Path.GetFileName) |> Set.ofList
    for nb in Directory.GetFiles(notebooksFolder, "*.ipynb") |> Array.sort do
        if not (made.Contains(Path.GetFileName nb)) then
            fail (Path.GetFileNameWithoutExtension nb) (sprintf "%s has no source in %s/" nb sourcesFolder)
    printfn "notebook-sources: %d passed, %d failed" passed failed
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
| [ "generate" ] -> generate (allSources ()) |> ignore
| "generate" :: sources -> generate sources |> ignore
| [ "check" ] -> exit (min 1 (check ()))
| _ ->
    eprintfn "usage: nbtool.fsx fsharp-core BUNDLED.dll PINNED.dll | hash NB... | results [--update] OUTDIR NB... | generate [SOURCE...] | check"
    exit 2
