using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Npgsql;

namespace Clientele.Bench;

/// <summary>What the numbers were measured on: the commit, the hardware, the software and its durability settings.</summary>
internal static class Machine
{
    public static async Task<IReadOnlyList<(string Name, string Value)>> DescribeAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var facts = new List<(string, string)>
        {
            ("commit", await CommitAsync(options.Repo, cancellationToken)),
            ("CPU", $"{Field("/proc/cpuinfo", "model name")}, {Environment.ProcessorCount} cores"),
            ("memory", $"{long.Parse(Field("/proc/meminfo", "MemTotal").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1048576.0:F0} GiB"),
            ("OS", $"{Field("/etc/os-release", "PRETTY_NAME", '=').Trim('"')}, Linux {Read("/proc/sys/kernel/osrelease")}"),
            ("load average at the end (1, 5, 15 min)", string.Join(' ', Read("/proc/loadavg").Split(' ').Take(3))),
            (".NET", RuntimeInformation.FrameworkDescription),
            ("SQLite", $"Microsoft.Data.Sqlite {PackageVersion(options.Repo, "Microsoft.Data.Sqlite")} (bundled SQLite), WAL, synchronous=FULL"),
        };
        if (options.Providers.Contains("postgres") && options.Postgres is not null)
        {
            facts.Add(("PostgreSQL", await PostgresAsync(options.Postgres, cancellationToken)));
        }
        return facts;
    }

    private static async Task<string> PostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var settings = new List<string>();
        foreach (var name in new[] { "server_version", "shared_buffers", "synchronous_commit", "fsync", "max_connections" })
        {
            await using var command = new NpgsqlCommand($"SHOW {name}", connection);
            settings.Add($"{name}={await command.ExecuteScalarAsync(cancellationToken)}");
        }
        return "same machine, Debian's package, default configuration: " + string.Join(", ", settings);
    }

    private static async Task<string> CommitAsync(string repo, CancellationToken cancellationToken)
    {
        var head = await GitAsync(repo, ["rev-parse", "--short", "HEAD"], cancellationToken);
        var subject = await GitAsync(repo, ["log", "-1", "--format=%s"], cancellationToken);
        // The report and chart this run rewrites do not make the tree dirty.
        var changes = await GitAsync(repo, ["status", "--porcelain", "--", ".", ":!bench/RESULTS*.md", ":!bench/*.png", ":!bench/out"], cancellationToken);
        return $"`{head}`{(changes.Length > 0 ? " with uncommitted changes" : "")} ({subject})";
    }

    private static async Task<string> GitAsync(string repo, string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repo };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        try
        {
            using var git = Process.Start(info)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var output = await git.StandardOutput.ReadToEndAsync(timeout.Token);
            await git.WaitForExitAsync(timeout.Token);
            return git.ExitCode == 0 ? output.Trim() : "unknown";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return "unknown";
        }
    }

    private static string PackageVersion(string repo, string package)
    {
        var props = Path.Combine(repo, "Directory.Packages.props");
        var match = File.Exists(props)
            ? Regex.Match(File.ReadAllText(props), $"Include=\"{Regex.Escape(package)}\" Version=\"([^\"]+)\"")
            : Match.Empty;
        return match.Success ? match.Groups[1].Value : "?";
    }

    private static string Field(string path, string name, char separator = ':')
    {
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line is null ? "?" : line[(line.IndexOf(separator, StringComparison.Ordinal) + 1)..].Trim();
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "?";
}
