using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Clientele.Bench;

/// <summary>One storage provider: a fresh database, the timed import of the data set, the server, the scenarios.</summary>
internal sealed partial class ProviderBench(BenchOptions options, Bench bench, string provider, string work, string data)
{
    public const string PostgresDatabase = "clientele_bench";

    private string Title => provider == "postgres" ? "PostgreSQL" : "SQLite";

    public async Task<ProviderRun> RunAsync(CancellationToken cancellationToken)
    {
        var dir = Path.Combine(work, provider);
        Directory.CreateDirectory(dir);
        ImportRun? import = null;
        ScenarioRun[] scenarios = [];
        NeighbourRun? neighbour = null;
        double peakRss = 0, databaseMB = 0;
        try
        {
            var environment = await PrepareDatabaseAsync(dir, cancellationToken);
            bench.Log($"{Title}: creating account 'default'");
            await RunCliAsync(environment, dir, ["accounts", "create", "default"], TimeSpan.FromMinutes(2), cancellationToken);
            string? neighbourKey = null;
            if (options.Scenarios.Contains(Bench.NeighbourKey))
            {
                await RunCliAsync(environment, dir, ["accounts", "create", Neighbour.Account], TimeSpan.FromMinutes(2), cancellationToken);
                // The log holds the command line, then the key: the verb's only output.
                var log = await RunCliAsync(environment, dir, ["keys", "create", "--account", Neighbour.Account], TimeSpan.FromMinutes(2), cancellationToken);
                neighbourKey = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            }
            await bench.WaitForQuietAsync(cancellationToken);
            import = await ImportAsync(environment, dir, cancellationToken);
            databaseMB = await DatabaseMBAsync(dir, cancellationToken);

            long firstId;
            int count;
            // The scenarios drive one account from 32 connections; its cap of 4 concurrent searches would turn most away.
            await using (var server = await StartServerAsync(environment, dir, "server.log", [new("Limits__SearchesPerAccount", "1000")], cancellationToken))
            {
                (scenarios, firstId, count) = await bench.RunScenariosAsync(server.Port, server.Child.Id, PostmasterPid(), cancellationToken);
                peakRss = ProcFs.StatusMB(server.Child.Id, "VmHWM");
            }
            if (neighbourKey is not null)
            {
                // The neighbour measures the server as shipped: its per-account search cap is what keeps one account's searches off the other's reads.
                await using var server = await StartServerAsync(environment, dir, "server-neighbour.log", [], cancellationToken);
                neighbour = await Neighbour.RunAsync(bench, options, server.Port, server.Child.Id, PostmasterPid(), neighbourKey,
                    Bench.HeavySearches(server.Port, firstId, count), cancellationToken);
                peakRss = Math.Max(peakRss, ProcFs.StatusMB(server.Child.Id, "VmHWM"));
            }
            return new ProviderRun(provider, import, scenarios, peakRss, databaseMB, null, neighbour);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            bench.Log($"{Title} failed: {e.Message}");
            return new ProviderRun(provider, import, scenarios, peakRss, databaseMB, e.Message, neighbour);
        }
    }

    private sealed record Server(Child Child, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Child.DisposeAsync();
    }

