using System.Diagnostics;
using TorchSharp.Modules;

namespace Trirl.Deep;

/// <summary>
/// The discriminator <c>D(s, a)</c> (or <c>D(s, s')</c>) of trirl and gail with its optimiser: phase 2 pairs the rollout
/// with expert rows, builds both sides' inputs (the rollout's with one row per absorbing state of a terminated
/// transition) and trains it with <see cref="LogisticFit"/>.
/// </summary>
internal sealed class FeatureDiscriminator(ImitationState state, Discriminator module)
    : TrainedNetwork(module, "discriminator", "discriminator-adam", state.Settings.DiscLearningRate)
{
    public FeatureDiscriminator(ImitationState state)
        : this(state, new Discriminator(state.FeatureSize, state.Settings.Discriminator, RunStreams.For(state.Seed, RunStreams.Init, ImitationStreams.InitDiscriminator)))
    {
    }

    public Discriminator Module { get; } = module;

    public Mlp Network => Module.Network;

    /// <summary>The rows of past rollouts the policy side draws from (<see cref="ImitationSettings.DiscHistorySize"/>), or null.</summary>
    public PolicyHistory? History { get; } = NewHistory(state);

    private static PolicyHistory? NewHistory(ImitationState state)
    {
        int rows = state.Settings.DiscHistorySize, width = state.FeatureSize + 1;
        if (rows == 0) return null;
        if ((long)rows * width > Array.MaxLength)
            throw new TrirlInputException("imitation.disc_history_size", $"{rows} rows of {width} floats exceed one array", $"use at most {Array.MaxLength / width} rows");
        return new PolicyHistory(rows, width);
    }

    public DiscriminatorFit Fit(ImitationState state, PpoRollout rollout)
    {
        var watch = Stopwatch.StartNew();
        var s = state.Settings;
        var batch = rollout.Transitions;
        var pair = state.ExpertPair(batch.Count);
        var absorbing = s.AbsorbingStates ? TransitionFeatures.TerminatedRows(batch) : [];
        var policyInputs = TransitionFeatures.Inputs(s.Features, state.Scaling, batch, state.Low, state.High, absorbing);
        var expertInputs = TransitionFeatures.Inputs(s.Features, state.Scaling, pair, state.Low, state.High, []);
        int count = batch.Count, width = state.FeatureSize + 1;
        DiscriminatorFit fit;
        using (NewDisposeScope())
        {
            // With a history, half the policy side comes from earlier rollouts; the proposal still scores this rollout.
            var policySide = History is { } h
                ? h.Mix(policyInputs, count, RunStreams.For(state.Seed, ImitationStreams.HistoryMix, state.Iteration))
                : policyInputs.AsSpan(0, count * width).ToArray();
            var pin = tensor(policySide, [count, width], device: state.Device);
            var ein = tensor(expertInputs, [count, width], device: state.Device);
            fit = LogisticFit.Train(state, Module, Optimizer, count, idx =>
            {
                var p = pin.index_select(0, idx);
                var e = ein.index_select(0, idx);
                var le = Module.forward(e);
                var lp = Module.forward(p);
                var penalty = s.GpLambda > 0
                    ? DiscriminatorLoss.GradientPenalty(Module.forward, e, p, s.GpAlpha, state.FeatureSize)
                    : zeros(1, device: state.Device).sum();
                return (le, lp, penalty);
            });
        }
        History?.Add(policyInputs, count, RunStreams.For(state.Seed, ImitationStreams.HistoryReservoir, state.Iteration));
        return fit with { Seconds = watch.Elapsed.TotalSeconds, PolicyRows = policyInputs, ExpertRows = expertInputs, Width = width };
    }
}
