using System.Text.Json;
using Trirl.Cli.Runs;

namespace Trirl.Cli.Output;

/// <summary>
/// <c>summary.json</c>: the settings of a run, its final numbers (named as the CSV columns), its wall time, the
/// settings' warnings and reward reuse (retraining, and transfer when asked). Non-finite numbers are <c>null</c>.
/// </summary>
public static class SummaryJson
{
    /// <summary>The indented JSON text of <paramref name="outcome"/>.</summary>
    public static string Serialize(TabularOutcome outcome)
    {
        var plan = outcome.Plan;
        var (args, mdp, settings, last) = (plan.Args, plan.Env.Mdp, plan.Settings, outcome.Final);
        return JsonText.Object(w =>
        {
            w.WriteString("env", plan.Env.Spec);
            w.WriteString("mdp", mdp.Name);
            w.WriteNumber("states", mdp.States);
            w.WriteNumber("actions", mdp.Actions);
            w.WriteNumberOrNull("gamma", mdp.Gamma);
            if (mdp.Horizon is { } horizon) w.WriteNumber("horizon", horizon);
            w.WriteString("algo", plan.AlgoName);
            w.WriteNumberOrNull("beta", settings.Beta);
            w.WriteNumberOrNull("eps", settings.Eps);
            w.WriteNumberOrNull("delta", settings.Delta);
            if (settings.FixedEta is { } fixedEta) w.WriteNumber("fixed_eta", fixedEta);
            if (settings.StateRewards) w.WriteBoolean("state_rewards", true);
            w.WriteNumberOrNull("expert_beta", plan.ExpertBeta);
            w.WriteNumber("iterations", args.Iterations);
            w.WriteNumber("seed", args.Seed);
            if (args.DemosFile is { } file)
            {
                w.WriteString("demos_file", file);
                w.WriteNumber("demos", plan.Problem.Demonstrations.Length);
            }
            if (settings.Sampling is { } sampling)
            {
                if (args.DemosFile is null) w.WriteNumber("demos", plan.Problem.Demonstrations.Length);
                w.WriteNumber("rollouts", sampling.Rollouts);
                w.WriteNumber("horizon", sampling.Horizon);
            }
            w.WriteNumberOrNull("dual", last.Dual);
            w.WriteNumberOrNull("primal", last.Primal);
            w.WriteNumberOrNull("gap", last.Gap);
            w.WriteNumberOrNull("eta", last.Eta);
            w.WriteNumberOrNull("eps_tr", last.EpsTr);
            w.WriteNumberOrNull("kl_to_expert", last.KlToExpert);
            w.WriteNumberOrNull("normalized_return", last.NormalizedReturn);
            w.WriteNumberOrNull("seconds", outcome.Seconds);
            w.WriteStringArray("warnings", settings.Warnings);
            w.WriteNumberOrNull("retrain_normalized_return", outcome.Retrain.NormalizedReturn);
            w.WriteNumberOrNull("retrain_max_log_policy_error", outcome.RetrainMaxLogPolicyError);
            if (plan.Transfer is { } transfer && outcome.TransferScore is { } score)
            {
                w.WriteString("transfer_env", transfer.Spec);
                w.WriteString("transfer_mdp", transfer.Mdp.Name);
                w.WriteNumberOrNull("transfer_normalized_return", score.NormalizedReturn);
                w.WriteNumberOrNull("transfer_kl_to_expert", score.KlToExpert);
            }
        }) + "\n";
    }
}
