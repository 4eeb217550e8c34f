using System.Net;
using System.Text.Json;
using Clientele.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Client.Tests;

/// <summary>Every non-2xx answer becomes one <see cref="ClienteleApiException"/> with status, parsed errors and raw body.</summary>
public sealed class ErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetCustomer_UnknownId_ThrowsNotFound_WithTheParsedErrorAndTheRawBody()
    {
        await using var h = await ClientHarness.StartAsync();

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => h.Client.GetCustomerAsync(424242, Ct));

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("entity_not_found", e.Code);
        Assert.Equal([new ClienteleError("entity_not_found", "Customer not found")], e.Errors);
        Assert.Equal("""{"errors":[{"code":"entity_not_found","message":"Customer not found"}]}""", e.ResponseBody);
        Assert.Null(e.RetryAfter);
        Assert.Contains("404", e.Message, StringComparison.Ordinal);
        Assert.Contains("Customer not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRouteOnAnUnknownId_ThrowsNotFound()
    {
        await using var h = await ClientHarness.StartAsync();
        var calls = new Func<Task>[]
        {
            () => h.Client.ReplaceCustomerAsync(99, new CustomerInput(), Ct),
            () => h.Client.UpdateCustomerAsync(99, new CustomerUpdate { Name = "x" }, Ct),
            () => h.Client.DeleteCustomerAsync(99, Ct),
            () => h.Client.AddTagsAsync(99, [new Tag("A")], Ct),
            () => h.Client.RemoveTagsAsync(99, ["A"], Ct),
            () => h.Client.UpdateCustomersAsync([new CustomerBatchUpdate(99, new CustomerUpdate { Name = "x" })], Ct),
            () => h.Client.TrackEventAsync(99, "e", cancellationToken: Ct),
        };
        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<ClienteleApiException>(call);
            Assert.Equal((HttpStatusCode.NotFound, "entity_not_found"), (e.StatusCode, e.Code));
        }
    }

    [Fact]
    public async Task CreateCustomer_InvalidFields_ThrowsBadRequest_WithOneErrorPerField()
    {
        await using var h = await ClientHarness.StartAsync();

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => h.Client.CreateCustomerAsync(new CustomerInput
        {
            Email = "not-an-address",
            Tags = [new Tag("")],
        }, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal(["email", "tags[0].name"], e.Errors.Select(x => x.Code).Order(StringComparer.Ordinal));
        Assert.All(e.Errors, x => Assert.NotEmpty(x.Message));
        using var raw = JsonDocument.Parse(e.ResponseBody);
        Assert.Equal(2, raw.RootElement.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task CreateCustomer_DuplicateUserId_ThrowsInvalidUserIdValue()
    {
        await using var h = await ClientHarness.StartAsync();
        await h.Client.CreateCustomerAsync(new CustomerInput { UserId = "crm-1" }, Ct);

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => h.Client.CreateCustomerAsync(new CustomerInput { UserId = "crm-1" }, Ct));

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_userId_value"), (e.StatusCode, e.Code));
        Assert.Equal("A customer with this userId already exists.", e.Errors[0].Message);
    }

    [Fact]
    public async Task UpdateCustomers_InvalidItem_ThrowsWithTheItemIndex_AndChangesNothing()
    {
        await using var h = await ClientHarness.StartAsync();
        var a = await h.Client.CreateCustomerAsync(new CustomerInput { Company = "Old" }, Ct);

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => h.Client.UpdateCustomersAsync(
        [
            new CustomerBatchUpdate(a.Id, new CustomerUpdate { Company = "New" }),
            new CustomerBatchUpdate(a.Id + 1, new CustomerUpdate { Email = "bad" }),
        ], Ct));

        Assert.Equal((HttpStatusCode.BadRequest, "[1].email"), (e.StatusCode, e.Code));
        Assert.Equal("Old", (await h.Client.GetCustomerAsync(a.Id, Ct)).Company);
    }

    [Fact]
    public async Task UpdateCustomers_WithNoItems_ThrowsBadRequest()
    {
        await using var h = await ClientHarness.StartAsync();

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => h.Client.UpdateCustomersAsync([], Ct));

        Assert.Equal((HttpStatusCode.BadRequest, "batch"), (e.StatusCode, e.Code));
    }

    [Fact]
    public async Task SearchCustomers_PageSizeOutOfRange_ThrowsBadRequestOnLimit()
    {
        await using var h = await ClientHarness.StartAsync();

        var e = await Assert.ThrowsAsync<ClienteleApiException>(async () =>
            await h.Client.SearchCustomersAsync(Filter.Name.EqualTo("x"), new CustomerListOptions { PageSize = 101 }, Ct).ToListAsync(Ct));

        Assert.Equal((HttpStatusCode.BadRequest, "limit"), (e.StatusCode, e.Code));
    }

    [Fact]
    public async Task UnknownKey_ThrowsUnauthorized_WithInvalidToken()
    {
        await using var h = await ClientHarness.StartAsync();
        await using var other = h.ClientFor("ck_not-a-real-key");

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => other.GetRequiredService<ClienteleClient>().ListCustomersPageAsync(null, Ct));

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_token"), (e.StatusCode, e.Code));
    }

    [Fact]
    public async Task AnotherAccountsCustomer_LooksMissing()
    {
        await using var h = await ClientHarness.StartAsync();
        var theirs = await h.Client.CreateCustomerAsync(new CustomerInput { Name = "Theirs" }, Ct);
        await using var other = h.ClientFor(await h.App.CreateKeyAsync("other"));
        var client = other.GetRequiredService<ClienteleClient>();

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => client.GetCustomerAsync(theirs.Id, Ct));

        Assert.Equal((HttpStatusCode.NotFound, "entity_not_found"), (e.StatusCode, e.Code));
        Assert.Empty(await client.ListCustomersAsync(cancellationToken: Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task ErrorWithoutTheEnvelope_KeepsTheRawBody_AndHasNoParsedErrors()
    {
        const string html = "<html><body>502 Bad Gateway</body></html>";
        await using var stub = await StubServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 502;
            context.Response.ContentType = "text/html";
            return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, html);
        });
        await using var services = Services.For(stub.ApiAddress, "k", new RequestCounter(), o => o.MaxRetries = 0);

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => services.GetRequiredService<ClienteleClient>().GetCustomerAsync(1, Ct));

        Assert.Equal(HttpStatusCode.BadGateway, e.StatusCode);
        Assert.Empty(e.Errors);
        Assert.Null(e.Code);
        Assert.Equal(html, e.ResponseBody);
    }

    [Fact]
    public async Task SuccessWithAnUnreadableBody_ThrowsWithTheRawBody_AndTheJsonError()
    {
        await using var stub = await StubServer.StartAsync((context, _) => StubServer.Json(context, 200, """{"id":"not a number"}"""));
        await using var services = Services.For(stub.ApiAddress, "k", new RequestCounter());

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => services.GetRequiredService<ClienteleClient>().GetCustomerAsync(1, Ct));

        Assert.Equal(HttpStatusCode.OK, e.StatusCode);
        Assert.Equal("""{"id":"not a number"}""", e.ResponseBody);
        Assert.IsType<JsonException>(e.InnerException, exactMatch: false);
    }
}
