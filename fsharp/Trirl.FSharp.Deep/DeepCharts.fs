namespace Trirl.FSharp

// Charts of a deep run (Plotly.NET), through the same MetricsTable and Charts functions as the CLI's report.

open Plotly.NET
open Trirl.Deep

/// Charts of deep runs: learning curves of metrics rows or iterations, the buffer's corrected weights.
[<RequireQualifiedAccess>]
module DeepCharts =

    /// The metrics rows of a run as a table (MetricsTable.ofRows over MetricsRow.Columns and Values).
    let tableOfRows (source: string) (rows: seq<MetricsRow>) : MetricsTable =
        let rows = Seq.toArray rows
        if rows.Length = 0 then invalidArg (nameof rows) "no rows: train at least one interval"
        { MetricsTable.ofRows (List.ofSeq rows.[0].Columns) (rows |> Seq.map (fun r -> List.ofSeq r.Values)) with Source = source }

    /// The iterations of a learner as a table: env_steps then ImitationIteration.ColumnNames.
    let tableOfIterations (source: string) (iterations: seq<ImitationIteration>) : MetricsTable =
        let columns = "env_steps" :: List.ofSeq ImitationIteration.ColumnNames
        { MetricsTable.ofRows columns (iterations |> Seq.map (fun it -> float it.EnvSteps :: List.ofSeq it.Values)) with Source = source }

    /// Only the named columns of a table (the first stays the x axis).
    let select (names: string list) (table: MetricsTable) : MetricsTable =
        { table with Columns = table.Columns |> List.filter (fun c -> List.contains c.Name names) }

    /// Learning curves: every column against the first (Charts.learningCurves).
    let learningCurves (table: MetricsTable) : GenericChart = Charts.learningCurves table

    /// The weights w_k of the reward r = sum_k w_k D_k for the etas of the buffer (oldest first), corrected
    /// (CorrectedWeights.Weights) beside uncorrected (CorrectedWeights.Uncorrected), by age (0 = newest).
    let bufferWeights (eps: float) (etas: float[]) : GenericChart =
        let corrected = CorrectedWeights.Weights(etas, eps) |> Array.ofSeq
        let uncorrected = CorrectedWeights.Uncorrected(etas.Length, eps) |> Array.ofSeq
        let ages = [ for k in 0 .. etas.Length - 1 -> etas.Length - 1 - k ]
        [ Chart.Column(values = corrected, Keys = ages, Name = "corrected: eps_tr = eps / (1 + eta)")
          Chart.Column(values = uncorrected, Keys = ages, Name = "uncorrected: eta = 0") ]
        |> Chart.combine
        |> Chart.withXAxisStyle (TitleText = "age of the discriminator (0 = newest)")
        |> Chart.withYAxisStyle (TitleText = "weight w_k")
