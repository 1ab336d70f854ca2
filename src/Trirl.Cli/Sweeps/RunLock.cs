using System.Diagnostics;
using System.Text.Json;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// The lock a run folder holds while <c>trirl sweep run-one</c> runs it (<c>runs/&lt;id&gt;/run.lock</c>: the machine, the
/// process id and its start time), so that a second <c>run-one</c> of the same run (a sweep started twice, a queue that
/// overlaps another) fails with a clear error instead of writing the same checkpoint and metrics from two processes. A
/// lock whose process has ended (killed, machine restarted) is stale and taken over; so is a lock from another machine,
/// the case of a Slurm task requeued after its node failed.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The lock's file name in a run folder.</summary>
    public const string FileName = "run.lock";

    private readonly string path;

    private RunLock(string path) => this.path = path;

    /// <summary>
    /// Takes the lock of <paramref name="runDir"/> for this process; fails naming <paramref name="id"/> and the holder
    /// while another live process on this machine holds it.
    /// </summary>
    public static RunLock Acquire(string runDir, string id)
    {
        string path = Path.Combine(runDir, FileName);
        var self = Holder.Current();
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                JsonSerializer.Serialize(stream, self);
                return new RunLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                var holder = Holder.Read(path);
                bool starting = holder is null && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < TimeSpan.FromSeconds(10);
                if (starting)
                    throw new TrirlInputException("--index", $"run {id} is being started by another process", "run it again once that process has ended");
                if (holder is not null && holder.IsAlive())
                    throw new TrirlInputException("--index", $"run {id} is already running (process {holder.Pid} on {holder.Machine})",
                        $"wait for it to end, or stop that process; a lock left by a process that has ended is taken over ({path})");
                File.Delete(path);   // stale: its process ended, or it was written on another machine
            }
        }
        throw new TrirlInputException("--index", $"run {id} was locked by another process while this one started", "run it again once that process has ended");
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        try { File.Delete(path); }
        catch (IOException) { }   // a lock left behind is stale once this process ends
    }

    // What a lock file holds; the start time tells a live holder from a later process that reuses its id.
    private sealed record Holder(string Machine, int Pid, long StartTicks)
    {
        // The runtime dates a process from the boot time, which each process estimates once with its own jitter (two
        // processes dated the same one 143 us apart here), so an exact comparison took every other process's live lock
        // for stale. A later process reusing the id within a second of the holder's start is not a practical case.
        private static readonly TimeSpan StartTolerance = TimeSpan.FromSeconds(1);

        public static Holder Current()
        {
            using var p = Process.GetCurrentProcess();
            return new Holder(Environment.MachineName, p.Id, p.StartTime.ToUniversalTime().Ticks);
        }

        public static Holder? Read(string path)
        {
            try { return JsonSerializer.Deserialize<Holder>(File.ReadAllText(path)); }
            catch (Exception e) when (e is IOException or JsonException) { return null; }   // being written, or damaged
        }

        public bool IsAlive()
        {
            if (Machine != Environment.MachineName) return false;
            try
            {
                using var p = Process.GetProcessById(Pid);
                return !p.HasExited && Math.Abs(p.StartTime.ToUniversalTime().Ticks - StartTicks) < StartTolerance.Ticks;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return false; }   // no such process
        }
    }
}
