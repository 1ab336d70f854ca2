using System.Collections.Immutable;

namespace Trirl.Cli.Benchmarks;

/// <summary>
/// The arithmetic floor of each phase of the deep imitation loop (<see cref="ImitationLoopTiming.PhaseNames"/>), counted
/// from the settings: the matrix products (<see cref="LayerGemm"/>) an iteration makes, their multiply-adds, and the
/// floor <c>seconds = multiply-adds / rate</c> at a GEMM rate measured on the same shapes (<see cref="GemmRate"/>).
/// <para>
/// An MLP <c>n_0 - n_1 - ... - n_L</c> (<c>n_0</c> its input, <c>n_L</c> its output) on <c>B</c> rows makes, per layer
/// <c>l</c>, <c>F_l = B n_{l-1} n_l</c> multiply-adds forward; its forward costs <c>F = sum_l F_l</c>. A training
/// step's backward costs <c>2F</c> (the input gradient <c>g_z W</c> and the weight gradient <c>g_z^T h</c> of every
/// layer) less <c>F_1</c> when the input is data: autograd skips the gradient of an input that needs none, so a step on
/// data costs <c>3F - F_1</c>.
/// </para>
/// <para>
/// Only the products are counted. Activations, LayerNorm, Adam, gradient clipping, row gathers and host copies are
/// elementwise or memory-bound work with no GEMM rate; no bandwidth figure is measured in the same run, so they are
/// left out of the floors (a ratio above 1 includes them).
/// </para>
/// </summary>
public static class PhaseFloors
{
    /// <summary>
    /// Multiply-adds per row of an MLP <paramref name="input"/> - <paramref name="spec"/> - <paramref name="output"/>:
    /// <c>sum_l n_{l-1} n_l</c> (biases and activations excluded).
    /// </summary>
    public static long MultiplyAddsPerRow(int input, MlpSpec spec, int output) =>
        Widths(input, spec, output).Zip(Widths(input, spec, output).Skip(1), (a, b) => (long)a * b).Sum();

    /// <summary>Multiply-adds of one forward pass on <paramref name="batch"/> rows: <c>F = B sum_l n_{l-1} n_l</c>.</summary>
    public static long ForwardMultiplyAdds(int batch, int input, MlpSpec spec, int output) =>
        checked(batch * MultiplyAddsPerRow(input, spec, output));

    /// <summary>The products of one forward pass on <paramref name="batch"/> rows, <paramref name="count"/> times: <c>F</c> each.</summary>
    public static ImmutableArray<LayerGemm> Forward(int batch, int input, MlpSpec spec, int output, long count) =>
        [.. Layers(input, spec, output).Select(l => new LayerGemm(GemmKind.Forward, batch, l.In, l.Out, count))];

    /// <summary>
    /// The products of one training step (forward and backward) on <paramref name="batch"/> rows, <paramref name="count"/>
    /// times: per layer one forward, one weight gradient and one input gradient, the first layer's input gradient only when
    /// <paramref name="inputNeedsGradient"/> (<c>3F</c>; <c>3F - F_1</c> on data).
    /// </summary>
    public static ImmutableArray<LayerGemm> TrainingStep(int batch, int input, MlpSpec spec, int output, long count, bool inputNeedsGradient)
    {
        var layers = Layers(input, spec, output);
        return [.. layers.SelectMany((l, i) => new[]
        {
            new LayerGemm(GemmKind.Forward, batch, l.In, l.Out, count),
            new LayerGemm(GemmKind.WeightGradient, batch, l.In, l.Out, count),
            new LayerGemm(GemmKind.InputGradient, batch, l.In, l.Out, i > 0 || inputNeedsGradient ? count : 0),
        })];
    }