    /// <summary>The server on a free port, once it answers <c>/healthz</c>, with <paramref name="settings"/> beside the bench's own.</summary>
    private async Task<Server> StartServerAsync(
        Dictionary<string, string> environment, string dir, string log, KeyValuePair<string, string>[] settings, CancellationToken cancellationToken)
    {
        var port = Child.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var serverEnvironment = new Dictionary<string, string>(environment)
        {
            ["CLIENTELE_BOOTSTRAP_KEY"] = Bench.Key,
            ["RateLimiting__PermitsPerMinute"] = "100000000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Clientele.Requests"] = "Warning",
        };
        foreach (var (name, value) in settings)
        {
            serverEnvironment[name] = value;
        }
        bench.Log($"{Title}: server on {url}{string.Concat(settings.Select(s => $", {s.Key}={s.Value}"))}");
        var server = Child.Start("dotnet", [bench.Dll, "serve", "--urls", url], serverEnvironment, dir, Path.Combine(dir, log));
        try
        {
            await server.WaitUntilHealthyAsync(bench.Http, url + "/healthz", TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        bench.Log($"{Title}: server up, RSS {ProcFs.StatusMB(server.Id, "VmRSS"):F0} MB");
        return new Server(server, port);
    }

    /// <summary>The environment that points the CLI and the server at a new, empty database.</summary>
    private async Task<Dictionary<string, string>> PrepareDatabaseAsync(string dir, CancellationToken cancellationToken)
    {
        if (provider == "sqlite")
        {
            return new()
            {
                ["Storage__Provider"] = "sqlite",
                ["ConnectionStrings__Clientele"] = $"Data Source={Path.Combine(dir, "clientele.db")}",
            };
        }
        if (options.Postgres is null)
        {
            throw new InvalidOperationException("--postgres CONNECTION-STRING is needed for the postgres provider (bench/run.sh starts one).");
        }
        await using (var connection = new NpgsqlConnection(options.Postgres))
        {
            await connection.OpenAsync(cancellationToken);
            foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {PostgresDatabase} WITH (FORCE)", $"CREATE DATABASE {PostgresDatabase}" })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        return new()
        {
            ["Storage__Provider"] = "postgres",
            ["ConnectionStrings__Clientele"] = new NpgsqlConnectionStringBuilder(options.Postgres) { Database = PostgresDatabase }.ConnectionString,
        };
    }

    /// <summary>The import scenario: <c>clientele import</c> of the whole data set into the empty account, timed.</summary>
    private async Task<ImportRun> ImportAsync(Dictionary<string, string> environment, string dir, CancellationToken cancellationToken)
    {
        bench.Log($"{Title}: importing {options.Customers:N0} customers");
        var clock = Stopwatch.StartNew();
        var log = await RunCliAsync(environment, dir, ["import", data, "--account", "default"],
            TimeSpan.FromSeconds(120 + options.Customers / 500.0), cancellationToken);
        var wall = clock.Elapsed.TotalSeconds;
        var match = ImportedLine().Matches(log).LastOrDefault()
            ?? throw new InvalidOperationException("The import printed no summary line.");
        var customers = long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var seconds = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (customers != options.Customers)
        {
            throw new InvalidOperationException($"The import took {customers} of {options.Customers} customers.");
        }
        var run = new ImportRun(customers, seconds, wall);
        bench.Log($"    {run.PerSecond:N0} customers/s ({seconds:F1} s; {wall:F1} s with start-up)");
        return run;
    }

    /// <summary>The PostgreSQL server's main process, when it is the one scripts/postgres.sh started (to count its CPU apart).</summary>
    private int? PostmasterPid()
    {
        var pidFile = Path.Combine(Environment.GetEnvironmentVariable("CLIENTELE_TEST_POSTGRES_DIR") ?? "/nonexistent", "data", "postmaster.pid");
        return provider == "postgres" && File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    [GeneratedRegex(@"Imported ([\d,]+) customers .*? in ([\d.]+) s")]
    private static partial Regex ImportedLine();

    /// <summary>Runs a CLI verb to the end; returns its output, or throws with it when it fails.</summary>
    private async Task<string> RunCliAsync(Dictionary<string, string> environment, string dir, string[] arguments, TimeSpan limit, CancellationToken cancellationToken)
    {
        var log = Path.Combine(dir, $"cli-{arguments[0]}.log");
        int exit;
        await using (var cli = Child.Start("dotnet", [bench.Dll, .. arguments], environment, dir, log))
        {
            exit = await cli.WaitAsync(limit, cancellationToken);
        }
        var output = await File.ReadAllTextAsync(log, cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"clientele {arguments[0]} exited with code {exit}: {output[^Math.Min(output.Length, 500)..]}");
        }
        return output;
    }

    private async Task<double> DatabaseMBAsync(string dir, CancellationToken cancellationToken)
    {
        if (provider == "sqlite")
        {
            return Directory.EnumerateFiles(dir, "clientele.db*").Sum(f => new FileInfo(f).Length) / 1e6;
        }
        await using var connection = new NpgsqlConnection(options.Postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT pg_database_size('{PostgresDatabase}')", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! / 1e6;
    }
}
