namespace Trirl.Deep;

/// <summary>Running undiscounted returns of each training copy; collects the returns of the episodes that end.</summary>
internal sealed class EpisodeTracker(int copies)
{
    private double[] running = new double[copies];
    private readonly List<double> completed = [];

    public void Add(StepResult result)
    {
        var rewards = result.Rewards;
        for (int i = 0; i < running.Length; i++)
        {
            running[i] += rewards[i];
            if (result.Done(i))
            {
                completed.Add(running[i]);
                running[i] = 0;
            }
        }
    }

    /// <summary>The returns of the episodes that ended since the last call.</summary>
    public double[] TakeCompleted()
    {
        var done = completed.ToArray();
        completed.Clear();
        return done;
    }

    public void Save(BinaryWriter w)
    {
        w.Tag("episodes");
        w.WriteArray(running);
        w.WriteArray(completed.ToArray());
    }

    public void Load(BinaryReader r)
    {
        r.ExpectTag("episodes");
        var values = r.ReadDoubles();
        if (values.Length != running.Length) throw new InvalidDataException($"episode tracker has {values.Length} copies, expected {running.Length}");
        running = values;
        completed.Clear();
        completed.AddRange(r.ReadDoubles());
    }
}
