using System.Diagnostics;
using System.Text;
using Trirl.Cli.Terminal;

namespace Trirl.Cli.Sweeps;

/// <summary>
/// <c>trirl sweep run DIR --jobs N</c>: runs the plan on this machine, N child processes of this same trirl at a time,
/// each <c>trirl sweep run-one DIR --index I</c> (so a run skips, resumes and marks its exit exactly as under Slurm),
/// its output in <c>DIR/logs/&lt;id&gt;.log</c>. Runs whose <c>summary.json</c> exists are not started.
/// </summary>
public static class LocalSweep
{
    /// <summary>Runs the sweep; returns 0 when every run has finished, 1 (with one error line naming them) when some failed.</summary>
    public static int Execute(string dir, int jobs)
    {
        Check.PositiveInt(jobs, "--jobs", "run at least one process at a time, e.g. --jobs 4");
        string full = SweepFolder.Existing(dir);
        var ids = SweepFolder.Ids(full);
        var todo = Enumerable.Range(0, ids.Count).Where(i => !SweepFolder.IsDone(full, ids[i])).ToArray();
        int done = ids.Count - todo.Length;
        System.Console.Out.WriteLine(
            $"sweep {full}: {ids.Count} runs, {done} done, {todo.Length} to run" +
            (todo.Length > 0 ? $", {Math.Min(jobs, todo.Length)} at a time (logs in {Path.Combine(full, SweepFolder.LogsFolder)})" : ""));
        if (todo.Length == 0) return ExitCodes.Success;
        Directory.CreateDirectory(Path.Combine(full, SweepFolder.LogsFolder));

        var trirl = TrirlExecutable.Command();
        var failures = new List<string>();
        SweepProgress.Track($"sweep {Path.GetFileName(full)}", ids.Count, done, report =>
        {
            var pending = new Queue<int>(todo);
            var running = new List<(Task<int> Exit, int Index, Stopwatch Watch)>();
            while (pending.Count > 0 || running.Count > 0)
            {
                while (running.Count < jobs && pending.Count > 0)
                {
                    int index = pending.Dequeue();
                    running.Add((Start(trirl, full, index, SweepFolder.LogFile(full, ids[index])), index, Stopwatch.StartNew()));
                    report(new SweepEvent(ids[index], false, false, 0, "", running.Count, failures.Count));
                }
                var first = Task.WhenAny(running.Select(r => r.Exit)).GetAwaiter().GetResult();
                var ended = running.First(r => r.Exit == first);
                running.Remove(ended);
                string id = ids[ended.Index];
                int code = ended.Exit.GetAwaiter().GetResult();
                string detail = code != 0 ? $"exit code {code}, log {SweepFolder.LogFile(full, id)}"
                    : !SweepFolder.IsDone(full, id) ? $"exit code 0 but no summary.json, log {SweepFolder.LogFile(full, id)}" : "";
                if (detail.Length > 0) failures.Add($"{id} ({detail})");
                report(new SweepEvent(id, true, detail.Length == 0, ended.Watch.Elapsed.TotalSeconds, detail, running.Count, failures.Count));
            }
            return 0;
        });
        if (failures.Count == 0)
        {
            System.Console.Out.WriteLine($"sweep {full}: all {ids.Count} runs done");
            return ExitCodes.Success;
        }
        Messages.Error($"{failures.Count} of {todo.Length} runs failed: {string.Join(", ", failures.Take(5))}{(failures.Count > 5 ? $" and {failures.Count - 5} more" : "")}");
        return ExitCodes.Failure;
    }

    /// <summary>Starts <c>trirl sweep run-one DIR --index I</c> with stdout and stderr in <paramref name="log"/>; the task ends with its exit code.</summary>
    private static Task<int> Start(IReadOnlyList<string> trirl, string dir, int index, string log)
    {
        var info = new ProcessStartInfo(trirl[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var token in trirl.Skip(1)) info.ArgumentList.Add(token);
        foreach (var token in new[] { "sweep", "run-one", dir, "--index", index.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(token);
        var writer = new StreamWriter(log, append: false, new UTF8Encoding(false)) { AutoFlush = true };
        var gate = new object();
        void Line(string? text)
        {
            if (text is null) return;
            lock (gate) writer.WriteLine(text);
        }
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return Task.Run(async () =>
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            process.WaitForExit(); // drains the redirected output into the log before it is closed
            int code = process.ExitCode;
            process.Dispose();
            lock (gate) writer.Dispose();
            return code;
        });
    }
}
