using System.Collections.Immutable;

namespace Trirl.Functional;

/// <summary>
/// The learning loop as an unfold: <see cref="Start"/> gives iteration 0, <see cref="Step"/> maps an
/// iteration to the next, and <see cref="Run"/> is the lazy sequence of them, consumed with LINQ or F#'s
/// <c>Seq.take</c> / <c>Seq.item</c>. One step function serves TRIRL, MCE-IRL and adversarial imitation
/// (math note, section 8).
/// </summary>
public static class Learner
{
    /// <summary>Iteration 0: <c>r_0 = 0</c>, <c>pi_0</c> uniform (which is <c>SoftOptimal(0, 1)</c>).</summary>
    public static TrirlIteration Start(TrirlProblem problem, TrirlSettings settings)
    {
        Validate(problem, settings);
        var mdp = problem.Mdp;
        var reward = StateActionTable.Constant(mdp.States, mdp.Actions, 0.0);
        var solution = Irl.SolveSoft(mdp, reward.Raw, 1.0, settings.Solver, ReadOnlySpan<double>.Empty);
        var policy = Policy.Uniform(mdp.States, mdp.Actions, mdp.Steps);
        var rho = Irl.SolveOccupancies(mdp, policy, settings.Solver);
        return Score(problem, settings, 0, reward, policy, solution.V, rho, StateActionTable.Constant(mdp.States, mdp.Actions, 0.0),
            eta: 0, epsTr: 0, stepKl: 0, solves: 1);
    }

    /// <summary>
    /// One iteration (math note, section 6):
    /// <code>
    /// 1. D_i = log rho_E - log rho_{pi_i}          (exact, or a discriminator on samples)
    /// 2. r~  = (1 - eps) r_i + eps * beta * D_i     (ProposeReward)
    /// 3. (pi_{i+1}, eta) = TrustRegionStep(r~, pi_i, delta)
    /// 4. eps_tr = eps / (1 + eta);  r_{i+1} = (1 - eps_tr) r_i + eps_tr * beta * D_i   (CorrectReward)
    /// </code>
    /// MCE-IRL uses <c>delta = infinity</c> (so <c>eta = 0</c>); adversarial uses <c>eps = 1</c> and keeps <c>r~</c>.
    /// </summary>
    public static TrirlIteration Step(TrirlProblem problem, TrirlSettings settings, TrirlIteration state)
    {
        Validate(problem, settings);
        RequireSameMdp(problem, state);
        var mdp = problem.Mdp;
        var logRatio = EstimateLogRatio(problem, settings, state);
        var proposed = Irl.ProposeReward(state.Reward, logRatio, settings.Eps, settings.Beta);
        // The search starts at the previous step's eta, and the first occupancy solve at the current policy's (both change
        // little between steps; the result is the same to the search's precision).
        double previousEta = double.IsFinite(state.Eta) && state.Eta > 0 ? state.Eta : 0;
        var step = Irl.SolveTrustRegion(mdp, proposed, state.Policy, settings.Delta, settings.Solver, state.Value.AsSpan(), settings.FixedEta,
            initialEta: previousEta, warmState: state.Occupancy.RowSums().ToArray());
        double epsTr = settings.Corrects ? Irl.CorrectedStepSize(settings.Eps, step.Eta) : settings.Eps;
        var reward = settings.Corrects ? Irl.ProposeReward(state.Reward, logRatio, epsTr, settings.Beta) : proposed;

        // V_{r_{i+1}} = (V_tr + eta V_i) / (1 + eta) by the correction theorem (shaping by eta V_i, then
        // scaling by 1 + eta): a warm start that the re-solve only polishes (a finite horizon's exact backward
        // recursion ignores it).
        var warm = new double[mdp.States];
        var vTr = step.Solution.V.AsSpan();
        var vOld = state.Value.AsSpan();
        for (int s = 0; s < warm.Length; s++) warm[s] = settings.Corrects ? (vTr[s] + step.Eta * vOld[s]) / (1 + step.Eta) : vOld[s];
        var value = Irl.SolveSoft(mdp, reward.Raw, 1.0, settings.Solver, warm).V;

        return Score(problem, settings, state.Iteration + 1, reward, step.Policy, value, step.Occupancies, logRatio,
            step.Eta, epsTr, step.Kl, step.Solves + 1);
    }

    /// <summary>
    /// The lazy, infinite sequence of iterations 1, 2, ... (iteration 0 is <see cref="Start"/>). Each element is
    /// computed when enumerated, so <c>Seq.take 60</c> runs 60 iterations and <c>Seq.item 3</c> runs 4.
    /// </summary>
    public static IEnumerable<TrirlIteration> Run(TrirlProblem problem, TrirlSettings settings) =>
        Unfold(problem, settings, Start(problem, settings));

