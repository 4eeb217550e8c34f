using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Clientele.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Clientele.Tests;

/// <summary>
/// Spec §6 under fire: the real server process is killed (SIGKILL) at random moments while several clients write —
/// creates with tags and customData, PATCHes, batches, tag changes, deletes, events — and restarted on the same
/// database each time. After every restart nothing acknowledged is lost and nothing is half applied
/// (<see cref="CrashRecovery"/>). <c>CRASH_KILLS</c> sets the number of kills (20 by default; scripts/crash-test.sh
/// runs 200), <c>CRASH_SEED</c> replays the same choice of requests and kill moments.
/// </summary>
public sealed class CrashSafetyTests : IAsyncLifetime
{
    private const string Key = "crash-safety-key";
    private const int Clients = 6;
    private const int DefaultKills = 20;
    private static readonly TimeSpan MaxLoadPhase = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string> ServerEnvironment = new()
    {
        // The workload makes thousands of requests a minute on one account.
        ["RateLimiting__PermitsPerMinute"] = "1000000000",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private TestDatabase _database = null!;

    [Fact]
    public async Task Server_KilledAtRandomMomentsUnderConcurrentWrites_LosesNoAcknowledgedWriteAndAppliesNoRequestByHalf()
    {
        var kills = EnvironmentNumber("CRASH_KILLS", DefaultKills);
        var seed = EnvironmentNumber("CRASH_SEED", Random.Shared.Next());
        var random = new Random(seed);
        var clients = Enumerable.Range(0, Clients).Select(i => new CrashClient(i, random.Next())).ToList();
        var recovery = new CrashRecovery(_database, clients);
        var elapsed = Stopwatch.StartNew();
        var context = $"{TestDatabase.CurrentProvider}, CRASH_SEED={seed}";

        for (var kill = 1; kill <= kills; kill++)
        {
            await using var server = await ClienteleServerProcess.StartAsync(_database, Key, ServerEnvironment);
            using var http = Client(server);
            await recovery.CheckAsync(http);
            AssertNoProblems(recovery, clients, server, $"after restart {kill - 1} ({context})");

            var killed = 0;
            var load = clients.Select(c => c.RunAsync(http, () => Volatile.Read(ref killed) == 1, MaxLoadPhase)).ToArray();
            await Task.Delay(random.Next(300, 1500), TestContext.Current.CancellationToken);
            Volatile.Write(ref killed, 1);
            await server.CrashAsync();
            await Task.WhenAll(load).WaitAsync(MaxLoadPhase, TestContext.Current.CancellationToken);
            AssertNoProblems(recovery, clients, server, $"before kill {kill} ({context})");
        }

        await using (var server = await ClienteleServerProcess.StartAsync(_database, Key, ServerEnvironment))
        {
            using var http = Client(server);
            await recovery.CheckAsync(http);
            AssertNoProblems(recovery, clients, server, $"after the last restart ({context})");
        }

        var acknowledged = clients.Sum(c => c.Acknowledged);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{kills} kills in {elapsed.Elapsed.TotalSeconds:F1}s ({context}): {acknowledged} writes acknowledged, " +
            $"of the requests cut off {recovery.Applied} applied and {recovery.NotApplied} not");
        // Not a vacuous pass: the load really ran between kills, and kills really cut requests off.
        Assert.True(acknowledged >= kills * 10, $"only {acknowledged} writes acknowledged in {kills} kills");
        Assert.True(recovery.Applied + recovery.NotApplied >= kills, $"only {recovery.Applied + recovery.NotApplied} requests cut off in {kills} kills");
    }

    private static HttpClient Client(ClienteleServerProcess server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.Address, "v1/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return http;
    }

    private static void AssertNoProblems(CrashRecovery recovery, List<CrashClient> clients, ClienteleServerProcess server, string when)
    {
        var problems = recovery.Problems.Concat(clients.SelectMany(c => c.Problems)).ToList();
        if (problems.Count > 0)
        {
            var log = server.Output;
            Assert.Fail($"{problems.Count} problem(s) {when}:\n{string.Join("\n", problems.Take(20))}\n" +
                        $"server output (tail):\n{log[Math.Max(0, log.Length - 4000)..]}");
        }
    }

    private static int EnvironmentNumber(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await _database.DisposeAsync();
    }
}
