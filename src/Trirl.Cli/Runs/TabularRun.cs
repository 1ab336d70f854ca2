using System.Diagnostics;

namespace Trirl.Cli.Runs;

/// <summary>
/// Runs a validated plan: <c>N</c> iterations of the learner (the unfold <see cref="Learner.RunFrom"/>), then reward
/// reuse (retraining on the same MDP and, when asked, transfer). Pure computation; progress goes to a callback.
/// </summary>
public static class TabularRun
{
    /// <summary>Runs <paramref name="plan"/>, reporting each iteration to <paramref name="progress"/>.</summary>
    public static TabularOutcome Execute(TabularPlan plan, IProgress<TrirlIteration> progress)
    {
        var (problem, settings) = (plan.Problem, plan.Settings);
        int n = plan.Args.Iterations;
        var watch = Stopwatch.StartNew();
        var start = Learner.Start(problem, settings);
        var trace = new List<IterationMetrics>(Math.Min(n, 4096));
        TrirlIteration final = start;
        try
        {
            foreach (var it in Learner.RunFrom(problem, settings, start).Take(n))
            {
                // The CSV and the charts read only the scalars: a long run keeps O(N) memory, not O(N * S * A).
                trace.Add(it.Metrics);
                final = it;
                progress.Report(it);
            }
        }
        catch (TrirlInputException ex)
        {
            // A run that leaves the safe regime can break an invariant mid-way (e.g. an occupancy underflows to 0);
            // say at which iteration.
            throw new TrirlInputException($"iteration {final.Iteration + 1}: {ex.Field}", ex.Problem, ex.Fix);
        }
        double seconds = watch.Elapsed.TotalSeconds;

        var mdp = problem.Mdp;
        // Scored against the run's own expert (the same numbers as RewardReuse.Reoptimize for an expert built from the true
        // reward, without building it again; no true reward needed for recorded demonstrations).
        var retrain = RewardReuse.Retrain(problem, final.Reward, settings.Solver);
        double logPolicyError = StateActionTable.MaxAbsDifference(retrain.Policy.LogProbabilities, final.Policy.LogProbabilities);
        var transfer = plan.Transfer is { } t ? RewardReuse.Reoptimize(t.Mdp, final.Reward, plan.ExpertBeta, settings.Solver) : null;
        return new TabularOutcome(plan, trace, final, seconds, retrain, logPolicyError, transfer);
    }
}