    /// <summary>
    /// The products of the discriminator's gradient penalty <c>GP = mean (||grad_x D(x~)|| - 1)^2</c> on
    /// <paramref name="batch"/> interpolates (math note, section 9; <see cref="DiscriminatorLoss.GradientPenalty"/>),
    /// <paramref name="count"/> times: <c>6F - 3F_L</c> multiply-adds, where <c>F_L = B n_{L-1}</c> is the output layer's.
    /// Why: the forward on <c>x~</c> (<c>F</c>); the first backward to <c>x~</c> with the graph kept, input gradients only
    /// (<c>F</c>: the weights' gradients are not asked for); then the loss's backward through that graph, the double
    /// backward: through each product <c>g_h = g_z W</c> to <c>g_z</c> (a forward-shaped product) and to <c>W</c> (a
    /// weight-gradient product), <c>2F_l</c>, except the output layer, whose <c>g_z</c> is the constant 1 of the sum
    /// (<c>F_L</c>); and through the forward graph that the activations' derivatives read, to each weight and each input
    /// (<c>x~</c> needs its gradient), <c>2F_l</c>, except the output layer, whose pre-activation the penalty does not read
    /// (no activation follows it). Together <c>F + F + (2F - F_L) + (2F - 2F_L)</c>.
    /// </summary>
    public static ImmutableArray<LayerGemm> GradientPenalty(int batch, int input, MlpSpec spec, long count)
    {
        var layers = Layers(input, spec, 1);
        return [.. layers.SelectMany((l, i) =>
        {
            long c = i < layers.Length - 1 ? 2 * count : count;
            return new[]
            {
                new LayerGemm(GemmKind.Forward, batch, l.In, l.Out, c),
                new LayerGemm(GemmKind.InputGradient, batch, l.In, l.Out, c),
                new LayerGemm(GemmKind.WeightGradient, batch, l.In, l.Out, c),
            };
        })];
    }

    /// <summary>
    /// Acting (the PPO rollout): per step the policy's mean and the critic's value on the <c>N</c>
    /// copies' observations, <c>T</c> steps, then the critic on the <c>N</c> last observations for the bootstrap values:
    /// <c>T N (P + C) + N C</c> with <c>P</c>, <c>C</c> the policy's and the critic's multiply-adds per row. The bootstrap
    /// rows of truncated episodes (one per truncation) are not known beforehand and are left out; the simulator is not a
    /// GEMM (the bench measures it separately).
    /// </summary>
    public static PhaseWork Acting(ImitationSettings settings, int observationSize, int actionSize)
    {
        var p = Checked(settings, observationSize, actionSize).Ppo;
        return new PhaseWork(ImitationLoopTiming.PhaseNames[0],
        [
            .. Forward(p.Copies, observationSize, p.Policy, actionSize, p.RolloutSteps),
            .. Forward(p.Copies, observationSize, p.Critic, 1, p.RolloutSteps + 1L),
        ]);
    }

    /// <summary>
    /// The discriminator's training (<see cref="ImitationSettings.DiscEpochs"/> epochs of <c>floor(B / m)</c> minibatches,
    /// <c>B</c> the rollout's transitions, <c>m</c> <see cref="ImitationSettings.DiscMinibatchSize"/>), per minibatch: the
    /// logistic loss's forward on <c>m</c> expert and <c>m</c> policy rows and its backward, on data
    /// (<c>2 (3F - F_1)</c>), plus, when <c>gp_lambda &gt; 0</c>, the gradient penalty on <c>m</c> interpolates
    /// (<see cref="GradientPenalty"/>: <c>6F - 3F_L</c>); <c>F</c> is the discriminator's forward on <c>m</c> rows of
    /// features and the flag. About <c>12F</c> per minibatch with the penalty, <c>6F</c> without.
    /// </summary>
    public static PhaseWork Discriminator(ImitationSettings settings, int observationSize, int actionSize)
    {
        var s = Checked(settings, observationSize, actionSize);
        int m = s.DiscMinibatchSize, input = DiscriminatorInput(s, observationSize, actionSize);
        long steps = (long)s.DiscEpochs * (s.Ppo.BatchSize / m);
        var gemms = TrainingStep(m, input, s.Discriminator, 1, 2 * steps, inputNeedsGradient: false);
        if (s.GpLambda > 0) gemms = gemms.AddRange(GradientPenalty(m, input, s.Discriminator, steps));
        return new PhaseWork(ImitationLoopTiming.PhaseNames[1], gemms);
    }

    /// <summary>
    /// The reward evaluation: the <c>K</c> discriminators of a full buffer (<see cref="ImitationSettings.BufferSize"/>),
    /// each a forward pass on the rollout's <c>B</c> rows, <c>K F_B</c>. The extra rows of absorbing states (one per
    /// terminated transition) are not known beforehand and are left out (the pendulum has none).
    /// </summary>
    public static PhaseWork Reward(ImitationSettings settings, int observationSize, int actionSize)
    {
        var s = Checked(settings, observationSize, actionSize);
        return new PhaseWork(ImitationLoopTiming.PhaseNames[2],
            Forward(s.Ppo.BatchSize, DiscriminatorInput(s, observationSize, actionSize), s.Discriminator, 1, s.BufferSize));
    }

