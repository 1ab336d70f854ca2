namespace Trirl.Deep;

/// <summary>
/// A torch policy as an <see cref="IContinuousPolicy"/>: a PPO <see cref="GaussianPolicy"/> (actions <c>mu</c>, or
/// <c>mu + sigma * z</c>, clipped to the box only when asked: <see cref="PolicyFile.ClipActions"/>) or a SAC <see cref="SquashedGaussianActor"/> (actions
/// <c>low + (tanh(x) + 1) (high - low) / 2</c> with <c>x = mu</c> or <c>mu + sigma * z</c>). The noise <c>z</c> comes from
/// the caller's <see cref="Rng"/>.
/// </summary>
public sealed class TorchPolicy : IContinuousPolicy, IDisposable
{
    private readonly nn.Module module;
    private readonly float[] low, high;
    private readonly Device device;
    private readonly bool owns, clip;

    internal TorchPolicy(nn.Module module, float[] low, float[] high, Device device, bool stochastic, bool owns, bool clip = false)
    {
        this.clip = clip;
        this.module = module;
        this.low = low;
        this.high = high;
        this.device = device;
        this.owns = owns;
        Stochastic = stochastic;
        ActionSize = low.Length;
        ObservationSize = module switch
        {
            GaussianPolicy g => g.ObservationSize,
            SquashedGaussianActor a => a.ObservationSize,
            _ => throw new ArgumentException("unknown policy module", nameof(module)),
        };
    }

    /// <summary>Whether actions are drawn from the distribution (true) or are its mode (false).</summary>
    public bool Stochastic { get; }

    /// <inheritdoc/>
    public int ObservationSize { get; }

    /// <inheritdoc/>
    public int ActionSize { get; }

    /// <inheritdoc/>
    public float[] Act(float[] observations, int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(rng);
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var obs = tensor(observations, [count, ObservationSize], device: device);
        int d = ActionSize;
        float[] noise = Stochastic ? new float[count * d] : [];
        if (Stochastic) RunStreams.Gaussians(rng, noise);
        if (module is GaussianPolicy g)
        {
            var mean = g.forward(obs);
            // a + b with a kept alpha (KeptScalars).
            var x = Stochastic ? mean.Plus(g.LogStd.exp() * tensor(noise, [count, d], device: device)) : mean;
            var actions = x.cpu().data<float>().ToArray();
            return clip ? BoxClippedPolicy.Clipped(actions, low, high) : actions;
        }
        var actor = (SquashedGaussianActor)module;
        var (mu, logStd) = actor.forward(obs);
        var pre = Stochastic ? mu.Plus(logStd.exp() * tensor(noise, [count, d], device: device)) : mu;
        var u = pre.tanh().cpu().data<float>().ToArray();
        return ScaleToBox(u, count, low, high);
    }

    /// <summary>Maps squashed actions <c>u</c> in <c>[-1, 1]</c> to the box: <c>low + (u + 1) (high - low) / 2</c>.</summary>
    internal static float[] ScaleToBox(float[] u, int count, float[] low, float[] high)
    {
        int d = low.Length;
        var a = new float[count * d];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < d; j++)
                a[i * d + j] = (float)(low[j] + (u[i * d + j] + 1.0) * 0.5 * (high[j] - (double)low[j]));
        return a;
    }

    /// <summary>Disposes the module when this policy owns it.</summary>
    public void Dispose()
    {
        if (owns) module.Dispose();
    }
}
