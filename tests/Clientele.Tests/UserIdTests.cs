using System.Net;
using Clientele.Tests.Infrastructure;
using static Clientele.Tests.Infrastructure.WireAssertions;

namespace Clientele.Tests;

/// <summary>Spec §2/§3: <c>userId</c> is unique per account; a duplicate is 400 <c>invalid_userId_value</c> and writes nothing.</summary>
public sealed class UserIdTests
{
    private const string DuplicateBody = """{"errors":[{"code":"invalid_userId_value","message":"A customer with this userId already exists."}]}""";

    [Theory]
    [InlineData("""{"userId":"crm-17"}""", """{"userId":"crm-17","name":"Second","tags":[{"name":"New"}],"customData":{"a":1}}""")]
    [InlineData("""{"userId":17}""", """{"userId":"17"}""")]
    [InlineData("""{"userId":"17"}""", """{"userId":17}""")]
    public async Task Create_WithUserIdTakenInTheAccount_Answers400AndWritesNothing(string first, string second)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(first);
        var existing = await client.GetOkAsync($"customers/{id}");

        var body = await client.CallExpectingAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "customers", second);

        Assert.Equal(DuplicateBody, body);
        Assert.Equal($$"""{"data":[{{existing}}],"total":1}""", await client.GetOkAsync("customers"));
        // The tag the refused request named was not created: a later first use sets its colour.
        var tagged = await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", """{"tags":[{"name":"New","color":"#abcdef"}]}""");
        Assert.Contains("""{"name":"New","color":"#abcdef"}""", tagged, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    public async Task Update_ToUserIdOfAnotherCustomer_Answers400AndChangesNothing(string method)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"userId":"crm-1"}""");
        var id = await client.CreateCustomerAsync("""{"userId":"crm-2","name":"Two","tags":[{"name":"Old"}],"customData":{"k":1}}""");
        var before = await client.GetOkAsync($"customers/{id}");

        var body = await client.CallExpectingAsync(HttpStatusCode.BadRequest, new HttpMethod(method), $"customers/{id}",
            """{"userId":"crm-1","name":"Changed","tags":[{"name":"Fresh"}],"customData":{"k":2}}""");

        Assert.Equal(DuplicateBody, body);
        Assert.Equal(before, await client.GetOkAsync($"customers/{id}"));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    public async Task Update_KeepingItsOwnUserId_Succeeds(string method)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"userId":"crm-1","name":"One"}""");

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, new HttpMethod(method), $"customers/{id}", """{"userId":"crm-1","name":"Uno"}""");

        Assert.Contains("\"name\":\"Uno\",\"email\":null,\"userId\":\"crm-1\",", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameUserId_InAnotherAccount_IsAccepted()
    {
        await using var app = await ClienteleApp.StartAsync();
        var acme = await app.CreateClientAsync("acme");
        var other = app.CreateClient(await app.CreateKeyAsync("other"));
        var mine = await acme.CreateCustomerAsync("""{"userId":"crm-17"}""");

        var theirs = await other.CreateCustomerAsync("""{"userId":"crm-17"}""");
        var moved = await other.CreateCustomerAsync("""{"userId":"crm-18"}""");
        await other.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{moved}", """{"userId":"crm-17x"}""");
        await acme.CreateCustomerAsync("""{"userId":"crm-17x"}""");

        Assert.NotEqual(mine, theirs);
        Assert.Contains("\"userId\":\"crm-17\"", await acme.GetOkAsync($"customers/{mine}"), StringComparison.Ordinal);
        Assert.Contains("\"userId\":\"crm-17\"", await other.GetOkAsync($"customers/{theirs}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterDelete_TheUserIdIsFreeAgain()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"userId":"crm-17"}""");
        Assert.Equal("\"Ok\"", await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{id}"));

        var again = await client.CreateCustomerAsync("""{"userId":"crm-17"}""");

        Assert.NotEqual(id, again);
        Assert.Contains("\"userId\":\"crm-17\"", await client.GetOkAsync($"customers/{again}"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"userId":"crm-new"}""")]
    [InlineData("""{"userId":null}""")]
    [InlineData("""{"userId":""}""")]
    public async Task AfterPatchChangesIt_TheOldUserIdIsFreeAgain(string change)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"userId":"crm-17"}""");
        await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", change);

        var other = await client.CreateCustomerAsync("""{"userId":"crm-17"}""");

        Assert.NotEqual(id, other);
    }

    [Fact]
    public async Task AfterPutLeavesItOut_TheOldUserIdIsFreeAgain()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"userId":"crm-17","name":"A"}""");
        await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Put, $"customers/{id}", """{"name":"A"}""");

        await client.CreateCustomerAsync("""{"userId":"crm-17"}""");
    }

    [Fact]
    public async Task CustomersWithoutUserId_NeverClash()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        await client.CreateCustomerAsync();
        await client.CreateCustomerAsync("""{"userId":null}""");
        await client.CreateCustomerAsync("""{"userId":""}""");
        var id = await client.CreateCustomerAsync("""{"userId":"x"}""");
        await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", """{"userId":""}""");

        Assert.Equal(4, PageTotal(await client.GetOkAsync("customers")));
    }
}
