using System.Net;
using System.Text.Json;
using Clientele.Storage;
using Clientele.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Tests;

/// <summary>
/// Spec §6 durability across a restart: a second server on the same database serves exactly what the first
/// acknowledged, keys keep working, and ids continue without reuse.
/// </summary>
public sealed class RestartTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    [Fact]
    public async Task Restart_OnTheSameFile_ServesEveryAcknowledgedWriteUnchanged()
    {
        string key;
        string otherKey;
        string listBefore;
        string otherListBefore;
        var before = new Dictionary<long, string>();
        long eventCustomer;
        long firstEventId;
        await using (var app = await ClienteleApp.StartAsync(_database))
        {
            key = await app.CreateKeyAsync("acme");
            otherKey = await app.CreateKeyAsync("other");
            var client = app.CreateClient(key);
            var other = app.CreateClient(otherKey);
            var john = await client.CreateCustomerAsync("""
                {"name":"John Doe","email":"john@example.com","userId":"crm-17","phone":380501234567,"firstSeen":"1603885746.9",
                 "location":{"city":"Kyiv"},"locale":"uk","unsubscribed":true,"notes":"Ünïcødé ✓ 😀",
                 "tags":[{"name":"Lead","color":"#112233"}],"customData":[{"property":"seats","value":5.50},{"property":"plan","value":"pro"}]}
                """);
            var jane = await client.CreateCustomerAsync("""{"name":"Jane","tags":[{"name":"VIP"}]}""");
            var gone = await client.CreateCustomerAsync("""{"name":"Gone","userId":"crm-gone"}""");
            Assert.Equal(HttpStatusCode.OK, (await client.CallAsync(HttpMethod.Patch, $"customers/{john}", """{"company":"Acme","customData":{"plan":null,"trial":true}}""")).Status);
            Assert.Equal(HttpStatusCode.OK, (await client.CallAsync(HttpMethod.Put, $"customers/{jane}", """{"name":"Jane Roe","blocked":true,"tags":[{"name":"Lead"}]}""")).Status);
            Assert.Equal(HttpStatusCode.OK, (await client.CallAsync(HttpMethod.Put, $"customers/{jane}/tags", """{"tags":[{"name":"Churned","color":"#ff0000"}]}""")).Status);
            Assert.Equal(HttpStatusCode.OK, (await client.CallAsync(HttpMethod.Delete, $"customers/{john}/tags", """{"tags":[{"name":"Lead"}]}""")).Status);
            Assert.Equal(HttpStatusCode.OK, (await client.CallAsync(HttpMethod.Delete, $"customers/{gone}")).Status);
            var (eventStatus, eventBody) = await client.CallAsync(HttpMethod.Post, "events", $$"""{"name":"signup","data":{"plan":"pro"},"customer":{{jane}}}""");
            Assert.True(eventStatus == HttpStatusCode.OK, eventBody);
            firstEventId = WireAssertions.IdOf(eventBody);
            eventCustomer = jane;
            await other.CreateCustomerAsync("""{"name":"Other's","userId":"crm-17"}""");

            foreach (var id in new[] { john, jane })
            {
                before[id] = await client.GetRawAsync(id);
            }
            listBefore = await client.ListRawAsync();
            otherListBefore = await other.ListRawAsync();
        }
        SqliteConnection.ClearAllPools();

        await using (var app = await ClienteleApp.StartAsync(_database))
        {
            var client = app.CreateClient(key);
            var other = app.CreateClient(otherKey);

            foreach (var (id, raw) in before)
            {
                Assert.Equal(raw, await client.GetRawAsync(id));
            }
            Assert.Equal(listBefore, await client.ListRawAsync());
            Assert.Equal(otherListBefore, await other.ListRawAsync());

            // The constraints and the account's tags came back too.
            (await client.CallAsync(HttpMethod.Post, "customers", """{"userId":"crm-17"}""")).AssertError(HttpStatusCode.BadRequest, "invalid_userId_value");
            var (status, reused) = await client.CallAsync(HttpMethod.Post, "customers", """{"userId":"crm-gone","tags":[{"name":"Churned"}]}""");
            Assert.True(status == HttpStatusCode.Created, reused);
            Assert.Contains("""{"name":"Churned","color":"#ff0000"}""", reused, StringComparison.Ordinal);
            var (eventStatus, eventBody) = await client.CallAsync(HttpMethod.Post, "events", $$"""{"name":"login","customer":{{eventCustomer}}}""");
            Assert.True(eventStatus == HttpStatusCode.OK, eventBody);
            Assert.NotEqual(firstEventId, WireAssertions.IdOf(eventBody));
        }
    }

    [Fact]
    public async Task Restart_AfterDeletingTheNewestCustomer_NeverReusesItsId()
    {
        string key;
        await using (var app = await ClienteleApp.StartAsync(_database))
        {
            key = await app.CreateKeyAsync();
            var client = app.CreateClient(key);
            Assert.Equal(1, await client.CreateCustomerAsync());
            Assert.Equal(2, await client.CreateCustomerAsync());
            Assert.Equal(3, await client.CreateCustomerAsync());
            Assert.Equal(HttpStatusCode.OK, (await client.CallAsync(HttpMethod.Delete, "customers/3")).Status);
        }
        SqliteConnection.ClearAllPools();

        await using (var app = await ClienteleApp.StartAsync(_database))
        {
            var client = app.CreateClient(key);

            Assert.Equal(4, await client.CreateCustomerAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await client.CallAsync(HttpMethod.Get, "customers/3")).Status);
            Assert.Equal(3, await client.TotalAsync());
        }
    }

    [Fact]
    public async Task Restart_KeepsLiveKeysLiveAndRevokedKeysRevoked()
    {
        string live;
        string revoked;
        await using (var app = await ClienteleApp.StartAsync(_database))
        {
            live = await app.CreateKeyAsync();
            revoked = await app.CreateKeyAsync();
            var accounts = app.Services.GetRequiredService<IAccountStore>();
            var keys = await accounts.ListKeysAsync(TestContext.Current.CancellationToken);
            Assert.True(await accounts.RevokeKeyAsync(keys[^1].Id, TestContext.Current.CancellationToken));
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient(revoked).CallAsync(HttpMethod.Get, "customers")).Status);
        }
        SqliteConnection.ClearAllPools();

        await using (var app = await ClienteleApp.StartAsync(_database))
        {
            var (liveStatus, liveBody) = await app.CreateClient(live).CallAsync(HttpMethod.Get, "customers");
            var (revokedStatus, revokedBody) = await app.CreateClient(revoked).CallAsync(HttpMethod.Get, "customers");

            Assert.True(liveStatus == HttpStatusCode.OK, liveBody);
            Assert.Equal(HttpStatusCode.Unauthorized, revokedStatus);
            Assert.Equal("""{"errors":[{"code":"invalid_token","message":"Invalid token"}]}""", revokedBody);
        }
    }

    [Fact]
    public async Task Restart_AfterManyConcurrentCreates_KeepsEveryAcknowledgedCreate()
    {
        string key;
        var acknowledged = new List<long>();
        await using (var app = await ClienteleApp.StartAsync(_database))
        {
            key = await app.CreateKeyAsync();
            var client = app.CreateClient(key);
            var creates = Enumerable.Range(0, 40).Select(i => client.CallAsync(HttpMethod.Post, "customers", $$"""{"userId":"u{{i}}"}""")).ToArray();
            foreach (var (status, body) in await Task.WhenAll(creates))
            {
                Assert.True(status == HttpStatusCode.Created, body);
                acknowledged.Add(WireAssertions.IdOf(body));
            }
        }
        SqliteConnection.ClearAllPools();

        await using (var app = await ClienteleApp.StartAsync(_database))
        {
            var client = app.CreateClient(key);
            using var document = JsonDocument.Parse(await client.ListRawAsync());
            var ids = document.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64());

            Assert.Equal(acknowledged.Order(), ids);
            Assert.Equal(40, document.RootElement.GetProperty("total").GetInt64());
        }
    }

    [Fact]
    public async Task Crash_OfTheServerProcess_LosesNoAcknowledgedWrite()
    {
        const string key = "crash-test-key";
        var acknowledged = new Dictionary<long, string>();
        await using (var server = await ClienteleServerProcess.StartAsync(_database, key))
        {
            using var client = new HttpClient { BaseAddress = new Uri(server.Address, "v1/") };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            var creates = Enumerable.Range(0, 30)
                .Select(i => client.CallAsync(HttpMethod.Post, "customers", "{\"userId\":\"u" + i + "\",\"tags\":[{\"name\":\"T" + (i % 3) + "\"}],\"customData\":{\"n\":" + i + "}}"))
                .ToArray();
            foreach (var (status, body) in await Task.WhenAll(creates))
            {
                Assert.True(status == HttpStatusCode.Created, body);
                acknowledged[WireAssertions.IdOf(body)] = body;
            }
            var patched = acknowledged.Keys.Min();
            var (patchStatus, patchBody) = await client.CallAsync(HttpMethod.Patch, $"customers/{patched}", """{"name":"Patched","customData":{"n":null}}""");
            Assert.True(patchStatus == HttpStatusCode.OK, patchBody);
            acknowledged[patched] = patchBody;

            await server.CrashAsync();
        }
        SqliteConnection.ClearAllPools();

        await using var app = await ClienteleApp.StartAsync(_database);
        var after = app.CreateClient(key);
        foreach (var (id, body) in acknowledged)
        {
            Assert.Equal(body, await after.GetRawAsync(id));
        }
        Assert.Equal(acknowledged.Count, await after.TotalAsync());
    }

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await _database.DisposeAsync();
    }
}
