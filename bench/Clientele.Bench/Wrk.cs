using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Clientele.Bench;

/// <param name="Cores">Server, wrk (as the generator) and other work, during the run.</param>
internal sealed record WrkResult(double PerSecond, double P50Ms, double P99Ms, int Threads, string Version, Cores Cores);

/// <summary>
/// Runs <c>wrk</c> (Debian's package) against the baseline with the same connections, duration and requests as
/// the bench's own generator, to show that the generator is not what limits the numbers.
/// </summary>
internal static partial class Wrk
{
    public static bool IsInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "wrk")));

    public static async Task<WrkResult> RunAsync(
        string url, int serverPid, IReadOnlyList<byte[]> requests, int connections, TimeSpan duration, string workDir, CancellationToken cancellationToken)
    {
        var version = await VersionAsync(workDir, cancellationToken);
        var script = Path.Combine(workDir, "baseline.lua");
        await File.WriteAllTextAsync(script, Lua(requests), cancellationToken);
        var threads = Math.Min(Environment.ProcessorCount, connections);
        var log = Path.Combine(workDir, $"wrk-{DateTime.UtcNow:HHmmssfff}.log");
        string[] arguments = ["-t", $"{threads}", "-c", $"{connections}", "-d", $"{Math.Max(1, (int)duration.TotalSeconds)}s", "--latency", "-s", script, url];
        Cores cores;
        await using (var watch = new Watch(serverPid, null))
        await using (var wrk = Child.Start("wrk", arguments, new Dictionary<string, string>(), workDir, log))
        {
            // wrk's own CPU, read until it exits (to within the last 100 ms).
            var wrkCpu = 0.0;
            var exited = wrk.WaitAsync(duration + TimeSpan.FromSeconds(30), cancellationToken);
            while (!exited.IsCompleted)
            {
                wrkCpu = Math.Max(wrkCpu, ProcFs.CpuSeconds(wrk.Id));
                await Task.WhenAny(exited, Task.Delay(100, cancellationToken));
            }
            var exit = await exited;
            if (exit != 0)
            {
                throw new InvalidOperationException($"wrk exited with code {exit}; see {log}");
            }
            var measured = watch.Cores();
            var seconds = duration.TotalSeconds;
            cores = measured with { Bench = wrkCpu / seconds + measured.Bench };
        }
        var output = await File.ReadAllTextAsync(log, cancellationToken);
        return new WrkResult(
            double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50%"), Percentile(output, "99%"), threads, version, cores);
    }

    private static async Task<string> VersionAsync(string workDir, CancellationToken cancellationToken)
    {
        var log = Path.Combine(workDir, "wrk-version.log");
        await using (var wrk = Child.Start("wrk", ["--version"], new Dictionary<string, string>(), workDir, log))
        {
            await wrk.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        var match = Regex.Match(await File.ReadAllTextAsync(log, cancellationToken), @"^wrk (\S+)", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : "";
    }

    /// <summary>A Lua script that sends the given raw requests in turn (each wrk thread from its own start).</summary>
    private static string Lua(IReadOnlyList<byte[]> requests)
    {
        var lua = new StringBuilder("local requests = {\n");
        foreach (var request in requests)
        {
            lua.Append("  \"");
            foreach (var b in request)
            {
                // Decimal escapes for anything but plain printable ASCII: Lua long strings would rewrite CRLF.
                if (b is >= 0x20 and < 0x7f && b != '"' && b != '\\')
                {
                    lua.Append((char)b);
                }
                else
                {
                    lua.Append('\\').Append(((int)b).ToString("D3", CultureInfo.InvariantCulture));
                }
            }
            lua.Append("\",\n");
        }
        lua.Append("}\nlocal i = 0\nrequest = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n");
        return lua.ToString();
    }

    /// <summary>A line of wrk's "Latency Distribution", such as <c>99%    3.21ms</c>, in milliseconds.</summary>
    private static double Percentile(string output, string label)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            return double.NaN;
        }
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();
}
