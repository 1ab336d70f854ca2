namespace Trirl.Functional;

public static partial class Irl
{
    /// <summary>
    /// The log density ratio (math note, section 4): <c>D(s,a) = log rho_E(s,a) - log rho_pi(s,a)</c>.
    /// Pairs that neither occupancy visits get <c>D = 0</c> (the reward there never matters). A pair that
    /// only one of them visits has no finite ratio: that is an error naming the pair.
    /// </summary>
    public static StateActionTable LogRatio(StateActionTable expertOccupancy, StateActionTable policyOccupancy)
    {
        StateActionTable.RequireSameShape(expertOccupancy, policyOccupancy, nameof(policyOccupancy));
        var e = expertOccupancy.Span;
        var p = policyOccupancy.Span;
        var d = new double[e.Length];
        int actions = expertOccupancy.Actions;
        for (int i = 0; i < d.Length; i++)
        {
            if (e[i] == 0 && p[i] == 0) continue;
            if (!(e[i] > 0) || !(p[i] > 0))
                throw new TrirlInputException($"occupancy[{i / actions}][{i % actions}]",
                    $"the expert occupancy is {Check.Format(e[i])} and the policy occupancy {Check.Format(p[i])}: their log-ratio is not finite",
                    "use occupancies with the same support (soft policies on the same MDP), or estimate D with a discriminator");
            d[i] = Math.Log(e[i]) - Math.Log(p[i]);
        }
        return StateActionTable.Own(expertOccupancy.States, actions, d);
    }
}
