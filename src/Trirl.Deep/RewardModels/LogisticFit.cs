using TorchSharp.Modules;

namespace Trirl.Deep;

/// <summary>
/// Logistic regression of a discriminator (expert = 1, policy = 0) plus <c>gp_lambda</c> times the gradient penalty:
/// epochs of seeded minibatch permutations of the paired rows (stream <c>(Discriminator, iteration * epochs + epoch)</c>).
/// </summary>
internal static class LogisticFit
{
    /// <summary>
    /// Trains <paramref name="model"/> with <paramref name="optimizer"/> on <paramref name="count"/> paired rows;
    /// <paramref name="logits"/> gives a minibatch's expert and policy logits and penalty from its row indices. Returns the
    /// mean loss and penalty and the last epoch's accuracy. The losses' Scalars are explicit and kept alive across the torch
    /// calls (KeptScalars): bce + lambda * penalty is bce.Plus(penalty.mul(lambda)), lambda a double.
    /// </summary>
    public static DiscriminatorFit Train(ImitationState state, nn.Module model, Adam optimizer, int count,
        Func<Tensor, (Tensor Expert, Tensor Policy, Tensor Penalty)> logits)
    {
        var s = state.Settings;
        int m = s.DiscMinibatchSize, minibatches = count / m;
        using var gpLambda = s.GpLambda.ToScalar();
        double loss = 0, gp = 0;
        long right = 0, seen = 0;
        int steps = 0;
        var perm = new long[count];
        for (int epoch = 0; epoch < s.DiscEpochs; epoch++)
        {
            LearnerMath.Shuffle(perm, RunStreams.For(state.Seed, ImitationStreams.Discriminator, state.Iteration * s.DiscEpochs + epoch));
            for (int mb = 0; mb < minibatches; mb++)
            {
                using var scope = NewDisposeScope();
                var idx = tensor(perm.AsSpan(mb * m, m).ToArray(), [m], device: state.Device);
                var (le, lp, penalty) = logits(idx);
                var bce = DiscriminatorLoss.Logistic(le, lp);
                var total = bce.Plus(penalty.mul(gpLambda));
                optimizer.zero_grad();
                total.backward();
                nn.utils.clip_grad_norm_(model.parameters(), s.Ppo.MaxGradNorm);
                optimizer.step();
                var v = stack([bce.detach(), penalty.detach()]).cpu().data<float>().ToArray();
                loss += v[0];
                gp += v[1];
                steps++;
                if (epoch == s.DiscEpochs - 1)
                {
                    right += (long)Math.Round(DiscriminatorLoss.Accuracy(le.detach(), lp.detach()) * 2 * m);
                    seen += 2 * m;
                }
            }
        }
        return new DiscriminatorFit(steps > 0 ? loss / steps : double.NaN, seen > 0 ? (double)right / seen : double.NaN,
            steps > 0 ? gp / steps : double.NaN, 0);
    }
}
