using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Clientele.Bench;

/// <param name="Quiet">The second account's GETs with nothing else running.</param>
/// <param name="Noisy">The same GETs while the first account searches heavily.</param>
/// <param name="Heavy">The first account's searches, refusals (429 past its concurrency cap, 503 past the deadline) included.</param>
internal sealed record NeighbourRun(LoadResult Quiet, LoadResult Noisy, LoadResult Heavy, Cores Cores, int Connections)
{
    public double P99Ratio => Noisy.P99Ms / Quiet.P99Ms;
}

/// <summary>
/// The noisy-neighbour scenario: account <c>neighbour</c> reads its own customers by id, first alone, then while account
/// <c>default</c> (the data set) sends the heaviest searches it may legally send on every connection. One account's
/// searches must not take the reads of another: the neighbour's p99 under the noise is compared to its quiet p99.
/// </summary>
internal static class Neighbour
{
    public const string Account = "neighbour";

    /// <summary>The neighbour's customers: enough that its reads are spread over pages, few enough to create at start.</summary>
    private const int Customers = 1000;

    /// <summary>A tenant with a steady trickle of reads, not a second flood: its latency, not its rate, is the measure.</summary>
    private const int Connections = 4;

    public static async Task<NeighbourRun> RunAsync(Bench bench, BenchOptions options, int port, int serverPid, int? databasePid, string key, Scenario heavy, CancellationToken cancellationToken)
    {
        var ids = await CreateCustomersAsync(bench.Http, port, key, cancellationToken);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        var get = ScenarioFactory.NeighbourGet(new Requests($"127.0.0.1:{port}", key), ids);

        bench.Log($"  neighbour: {Customers:N0} customers of account '{Account}', GET by id on {Connections} connections, alone for {options.Duration.TotalSeconds:F0} s");
        await bench.WaitForQuietAsync(cancellationToken);
        // A fresh server: its first seconds go to compiling hot methods again, not into the quiet figures.
        await ClosedLoop.RunAsync(endpoint, Connections, 2 * options.Warmup, get.Next, 700, cancellationToken);
        var quiet = await ClosedLoop.RunAsync(endpoint, Connections, options.Duration, get.Next, 701, cancellationToken);
        bench.Log($"    quiet: {quiet.PerSecond,9:N0} req/s  p50 {quiet.P50Ms:F2} ms  p99 {quiet.P99Ms:F2} ms  failed {quiet.Failed}");

        bench.Log($"  neighbour: the same GETs while account 'default' sends {heavy.Title} on {options.Connections} connections");
        await bench.WaitForQuietAsync(cancellationToken);
        await ClosedLoop.RunAsync(endpoint, options.Connections, options.Warmup, heavy.Next, 702, cancellationToken);
        await using var watch = new Watch(serverPid, databasePid);
        var noise = ClosedLoop.RunAsync(endpoint, options.Connections, options.Duration, heavy.Next, 703, cancellationToken);
        var noisy = await ClosedLoop.RunAsync(endpoint, Connections, options.Duration, get.Next, 704, cancellationToken);
        var heavyResult = await noise;
        var cores = watch.Cores();
        bench.Log($"    noisy: {noisy.PerSecond,9:N0} req/s  p50 {noisy.P50Ms:F2} ms  p99 {noisy.P99Ms:F2} ms  failed {noisy.Failed} " +
                  $"(p99 {noisy.P99Ms / quiet.P99Ms:F2} × quiet); heavy searches {heavyResult.PerSecond:N0}/s answered 2xx, refused {Statuses(heavyResult)}");
        return new NeighbourRun(quiet, noisy, heavyResult, cores, Connections);
    }

    public static string Statuses(LoadResult result) =>
        result.FailedStatuses.Count == 0 ? "none" : string.Join(", ", result.FailedStatuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value:N0}"));

    private static async Task<List<long>> CreateCustomersAsync(HttpClient http, int port, string key, CancellationToken cancellationToken)
    {
        var ids = new List<long>(Customers);
        for (var i = 0; i < Customers; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/v1/customers")
            {
                Content = JsonContent.Create(new { name = $"Neighbour {i}", email = $"neighbour{i}@example.org", userId = $"n-{i}" }),
            };
            request.Headers.Authorization = new("Bearer", key);
            using var answer = await http.SendAsync(request, cancellationToken);
            answer.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(cancellationToken));
            ids.Add(json.RootElement.GetProperty("id").GetInt64());
        }
        return ids;
    }
}
