// The notebook file format as the tools of notebooks/ read and write it (nbformat 4 JSON, as .NET Interactive and
// Jupyter store it); plain .NET, no packages. Loaded by nbtool.fsx and literate.fsx.

open System
open System.IO
open System.Security.Cryptography
open System.Text
open System.Text.Encodings.Web
open System.Text.Json
open System.Text.Json.Nodes

/// The layout of the stored notebooks: one-space indentation, non-ASCII characters and quotes written as they are.
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

/// A notebook string field as Jupyter writes it: its lines, each but the last with its "\n".
let lines (s: string) : JsonArray =
    let parts = s.Replace("\r\n", "\n").Split('\n')
    JsonArray(parts |> Array.mapi (fun i l -> JsonValue.Create(if i < parts.Length - 1 then l + "\n" else l) :> JsonNode))

let cells (nb: JsonObject) : JsonObject list =
    match nb["cells"] with
    | :? JsonArray as a -> a |> Seq.map (fun c -> c :?> JsonObject) |> List.ofSeq
    | _ -> []

let isCode (cell: JsonObject) = text cell["cell_type"] = "code"

/// SHA-256 (lowercase hex) of the code cells' sources, each with CRLF as LF and followed by U+0000; recorded in
/// metadata.trirl.source_hash by `run.sh --update` (tests/Trirl.Tests/NotebookTests.fs computes the same).
let sourceHash (nb: JsonObject) : string =
    let sb = StringBuilder()
    for cell in cells nb |> List.filter isCode do
        sb.Append((text cell["source"]).Replace("\r\n", "\n")).Append('\u0000') |> ignore
    SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())) |> Convert.ToHexString |> fun h -> h.ToLowerInvariant()

/// Writes a notebook atomically (a temporary file, then a rename), LF line endings, a final newline.
let write (path: string) (nb: JsonObject) =
    let tmp = path + ".tmp"
    File.WriteAllText(tmp, nb.ToJsonString(jsonOptions).Replace("\r\n", "\n") + "\n", UTF8Encoding(false))
    File.Move(tmp, path, true)
