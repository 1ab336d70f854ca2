namespace Trirl.Deep;

/// <summary>
/// The base of the reward models: the choice from the settings (<see cref="For"/>), the checkpoint sections in the
/// layout every run has written (networks, then optimisers, then buffers; a discriminator history last, when kept), and
/// the benchmarks' buffer filling.
/// </summary>
internal abstract class RewardModel : IRewardModel
{
    /// <summary>The model the settings name, fresh or read from <paramref name="resume"/> (after its <c>imitation-nets</c> tag).</summary>
    public static RewardModel For(ImitationState state, BinaryReader? resume)
    {
        var s = state.Settings;
        RewardModel model = s.Method switch
        {
            ImitationMethod.Airl => new AirlRewardModel(state),
            ImitationMethod.Trirl when s.RewardModel == RewardModelKind.Compressed => new CompressedRewardModel(state),
            ImitationMethod.Trirl when s.RewardModel == RewardModelKind.Recursive => new RecursiveRewardModel(state),
            _ => new BufferRewardModel(state),
        };
        if (resume is not null) model.ReadNetworks(resume);
        model.Place(state);
        if (resume is not null)
        {
            model.ReadOptimizers(resume);
            model.ReadBuffers(resume);
        }
        return model;
    }

    public abstract string Name { get; }
    public abstract DiscriminatorFit Fit(ImitationState state, PpoRollout rollout);
    public abstract RewardProposal Propose(ImitationState state, PpoRollout rollout, DiscriminatorFit fit);
    public abstract Correction Correct(ImitationState state, RewardProposal proposal, double epsTr, double eta);
    public abstract NeuralReward Export(ImitationState state);

    /// <summary>The trained networks, in checkpoint order (the discriminator, then a reward network).</summary>
    protected abstract IReadOnlyList<TrainedNetwork> Networks { get; }

    /// <summary>The buffer of discriminators, if the model keeps one (saved after the optimisers).</summary>
    protected virtual DiscriminatorBuffer? Buffer => null;

    private void Place(ImitationState state)
    {
        foreach (var n in Networks) n.Place(state.Device);
    }

    private void ReadNetworks(BinaryReader r)
    {
        foreach (var n in Networks) n.ReadNetwork(r);
    }

    private void ReadOptimizers(BinaryReader r)
    {
        foreach (var n in Networks) n.ReadOptimizer(r);
    }

    /// <summary>The discriminator's history of past rollouts, if the settings keep one (saved after the buffer).</summary>
    protected virtual PolicyHistory? History => null;

    private void ReadBuffers(BinaryReader r)
    {
        Buffer?.Load(r);
        History?.Load(r);
    }

    /// <summary>Writes the model's sections: networks, optimisers, the buffer, the discriminator's history.</summary>
    public void Save(BinaryWriter w)
    {
        foreach (var n in Networks) n.WriteNetwork(w);
        foreach (var n in Networks) n.WriteOptimizer(w);
        Buffer?.Save(w);
        History?.Save(w);
    }

    /// <summary>
    /// Fills a buffer to one below its capacity with copies of the current discriminator, each recorded with
    /// <paramref name="eta"/> (benchmarks: the next iteration evaluates a full buffer); models without a buffer ignore it.
    /// </summary>
    public virtual void FillBuffer(ImitationState state, double eta)
    {
    }

    /// <summary>Disposes the networks and the buffer.</summary>
    public void Dispose()
    {
        foreach (var n in Networks) n.Dispose();
        Buffer?.Dispose();
    }

    /// <summary>
    /// The proposal from <paramref name="values"/>: the reward of each rollout row, then of each absorbing state of a
    /// terminated transition; the policy step takes the TD rewards (<see cref="AbsorbingStates.TdRewards"/>).
    /// </summary>
    protected static RewardProposal Proposal(ImitationState state, PpoRollout rollout, double[] values, double fitLoss, double bufferSize, double seconds)
    {
        var s = state.Settings;
        int count = rollout.Count;
        var td = AbsorbingStates.TdRewards(values[..count], rollout.Transitions.Terminated, s.AbsorbingStates ? values[count..] : [],
            s.Ppo.Gamma, s.Alpha, state.TerminalEntropy);
        var (mean, std) = Moments(values, count);
        return new RewardProposal([.. values.AsSpan(0, count)], [.. td], mean, std, fitLoss, bufferSize, seconds);
    }

    /// <summary>Mean and standard deviation of the first <paramref name="count"/> values.</summary>
    protected static (double Mean, double Std) Moments(double[] values, int count)
    {
        double mean = 0;
        for (int i = 0; i < count; i++) mean += values[i];
        mean /= count;
        double v = 0;
        for (int i = 0; i < count; i++) v += (values[i] - mean) * (values[i] - mean);
        return (mean, Math.Sqrt(v / count));
    }
}
