using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Clientele.Bench;

/// <summary>
/// The whole run: data set, baseline (and wrk against it), then per storage provider the timed import, the server
/// and every scenario, then the report. Every process it starts is killed when it is done with it or gives up.
/// </summary>
internal sealed class Bench(BenchOptions options) : IDisposable
{
    /// <summary>The key the server is started with (<c>CLIENTELE_BOOTSTRAP_KEY</c>): valid for account <c>default</c>.</summary>
    private const string ApiKey = "bench-0123456789abcdef0123456789abcdef";

    /// <summary>Reads before writes, so reads see the data set as imported; creates last, as they grow the table.</summary>
    public static readonly string[] RunOrder =
    [
        "get", "search-eq", "search-contains", "search-tag", "search-2tags", "search-2contains", "search-tag-contains", "list",
        "patch", "put", "batch", "event", "create", NeighbourKey,
    ];

    /// <summary>Not a scenario of its own: two accounts at once, on a server of its own (<see cref="Neighbour"/>).</summary>
    public const string NeighbourKey = "neighbour";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private string ClienteleDll => Path.Combine(options.Repo, "src/Clientele/bin/Release/net10.0/clientele.dll");

    private string BaselineDll => Path.Combine(options.Repo, "bench/Baseline/bin/Release/net10.0/Clientele.Baseline.dll");

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        foreach (var dll in new[] { ClienteleDll, BaselineDll })
        {
            if (!File.Exists(dll))
            {
                await Console.Error.WriteLineAsync($"{dll} is missing: build Release first (bench/run.sh does).");
                return 1;
            }
        }
        var started = DateTimeOffset.UtcNow;
        var work = Directory.CreateTempSubdirectory("clientele-bench-").FullName;
        try
        {
            var data = Path.Combine(work, "customers.ndjson");
            Log($"Writing {options.Customers:N0} customers to {data}");
            var dataBytes = await DataSet.WriteNdjsonAsync(data, options.Customers, cancellationToken);

            await WaitForQuietAsync(cancellationToken);
            var (baseline, wrk, wrkError) = await RunBaselineAsync(work, cancellationToken);
            var providers = new List<ProviderRun>();
            foreach (var provider in options.Providers)
            {
                providers.Add(await new ProviderBench(options, this, provider, work, data).RunAsync(cancellationToken));
            }
            var machine = await Machine.DescribeAsync(options, cancellationToken);
            var run = new BenchRun(options, started, _clock.Elapsed, machine, dataBytes, baseline, wrk, wrkError, providers);
            await Report.WriteAsync(run, work, cancellationToken);
            Log($"Wrote {options.Out} in {_clock.Elapsed:mm\\:ss}");
            // The noisy account's refusals are the point of the neighbour scenario, not failures; the neighbour's are.
            var failures = providers.Where(p => p.Error is not null).Select(p => $"{p.Title}: {p.Error}")
                .Concat(providers.SelectMany(p => p.Scenarios).Append(baseline)
                    .Where(s => s.Error is not null || s.Result is { Failed: > 0 })
                    .Select(s => $"{s.Scenario.Title}: {s.Error ?? $"{s.Result!.Failed} failed requests"}"))
                .Concat(providers.Where(p => p.Neighbour is { } n && n.Quiet.Failed + n.Noisy.Failed > 0)
                    .Select(p => $"{p.Title} neighbour's GET: {p.Neighbour!.Quiet.Failed + p.Neighbour.Noisy.Failed} failed requests"))
                .ToList();
            failures.ForEach(f => Console.Error.WriteLine("FAILED " + f));
            return failures.Count == 0 ? 0 : 1;
        }
        finally
        {
            if (options.Keep)
            {
                Log($"Kept {work}");
            }
            else
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private async Task<(ScenarioRun Baseline, WrkResult? Wrk, string? WrkError)> RunBaselineAsync(string work, CancellationToken cancellationToken)
    {
        var port = Child.FreePort();
        var url = $"http://127.0.0.1:{port}";
        Log($"Baseline on {url}");
        await using var server = Child.Start("dotnet", [BaselineDll, "--urls", url], new Dictionary<string, string>(), work, Path.Combine(work, "baseline.log"));
        await server.WaitUntilHealthyAsync(_http, url + "/healthz", TimeSpan.FromSeconds(60), cancellationToken);
        var scenario = new ScenarioFactory(new Requests($"127.0.0.1:{port}", null), 1, options.Customers).Baseline();
        var baseline = await RunScenarioAsync(port, server.Id, null, scenario, seed: 0, cancellationToken);

        if (!Wrk.IsInstalled())
        {
            return (baseline, null, "wrk is not installed (bench/run.sh installs Debian's package)");
        }
        Log($"wrk against the baseline, {options.Connections} connections, {options.Duration.TotalSeconds:F0} s");
        var sample = new Random(7);
        var requests = Enumerable.Range(0, 64).Select(_ => scenario.Next(sample)).ToList();
        try
        {
            WrkResult? kept = null;
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                if (attempt > 1)
                {
                    await WaitForQuietAsync(cancellationToken);
                }
                var wrk = await Wrk.RunAsync(url + "/", server.Id, requests, options.Connections, options.Duration, work, cancellationToken);
                Log($"    {wrk.PerSecond,9:N0} req/s  p50 {wrk.P50Ms:F2} ms  p99 {wrk.P99Ms:F2} ms  cores: server {wrk.Cores.Server:F2}, wrk {wrk.Cores.Bench:F2}, other {wrk.Cores.Other:F2}");
                kept = kept is null || wrk.Cores.Other < kept.Cores.Other ? wrk : kept;
                if (wrk.Cores.Other < DisturbedCores || _quietLeft <= TimeSpan.Zero)
                {
                    break;
                }
                Log($"    disturbed by other work ({wrk.Cores.Other:F2} cores)");
            }
            return (baseline, kept, null);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or FormatException)
        {
            return (baseline, null, e.Message);
        }
    }

