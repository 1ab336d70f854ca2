using Trirl.Environments.Data;

namespace Trirl.Deep;

/// <summary>
/// The first section of an imitation checkpoint: <c>"imitation"</c>, the iteration, behaviour cloning's step count,
/// the reward regressions done, <c>eta</c>, and the demonstrations as npz bytes.
/// </summary>
internal sealed record ImitationHeader(long Iteration, long CloningSteps, long Fits, double Eta, TransitionDataset? Demonstrations)
{
    /// <summary>The saved header, or a fresh one (the schedule's initial <c>eta</c>) without <paramref name="resume"/>.</summary>
    public static ImitationHeader Read(BinaryReader? resume, ImitationSettings settings)
    {
        if (resume is null) return new(0, 0, 0, settings.EtaSchedule.Initial, null);
        resume.ExpectTag("imitation");
        long iteration = resume.ReadInt64(), cloning = resume.ReadInt64(), fits = resume.ReadInt64();
        double eta = resume.ReadDouble();
        int bytes = resume.ReadInt32();
        using var npz = new MemoryStream(resume.ReadBytes(bytes));
        return new(iteration, cloning, fits, eta, TransitionDataset.Read(npz, "the checkpoint's demonstrations"));
    }

    /// <summary>The saved demonstrations, else <paramref name="given"/>, checked against <paramref name="env"/>, with their transitions.</summary>
    public (TransitionDataset Data, TransitionBatch Expert) DemonstrationsFor(TransitionDataset? given, ContinuousEnv env)
    {
        var data = Trirl.Deep.Demonstrations.Checked(Demonstrations ?? given
            ?? throw new TrirlInputException("demonstrations", "are missing", "pass expert demonstrations"), env, "demonstrations");
        return (data, TransitionBatch.Of(data, Trirl.Deep.Demonstrations.Terminations(data, env.Spec.MaxSteps)));
    }

    /// <summary>Checks the arguments of a learner's start and loads libtorch.</summary>
    public static void CheckStart(ContinuousEnv env, ImitationSettings settings, TransitionDataset demonstrations, Device device)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(demonstrations);
        ArgumentNullException.ThrowIfNull(device);
        settings.Validated();
        TorchRuntime.Ensure();
    }

    public static void Write(BinaryWriter w, long iteration, long cloningSteps, long fits, double eta, TransitionDataset demonstrations)
    {
        w.Tag("imitation");
        w.Write(iteration);
        w.Write(cloningSteps);
        w.Write(fits);
        w.Write(eta);
        var bytes = demonstrations.ToBytes();
        w.Write(bytes.Length);
        w.Write(bytes);
    }
}
