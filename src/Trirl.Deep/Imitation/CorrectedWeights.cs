namespace Trirl.Deep;

/// <summary>
/// The weights of the corrected-reward buffer (math note, sections 6 and 9). Unrolling the corrected update
/// <c>r_{i+1} = (1 - eps_tr,i) r_i + eps_tr,i * beta * D_i</c> from <c>r_0 = 0</c> gives
/// <code>
/// r_n = sum_k w_k * beta * D_k,   w_k = eps_tr,k * prod_{j&gt;k} (1 - eps_tr,j),   eps_tr = eps / (1 + eta)
/// </code>
/// over the last <c>K</c> discriminators (older ones are dropped: the recursion restarts from 0 at the oldest kept).
/// The newest discriminator has not had its policy step yet, so it enters with <c>eta = 0</c> (<c>eps_tr = eps</c>):
/// the reward of the coming step is the uncorrected proposal <c>U_eps(r_i)</c>; once the step's <c>eta</c> is known it
/// is recorded and the next call corrects it.
/// </summary>
public static class CorrectedWeights
{
    /// <summary><c>eps_tr = eps / (1 + eta)</c> (math note, section 6; the formula's one home is <see cref="Irl.CorrectedStepSize"/>), for a finite <c>eta</c>.</summary>
    public static double EpsTr(double eps, double eta)
    {
        CheckEps(eps);
        CheckEta(eta, "eta");
        return Irl.CorrectedStepSize(eps, eta);
    }

    /// <summary>
    /// The weights <c>w_k</c>, oldest first, for the etas of the buffer's discriminators, oldest first (the newest's is
    /// normally 0, see the type's summary). Computed from the newest back, carrying <c>prod_{j&gt;k} (1 - eps_tr,j)</c>.
    /// </summary>
    public static ImmutableArray<double> Weights(IReadOnlyList<double> etas, double eps)
    {
        ArgumentNullException.ThrowIfNull(etas);
        CheckEps(eps);
        var w = new double[etas.Count];
        double tail = 1.0;
        for (int k = etas.Count - 1; k >= 0; k--)
        {
            CheckEta(etas[k], $"etas[{k}]");
            double e = Irl.CorrectedStepSize(eps, etas[k]);
            w[k] = e * tail;
            tail *= 1 - e;
        }
        return [.. w];
    }

    /// <summary>
    /// The weights without correction (<c>eta = 0</c> for every discriminator: <c>w_k = eps (1 - eps)^(n-1-k)</c>), as the
    /// adversarial preset keeps its reward (math note, section 8); with <c>eps = 1</c> only the newest counts.
    /// </summary>
    public static ImmutableArray<double> Uncorrected(int count, double eps)
    {
        if (count < 0) throw new TrirlInputException(nameof(count), $"must be >= 0, got {count}", "pass the number of discriminators");
        return Weights(new double[count], eps);
    }

    private static void CheckEps(double eps)
    {
        if (!(eps > 0 && eps <= 1)) throw new TrirlInputException("eps", $"must be in (0, 1], got {Check.Format(eps)}", "use a step size such as 0.2");
    }

    private static void CheckEta(double eta, string field)
    {
        if (!(eta >= 0) || !double.IsFinite(eta)) throw new TrirlInputException(field, $"must be a finite number >= 0, got {Check.Format(eta)}", "pass the trust region's multipliers");
    }
}
