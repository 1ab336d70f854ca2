namespace Trirl.Deep;

/// <summary>
/// One column of <c>metrics.csv</c> read from a typed statistics record: its name and how to read it. A statistics
/// record lists its columns once (<see cref="PpoStatistics.Columns"/>, <see cref="ImitationStatistics.Columns"/>); the
/// names and the values of a row both derive from that list, so they cannot drift apart.
/// </summary>
/// <typeparam name="T">The statistics record.</typeparam>
/// <param name="Name">The column's name in <c>metrics.csv</c>.</param>
/// <param name="Read">The value of the column for one record.</param>
public sealed record MetricColumn<T>(string Name, Func<T, double> Read);

/// <summary>Names and values of a list of <see cref="MetricColumn{T}"/>.</summary>
public static class MetricColumns
{
    /// <summary>The columns' names, in order.</summary>
    public static ImmutableArray<string> Names<T>(ImmutableArray<MetricColumn<T>> columns) => [.. columns.Select(c => c.Name)];

    /// <summary>The columns' values for <paramref name="record"/>, in order.</summary>
    public static ImmutableArray<double> Values<T>(ImmutableArray<MetricColumn<T>> columns, T record) => [.. columns.Select(c => c.Read(record))];
}
