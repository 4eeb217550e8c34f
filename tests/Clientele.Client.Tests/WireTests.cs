using System.Text.Json.Nodes;
using Clientele.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Client.Tests;

/// <summary>What the SDK puts on the wire and what it accepts from it, seen by a stub server.</summary>
public sealed class WireTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\n     got {actual}");

    private static async Task<(StubServer Stub, ServiceProvider Services)> StubAsync(string answer, int status = 200)
    {
        var stub = await StubServer.StartAsync((context, _) => StubServer.Json(context, status, answer));
        return (stub, Services.For(stub.ApiAddress, "secret-key", new RequestCounter()));
    }

    [Fact]
    public async Task UpdateCustomer_SendsOnlyTheAssignedFields_WithNullForTheCleared()
    {
        var (stub, services) = await StubAsync(StubServer.Customer(1));
        await using var _ = stub;
        await using var __ = services;
        var update = new CustomerUpdate
        {
            Email = null,
            Company = "Acme",
            FirstSeen = DateTimeOffset.FromUnixTimeSeconds(1603885746),
            City = "Kyiv",
            Blocked = false,
            Tags = [new Tag("VIP"), new Tag("Lead", "#fff")],
            CustomData = { ["seats"] = 5, ["price"] = 5.10m, ["plan"] = CustomDataValue.Null, ["raw"] = CustomDataValue.FromJsonNumber("1e3") },
        };
        update.Name = "temporary";
        update.Unset("name");

        await services.GetRequiredService<ClienteleClient>().UpdateCustomerAsync(1, update, Ct);

        var request = Assert.Single(stub.Requests);
        Assert.Equal(("PATCH", "/v1/customers/1", "Bearer secret-key"), (request.Method, request.PathAndQuery, request.Authorization));
        Assert.Equal(
            """{"email":null,"company":"Acme","firstSeen":1603885746,"city":"Kyiv","blocked":false,"tags":[{"name":"VIP"},{"name":"Lead","color":"#fff"}],"customData":{"seats":5,"price":5.10,"plan":null,"raw":1e3}}""",
            request.Body);
        Assert.True(update.IsSet("email"));
        Assert.False(update.IsSet("name"));
        Assert.True(update.IsSet("customData"));
        Assert.Null(update.Email);
        Assert.Equal("Acme", update.Company);
        Assert.False(update.Blocked);
        Assert.Null(update.Unsubscribed);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1603885746), update.FirstSeen);
        Assert.Null(update.LastSeen);
        Assert.Equal(["VIP", "Lead"], update.Tags!.Select(t => t.Name));
    }

    [Fact]
    public async Task UpdateCustomers_SendsEachItemWithItsCustomer()
    {
        var (stub, services) = await StubAsync($$"""{"data":[{{StubServer.Customer(2)}},{{StubServer.Customer(1)}}]}""");
        await using var _ = stub;
        await using var __ = services;

        var result = await services.GetRequiredService<ClienteleClient>().UpdateCustomersAsync(
            [new CustomerBatchUpdate(2, new CustomerUpdate { Notes = null }), new CustomerBatchUpdate(1, new CustomerUpdate { Name = "A" })], Ct);

        Assert.Equal([2L, 1L], result.Select(c => c.Id));
        var request = Assert.Single(stub.Requests);
        Assert.Equal(("PUT", "/v1/customers/batch"), (request.Method, request.PathAndQuery));
        Assert.Equal("""[{"customer":2,"notes":null},{"customer":1,"name":"A"}]""", request.Body);
    }

    [Fact]
    public async Task SearchCustomersPage_SendsTheFilterComparisonSortAndPaging()
    {
        var (stub, services) = await StubAsync("""{"data":[],"total":0}""");
        await using var _ = stub;
        await using var __ = services;

        await services.GetRequiredService<ClienteleClient>().SearchCustomersPageAsync(
            Filter.Email.Contains("gmail") | Filter.Tag("VIP") | Filter.Name.IsNull(),
            new CustomerListOptions { SortBy = CustomerSortField.LastSeen, Order = SortOrder.Descending, Offset = 4, PageSize = 2 }, Ct);

        var request = Assert.Single(stub.Requests);
        Assert.Equal(("POST", "/v1/customers/search"), (request.Method, request.PathAndQuery));
        Assert.Equal(
            """{"filter":[{"field":"customers.email","operator":"~","value":"gmail"},{"field":"customers.tagsData","operator":"=","value":[{"name":"VIP"}]},{"field":"customers.name","operator":"=","value":null}],"comparison":"OR","sort":"customers.lastSeen","order":"desc","offset":4,"limit":2}""",
            request.Body);
    }

    [Fact]
    public async Task ListCustomersPage_PutsSortAndPagingInTheQuery()
    {
        var (stub, services) = await StubAsync("""{"data":[],"total":0}""");
        await using var _ = stub;
        await using var __ = services;
        var client = services.GetRequiredService<ClienteleClient>();

        await client.ListCustomersPageAsync(null, Ct);
        await client.ListCustomersPageAsync(new CustomerListOptions { SortBy = CustomerSortField.FirstSeen, Offset = 10, PageSize = 5 }, Ct);

        Assert.Equal(["/v1/customers?offset=0&limit=100", "/v1/customers?offset=10&limit=5&sort=customers.firstSeen&order=asc"],
            stub.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Customer_ReadsTimestampsFromStringsNumbersAndFractions()
    {
        var (stub, services) = await StubAsync(StubServer.Customer(1)
            .Replace("\"firstSeen\":null", "\"firstSeen\":1603885746", StringComparison.Ordinal)
            .Replace("\"lastSeen\":null", "\"lastSeen\":\"1603885746.9\"", StringComparison.Ordinal));
        await using var _ = stub;
        await using var __ = services;

        var customer = await services.GetRequiredService<ClienteleClient>().GetCustomerAsync(1, Ct);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1603885746), customer.FirstSeen);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1603885746), customer.LastSeen);
    }

    [Fact]
    public async Task Event_ReadsCreatedAtFromANumberToo_AndIgnoresUnknownKeys()
    {
        var (stub, services) = await StubAsync("""{"id":9,"name":"n","data":null,"createdAt":1700000000,"customer":3,"extra":{"x":1}}""");
        await using var _ = stub;
        await using var __ = services;

        var recorded = await services.GetRequiredService<ClienteleClient>().TrackEventAsync(3, "n", new JsonObject { ["a"] = 1 }, Ct);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), recorded.CreatedAt);
        Assert.Equal("""{"name":"n","data":{"a":1},"customer":3}""", Assert.Single(stub.Requests).Body);
    }

    [Fact]
    public async Task Customer_WithAnObjectInCustomData_IsRefused()
    {
        var (stub, services) = await StubAsync(StubServer.Customer(1).Replace("\"customData\":{}", "\"customData\":{\"o\":{}}", StringComparison.Ordinal));
        await using var _ = stub;
        await using var __ = services;

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => services.GetRequiredService<ClienteleClient>().GetCustomerAsync(1, Ct));

        Assert.Contains("customData", e.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_AreSentAsTagObjects()
    {
        var (stub, services) = await StubAsync(StubServer.Customer(1));
        await using var _ = stub;
        await using var __ = services;
        var client = services.GetRequiredService<ClienteleClient>();

        await client.AddTagsAsync(1, [new Tag("A", "#123456"), new Tag("B")], Ct);
        await client.RemoveTagsAsync(1, ["A"], Ct);

        Assert.Equal(
            [("PUT", """{"tags":[{"name":"A","color":"#123456"},{"name":"B"}]}"""), ("DELETE", """{"tags":[{"name":"A"}]}""")],
            stub.Requests.Select(r => (r.Method, r.Body)));
    }
}
