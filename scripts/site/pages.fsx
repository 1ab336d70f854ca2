// Helpers of scripts/site.sh (dotnet fsi scripts/site/pages.fsx COMMAND ..., from the repository root, after the
// Release build): the pages of the site that are made from other files, plotly.js for the site, and the check of
// the evaluated pages.
//
//   quickstart OUT.md           the README's quickstarts ("Two commands", "C# in 20 lines", "F# in 20 lines", "The F#
//                               layer") as a page; links to files of docs/ stay links of the site, other links go to
//                               the repository
//   notebook-page NB.ipynb OUT.md
//                               a page from a stored, run notebook (06, the C# quickstart, which F# Interactive cannot
//                               evaluate): its markdown, its code, its text outputs and its charts
//   plotly OUT.js               the plotly.js that Plotly.NET embeds (the version its charts are made for)
//   stylesheet OUT.css          the site's stylesheet: fsharp/Trirl.FSharp/trirl.css as Trirl.FSharp embeds it
//                               (Charts.stylesheet), the one the CLI's report.html inlines, so site and reports agree
//   unlink-missing SITE         in the API reference, turns links to pages that do not exist into plain text and
//                               drops #anchors that do not exist: the XML docs name internal types (<see cref>), and
//                               fsdocs 22.2.0 leaves out what it cannot read (a type or member with an attribute that
//                               has a typeof argument: LearnerSettings's JsonDerivedType, an iterator's
//                               IteratorStateMachine); prints each target
//   check-outputs SITE          fails when an evaluated page (tutorials/, gallery/) shows an empty output, an
//                               evaluator's "No value returned" / "Could not find reference", or no chart: fsdocs
//                               does not stop on a snippet that fails to compile or throws, it leaves its output empty

#r "nuget: Plotly.NET, 6.0.0"
#r "nuget: System.Numerics.Tensors, 10.0.0"
#r "../../fsharp/Trirl.FSharp/bin/Release/net10.0/Trirl.Functional.dll"
#r "../../fsharp/Trirl.FSharp/bin/Release/net10.0/Trirl.FSharp.dll"
#load "../../notebooks/tools/notebook.fsx"

open System
open System.IO
open System.Text
open System.Text.Json.Nodes
open System.Text.RegularExpressions
open Notebook

let repositoryUrl = "https://github.com/trirl/Trirl.Functional/blob/main/"

/// Writes text atomically (a temporary file, then a rename).
let writeText (path: string) (content: string) =
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath path)) |> ignore
    Trirl.FSharp.Charts.writeAtomic path content

/// Relative links of markdown written for `fromDir` (a repository path) as links of a page in docs/`pageDir`: a file
/// under docs/ stays a relative link (fsdocs maps .md to .html), any other file links to the repository.
let relink (fromDir: string) (pageDir: string) (markdown: string) =
    Regex.Replace(markdown, @"\]\(([^)\s]+)\)", fun m ->
        let target = m.Groups[1].Value
        if Regex.IsMatch(target, @"^([a-z][a-z0-9+.-]*:|#|/)", RegexOptions.IgnoreCase) then m.Value
        else
            let anchor = match target.IndexOf '#' with -1 -> "" | i -> target.Substring i
            let file = Path.GetFullPath(Path.Combine(fromDir, target.Substring(0, target.Length - anchor.Length)))
            let docs = Path.GetFullPath "docs"
            if file.StartsWith(docs + string Path.DirectorySeparatorChar) then
                "](" + Path.GetRelativePath(Path.Combine(docs, pageDir), file).Replace('\\', '/') + anchor + ")"
            else "](" + repositoryUrl + Path.GetRelativePath(Environment.CurrentDirectory, file).Replace('\\', '/') + anchor + ")")

/// A fenced block that fsdocs shows highlighted without compiling it (fsdocs type-checks untagged code as F#).
let fence (language: string) (code: string) =
    let tag = match language with "" | "sh" | "bash" | "text" -> "text" | "fsharp" -> "fs" | l -> l
    sprintf "```%s\n[lang=%s]\n%s\n```\n" tag tag (code.TrimEnd())

