using System.Diagnostics;
using System.Globalization;

namespace Clientele.Bench;

/// <summary>Memory and CPU of a process and of the machine, from <c>/proc</c>.</summary>
internal static class ProcFs
{
    /// <summary>Clock ticks per second of <c>/proc/PID/stat</c> times: 100 on every Linux that .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>A line of <c>/proc/PID/status</c> such as <c>VmRSS</c> or <c>VmHWM</c>, in MB (10⁶ bytes); 0 once the process is gone.</summary>
    public static double StatusMB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024 / 1e6;
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>User + system CPU seconds the process has used; with <paramref name="waitedChildren"/>, also its ended children's.</summary>
    public static double CpuSeconds(int pid, bool waitedChildren = false)
    {
        var fields = Stat(pid);
        if (fields is null)
        {
            return 0;
        }
        // utime, stime, cutime, cstime are fields 14–17 of stat(5), here 11–14.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (waitedChildren)
        {
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>
    /// CPU seconds of a process and its children, those running and those ended (a PostgreSQL server: the
    /// postmaster and its backends). Differences of two readings are what the tree used in between.
    /// </summary>
    public static double TreeCpuSeconds(int root)
    {
        var total = CpuSeconds(root, waitedChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } fields
                && int.Parse(fields[1], CultureInfo.InvariantCulture) == root)
            {
                total += CpuSeconds(pid);
            }
        }
        return total;
    }

    /// <summary>
    /// CPU seconds of every user-space process that is not one of <paramref name="ours"/> nor a child of one: other
    /// work on the shared machine. Ended processes count through their parent's reaped-children times, so the
    /// difference of two readings is what other work used in between. Kernel threads (children of kthreadd, pid 2)
    /// are left out: they also do this run's own disk writes.
    /// </summary>
    public static double OtherProcessesCpuSeconds(IReadOnlySet<int> ours)
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid) && pid != 2 && !ours.Contains(pid)
                && Stat(pid) is { } fields && int.Parse(fields[1], CultureInfo.InvariantCulture) is var parent && parent != 2 && !ours.Contains(parent))
            {
                total += CpuSeconds(pid, waitedChildren: true);
            }
        }
        return total;
    }

    /// <summary>The fields of <c>/proc/PID/stat</c> after the command name (state first, then ppid); null once the process is gone.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may hold spaces and parentheses: it ends at the last ')'.
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>CPU seconds the whole machine spent busy (all but idle and iowait), summed over cores.</summary>
    public static double MachineBusySeconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = cpu[3] + cpu[4];
        var total = cpu.Take(8).Sum();
        return (total - idle) / TicksPerSecond;
    }

    /// <summary>
    /// The machine is shared: waits, for at most <paramref name="limit"/>, until the machine is nearly idle (other
    /// work under <paramref name="threshold"/> cores over two seconds). Returns the cores other work used last.
    /// </summary>
    public static async Task<double> WaitForQuietAsync(TimeSpan limit, double threshold, Action<string> log, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var reported = false;
        var ours = new HashSet<int> { Environment.ProcessId };
        var quietWindows = 0;
        while (true)
        {
            var before = OtherProcessesCpuSeconds(ours);
            await Task.Delay(2000, cancellationToken);
            var busy = (OtherProcessesCpuSeconds(ours) - before) / 2;
            // Other work comes in bursts: quiet means three quiet windows in a row.
            quietWindows = busy < threshold ? quietWindows + 1 : 0;
            if (quietWindows == 3 || Stopwatch.GetTimestamp() >= until)
            {
                if (reported || busy >= threshold)
                {
                    log(busy < threshold ? $"    quiet now ({busy:F2} cores busy)" : $"    still {busy:F2} cores busy with other work; going on");
                }
                return busy;
            }
            if (!reported && busy >= threshold)
            {
                log($"    other work keeps {busy:F2} cores busy; waiting up to {limit.TotalMinutes:F0} min for the machine to be quiet");
                reported = true;
            }
        }
    }
}

/// <summary>Cores busy on average over a timed run: the server, its PostgreSQL, the load generator, other processes, everything.</summary>
/// <param name="Other">Other user-space work on the shared machine, which competed with the run.</param>
internal readonly record struct Cores(double Server, double Database, double Bench, double Other, double Machine)
{
    /// <summary>The rest: kernel threads and interrupts, mostly the run's own network and disk work.</summary>
    public double Kernel => Math.Max(0, Machine - Server - Database - Bench - Other);
}

/// <summary>Samples the server's resident set while a scenario runs, and the CPU that it, its database, the bench and the machine used.</summary>
internal sealed class Watch : IAsyncDisposable
{
    private readonly int _pid;
    private readonly int? _database;
    private readonly HashSet<int> _ours;
    private readonly Cores _start;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    public Watch(int pid, int? database)
    {
        _pid = pid;
        _database = database;
        _ours = [Environment.ProcessId, pid];
        if (database is { } postmaster)
        {
            _ours.Add(postmaster);
        }
        _start = Now();
        _sampler = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                MaxRssMB = Math.Max(MaxRssMB, ProcFs.StatusMB(_pid, "VmRSS"));
                try
                {
                    await Task.Delay(200, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public double MaxRssMB { get; private set; }

    private Cores Now() => new(
        ProcFs.CpuSeconds(_pid),
        _database is { } postmaster ? ProcFs.TreeCpuSeconds(postmaster) : 0,
        Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        ProcFs.OtherProcessesCpuSeconds(_ours),
        ProcFs.MachineBusySeconds());

    /// <summary>Cores busy on average since the watch started.</summary>
    public Cores Cores()
    {
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var now = Now();
        return new((now.Server - _start.Server) / seconds, (now.Database - _start.Database) / seconds,
            (now.Bench - _start.Bench) / seconds, (now.Other - _start.Other) / seconds, (now.Machine - _start.Machine) / seconds);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }
}
