namespace Trirl.FSharp

/// A chart axis: its title and whether its scale is logarithmic (`Charts.withAxes`).
type ChartAxis =
    { /// The axis title.
      Title: string
      /// Whether the scale is logarithmic (non-positive values cannot be drawn on it).
      Log: bool }

/// The two kinds of `ChartAxis`.
[<RequireQualifiedAccess>]
module ChartAxis =

    /// A linear axis titled `title`.
    let linear (title: string) : ChartAxis = { Title = title; Log = false }

    /// A logarithmic axis titled `title`.
    let log (title: string) : ChartAxis = { Title = title; Log = true }
