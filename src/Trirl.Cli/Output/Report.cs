using System.Text;
using Plotly.NET;
using Trirl.Cli.Runs;
using Trirl.FSharp;

namespace Trirl.Cli.Output;

/// <summary>
/// <c>report.html</c> of <c>trirl tabular</c> and <c>trirl demo</c>: a header (command, environment, algorithm, seed,
/// iterations, final gap and normalised return, wall time, when written; the settings and every final number folded
/// under it), then the charts of <see cref="Charts"/> in a grid (the notebooks draw with the same functions): duality
/// gap (log), dual and primal, eta and eps_tr, learned vs true reward, and for grids heatmaps of the true and learned
/// rewards and of the expert's and the learner's state occupancies.
/// </summary>
public static class Report
{
    /// <summary>The self-contained HTML page of <paramref name="outcome"/>, written at <paramref name="written"/> (UTC).</summary>
    public static string Html(TabularOutcome outcome, DateTime written)
    {
        var plan = outcome.Plan;
        string title = $"TRIRL report: {plan.AlgoName} on {plan.Env.Spec}";
        return Charts.toReportPage(title, Facts(outcome, written), Preamble(outcome), ChartsOf(outcome));
    }

    /// <summary>The header: what the run was and how it ended (the settings' warnings too: they say how to read it).</summary>
    public static IEnumerable<ReportFact> Facts(TabularOutcome outcome, DateTime written)
    {
        var plan = outcome.Plan;
        var (mdp, last) = (plan.Env.Mdp, outcome.Final);
        yield return ReportFacts.Command("tabular");
        yield return ReportFacts.Fact("environment", $"{plan.Env.Spec} ({mdp.States} states, {mdp.Actions} actions)");
        yield return ReportFacts.Fact("algorithm", plan.AlgoName);
        yield return ReportFacts.Fact("seed", plan.Args.Seed.ToString(CultureInfo.InvariantCulture));
        yield return ReportFacts.Fact("iterations", plan.Args.Iterations.ToString(CultureInfo.InvariantCulture));
        yield return ReportFacts.Fact("final gap", G(last.Gap));
        yield return ReportFacts.Fact("normalized return", G(last.NormalizedReturn));
        yield return ReportFacts.WallTime(outcome.Seconds);
        yield return ReportFacts.Written(written);
        foreach (var warning in plan.Settings.Warnings) yield return ReportFacts.Fact("warning", warning);
    }

    /// <summary>The text above the charts: settings, final numbers, reward reuse and warnings.</summary>
    public static string Preamble(TabularOutcome outcome)
    {
        var plan = outcome.Plan;
        var (args, mdp, settings, last) = (plan.Args, plan.Env.Mdp, plan.Settings, outcome.Final);
        var sb = new StringBuilder();
        sb.Append($"env        {plan.Env.Spec} ({mdp.Name}: {mdp.States} states, {mdp.Actions} actions, gamma {G(mdp.Gamma)}" +
            (mdp.Horizon is { } h ? $", horizon {h})\n" : ")\n"));
        sb.Append($"algorithm  {plan.AlgoName}: beta {G(settings.Beta)}, eps {G(settings.Eps)}, " +
            (settings.FixedEta is { } fixedEta ? $"fixed eta {G(fixedEta)}, " : $"delta {G(settings.Delta)}, ") +
            (settings.StateRewards ? "state rewards, " : "") +
            (args.DemosFile is { } file ? $"expert: {plan.Problem.Demonstrations.Length} recorded episodes in {file}\n" : $"expert beta {G(plan.ExpertBeta)}\n"));
        sb.Append($"run        {args.Iterations} iterations, seed {args.Seed}, {outcome.Seconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        if (settings.Sampling is { } s)
            sb.Append($", sample-based: {plan.Problem.Demonstrations.Length} demonstrations, {s.Rollouts} rollouts per iteration, horizon {s.Horizon}");
        sb.Append('\n');
        sb.Append($"final      dual {G(last.Dual)}, primal {G(last.Primal)}, gap {G(last.Gap)}, eta {G(last.Eta)}, eps_tr {G(last.EpsTr)}\n");
        sb.Append($"           kl_to_expert {G(last.KlToExpert)}, normalized return {G(last.NormalizedReturn)}\n");
        sb.Append($"retrain    normalized return {G(outcome.Retrain.NormalizedReturn)}, max |log pi difference| {G(outcome.RetrainMaxLogPolicyError)}\n");
        if (plan.Transfer is { } t && outcome.TransferScore is { } score)
            sb.Append($"transfer   {t.Spec}: normalized return {G(score.NormalizedReturn)}, kl_to_expert {G(score.KlToExpert)}\n");
        foreach (var warning in settings.Warnings) sb.Append($"warning    {warning}\n");
        return sb.ToString();
    }

    private static IEnumerable<GenericChart> ChartsOf(TabularOutcome outcome)
    {
        var plan = outcome.Plan;
        var (mdp, last) = (plan.Env.Mdp, outcome.Final);
        yield return Charts.gap(outcome.Trace);
        yield return Charts.dualAndPrimal(outcome.Trace);
        yield return Charts.etaAndStep(outcome.Trace);
        if (mdp.Reward is { } truth) yield return Charts.rewardScatter(last.Reward, truth);
        if (plan.Env.Grid is { } grid)
        {
            if (mdp.Reward is { } r) yield return Charts.rewardHeatmap(grid, "True reward", r);
            yield return Charts.rewardHeatmap(grid, "Learned reward (final iteration)", last.Reward);
            yield return Charts.occupancyHeatmap(grid, "Expert state occupancy", plan.Problem.ExpertOccupancy);
            yield return Charts.occupancyHeatmap(grid, "Learned state occupancy (final iteration)", last.Occupancy);
        }
    }

    private static string G(double x) => ReportFacts.Number(x);
}
