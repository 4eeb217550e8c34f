using System.Net;
using Clientele.Storage;
using Clientele.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clientele.Tests;

/// <summary>Keys never reach a log, and a revoked key stops on every node at its next request.</summary>
public sealed class KeySecrecyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestLog_NamesTheAccountAndRoute_ButNeverTheKeyOrTheBody()
    {
        await using var app = await ClienteleApp.StartAsync(settings: new Dictionary<string, string?> { ["Logging:LogLevel:Clientele.Requests"] = "Information" });
        using var log = new CapturingLoggerProvider();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        var key = await app.CreateKeyAsync();
        var client = app.CreateClient(key);

        await client.CreateCustomerAsync("""{"name":"Secret Body Value","email":"hidden@example.com"}""");
        await client.CallAsync(HttpMethod.Get, "customers/1");
        await app.CreateClient(key + "-wrong").CallAsync(HttpMethod.Get, "customers");

        var requests = log.Entries.Where(e => e.Category == "Clientele.Requests").ToList();
        Assert.True(requests.Count >= 3, $"expected a line per request, got {requests.Count}");
        Assert.Contains(requests, e => e.Message.Contains("/v1/customers/{id:customerId}", StringComparison.Ordinal) && e.Message.Contains("200", StringComparison.Ordinal));
        foreach (var entry in log.Entries)
        {
            var text = entry.Message + string.Join(" ", entry.Values) + entry.Exception;
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(key[3..15], text, StringComparison.Ordinal);
            Assert.DoesNotContain("Secret Body Value", text, StringComparison.Ordinal);
            Assert.DoesNotContain("hidden@example.com", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RevokedKey_IsRefusedOnEveryNode_AtItsNextRequest()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "Several nodes share one database only on PostgreSQL (run with CLIENTELE_TEST_PROVIDER=postgres).");
        await using var database = await TestDatabase.CreateAsync();
        await using var one = await ClienteleApp.StartAsync(database);
        await using var two = await ClienteleApp.StartAsync(database);
        var key = await one.CreateKeyAsync();
        var viaOne = one.CreateClient(key);
        var viaTwo = two.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await viaOne.CallAsync(HttpMethod.Get, "customers")).Status);
        Assert.Equal(HttpStatusCode.OK, (await viaTwo.CallAsync(HttpMethod.Get, "customers")).Status);

        var accounts = one.Services.GetRequiredService<IAccountStore>();
        var keyId = (await accounts.ListKeysAsync(Ct)).Single().Id;
        Assert.True(await accounts.RevokeKeyAsync(keyId, Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, (await viaOne.CallAsync(HttpMethod.Get, "customers")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await viaTwo.CallAsync(HttpMethod.Get, "customers")).Status);
    }
}