/// The README section under `heading` (up to the next heading of the same or a higher level), fences retagged.
let section (readme: string[]) (heading: string) =
    let level = heading.IndexOf ' '
    let start = readme |> Array.tryFindIndex ((=) heading) |> Option.defaultWith (fun () -> failwithf "README.md has no heading '%s'" heading)
    let isEnd (l: string) = l.StartsWith "#" && (let n = l.IndexOf ' ' in n > 0 && n <= level && l.Substring(0, n).Trim('#') = "")
    let body = readme.[start + 1 ..] |> Array.takeWhile (isEnd >> not)
    let sb = StringBuilder()
    let mutable inFence, language, code = false, "", StringBuilder()
    for line in body do
        if not inFence && line.StartsWith "```" then
            inFence <- true
            language <- line.Substring(3).Trim()
            code.Clear() |> ignore
        elif inFence && line.StartsWith "```" then
            inFence <- false
            sb.Append(fence language (code.ToString())) |> ignore
        elif inFence then code.AppendLine line |> ignore
        else sb.AppendLine line |> ignore
    "## " + heading.TrimStart('#', ' ') + "\n" + relink "." "" (sb.ToString())

let quickstart (out: string) =
    let readme = File.ReadAllLines "README.md"
    let sections = [ "## Two commands"; "## C# in 20 lines"; "## F# in 20 lines"; "### The F# layer" ] |> List.map (section readme)
    let page =
        "---\ntitle: Quickstart\ncategory: Start\ncategoryindex: 0\nindex: 1\n---\n\n"
        + "# Quickstart\n\nThe quickstarts of the repository's README, as they are there (CI runs them as written and checks "
        + "what they print: `tests/readme/check.sh`). The [tutorials](tutorials/01-max-ent-rl.html) run the same library "
        + "step by step, with outputs and charts.\n\n"
        + String.Join("\n", sections)
    writeText out page
    printfn "wrote %s (from README.md)" out

/// The text of a notebook's output as a page shows it: stream text, and charts (html with Plotly); other displays
/// (the kernel's package list) are left out.
let outputPart (output: JsonNode) =
    match text output["output_type"] with
    | "stream" -> Some(sprintf "<div class=\"output-text\"><pre>%s</pre></div>\n" (Net.WebUtility.HtmlEncode(text output["text"])))
    | _ ->
        match output["data"] with
        | null -> None
        | data ->
            let html = text data["text/html"]
            if html.Contains "Plotly.newPlot" then
                // One HTML block for the markdown parser: no blank line inside.
                Some(sprintf "<div class=\"chart\">%s</div>\n" (Regex.Replace(html, @"\n\s*\n", "\n")))
            else None

let notebookPage (notebook: string) (out: string) =
    let nb = load notebook
    let name = Path.GetFileNameWithoutExtension notebook
    let title = cells nb |> List.tryPick (fun c -> if isCode c then None else Some(text c["source"])) |> Option.defaultValue name
    let heading = (title.Split('\n').[0]).TrimStart('#', ' ')
    let index = match Int32.TryParse(name.Substring(0, 2)) with | true, n -> n | _ -> 99
    let pageDir = Path.GetRelativePath(Path.GetFullPath "docs", Path.GetDirectoryName(Path.GetFullPath out))
    let sb = StringBuilder()
    sb.Append(sprintf "---\ntitle: %s\ncategory: Tutorials\ncategoryindex: 1\nindex: %d\n---\n\n" (heading.Split(':').[0]) index) |> ignore
    for cell in cells nb do
        let source = text cell["source"]
        if isCode cell then
            let language = match cell["metadata"]["polyglot_notebook"] with null -> "fsharp" | p -> text p["kernelName"]
            sb.Append(fence language source).Append("\n") |> ignore
            match cell["outputs"] with
            | :? JsonArray as outputs -> for o in outputs do outputPart o |> Option.iter (fun p -> sb.Append(p).Append("\n") |> ignore)
            | _ -> ()
        else sb.Append(relink "notebooks" pageDir source).Append("\n\n") |> ignore
    sb.Append(sprintf "This page shows `notebooks/%s.ipynb` as it was last run (`bash notebooks/run.sh --update %s`); its source is the C# file-based app [%s](%s), which runs with `dotnet run`.\n"
                  name name (name + ".cs") (name + ".cs")) |> ignore
    writeText out (sb.ToString())
    printfn "wrote %s (from %s)" out notebook

