using System.Net;
using System.Text.Json;
using Clientele.Tests.Infrastructure;
using Npgsql;

namespace Clientele.Tests;

/// <summary>
/// Several stateless nodes over one PostgreSQL database: two real servers on two ports, one database.
/// These need PostgreSQL; on the SQLite run they are reported as skipped, never as passed.
/// </summary>
public sealed class MultiNodeTests
{
    private static async Task<(TestDatabase Database, ClienteleApp One, ClienteleApp Two, HttpClient Client1, HttpClient Client2)> StartTwoNodesAsync()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "Several nodes share one database only on PostgreSQL (run with CLIENTELE_TEST_PROVIDER=postgres).");
        var database = await TestDatabase.CreateAsync();
        var one = await ClienteleApp.StartAsync(database);
        var two = await ClienteleApp.StartAsync(database);
        var key = await one.CreateKeyAsync();
        return (database, one, two, one.CreateClient(key), two.CreateClient(key));
    }

    private static async Task StopAsync(TestDatabase database, params ClienteleApp[] apps)
    {
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }
        await database.DisposeAsync();
    }

    [Fact]
    public async Task WriteThroughOneNode_IsReadThroughTheOther()
    {
        var (database, one, two, client1, client2) = await StartTwoNodesAsync();
        try
        {
            var id = await client1.CreateCustomerAsync("""{"name":"Ada","tags":[{"name":"VIP"}]}""");
            var (_, created) = await client1.CallAsync(HttpMethod.Get, $"customers/{id}");
            var (status, body) = await client2.CallAsync(HttpMethod.Get, $"customers/{id}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(created, body);

            await client2.CallAsync(HttpMethod.Patch, $"customers/{id}", """{"company":"Acme"}""");
            var (_, patched) = await client1.CallAsync(HttpMethod.Get, $"customers/{id}");
            Assert.Contains("\"company\":\"Acme\"", patched, StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(database, one, two);
        }
    }

    /// <summary>The list's total is kept in slots that concurrent writers add to; their sum stays exact.</summary>
    [Fact]
    public async Task ConcurrentCreatesAndDeletesThroughBothNodes_KeepTheListTotalExact()
    {
        var (database, one, two, client1, client2) = await StartTwoNodesAsync();
        try
        {
            var ids = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => (i % 2 == 0 ? client1 : client2).CreateCustomerAsync()));
            await Task.WhenAll(ids.Take(25).Select((id, i) =>
                (i % 2 == 0 ? client2 : client1).CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{id}")));

            foreach (var client in new[] { client1, client2 })
            {
                using var list = JsonDocument.Parse(await client.GetOkAsync("customers?limit=1"));
                Assert.Equal(35, list.RootElement.GetProperty("total").GetInt64());
            }
        }
        finally
        {
            await StopAsync(database, one, two);
        }
    }

    [Fact]
    public async Task ConcurrentPatchesOfDifferentFieldsThroughBothNodes_LoseNoField()
    {
        var (database, one, two, client1, client2) = await StartTwoNodesAsync();
        try
        {
            var id = await client1.CreateCustomerAsync();
            const int writes = 40;
            await Task.WhenAll(Enumerable.Range(0, writes).Select(i =>
                (i % 2 == 0 ? client1 : client2).CallAsync(HttpMethod.Patch, $"customers/{id}", $$$"""{"customData":{"p{{{i}}}":{{{i}}}}}""")));

            var (_, body) = await client2.CallAsync(HttpMethod.Get, $"customers/{id}");
            using var document = JsonDocument.Parse(body);
            var properties = document.RootElement.GetProperty("customData").EnumerateObject().Select(p => p.Name).ToHashSet();
            Assert.Equal(Enumerable.Range(0, writes).Select(i => $"p{i}").ToHashSet(), properties);
        }
        finally
        {
            await StopAsync(database, one, two);
        }
    }

    [Fact]
    public async Task ConcurrentCreatesWithOneUserIdThroughBothNodes_CreateExactlyOne()
    {
        var (database, one, two, client1, client2) = await StartTwoNodesAsync();
        try
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
                (i % 2 == 0 ? client1 : client2).CallAsync(HttpMethod.Post, "customers", """{"userId":"crm-1"}""")));

            Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
            Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a =>
            {
                Assert.Equal(HttpStatusCode.BadRequest, a.Status);
                Assert.Equal("invalid_userId_value", HttpExtensions.ErrorCodes(a.Body)[0]);
            });
            var (_, list) = await client2.CallAsync(HttpMethod.Get, "customers");
            Assert.Contains("\"total\":1", list, StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(database, one, two);
        }
    }

    [Fact]
    public async Task ConcurrentBatchesThroughBothNodes_StayAllOrNothing()
    {
        var (database, one, two, client1, client2) = await StartTwoNodesAsync();
        try
        {
            var ids = new List<long>();
            for (var i = 0; i < 5; i++)
            {
                ids.Add(await client1.CreateCustomerAsync());
            }
            // Each batch writes its own number to all five customers, in its own order; half also carry an
            // unknown id and must change nothing.
            var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(n =>
            {
                var order = n % 3 == 0 ? ids.AsEnumerable().Reverse() : ids;
                var items = order.Select(id => $$$"""{"customer":{{{id}}},"customData":{"batch":{{{n}}}}}""").ToList();
                if (n % 2 == 1)
                {
                    items.Add("""{"customer":999999999}""");
                }
                return (n % 2 == 0 ? client1 : client2).CallAsync(HttpMethod.Put, "customers/batch", "[" + string.Join(",", items) + "]");
            }));

            Assert.All(answers.Where((_, n) => n % 2 == 0), a => Assert.Equal(HttpStatusCode.OK, a.Status));
            Assert.All(answers.Where((_, n) => n % 2 == 1), a => Assert.Equal(HttpStatusCode.NotFound, a.Status));
            var values = new HashSet<int>();
            foreach (var id in ids)
            {
                var (_, body) = await client2.CallAsync(HttpMethod.Get, $"customers/{id}");
                using var document = JsonDocument.Parse(body);
                values.Add(document.RootElement.GetProperty("customData").GetProperty("batch").GetInt32());
            }
            var only = Assert.Single(values);
            Assert.Equal(0, only % 2);
        }
        finally
        {
            await StopAsync(database, one, two);
        }
    }

    [Fact]
    public async Task ConcurrentTagAutoCreationThroughBothNodes_CreatesEachTagOnce()
    {
        var (database, one, two, client1, client2) = await StartTwoNodesAsync();
        try
        {
            var ids = new List<long>();
            for (var i = 0; i < 10; i++)
            {
                ids.Add(await client1.CreateCustomerAsync());
            }
            await Task.WhenAll(ids.Select((id, i) => (i % 2 == 0 ? client1 : client2).CallAsync(HttpMethod.Put, $"customers/{id}/tags",
                $$"""{"tags":[{"name":"Gold","color":"#{{i:D6}}"},{"name":"Silver","color":"#{{i:D6}}"},{"name":"Bronze"}]}""")));

            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("SELECT name, count(*) FROM tags GROUP BY name ORDER BY name", connection);
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            var counts = new List<string>();
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                counts.Add($"{reader.GetString(0)}={reader.GetInt64(1)}");
            }
            Assert.Equal(["Bronze=1", "Gold=1", "Silver=1"], counts);

            // Every customer shows the one colour the account kept for each tag.
            var colours = new HashSet<string>();
            foreach (var id in ids)
            {
                var (_, body) = await client2.CallAsync(HttpMethod.Get, $"customers/{id}");
                using var document = JsonDocument.Parse(body);
                colours.Add(string.Join(",", document.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("color").GetString())));
            }
            Assert.Single(colours);
        }
        finally
        {
            await StopAsync(database, one, two);
        }
    }

    [Fact]
    public async Task DatabaseOutage_Answers503WithTheEnvelope_AndTheNodeRecoversByItself()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "The outage test cuts the network to PostgreSQL (run with CLIENTELE_TEST_PROVIDER=postgres).");
        await using var database = await TestDatabase.CreateAsync();
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(new IPEndPoint(IPAddress.Loopback, target.Port));
        var throughProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = proxy.Port, Timeout = 2 }.ConnectionString;
        await using var app = await ClienteleApp.StartAsync(database, new Dictionary<string, string?> { ["ConnectionStrings:Clientele"] = throughProxy });
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Ada"}""");

        proxy.Cut();
        var (status, body) = await client.CallAsync(HttpMethod.Get, $"customers/{id}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(["service_unavailable"], HttpExtensions.ErrorCodes(body));
        var (writeStatus, _) = await client.CallAsync(HttpMethod.Patch, $"customers/{id}", """{"name":"Bob"}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, writeStatus);
        using var health = await new HttpClient().GetAsync(new Uri(app.Address, "healthz"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);

        proxy.Restore();
        var recovered = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 0; attempt < 20 && recovered != HttpStatusCode.OK; attempt++)
        {
            (recovered, body) = await client.CallAsync(HttpMethod.Get, $"customers/{id}");
        }
        Assert.Equal(HttpStatusCode.OK, recovered);
        Assert.Contains("\"name\":\"Ada\"", body, StringComparison.Ordinal);
    }
}