    /// <summary>Checks a few requests by hand, warms up, then measures; a scenario that fails is reported, not fatal.</summary>
    /// <remarks>
    /// The machine is shared: a timed run during which other work used more than <see cref="DisturbedCores"/> cores is
    /// run again once the machine is quiet (within <see cref="BenchOptions.QuietWait"/>), and the less disturbed run kept.
    /// </remarks>
    public async Task<ScenarioRun> RunScenarioAsync(int port, int serverPid, int? databasePid, Scenario scenario, int seed, CancellationToken cancellationToken)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        try
        {
            var matches = await SampleAsync(endpoint, scenario, cancellationToken);
            Log($"  {scenario.Title}: warm-up {options.Warmup.TotalSeconds:F1} s, then {options.Duration.TotalSeconds:F0} s{(matches is null ? "" : $" ({matches})")}");
            await ClosedLoop.RunAsync(endpoint, options.Connections, options.Warmup, scenario.Next, seed + 500, cancellationToken);
            ScenarioRun? kept = null;
            // Every ratio is to the baseline: it gets one more chance at a quiet machine.
            var attempts = scenario.Key == "baseline" ? 3 : 2;
            for (var attempt = 1; attempt <= attempts; attempt++)
            {
                if (attempt > 1)
                {
                    await WaitForQuietAsync(cancellationToken);
                    await ClosedLoop.RunAsync(endpoint, options.Connections, options.Warmup, scenario.Next, seed + 500, cancellationToken);
                }
                await using var watch = new Watch(serverPid, databasePid);
                var result = await ClosedLoop.RunAsync(endpoint, options.Connections, options.Duration, scenario.Next, seed, cancellationToken);
                var cores = watch.Cores();
                Log($"    {result.PerSecond,9:N0} req/s  p50 {result.P50Ms:F2} ms  p99 {result.P99Ms:F2} ms  failed {result.Failed}  cores: server {cores.Server:F2}, " +
                    $"database {cores.Database:F2}, bench {cores.Bench:F2}, other {cores.Other:F2}  RSS {watch.MaxRssMB:F0} MB");
                var run = new ScenarioRun(scenario, result, watch.MaxRssMB, cores, matches, null, attempt);
                kept = kept is null || run.Cores.Other < kept.Cores.Other ? run : kept with { Attempts = attempt };
                if (cores.Other < DisturbedCores || _quietLeft <= TimeSpan.Zero)
                {
                    break;
                }
                Log($"    disturbed by other work ({cores.Other:F2} cores)");
            }
            return kept!;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log($"    failed: {e.Message}");
            return new ScenarioRun(scenario, null, 0, default, null, e.Message);
        }
    }

    /// <summary>Cores of other work during a timed run above which the run is taken again.</summary>
    public const double DisturbedCores = 0.25;

    private TimeSpan _quietLeft = options.QuietWait;

    /// <summary>Waits for other work on the machine to stop, within what is left of <see cref="BenchOptions.QuietWait"/>.</summary>
    public async Task WaitForQuietAsync(CancellationToken cancellationToken)
    {
        if (_quietLeft <= TimeSpan.Zero)
        {
            return;
        }
        var clock = Stopwatch.StartNew();
        await ProcFs.WaitForQuietAsync(_quietLeft, DisturbedCores, Log, cancellationToken);
        _quietLeft -= clock.Elapsed;
    }

    /// <summary>Ten requests one by one: each must succeed; for searches and lists, how many customers match.</summary>
    private static async Task<string?> SampleAsync(IPEndPoint endpoint, Scenario scenario, CancellationToken outer)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(outer);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var cancellationToken = timeout.Token;
        using var connection = await HttpConnection.OpenAsync(endpoint, cancellationToken);
        var random = new Random(99);
        var totals = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            var (status, body) = await connection.SendKeepingBodyAsync(scenario.Next(random), cancellationToken);
            if (status is < 200 or >= 300)
            {
                throw new InvalidOperationException($"a sample request answered {status}: {System.Text.Encoding.UTF8.GetString(body)}");
            }
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("total", out var total))
            {
                totals.Add(total.GetInt64());
            }
        }
        return totals.Count == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"matches: median {totals.Order().ElementAt(totals.Count / 2):N0}, max {totals.Max():N0}");
    }

    /// <summary>Every scenario asked for but the neighbour; returns their runs and the imported customers' ids.</summary>
    public async Task<(ScenarioRun[] Runs, long FirstId, int Count)> RunScenariosAsync(int port, int serverPid, int? databasePid, CancellationToken cancellationToken)
    {
        var (first, count) = await IdRangeAsync(port, cancellationToken);
        var scenarios = new ScenarioFactory(new Requests($"127.0.0.1:{port}", ApiKey), first, count).All();
        // A fresh server spends its first seconds compiling hot methods again (tiered compilation): not in the first scenario's figures.
        Log($"  warming the server up: GET by id for {2 * options.Warmup.TotalSeconds:F0} s");
        await ClosedLoop.RunAsync(new IPEndPoint(IPAddress.Loopback, port), options.Connections, 2 * options.Warmup, scenarios.First(s => s.Key == "get").Next, 999, cancellationToken);
        var runs = new List<ScenarioRun>();
        foreach (var key in options.Scenarios.Where(key => key != NeighbourKey))
        {
            var scenario = scenarios.Single(s => s.Key == key);
            runs.Add(await RunScenarioAsync(port, serverPid, databasePid, scenario, seed: runs.Count + 1, cancellationToken));
        }
        return ([.. runs], first, count);
    }

    /// <summary>The imported customers' ids: the first and the count (an import into an empty database numbers them in file order).</summary>
    private async Task<(long First, int Count)> IdRangeAsync(int port, CancellationToken cancellationToken)
    {
        async Task<(long Id, long Total)> Edge(string order)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/v1/customers?limit=1&order={order}");
            request.Headers.Authorization = new("Bearer", ApiKey);
            using var answer = await _http.SendAsync(request, cancellationToken);
            answer.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(cancellationToken));
            return (json.RootElement.GetProperty("data")[0].GetProperty("id").GetInt64(), json.RootElement.GetProperty("total").GetInt64());
        }
        var (first, total) = await Edge("asc");
        var (last, _) = await Edge("desc");
        if (total != options.Customers || last - first + 1 != total)
        {
            throw new InvalidOperationException($"Expected ids {options.Customers} in a row after the import; found {total} customers, ids {first}…{last}.");
        }
        return (first, (int)total);
    }

    public HttpClient Http => _http;

    public static string Key => ApiKey;

    /// <summary>The heavy searches of account <c>default</c> over the imported customers, for a server on <paramref name="port"/>.</summary>
    public static Scenario HeavySearches(int port, long firstId, int count) =>
        new ScenarioFactory(new Requests($"127.0.0.1:{port}", ApiKey), firstId, count).HeavySearches();

    public string Dll => ClienteleDll;

    public void Dispose() => _http.Dispose();

    public void Log(string message) => Console.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {message}");
}
