namespace Trirl.Cli.Runs;

/// <summary>The flags a fresh run cannot do without, checked present (<see cref="RunFlags.Fresh"/>).</summary>
/// <param name="Env">The task's name as given.</param>
/// <param name="Algo">The algorithm's name as given.</param>
/// <param name="Output">The output folder as given.</param>
internal sealed record FreshFlags(string Env, string Algo, string Output);
