using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>
/// Expert demonstrations for an imitation run: a <see cref="TransitionDataset"/> checked against the task (observation
/// and action sizes), and the termination flags the discriminators need. A dataset records <c>dones</c> (terminated or
/// truncated) only; an episode that ends before the task's time limit terminated, one that ends at the limit was
/// truncated (<see cref="Terminations"/>).
/// </summary>
public static class Demonstrations
{
    /// <summary>The dataset in the <c>.npz</c> file at <paramref name="path"/>, checked against <paramref name="env"/>.</summary>
    public static TransitionDataset Load(string path, ContinuousEnv env, string field = "demos")
    {
        ArgumentNullException.ThrowIfNull(env);
        if (string.IsNullOrWhiteSpace(path)) throw new TrirlInputException(field, "is empty", "pass an .npz file of expert transitions (trirl expert writes demos.npz)");
        if (!File.Exists(path)) throw new TrirlInputException(field, $"'{path}' does not exist", "pass an .npz file of expert transitions (trirl expert writes demos.npz)");
        return Checked(TransitionDataset.Load(path), env, path, field);
    }

    /// <summary>Checks that <paramref name="data"/> fits <paramref name="env"/>; <paramref name="source"/> names it in errors.</summary>
    public static TransitionDataset Checked(TransitionDataset data, ContinuousEnv env, string source, string field = "demos")
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(env);
        var spec = env.Spec;
        if (data.ObservationSize != spec.ObservationSize)
            throw new TrirlInputException(field, $"'{source}' has observations of size {data.ObservationSize} but {env.Name} has {spec.ObservationSize} ({string.Join(", ", spec.ObservationNames)})",
                $"pass demonstrations recorded on {env.Name} (trirl expert or trirl rollout on {env.Name})");
        if (data.ActionSize != spec.ActionSize)
            throw new TrirlInputException(field, $"'{source}' has actions of size {data.ActionSize} but {env.Name} has {spec.ActionSize}",
                $"pass demonstrations recorded on {env.Name}");
        return data;
    }

    /// <summary>
    /// Whether each transition terminated: it ends its episode (<c>dones</c>) before the episode reached
    /// <paramref name="maxSteps"/> steps (an episode of exactly <paramref name="maxSteps"/> steps was truncated by the time
    /// limit). Episodes are the runs of transitions between <c>dones</c>; a trailing run without a done is unfinished.
    /// </summary>
    public static bool[] Terminations(TransitionDataset data, int maxSteps)
    {
        ArgumentNullException.ThrowIfNull(data);
        Check.PositiveInt(maxSteps, nameof(maxSteps));
        var flags = new bool[data.Count];
        int length = 0;
        for (int i = 0; i < data.Count; i++)
        {
            length++;
            if (data.Dones[i])
            {
                flags[i] = length < maxSteps;
                length = 0;
            }
        }
        return flags;
    }
}
