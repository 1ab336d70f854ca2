namespace Trirl.FSharp

// Metrics tables for learning curves: a metrics.csv of a run (the deep learner writes
// `env_steps,normalized_return,...`, the CLI writes iterations.csv), rows built in memory, or a tabular history.

open System
open System.Globalization
open System.IO
open Trirl.Functional

/// A named numeric column of a metrics table.
type MetricsColumn =
    {
        /// The header of the column.
        Name: string
        /// Its values, one per row; NaN where a cell was empty or nan.
        Values: float[]
    }

/// A table of run metrics: the numeric columns in file order (the first is the default x axis of a learning curve),
/// and the names of columns that were not numeric (skipped).
type MetricsTable =
    {
        /// Where the table came from (a path, or a description), for error messages and chart titles.
        Source: string
        /// The numeric columns, in order.
        Columns: MetricsColumn list
        /// Headers of the columns that held a non-numeric cell (e.g. an algorithm name); not plotted.
        Skipped: string list
    }

/// Reading and building metrics tables (the input of `Charts.learningCurves`).
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module MetricsTable =

    let private fail (field: string) (problem: string) (fix: string) : 'a = raise (TrirlInputException(field, problem, fix))

    /// A cell as a number: empty, nan, NaN or n/a (what iterations.csv writes for a number that does not exist) are NaN; inf, +inf, -inf, Infinity and -Infinity are infinities
    /// (what Python's csv and .NET write); anything else must parse as an invariant-culture float.
    let private tryNumber (cell: string) : float option =
        match cell.Trim().ToLowerInvariant() with
        | ""
        | "nan"
        | "-nan"
        | "n/a" -> Some nan
        | "inf"
        | "+inf"
        | "infinity"
        | "+infinity" -> Some infinity
        | "-inf"
        | "-infinity" -> Some -infinity
        | c ->
            match Double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture) with
            | true, x -> Some x
            | _ -> None

    /// The table of CSV text: a header line of column names, then one line of comma-separated cells per row (blank
    /// lines ignored, no quoting). A column is numeric when every cell is a number or empty; other columns are listed
    /// in `Skipped`. Errors (TrirlInputException) name `source` and the line: no header, an empty or repeated column
    /// name, a row with the wrong number of cells, no data rows, or no numeric column.
    let parse (source: string) (text: string) : MetricsTable =
        let lines =
            text.Split('\n')
            |> Array.mapi (fun i line -> i + 1, line.TrimEnd('\r'))
            |> Array.filter (fun (_, line) -> not (String.IsNullOrWhiteSpace line))
        if lines.Length = 0 then
            fail source "is empty" "write a header line of column names, e.g. env_steps,normalized_return, then one line per row"
        let headerLine, header = lines.[0]
        let names = header.Split(',') |> Array.map (fun c -> c.Trim())
        names
        |> Array.iteri (fun j name ->
            if name = "" then
                fail (source + ": line " + string headerLine) ("column " + string (j + 1) + " has an empty name") "name every column in the header line"
            if Array.IndexOf(names, name) <> j then
                fail (source + ": line " + string headerLine) ("column name '" + name + "' appears twice") "give every column a distinct name")
        let rows =
            lines.[1..]
            |> Array.map (fun (lineNo, line) ->
                let cells = line.Split(',')
                if cells.Length <> names.Length then
                    fail (source + ": line " + string lineNo)
                        ("has " + string cells.Length + " cells but the header has " + string names.Length + " columns (" + (String.Join(",", names)) + ")")
                        "write one value per column, separated by commas"
                cells)
        if rows.Length = 0 then
            fail source "has a header but no data rows" "write at least one row of values under the header"
        let columns, skipped =
            names
            |> Array.mapi (fun j name ->
                let parsed = rows |> Array.map (fun cells -> tryNumber cells.[j])
                if parsed |> Array.forall Option.isSome then Choice1Of2 { Name = name; Values = parsed |> Array.map Option.get }
                else Choice2Of2 name)
            |> Array.fold
                (fun (cols, skip) c ->
                    match c with
                    | Choice1Of2 col -> col :: cols, skip
                    | Choice2Of2 name -> cols, name :: skip)
                ([], [])
        if List.isEmpty columns then
            fail source ("has no numeric column (columns: " + (String.Join(",", names)) + ")") "write numbers in at least one column"
        { Source = source; Columns = List.rev columns; Skipped = List.rev skipped }

    /// The table of a CSV file (`MetricsTable.parse` with the path as source); a missing file is an error naming it.
    let load (path: string) : MetricsTable =
        if not (File.Exists path) then
            fail path "does not exist" "pass the path of a metrics.csv written by a run"
        parse path (File.ReadAllText path)

    /// A table from rows in memory: `columns` names the values of each row, in order. Every row must have one value
    /// per column.
    let ofRows (columns: string list) (rows: seq<float list>) : MetricsTable =
        let names = List.toArray columns
        if names.Length = 0 then fail "columns" "is empty" "name at least one column"
        let data = rows |> Seq.map List.toArray |> Seq.toArray
        data
        |> Array.iteri (fun i r ->
            if r.Length <> names.Length then
                fail ("rows[" + string i + "]") ("has " + string r.Length + " values but there are " + string names.Length + " columns") "give one value per column")
        { Source = "rows"
          Columns = names |> Array.mapi (fun j n -> { Name = n; Values = data |> Array.map (fun r -> r.[j]) }) |> Array.toList
          Skipped = [] }

    /// The scalars of a tabular run, in the columns of the CLI's iterations.csv:
    /// `iteration,dual,primal,gap,eta,eps_tr,kl_to_expert,normalized_return` (plus `step_kl`).
    let ofIterations (history: seq<IterationMetrics>) : MetricsTable =
        let h = Seq.toArray history
        let col name (f: IterationMetrics -> float) = { Name = name; Values = h |> Array.map f }
        { Source = "iterations"
          Columns =
            [ col "iteration" (fun m -> float m.Iteration)
              col "dual" (fun m -> m.Dual)
              col "primal" (fun m -> m.Primal)
              col "gap" (fun m -> m.Gap)
              col "eta" (fun m -> m.Eta)
              col "eps_tr" (fun m -> m.EpsTr)
              col "step_kl" (fun m -> m.StepKl)
              col "kl_to_expert" (fun m -> m.KlToExpert)
              col "normalized_return" (fun m -> m.NormalizedReturn) ]
          Skipped = [] }

    /// The column named `name`, or None.
    let tryColumn (name: string) (table: MetricsTable) : MetricsColumn option =
        table.Columns |> List.tryFind (fun c -> c.Name = name)

    /// The column named `name`; an error listing the numeric columns when there is none.
    let column (name: string) (table: MetricsTable) : MetricsColumn =
        match tryColumn name table with
        | Some c -> c
        | None ->
            let skipped = if List.contains name table.Skipped then " (it is not numeric)" else ""
            fail table.Source ("has no numeric column '" + name + "'" + skipped)
                ("use one of " + String.Join(", ", table.Columns |> List.map (fun c -> c.Name)))

    /// The number of rows.
    let rowCount (table: MetricsTable) : int =
        match table.Columns with
        | c :: _ -> c.Values.Length
        | [] -> 0