    /// <summary>The iterations after <paramref name="state"/> (resume a run from any iteration).</summary>
    public static IEnumerable<TrirlIteration> RunFrom(TrirlProblem problem, TrirlSettings settings, TrirlIteration state)
    {
        Validate(problem, settings);
        RequireSameMdp(problem, state);
        return Unfold(problem, settings, state);
    }

    private static IEnumerable<TrirlIteration> Unfold(TrirlProblem problem, TrirlSettings settings, TrirlIteration state)
    {
        while (true) yield return state = Step(problem, settings, state);
    }

    private static void Validate(TrirlProblem problem, TrirlSettings settings)
    {
        settings.Validate();
        if (settings.Sampling is not null && problem.Demonstrations.IsDefaultOrEmpty)
            throw new TrirlInputException("demonstrations", "the sample-based learner needs expert demonstrations, and the problem has none",
                "call problem.WithDemonstrations(count, horizon, seed) first");
    }

    /// <summary>
    /// An iteration can only be stepped with a problem of its own MDP; tables of another shape would otherwise fail
    /// deep inside with the name of an internal parameter.
    /// </summary>
    private static void RequireSameMdp(TrirlProblem problem, TrirlIteration state)
    {
        var mdp = problem.Mdp;
        var policy = state.Policy;
        if (state.Reward.States == mdp.States && state.Reward.Actions == mdp.Actions && policy.Steps == mdp.Steps) return;
        string steps(int n) => n == 1 ? "stationary" : $"{n} time steps";
        throw new TrirlInputException("state",
            $"iteration {state.Iteration} belongs to another MDP ({policy.States} states, {policy.Actions} actions, {steps(policy.Steps)}) " +
            $"than the problem's MDP '{mdp.Name}' ({mdp.States} states, {mdp.Actions} actions, {steps(mdp.Steps)}): it was stepped with a problem of another MDP",
            "step an iteration with the problem that produced it (start a new run with Learner.Start for another MDP)");
    }

    /// <summary>
    /// <c>D_i</c>: the exact log-ratio, or the one-hot discriminator's logits (on samples, or on a recorded expert
    /// occupancy against the exact policy's); with state rewards, between the state occupancies and the same for every action.
    /// </summary>
    private static StateActionTable EstimateLogRatio(TrirlProblem problem, TrirlSettings settings, TrirlIteration state)
    {
        StateActionTable expert, policy;
        Func<StateActionTable, StateActionTable, StateActionTable> ratio;
        if (settings.Sampling is { } sampling)
        {
            var rollouts = Sampling.Rollouts(problem.Mdp, state.Policy, sampling.Rollouts, sampling.Horizon, Rng.Derive(sampling.Seed, state.Iteration).NextInt(int.MaxValue));
            (expert, policy) = (Irl.EmpiricalOccupancy(problem.Mdp, problem.Demonstrations), Irl.EmpiricalOccupancy(problem.Mdp, rollouts));
            ratio = (e, p) => Irl.DiscriminatorLogits(e, p, sampling.L2);
        }
        else
        {
            (expert, policy) = (problem.ExpertOccupancy, state.Occupancy);
            ratio = problem.Recorded ? (e, p) => Irl.DiscriminatorLogits(e, p, SampleSettings.DefaultL2) : Irl.LogRatio;
        }
        if (!settings.StateRewards) return ratio(expert, policy);
        var perState = ratio(StateMarginal(expert), StateMarginal(policy)).Raw;
        return StateActionTable.Create(expert.States, expert.Actions, (s, _) => perState[s]);
    }

    /// <summary>The state occupancy <c>rho(s) = sum_a rho(s,a)</c> as an <c>S x 1</c> table.</summary>
    internal static StateActionTable StateMarginal(StateActionTable occupancy) =>
        StateActionTable.Own(occupancy.States, 1, occupancy.RowSums().ToArray());

    private static TrirlIteration Score(TrirlProblem problem, TrirlSettings settings, int iteration, StateActionTable reward, Policy policy,
        ImmutableArray<double> value, Occupancies occupancy, StateActionTable logRatio, double eta, double epsTr, double stepKl, int solves)
    {
        double dual = Irl.DualFromValue(problem.Mdp, value.AsSpan(), reward, problem.ExpertOccupancy, settings.Beta);
        var rho = occupancy.Aggregate;
        // With state rewards the restricted dual's primal matches state occupancies (docs/tabular-experiment.md).
        double klToExpert = settings.StateRewards
            ? Irl.OccupancyKl(StateMarginal(rho), StateMarginal(problem.ExpertOccupancy))
            : Irl.OccupancyKl(rho, problem.ExpertOccupancy);
        double primal = settings.StateRewards
            ? Irl.EntropyTerm(policy, occupancy) - settings.Beta * klToExpert
            : Irl.PrimalFromOccupancy(policy, occupancy, problem.ExpertOccupancy, settings.Beta);
        return new TrirlIteration(iteration, reward, policy, value, rho, logRatio, eta, epsTr, stepKl, dual, primal,
            klToExpert, problem.NormalizedReturn(rho), solves);
    }
}
