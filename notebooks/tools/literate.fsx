// The notebooks of notebooks/ made from their sources in docs/tutorials/ (loaded by nbtool.fsx; plain .NET).
//
// An F# source is a literate script as fsdocs reads it (https://fsprojects.github.io/FSharp.Formatting/literate.html):
// `(** ... *)` blocks are Markdown, the code between them is F#, and `(*** ... ***)` command lines end a code block.
// Each Markdown block becomes a markdown cell, each code block a code cell, except
//   - a block after `(*** condition: prepare ***)` (what fsdocs evaluates before the page: the build's DLLs): left
//     out, but each file it `#load`s (a page's loader, docs/.load.fsx) gives the notebook its own setup cell: the
//     loader's `#if IPYNB` ... `#endif // IPYNB` lines (the packages in place of the DLLs), copied, so that one file
//     says how both a page and its notebook get the library and the notebook still stands alone;
//   - a block after `(*** hide ***)` or after a condition for another output (html, fsx, tex): left out;
//   - a block after `(*** condition: ipynb ***)`: only in the notebook, without its `#if IPYNB` / `#endif // IPYNB`
//     lines (which keep it out of `dotnet fsi` runs of the source);
//   - the YAML front matter of the first Markdown block (the site's title and menu): left out.
// A C# source is a file-based app (`dotnet run FILE.cs`): `/*** ... */` blocks are Markdown, a `// ---` line ends a
// code cell, `//nb ` lines are notebook-only code (the prefix removed), and everything before the first `/***` block
// (the `#:` directives) and from the line starting `// app only` on stays out of the notebook.
// Relative links in Markdown are rewritten from the source's folder to notebooks/.

#load "notebook.fsx"

open System
open System.IO
open System.Text.Json.Nodes
open System.Text.RegularExpressions
open Notebook

type Cell =
    | Markdown of string
    | Code of string

type Language =
    | FSharp
    | CSharp

/// The language of a source file, from its extension.
let languageOf (path: string) =
    match Path.GetExtension(path).ToLowerInvariant() with
    | ".fsx" -> FSharp
    | ".cs" -> CSharp
    | ext -> failwithf "%s: a notebook source is an .fsx literate script or a .cs file-based app, not %s" path ext

/// Lines with the blank lines at both ends removed, joined with "\n".
let private joinTrimmed (lines: string seq) =
    let a = Array.ofSeq lines
    let first = a |> Array.tryFindIndex (fun l -> l.Trim() <> "")
    let last = a |> Array.tryFindIndexBack (fun l -> l.Trim() <> "")
    match first, last with
    | Some f, Some l -> String.Join("\n", a.[f..l] |> Array.map (fun l -> l.TrimEnd()))
    | _ -> ""

/// The cells being made from a source, with the open code block and the open Markdown comment (which the line that
/// ends with `closing` closes); both parsers below feed it line by line.
type private CellMaker(closing: string) =
    let cells = ResizeArray<Cell>()
    let code = ResizeArray<string>()
    let markdown = ResizeArray<string>()
    /// Adds a line to the open code block.
    member _.CodeLine(raw: string) = code.Add raw
    /// Ends the open code block: its lines without blank ends ("" when blank); the next block starts empty.
    member _.TakeCode() : string =
        let text = joinTrimmed code
        code.Clear()
        text
    /// Adds a code cell of `lines` unless they are blank.
    member _.AddCode(lines: string seq) =
        match joinTrimmed lines with
        | "" -> ()
        | text -> cells.Add(Code text)
    /// Adds a one-line Markdown cell.
    member _.AddMarkdown(text: string) = cells.Add(Markdown text)
    /// Opens a Markdown comment with the rest of its first line.
    member _.StartMarkdown(firstLine: string) = markdown.Add firstLine
    /// The next line of the open Markdown comment; at the line that ends with `closing`, adds the Markdown cell and
    /// reports the comment closed.
    member _.MarkdownLine(raw: string) : bool =
        if raw.Trim().EndsWith closing then
            markdown.Add(raw.Substring(0, raw.LastIndexOf closing))
            cells.Add(Markdown(joinTrimmed markdown))
            markdown.Clear()
            true
        else
            markdown.Add raw
            false
    /// The cells made, without empty Markdown ones.
    member _.Cells : Cell list = cells |> Seq.filter (function Markdown "" -> false | _ -> true) |> List.ofSeq

let private commandPattern = Regex(@"^\(\*\*\*\s*(.*?)\s*\*\*\*\)$")

/// How a code block of a literate script goes into the notebook.
type private Block =
    | Cell
    | LeftOut
    | NotebookOnly
    | Prepare

let private notebookOnlyMarks = set [ "#if IPYNB"; "#endif // IPYNB" ]

