using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>
/// Seeded fuzzing of every route (spec §1, §2, §6). The seed is printed and taken from <c>FUZZ_SEED</c> when set,
/// so a failure replays; <c>FUZZ_SCALE</c> multiplies the request counts. Each test reports every distinct
/// failure it met, grouped, with replayable examples.
/// </summary>
public sealed class FuzzTests
{
    private const int HostileRequestCount = 10_000;
    private const int BatchSize = 500;
    private const int InFlight = 8;
    private const int EditWorkers = 8;
    private const int EditsPerWorker = 250;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Thousands of requests the spec refuses (every field with every wrong type, malformed, truncated and over-deep
    /// JSON, names or strings that are not valid Unicode anywhere in a body, a NUL in any text the server would
    /// store or compare with stored text, bad, foreign and never-issued ids, bad filters, sorts and paging, unknown
    /// routes, wrong methods, bad keys, bodies and URLs over the limits), mixed with reads, searches, pages past the
    /// end and no-op edits, 8 at a time. Every answer is 2xx or 4xx, every non-2xx exactly the envelope with the
    /// code the spec fixes (<c>invalid_json</c> for text that is not Unicode, the field for a NUL), and the tables
    /// behind the server are byte for byte what they were after every 500 requests.
    /// </summary>
    [Fact]
    public async Task HostileRequests_OnEveryRoute_AnswerOnly2xxOr4xxWithTheEnvelope_AndChangeNothing()
    {
        var seed = FuzzSeed.Resolve(nameof(HostileRequests_OnEveryRoute_AnswerOnly2xxOr4xxWithTheEnvelope_AndChangeNothing));
        var rng = new Random(seed);
        var failures = new FuzzFailures(seed);
        await using var app = await ClienteleApp.StartAsync();
        var world = await SeedWorldAsync(app);
        using var http = CreateRawClient(app);
        var generator = new HostileRequests(rng, world);
        var requests = Enumerable.Range(0, (int)(HostileRequestCount * FuzzSeed.Scale)).Select(_ => generator.Next()).ToList();
        Log($"{requests.Count} hostile requests, fingerprint {HostileRequests.Fingerprint(requests)}");

        var statuses = new ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();
        var baseline = await DatabaseSnapshot.TakeAsync(app.Database);
        var initial = baseline;
        // Customers (0: the count) a request that must change nothing did change: what was built on them no longer holds.
        var changed = new HashSet<long>();
        var skipped = 0;
        foreach (var (batch, index) in requests.Chunk(BatchSize).Select((b, i) => (b, i)))
        {
            var succeeded = new ConcurrentBag<FuzzRequest>();
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = Ct }, async (request, _) =>
            {
                if (request.RestsOn is { } on && changed.Contains(on))
                {
                    Interlocked.Increment(ref skipped);
                    return;
                }
                try
                {
                    var answer = await http.SendAsync(request);
                    statuses.AddOrUpdate(answer.Status, 1, (_, n) => n + 1);
                    if (answer.Status is >= 200 and < 300 && request.Method != "GET")
                    {
                        succeeded.Add(request);
                    }
                    if (FuzzSending.Violation(request, answer) is { } violation)
                    {
                        failures.Add(request, violation);
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Add(request, "no answer: " + e.Message);
                }
            });

            var after = await DatabaseSnapshot.TakeAsync(app.Database);
            if (after.Hash != baseline.Hash)
            {
                var suspects = string.Join("\n      ", succeeded.Take(10).Select(r => r.Describe()));
                failures.Add("database changed by requests that must change nothing",
                    $"the tables changed: during batch {index},\n{baseline.DescribeDifference(after)}\n    requests of that batch answered 2xx (besides GETs):\n      {suspects}",
                    $"batch {index} of {BatchSize}");
                // The run goes on, so one bug hides no other; requests built on what changed are skipped, not misjudged.
                changed.UnionWith(await ChangedAsync(http, world));
            }
            baseline = after;
        }
        Log($"sent {statuses.Values.Sum()} in {clock.Elapsed.TotalSeconds:F1} s; statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}"
            + (skipped > 0 ? $"; {skipped} skipped, built on customers {string.Join(", ", changed.Order())} that an earlier request changed" : ""));

        await AssertHealthyAsync(http, failures);
        foreach (var (id, raw) in world.Raw.Where(c => !changed.Contains(c.Key)))
        {
            var answer = await http.SendAsync(FuzzRequest.Json("final read", "GET", $"v1/customers/{id}", null, FuzzExpect.Accept) with { Authorization = "Bearer " + world.KeyA });
            if (answer.Body != raw)
            {
                failures.Add("final read", $"customer {id} changed: before {FuzzSending.Clip(raw)}, now {answer.Status} {FuzzSending.Clip(answer.Body)}", $"GET /v1/customers/{id}");
            }
        }
        var final = await DatabaseSnapshot.TakeAsync(app.Database);
        Assert.True(failures.Count == 0 && final.Hash == initial.Hash,
            failures.Report("Hostile requests") + (final.Hash == initial.Hash ? "" : "\nThe tables differ from the start:\n" + initial.DescribeDifference(final)));
    }

