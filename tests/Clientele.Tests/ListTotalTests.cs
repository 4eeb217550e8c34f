using System.Net;
using System.Text.Json;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>
/// The total of an unfiltered list is kept per account as customers come and go, not counted per request: it must
/// follow every create and delete of the account, and only those. Pages of one customer, so the total never comes
/// from a short page.
/// </summary>
public sealed class ListTotalTests
{
    [Fact]
    public async Task ListTotal_FollowsTheAccountsCreatesAndDeletes_NotRefusalsNorOtherAccounts()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var other = await app.CreateClientAsync("other");
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await client.CreateCustomerAsync($$"""{"userId":"u{{i}}"}"""));
        }
        await other.CreateCustomerAsync();
        await other.CreateCustomerAsync();
        Assert.Equal(5, await TotalAsync(client));

        await client.CallExpectingAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "customers", """{"userId":"u0"}""");
        await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{ids[1]}");
        await client.CallExpectingAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"customers/{ids[1]}");
        await other.CallExpectingAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"customers/{ids[2]}");
        await client.CallExpectingAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "customers/batch",
            $$"""[{"customer":{{ids[3]}},"name":"kept"},{"customer":{{ids[4]}},"userId":"u0"}]""");

        Assert.Equal(4, await TotalAsync(client));
        Assert.Equal(2, await TotalAsync(other));
        Assert.Equal(4, await SearchTotalAsync(client, """{"filter":[],"limit":1}"""));
        Assert.Equal(4, await SearchTotalAsync(client, """{"limit":1,"offset":1000}"""));
    }

    [Fact]
    public async Task ListTotal_OfANewAccount_IsZero()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await (await app.CreateClientAsync("other")).CreateCustomerAsync();

        Assert.Equal(0, await TotalAsync(client, "customers?limit=1&offset=5"));
    }

    private static async Task<long> TotalAsync(HttpClient client, string path = "customers?limit=1")
    {
        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Get, path);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("total").GetInt64();
    }

    private static async Task<long> SearchTotalAsync(HttpClient client, string json) => (await client.SearchAsync(json)).Total;
}