/// The notebook-only lines of a page's loader: those between its `#if IPYNB` and `#endif // IPYNB` lines.
let private notebookLinesOf (loader: string) =
    File.ReadAllLines loader
    |> Array.skipWhile (fun l -> l.Trim() <> "#if IPYNB")
    |> Array.takeWhile (fun l -> l.Trim() <> "#endif // IPYNB")
    |> Array.filter (fun l -> not (notebookOnlyMarks.Contains(l.Trim())))

let private loadPattern = Regex("^#load\\s+\"([^\"]+)\"$")

/// The cells of an fsdocs literate script.
let parseFSharp (path: string) (source: string) : Cell list =
    let cells = CellMaker "*)"
    let mutable inComment = false
    // How the next code block is treated (a cell unless a command says otherwise).
    let mutable pending = Cell
    let flushCode () =
        let text = cells.TakeCode()
        if text <> "" then
            match pending with
            | LeftOut -> ()
            | NotebookOnly -> text.Split('\n') |> Seq.filter (fun l -> not (notebookOnlyMarks.Contains(l.Trim()))) |> cells.AddCode
            | Prepare ->
                let dir = Path.GetDirectoryName(Path.GetFullPath path)
                [ for l in text.Split('\n') do
                      let m = loadPattern.Match(l.Trim())
                      if m.Success then yield! notebookLinesOf (Path.Combine(dir, m.Groups[1].Value)) ]
                |> cells.AddCode
            | Cell -> cells.AddCode [ text ]
            pending <- Cell
    let command (line: int) (body: string) =
        let key, value =
            match body.IndexOf ':' with
            | -1 -> body.Trim(), ""
            | i -> body.Substring(0, i).Trim(), body.Substring(i + 1).Trim()
        match key, value with
        | "condition", "ipynb" -> flushCode (); pending <- NotebookOnly
        | "condition", "prepare" -> flushCode (); pending <- Prepare
        | "condition", _ | "hide", _ -> flushCode (); pending <- LeftOut
        | ("include-output"
          | "include-it"
          | "include-it-raw"
          | "include-fsi-output"
          | "include-fsi-merged-output"
          | "include-value"
          | "do-not-eval"
          | "define-output"),
          _ -> flushCode ()
        | _ -> failwithf "%s(%d): the notebook maker does not know the command (*** %s ***)" path line body
    for i, raw in source.Replace("\r\n", "\n").Split('\n') |> Array.indexed do
        let trimmed = raw.Trim()
        if inComment then inComment <- not (cells.MarkdownLine raw)
        else
            let m = commandPattern.Match trimmed
            if m.Success then command (i + 1) m.Groups[1].Value
            elif trimmed.StartsWith "(**" then
                flushCode ()
                let rest = trimmed.Substring 3
                if rest.EndsWith "*)" then cells.AddMarkdown(rest.Substring(0, rest.Length - 2).Trim())
                else
                    inComment <- true
                    cells.StartMarkdown rest
            else cells.CodeLine raw
    if inComment then failwithf "%s: a (** comment is not closed" path
    flushCode ()
    cells.Cells

/// The cells of a C# file-based app written as a notebook source.
let parseCSharp (path: string) (source: string) : Cell list =
    let cells = CellMaker "*/"
    let mutable inComment = false
    let mutable started = false
    let mutable stopped = false
    let flushCode () = cells.AddCode [ cells.TakeCode() ]
    for raw in source.Replace("\r\n", "\n").Split('\n') do
        let trimmed = raw.Trim()
        if stopped then ()
        elif inComment then inComment <- not (cells.MarkdownLine raw)
        elif trimmed.StartsWith "/***" then
            started <- true
            flushCode ()
            inComment <- true
            cells.StartMarkdown(trimmed.Substring 4)
        elif not started then ()
        elif trimmed.StartsWith "// app only" then stopped <- true
        elif trimmed = "// ---" then flushCode ()
        elif trimmed = "//nb" then cells.CodeLine ""
        elif trimmed.StartsWith "//nb " then cells.CodeLine(raw.Substring(raw.IndexOf "//nb " + 5))
        else cells.CodeLine raw
    if inComment then failwithf "%s: a /*** comment is not closed" path
    if not started then failwithf "%s: no /*** markdown block: not a notebook source" path
    flushCode ()
    cells.Cells

/// A relative link target of a page in `sourceDir`, as seen from `notebookDir`.
let private relink (sourceDir: string) (notebookDir: string) (markdown: string) =
    Regex.Replace(markdown, @"\]\(([^)\s]+)\)", fun m ->
        let target = m.Groups[1].Value
        if Regex.IsMatch(target, @"^([a-z][a-z0-9+.-]*:|#|/)", RegexOptions.IgnoreCase) then m.Value
        else
            let anchor = match target.IndexOf '#' with -1 -> "" | i -> target.Substring i
            let file = target.Substring(0, target.Length - anchor.Length)
            let full = Path.GetFullPath(Path.Combine(sourceDir, file))
            "](" + Path.GetRelativePath(notebookDir, full).Replace('\\', '/') + anchor + ")")

