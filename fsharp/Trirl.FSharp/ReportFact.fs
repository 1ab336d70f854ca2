namespace Trirl.FSharp

/// One item of a report page's header (`Charts.toReportPage`): what it is and its value, as the page shows them, e.g.
/// `{ Label = "seed"; Value = "3" }` (C#: `new ReportFact("seed", "3")`).
type ReportFact =
    { /// What the value is, e.g. "environment".
      Label: string
      /// The value as text, e.g. "gridworld:4".
      Value: string }