/// Problems of the evaluated pages of a built site, one line each.
let checkOutputs (site: string) =
    let pages =
        [ for folder in [ "tutorials"; "gallery" ] do
              let dir = Path.Combine(site, folder)
              if Directory.Exists dir then yield! Directory.GetFiles(dir, "*.html") |> Array.sort ]
    let problems =
        [ if pages.IsEmpty then yield sprintf "%s has no pages in tutorials/ or gallery/" site
          for page in pages do
              let html = File.ReadAllText page
              let name = Path.GetRelativePath(site, page)
              let empty = Regex.Matches(html, @"<table class=""pre""><tr><td><pre><code>\s*</code>").Count
              if empty > 0 then yield sprintf "%s: %d empty output(s): a snippet before them failed (run the .fsx with dotnet fsi to see why)" name empty
              for marker in [ "No value returned by any evaluator"; "Could not find reference" ] do
                  if html.Contains marker then yield sprintf "%s: '%s': a snippet failed to evaluate" name marker
              if not (html.Contains "Plotly.newPlot") then yield sprintf "%s: no chart" name ]
    for p in problems do printfn "FAILED %s" p
    printfn "%d evaluated pages checked, %d problems" pages.Length problems.Length
    problems.Length

/// Ids and names of the elements of an HTML file.
let anchorsOf =
    let cache = Collections.Generic.Dictionary<string, Set<string>>()
    fun (file: string) ->
        match cache.TryGetValue file with
        | true, s -> s
        | _ ->
            let s = Regex.Matches(File.ReadAllText file, @"\s(?:id|name)=""([^""]+)""") |> Seq.map (fun m -> m.Groups[1].Value) |> Set.ofSeq
            cache[file] <- s
            s

let unlinkMissing (site: string) =
    let reference = Path.Combine(site, "reference")
    let link = Regex(@"<a href=""([^""#]*)(#[^""]*)?""([^>]*)>(.*?)</a>", RegexOptions.Singleline)
    let targets = Collections.Generic.SortedSet<string>()
    for page in Directory.GetFiles(reference, "*.html") do
        let dir = Path.GetDirectoryName page
        let html = File.ReadAllText page
        let fixedHtml =
            link.Replace(html, fun m ->
                let file, anchor = m.Groups[1].Value, m.Groups[2].Value
                if file = "" || Regex.IsMatch(file, @"^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase) then m.Value
                else
                    let full = Path.GetFullPath(Path.Combine(dir, file))
                    if not (File.Exists full) then
                        targets.Add(Path.GetRelativePath(site, full) + anchor) |> ignore
                        m.Groups[4].Value
                    elif anchor <> "" && full.EndsWith ".html" && not ((anchorsOf full).Contains(anchor.Substring 1)) then
                        targets.Add(Path.GetRelativePath(site, full) + anchor) |> ignore
                        sprintf "<a href=\"%s\"%s>%s</a>" file m.Groups[3].Value m.Groups[4].Value
                    else m.Value)
        if fixedHtml <> html then File.WriteAllText(page, fixedHtml)
    for t in targets do printfn "    not in the reference, unlinked: %s" t
    printfn "%d link targets of the API reference do not exist (unlinked)" targets.Count

match fsi.CommandLineArgs |> Array.toList |> List.tail with
| [ "quickstart"; out ] -> quickstart out
| [ "notebook-page"; notebook; out ] -> notebookPage notebook out
| [ "plotly"; out ] ->
    writeText out (Trirl.FSharp.Charts.plotlyJs.Force())
    printfn "wrote %s (plotly.js from Plotly.NET)" out
| [ "stylesheet"; out ] ->
    writeText out (Trirl.FSharp.Charts.stylesheet.Force())
    printfn "wrote %s (the pages' stylesheet from Trirl.FSharp, which the CLI's reports inline)" out
| [ "check-outputs"; site ] -> exit (min 1 (checkOutputs site))
| [ "unlink-missing"; site ] -> unlinkMissing site
| _ ->
    eprintfn "usage: pages.fsx quickstart OUT.md | notebook-page NB.ipynb OUT.md | plotly OUT.js | stylesheet OUT.css | unlink-missing SITE | check-outputs SITE"
    exit 2
