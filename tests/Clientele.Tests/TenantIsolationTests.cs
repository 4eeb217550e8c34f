using System.Net;
using System.Text.Json;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>Spec §1 accounts: another account's customer behaves exactly like one that never existed, on every route.</summary>
public sealed class TenantIsolationTests
{
    private const string CustomerNotFound = """{"errors":[{"code":"entity_not_found","message":"Customer not found"}]}""";

    private const string AcmeCustomer = """
        {"name":"John Doe","email":"john@example.com","userId":"crm-17","company":"Acme","phone":"+380501234567",
         "tags":[{"name":"Lead","color":"#112233"},{"name":"VIP"}],"customData":{"plan":"pro","seats":5}}
        """;

    [Fact]
    public async Task OtherAccount_OnEveryRouteOfACustomer_Answers404ExactlyLikeANeverExistingIdAndChangesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var acme = await app.CreateClientAsync("acme");
        var other = await app.CreateClientAsync("other");
        var id = await acme.CreateCustomerAsync(AcmeCustomer);
        Assert.Equal(HttpStatusCode.OK, (await acme.CallAsync(HttpMethod.Post, "events", $$"""{"name":"signup","customer":{{id}}}""")).Status);
        var before = await acme.GetRawAsync(id);
        var listBefore = await acme.ListRawAsync();
        var neverExisted = id + 1000;

        foreach (var (method, path, body) in Routes())
        {
            var foreign = await other.CallAsync(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, id), Format(body, id));
            var missing = await other.CallAsync(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, path, neverExisted), Format(body, neverExisted));

            Assert.True(foreign.Status == HttpStatusCode.NotFound, $"{method} {path} on another account's id: {(int)foreign.Status} {foreign.Body}");
            Assert.Equal(CustomerNotFound, foreign.Body);
            Assert.Equal(missing.Status, foreign.Status);
            Assert.Equal(missing.Body, foreign.Body);
        }

        Assert.Equal(before, await acme.GetRawAsync(id));
        Assert.Equal(listBefore, await acme.ListRawAsync());
    }

    [Fact]
    public async Task OtherAccount_ListsNoneOfAnotherAccountsCustomers()
    {
        await using var app = await ClienteleApp.StartAsync();
        var acme = await app.CreateClientAsync("acme");
        var other = await app.CreateClientAsync("other");
        await acme.CreateCustomerAsync(AcmeCustomer);
        await acme.CreateCustomerAsync("""{"name":"Second","firstSeen":100}""");

        Assert.Equal("""{"data":[],"total":0}""", await other.ListRawAsync());
        var (status, sorted) = await other.CallAsync(HttpMethod.Get, "customers?sort=customers.firstSeen&order=desc&offset=0&limit=100");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"data":[],"total":0}""", sorted);
        Assert.Equal(2, await acme.TotalAsync());
    }

    [Fact]
    public async Task OtherAccount_CanCreateACustomerWithTheSameUserIdAndEachAccountKeepsItsOwn()
    {
        await using var app = await ClienteleApp.StartAsync();
        var acme = await app.CreateClientAsync("acme");
        var other = await app.CreateClientAsync("other");
        var acmeId = await acme.CreateCustomerAsync(AcmeCustomer);
        var before = await acme.GetRawAsync(acmeId);
        var listBefore = await acme.ListRawAsync();

        var (status, body) = await other.CallAsync(HttpMethod.Post, "customers", """{"userId":"crm-17","email":"john@example.com","name":"Other John"}""");

        Assert.True(status == HttpStatusCode.Created, body);
        var otherId = WireAssertions.IdOf(body);
        Assert.NotEqual(acmeId, otherId);
        Assert.Equal(before, await acme.GetRawAsync(acmeId));
        Assert.Equal(listBefore, await acme.ListRawAsync());
        Assert.Equal(1, await other.TotalAsync());
        (await other.CallAsync(HttpMethod.Post, "customers", """{"userId":"crm-17"}""")).AssertError(HttpStatusCode.BadRequest, "invalid_userId_value");
        (await acme.CallAsync(HttpMethod.Post, "customers", """{"userId":"crm-17"}""")).AssertError(HttpStatusCode.BadRequest, "invalid_userId_value");
    }

    [Fact]
    public async Task OtherAccount_UsingAnotherAccountsUserIdOnAForeignId_Answers404Not400()
    {
        await using var app = await ClienteleApp.StartAsync();
        var acme = await app.CreateClientAsync("acme");
        var other = await app.CreateClientAsync("other");
        var first = await acme.CreateCustomerAsync("""{"userId":"crm-1"}""");
        var second = await acme.CreateCustomerAsync("""{"userId":"crm-2"}""");
        var before = await acme.GetRawAsync(second);

        var answer = await other.CallAsync(HttpMethod.Patch, $"customers/{second}", """{"userId":"crm-1"}""");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal(CustomerNotFound, answer.Body);
        Assert.Equal(before, await acme.GetRawAsync(second));
        Assert.Contains("\"userId\":\"crm-1\"", await acme.GetRawAsync(first), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tags_BelongToTheAccount_SoAnotherAccountsColourNeverApplies()
    {
        await using var app = await ClienteleApp.StartAsync();
        var acme = await app.CreateClientAsync("acme");
        var other = await app.CreateClientAsync("other");
        var acmeId = await acme.CreateCustomerAsync("""{"tags":[{"name":"Lead","color":"#112233"}]}""");

        var (status, body) = await other.CallAsync(HttpMethod.Post, "customers", """{"tags":[{"name":"Lead"}]}""");
        var (_, second) = await other.CallAsync(HttpMethod.Post, "customers", """{"tags":[{"name":"Lead","color":"#445566"}]}""");

        Assert.True(status == HttpStatusCode.Created, body);
        Assert.Equal("""[{"name":"Lead","color":"#c377e0"}]""", TagsOf(body));
        Assert.Equal("""[{"name":"Lead","color":"#c377e0"}]""", TagsOf(second));
        Assert.Equal("""[{"name":"Lead","color":"#112233"}]""", TagsOf(await acme.GetRawAsync(acmeId)));
    }

    /// <summary>Every route that names a customer; <c>{0}</c> is the id. The delete comes last.</summary>
    private static (HttpMethod Method, string Path, string? Body)[] Routes() =>
    [
        (HttpMethod.Get, "customers/{0}", null),
        (HttpMethod.Put, "customers/{0}", """{"name":"Hijacked","userId":"crm-17"}"""),
        (HttpMethod.Patch, "customers/{0}", """{"name":"Hijacked","tags":[]}"""),
        (HttpMethod.Put, "customers/{0}/tags", """{"tags":[{"name":"Stolen"}]}"""),
        (HttpMethod.Delete, "customers/{0}/tags", """{"tags":[{"name":"Lead"}]}"""),
        (HttpMethod.Post, "events", """{"name":"hijack","customer":{0}}"""),
        (HttpMethod.Delete, "customers/{0}", null),
    ];

    private static string? Format(string? body, long id) =>
        body?.Replace("{0}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static string TagsOf(string customer)
    {
        using var document = JsonDocument.Parse(customer);
        return document.RootElement.GetProperty("tags").GetRawText();
    }
}