    /// <summary>
    /// The policy update (<see cref="PpoSettings.Epochs"/> epochs of <c>floor(B / m)</c> minibatches of
    /// <see cref="PpoSettings.MinibatchSize"/> <c>m</c>): per minibatch a training step of the policy and of the critic on
    /// data, <c>(3P - P_1) + (3C - C_1)</c> on <c>m</c> rows; then the measured KL's policy forward on the rollout's
    /// <c>B</c> rows.
    /// </summary>
    public static PhaseWork Policy(ImitationSettings settings, int observationSize, int actionSize)
    {
        var p = Checked(settings, observationSize, actionSize).Ppo;
        long steps = (long)p.Epochs * (p.BatchSize / p.MinibatchSize);
        return new PhaseWork(ImitationLoopTiming.PhaseNames[3],
        [
            .. TrainingStep(p.MinibatchSize, observationSize, p.Policy, actionSize, steps, inputNeedsGradient: false),
            .. TrainingStep(p.MinibatchSize, observationSize, p.Critic, 1, steps, inputNeedsGradient: false),
            .. Forward(p.BatchSize, observationSize, p.Policy, actionSize, 1),
        ]);
    }

    /// <summary>The four phases in the order of <see cref="ImitationLoopTiming.PhaseNames"/>.</summary>
    public static ImmutableArray<PhaseWork> Loop(ImitationSettings settings, int observationSize, int actionSize) =>
        [Acting(settings, observationSize, actionSize), Discriminator(settings, observationSize, actionSize),
         Reward(settings, observationSize, actionSize), Policy(settings, observationSize, actionSize)];

    /// <summary>
    /// The floor <c>seconds = multiply-adds / rate</c> at <paramref name="multiplyAddsPerSecond"/>; a rate that is not a
    /// finite number &gt; 0 is a <see cref="TrirlInputException"/> for <c>multiply_adds_per_second</c>.
    /// </summary>
    public static double FloorSeconds(long multiplyAdds, double multiplyAddsPerSecond)
    {
        if (multiplyAdds < 0) throw new TrirlInputException("multiply_adds", $"must be >= 0, got {multiplyAdds}", "count the products' multiply-adds");
        if (!(multiplyAddsPerSecond > 0) || !double.IsFinite(multiplyAddsPerSecond))
            throw new TrirlInputException("multiply_adds_per_second", $"must be a finite number > 0, got {Check.Format(multiplyAddsPerSecond)}",
                "measure the GEMM rate on the phase's shapes (a positive rate)");
        return multiplyAdds / multiplyAddsPerSecond;
    }

    /// <summary>
    /// The ratio <c>measured / floor</c> (1 = at the floor); NaN when the floor is 0 (a phase with no products); a
    /// negative or non-finite time is a <see cref="TrirlInputException"/> naming the field.
    /// </summary>
    public static double Ratio(double seconds, double floorSeconds)
    {
        if (!(seconds >= 0) || !double.IsFinite(seconds)) throw new TrirlInputException("seconds", $"must be a finite number >= 0, got {Check.Format(seconds)}", "pass the phase's measured time");
        if (!(floorSeconds >= 0) || !double.IsFinite(floorSeconds)) throw new TrirlInputException("floor_seconds", $"must be a finite number >= 0, got {Check.Format(floorSeconds)}", "pass the phase's floor");
        return floorSeconds > 0 ? seconds / floorSeconds : double.NaN;
    }

    /// <summary>The discriminator's input: the features (<see cref="FeatureModes.Size"/>) and the absorbing flag.</summary>
    private static int DiscriminatorInput(ImitationSettings s, int observationSize, int actionSize) =>
        FeatureModes.Size(s.Features, observationSize, actionSize) + 1;

    private static ImitationSettings Checked(ImitationSettings settings, int observationSize, int actionSize)
    {
        if (settings is null) throw new TrirlInputException("settings", "is missing", "pass the imitation settings");
        settings.Validated();
        if (settings.Method is not (ImitationMethod.Trirl or ImitationMethod.Gail) || settings.RewardModel != RewardModelKind.Buffer)
            throw new TrirlInputException("imitation.reward_model", "the floors count trirl and gail with the buffer reward model only",
                "bench the buffer model (the trirl presets)");
        Check.PositiveInt(observationSize, "observation_size");
        Check.PositiveInt(actionSize, "action_size");
        return settings;
    }

    private static int[] Widths(int input, MlpSpec spec, int output)
    {
        Check.PositiveInt(input, "input");
        Check.PositiveInt(output, "output");
        (spec ?? throw new TrirlInputException("spec", "is missing", "give the network")).Validate("spec");
        return [input, .. spec.Hidden, output];
    }

    private static (int In, int Out)[] Layers(int input, MlpSpec spec, int output)
    {
        var w = Widths(input, spec, output);
        return [.. w.Zip(w.Skip(1))];
    }
}
