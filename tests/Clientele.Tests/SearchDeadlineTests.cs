using System.Net;
using System.Text.Json;
using Clientele.Customers;
using Clientele.Storage;
using Clientele.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Tests;

/// <summary>
/// Spec §6: a search past its deadline is stopped and answers 503 <c>query_timeout</c>; a search whose client
/// went away is stopped; one account cannot hold every read connection (findings 1 and 8 of issue #11).
/// The slow search is real: twenty <c>!~</c> clauses whose needle almost matches every customer's long note.
/// </summary>
public sealed class SearchDeadlineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Twenty clauses each comparing a 500-character needle at every place of a 1,000-character note.</summary>
    private static readonly string SlowSearch = JsonSerializer.Serialize(new
    {
        filter = Enumerable.Range(0, 20).Select(_ => new { field = "customers.customData.note", @operator = "!~", value = new string('a', 499) + "b" }),
    });

    /// <summary>Customers of <paramref name="account"/> with a note of a thousand a's, written through the store as an import does.</summary>
    private static async Task SeedAsync(ClienteleApp app, string account, int count)
    {
        var accountId = (await app.Services.GetRequiredService<IAccountStore>().FindAccountAsync(account, Ct))!.Value;
        using var body = JsonDocument.Parse(JsonSerializer.Serialize(new { customData = new { note = new string('a', 1000) } }));
        var edit = CustomerEdit.FromBody(body.RootElement, replace: true).Edit!;
        await app.Services.GetRequiredService<ICustomerStore>().ImportAsync(accountId, [.. Enumerable.Repeat(edit, count)], upsertByUserId: false, Ct);
    }

    private const string QueryTimeout = """{"errors":[{"code":"query_timeout","message":"The search took too long; narrow it."}]}""";

    [Fact]
    public async Task Search_PastItsDeadline_Answers503QueryTimeout_AndTheServerAnswersTheNextSearchesWhole()
    {
        await using var app = await ClienteleApp.StartAsync(settings: new Dictionary<string, string?> { ["Limits:QueryTimeoutMilliseconds"] = "1" });
        var client = await app.CreateClientAsync();
        await SeedAsync(app, "acme", 500);

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers/search", SlowSearch);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, QueryTimeout), (status, body));
        await AssertNoSearchRunsAsync(app);
        // The deadline is read at every search (and list); with room to finish, the same connections answer in full.
        app.Services.GetRequiredService<IConfiguration>()["Limits:QueryTimeoutMilliseconds"] = "600000";
        Assert.Equal(500, (await client.SearchAsync(SlowSearch)).Total);
        Assert.Equal(500, (await client.SearchAsync("{}")).Total);
        var (listStatus, list) = await client.CallAsync(HttpMethod.Get, "customers?limit=1");
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal(500, JsonDocument.Parse(list).RootElement.GetProperty("total").GetInt64());
    }

    /// <summary>Finding 1: a client that hung up after a second left its search running 22 s.</summary>
    [Fact]
    public async Task Search_WhoseClientHangsUp_IsStopped()
    {
        await using var app = await ClienteleApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Limits:QueryTimeoutMilliseconds"] = "600000",
            ["Logging:LogLevel:Clientele.Requests"] = "Information",
        });
        using var log = new CapturingLoggerProvider();
        app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(log);
        var client = await app.CreateClientAsync();
        await SeedAsync(app, "acme", 3000);
        var idle = await IdleReadConnectionsAsync(app);
        using var hangUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var search = client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "customers/search") { Content = new StringContent(SlowSearch) }, hangUp.Token);
        await WaitUntilASearchRunsAsync(app, idle);
        await hangUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search);
        // The request's log line is written when its handler returns: with the query stopped, as one the client
        // closed (499), not as a 200 written to nobody once the whole scan had run.
        var line = await WaitForAsync(() => log.Entries.FirstOrDefault(e => e.Category == "Clientele.Requests" && e.Values[1] == "/v1/customers/search"));
        Assert.Equal("499", line.Values[2]);
        await AssertNoSearchRunsAsync(app);
    }

    /// <summary>Finding 1: eight searches of one account took every read connection, and another account's GET waited 60 s.</summary>
    [Fact]
    public async Task Searches_OverTheAccountsCap_Answer429_WhileAnotherAccountIsServed()
    {
        await using var app = await ClienteleApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Limits:QueryTimeoutMilliseconds"] = "600000",
            ["Limits:SearchesPerAccount"] = "1",
            ["Limits:SearchQueuePerAccount"] = "0",
        });
        var acme = await app.CreateClientAsync("acme");
        var other = await app.CreateClientAsync("other");
        var mine = await acme.CreateCustomerAsync("""{"name":"Mine"}""");
        var theirs = await other.CreateCustomerAsync("""{"name":"Theirs"}""");
        await SeedAsync(app, "acme", 3000);
        var idle = await IdleReadConnectionsAsync(app);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var running = acme.SendAsync(new HttpRequestMessage(HttpMethod.Post, "customers/search") { Content = new StringContent(SlowSearch) }, stop.Token);
        await WaitUntilASearchRunsAsync(app, idle);

        using var refused = await acme.SendJsonAsync(HttpMethod.Post, "customers/search", "{}");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Equal("""{"errors":[{"code":"too_many_requests","message":"This account runs too many searches at once; retry shortly."}]}""",
            await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await acme.CallAsync(HttpMethod.Get, "customers")).Status);
        Assert.Equal(HttpStatusCode.OK, (await acme.CallAsync(HttpMethod.Get, $"customers/{mine}")).Status);
        Assert.Equal(1, (await other.SearchAsync("{}")).Total);
        Assert.Equal(HttpStatusCode.OK, (await other.CallAsync(HttpMethod.Get, $"customers/{theirs}")).Status);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    /// <summary>SQLite: how many read connections can be had at once while nothing runs.</summary>
    private static async Task<int> IdleReadConnectionsAsync(ClienteleApp app) =>
        TestDatabase.IsPostgres ? 0 : (await RentIdleAsync(app)).Count;

    /// <summary>
    /// Waits until the server runs acme's search: it holds one of the account's permits and its query is under way, on
    /// PostgreSQL active in <c>pg_stat_activity</c>, on SQLite holding one of the read connections that were idle.
    /// (A connection alone is not enough: the request's key lookup borrows one for a moment before the search.)
    /// </summary>
    private static async Task WaitUntilASearchRunsAsync(ClienteleApp app, int idle)
    {
        var acme = (await app.Services.GetRequiredService<IAccountStore>().FindAccountAsync("acme", Ct))!.Value;
        var limits = app.Services.GetRequiredService<Clientele.Search.SearchLimits>();
        await WaitForAsync(async () => limits.Running(acme) > 0 && (TestDatabase.IsPostgres
            ? await ActiveSearchesAsync(app) > 0
            : (await RentIdleAsync(app)).Count < idle));
    }

    /// <summary>
    /// Nothing runs any more: on PostgreSQL no backend is busy with a search; on SQLite every read connection is free,
    /// has no transaction left open, and reads.
    /// </summary>
    private static async Task AssertNoSearchRunsAsync(ClienteleApp app)
    {
        if (TestDatabase.IsPostgres)
        {
            Assert.Equal(0, await ActiveSearchesAsync(app));
            return;
        }
        var leases = await RentIdleAsync(app, keep: true);
        try
        {
            Assert.True(leases.Count >= 8, $"only {leases.Count} read connections are free");
            foreach (var lease in leases)
            {
                Assert.Equal(1, SQLitePCL.raw.sqlite3_get_autocommit(lease.Connection.Handle));
                using var command = lease.Connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM customers";
                Assert.True((long)command.ExecuteScalar()! > 0);
            }
        }
        finally
        {
            leases.ForEach(l => l.Dispose());
        }
    }

    /// <summary>Rents every SQLite read connection that is free right now (a rent that would wait means none is).</summary>
    private static async Task<List<Clientele.Storage.Sqlite.SqliteReadPool.Lease>> RentIdleAsync(ClienteleApp app, bool keep = false)
    {
        var database = app.Services.GetRequiredService<Clientele.Storage.Sqlite.SqliteDatabase>();
        var leases = new List<Clientele.Storage.Sqlite.SqliteReadPool.Lease>();
        using var never = new CancellationTokenSource();
        while (true)
        {
            var rent = database.ReadAsync(never.Token);
            if (!rent.IsCompleted)
            {
                await never.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => (await rent).Dispose());
                break;
            }
            leases.Add(await rent);
        }
        if (!keep)
        {
            leases.ForEach(l => l.Dispose());
        }
        return leases;
    }

    private static async Task<long> ActiveSearchesAsync(ClienteleApp app)
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.Database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() " +
            "AND state = 'active' AND query LIKE '%FROM customers c%'", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; a minute is only a safety net, the tests never get near it.</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        while (!await condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> find) where T : class
    {
        T? found = null;
        await WaitForAsync(() => Task.FromResult((found = find()) is not null));
        return found!;
    }
}
