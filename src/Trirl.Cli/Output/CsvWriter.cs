using System.Text;

namespace Trirl.Cli.Output;

/// <summary>
/// <c>iterations.csv</c>: one row per iteration <c>i = 1..N</c> (the state after iteration <c>i</c>; the start is not a
/// row), doubles in round-trip precision, <c>\n</c> line endings. The same seed gives the same bytes. A number that does
/// not exist (a normalised return without a true reward) is <c>n/a</c>, which pandas reads as NaN.
/// </summary>
public static class CsvWriter
{
    /// <summary>The header line.</summary>
    public const string Header = "iteration,dual,primal,gap,eta,eps_tr,kl_to_expert,normalized_return";

    /// <summary>The CSV text of <paramref name="trace"/>.</summary>
    public static string Iterations(IEnumerable<IterationMetrics> trace)
    {
        var sb = new StringBuilder().Append(Header).Append('\n');
        foreach (var it in trace)
        {
            sb.Append(it.Iteration.ToString(CultureInfo.InvariantCulture));
            foreach (double x in (ReadOnlySpan<double>)[it.Dual, it.Primal, it.Gap, it.Eta, it.EpsTr, it.KlToExpert, it.NormalizedReturn])
                sb.Append(',').Append(double.IsNaN(x) ? NotAvailable : Number(x));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>What <c>iterations.csv</c> writes for a number that does not exist (pandas reads it as NaN).</summary>
    public const string NotAvailable = "n/a";

    /// <summary>
    /// A double in full round-trip precision with the invariant culture (<c>NaN</c> stays <c>NaN</c>: the deep runs'
    /// <c>metrics.csv</c> uses it for values a row has not measured).
    /// </summary>
    public static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