let private kernelItem (name: string) =
    JsonObject([ Collections.Generic.KeyValuePair("aliases", JsonArray() :> JsonNode)
                 Collections.Generic.KeyValuePair("languageName", JsonValue.Create name :> JsonNode)
                 Collections.Generic.KeyValuePair("name", JsonValue.Create name :> JsonNode) ])

/// The notebook of a source file: its cells without outputs, and the Polyglot metadata (the kernelspec is .NET (F#);
/// a C# source's cells run in the csharp kernel).
let notebookOf (sourcePath: string) (notebookDir: string) : JsonObject =
    let language = languageOf sourcePath
    let source = File.ReadAllText sourcePath
    let parsed = match language with FSharp -> parseFSharp sourcePath source | CSharp -> parseCSharp sourcePath source
    let sourceDir = Path.GetDirectoryName(Path.GetFullPath sourcePath)
    let kernel = match language with FSharp -> "fsharp" | CSharp -> "csharp"
    let frontMatter = Regex(@"^---\n.*?\n---\n?", RegexOptions.Singleline)
    let cellJson (i: int) (cell: Cell) : JsonNode =
        match cell with
        | Markdown md ->
            let md = if i = 0 then frontMatter.Replace(md, "").Trim() else md
            JsonNode.Parse(sprintf """{"cell_type": "markdown", "metadata": {}}""")
            |> fun n -> n["source"] <- lines (relink sourceDir notebookDir md); n
        | Code code ->
            let n = JsonNode.Parse(sprintf """{"cell_type": "code", "execution_count": null, "metadata": {"dotnet_interactive": {"language": "%s"}, "polyglot_notebook": {"kernelName": "%s"}}, "outputs": []}""" kernel kernel)
            n["source"] <- lines code
            n
    let nb = JsonObject()
    nb["cells"] <- JsonArray(parsed |> List.mapi cellJson |> Array.ofList)
    let items = JsonArray(kernelItem "fsharp" :> JsonNode)
    if language = CSharp then items.Add(kernelItem "csharp" :> JsonNode)
    let metadata = JsonNode.Parse("""{"kernelspec": {"display_name": ".NET (F#)", "language": "F#", "name": ".net-fsharp"}, "language_info": {"name": "polyglot-notebook"}, "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "fsharp"}}}""")
    let kernelInfo = metadata["polyglot_notebook"]["kernelInfo"]
    kernelInfo["items"] <- items
    nb["metadata"] <- metadata
    nb["nbformat"] <- JsonValue.Create 4
    nb["nbformat_minor"] <- JsonValue.Create 5
    nb

/// The generated notebook with what a stored notebook holds that the source does not make: each code cell's outputs
/// and execution count when its source is unchanged (same place among the code cells, same text), and the stored
/// metadata.trirl (the source hash of the run that wrote the outputs: the tests compare it with the code).
let withStoredOutputs (stored: JsonObject option) (generated: JsonObject) : JsonObject =
    match stored with
    | None -> generated
    | Some stored ->
        let old = cells stored |> List.filter isCode |> Array.ofList
        cells generated
        |> List.filter isCode
        |> List.iteri (fun i cell ->
            let previous = if i < old.Length then Some old.[i] else None
            match previous with
            | Some previous when text previous["source"] = text cell["source"] ->
                let copy (node: JsonNode) = match node with null -> null | n -> n.DeepClone()
                cell["outputs"] <- copy previous["outputs"]
                cell["execution_count"] <- copy previous["execution_count"]
            | _ -> ())
        match stored["metadata"] with
        | :? JsonObject as m when m.ContainsKey "trirl" ->
            let trirl = m["trirl"]
            generated["metadata"]["trirl"] <- trirl.DeepClone()
        | _ -> ()
        generated

/// What the source decides in a notebook (cell types, sources and metadata, the notebook's metadata but
/// metadata.trirl), as one string: two notebooks agree with their source when these are equal.
let sourceView (nb: JsonObject) : string list =
    let meta = nb["metadata"].DeepClone() :?> JsonObject
    meta.Remove "trirl" |> ignore
    [ meta.ToJsonString()
      for i, c in cells nb |> List.indexed do
          let kind, metadata, source = text c["cell_type"], c["metadata"].ToJsonString(), text c["source"]
          sprintf "cell %d (%s, metadata %s):\n%s" (i + 1) kind metadata source ]