    /// <summary>
    /// Eight accounts at once create, replace, merge, tag, batch, search, log events for and delete customers with
    /// values that are valid but hostile (direction marks, emoji, combining marks, control characters, lookalike tag
    /// names, numbers sent for text and kept as sent, limits exactly reached, NUL where it is not stored as text:
    /// event data, ignored members), each answer checked against a model of spec §3/§4 and against a fresh GET.
    /// Edits the spec refuses (a NUL put in one stored text, text that is not valid Unicode, a broken field) answer
    /// 400 with the code it fixes and change nothing; requests it leaves open answer 2xx or 4xx consistently.
    /// </summary>
    [Fact]
    public async Task HostileButValidEdits_FromEightAccountsAtOnce_MatchTheSpecAndTheirOwnGets()
    {
        var seed = FuzzSeed.Resolve(nameof(HostileButValidEdits_FromEightAccountsAtOnce_MatchTheSpecAndTheirOwnGets));
        var failures = new FuzzFailures(seed);
        await using var app = await ClienteleApp.StartAsync();
        using var http = CreateRawClient(app);
        var workers = new List<EditFuzzer>();
        for (var worker = 0; worker < EditWorkers; worker++)
        {
            // One generator per worker, derived from the run's seed (not HashCode, which differs per process).
            workers.Add(new EditFuzzer(http, await app.CreateKeyAsync($"fuzz-{worker}"), worker, new Random(unchecked((seed * 397) ^ (worker + 1))), failures));
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync((int)(EditsPerWorker * FuzzSeed.Scale)), Ct)));
        Log($"sent {workers.Sum(w => w.Requests)} requests in {clock.Elapsed.TotalSeconds:F1} s");

        await AssertHealthyAsync(http, failures);
        Assert.True(failures.Count == 0, failures.Report("Hostile but valid edits"));
    }

    /// <summary>Account A with 16 customers (tags, userIds, customData, events); account B with 3, one holding A's userId and tag names.</summary>
    private static async Task<FuzzWorld> SeedWorldAsync(ClienteleApp app)
    {
        var keyA = await app.CreateKeyAsync("acme");
        var a = app.CreateClient(keyA);
        var b = await app.CreateClientAsync("other");
        var own = new List<long>();
        var userIds = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < 16; i++)
        {
            var userId = i % 2 == 0 ? $"\"seed-user-{i}\"" : "null";
            var id = await a.CreateCustomerAsync($$$"""
                {"name":"Seed {{{i}}} \u200F东京 e\u0301 😀","email":"seed{{{i}}}@example.com","userId":{{{userId}}},"company":"Acme","phone":"+3805012345{{{i:D2}}}",
                 "firstSeen":{{{1603885746 + i}}},"locale":"en","location":{"city":"Kyiv","regionCode":"30","countryCode":"UA"},
                 "tags":[{"name":"Lead","color":"#112233"},{"name":"VIP"},{"name":"t{{{i % 3}}}"}],
                 "customData":{"plan":"pro","seats":{{{i}}},"ratio":0.50,"flag":true,"note":"\u00e9\u202E"}}
                """);
            own.Add(id);
            if (i % 2 == 0)
            {
                userIds[$"seed-user-{i}"] = id;
            }
            if (i < 3)
            {
                Assert.Equal(HttpStatusCode.OK, (await a.CallAsync(HttpMethod.Post, "events", $$"""{"name":"signup","data":{"plan":"pro"},"customer":{{id}}}""")).Status);
            }
        }
        var foreign = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var id = await b.CreateCustomerAsync($$"""{"name":"Other {{i}}","userId":"seed-user-{{i}}","tags":[{"name":"Lead","color":"#445566"}]}""");
            foreign.Add(id);
            Assert.Equal(HttpStatusCode.OK, (await b.CallAsync(HttpMethod.Post, "events", $$"""{"name":"signup","customer":{{id}}}""")).Status);
        }
        var raw = new Dictionary<long, string>();
        foreach (var id in own)
        {
            raw[id] = await a.GetRawAsync(id);
        }
        return new FuzzWorld { KeyA = keyA, OwnIds = [.. own], ForeignIds = [.. foreign], Raw = raw, UserIds = userIds };
    }

    /// <summary>The customers of A whose GET is no longer what it was at the start, and 0 if A's count of customers changed.</summary>
    private static async Task<IEnumerable<long>> ChangedAsync(HttpClient http, FuzzWorld world)
    {
        var changed = new List<long>();
        FuzzRequest Get(string path) => FuzzRequest.Json("re-read", "GET", path, null, FuzzExpect.Accept) with { Authorization = "Bearer " + world.KeyA };
        foreach (var (id, raw) in world.Raw.Where(c => !changed.Contains(c.Key)))
        {
            if ((await http.SendAsync(Get($"v1/customers/{id}"))).Body != raw)
            {
                changed.Add(id);
            }
        }
        var list = await http.SendAsync(Get("v1/customers?limit=1"));
        if (list.Status != 200 || WireAssertions.PageTotal(list.Body) != world.OwnIds.Length)
        {
            changed.Add(0);
        }
        return changed;
    }

    /// <summary>A client with no default headers: each generated request sets its own key, type and host.</summary>
    private static HttpClient CreateRawClient(ClienteleApp app) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = app.Address, Timeout = TimeSpan.FromSeconds(60) };

    private static async Task AssertHealthyAsync(HttpClient http, FuzzFailures failures)
    {
        var health = await http.SendAsync(new FuzzRequest("health at the end", "GET", "healthz", null, FuzzExpect.Accept) { ContentType = null });
        if (health.Status != 200)
        {
            failures.Add("health at the end", $"/healthz answered {health.Status}: {health.Body}", "GET /healthz");
        }
    }

    private static void Log(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
    }
}
