using System.Net;
using System.Text.Json.Nodes;
using Clientele.Client.Tests.Infrastructure;

namespace Clientele.Client.Tests;

/// <summary>Every customer route and <c>POST /events</c> through the SDK against a real server.</summary>
public sealed class CustomerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Seen = DateTimeOffset.FromUnixTimeSeconds(1603885746);

    private static CustomerInput Full() => new()
    {
        Name = "John Doe",
        Email = "john@example.com",
        UserId = "crm-17",
        Company = "Acme",
        Phone = "+380501234567",
        FirstSeen = Seen,
        LastSeen = Seen.AddHours(1),
        Location = new CustomerLocation("CA", "US", "San Francisco"),
        Unsubscribed = true,
        Source = "https://example.com/pricing",
        Referer = "https://google.com",
        LastPage = "https://example.com/signup",
        Locale = "pt-BR",
        CreatedFrom = "api",
        IntegrationId = "int-1",
        Notes = "met at the fair",
        TelegramId = "tg-17",
        Tags = [new Tag("Lead"), new Tag("VIP", "#ff0000")],
        CustomData = { ["plan"] = "pro", ["seats"] = 5, ["price"] = 5.10m, ["trial"] = false, ["ratio"] = 0.25 },
    };

    [Fact]
    public async Task CreateCustomer_WithEveryField_ReturnsThemTyped()
    {
        await using var h = await ClientHarness.StartAsync();

        var c = await h.Client.CreateCustomerAsync(Full(), Ct);

        Assert.True(c.Id > 0);
        Assert.Equal(("John Doe", "john@example.com", "crm-17", "Acme", "+380501234567"), (c.Name, c.Email, c.UserId, c.Company, c.Phone));
        Assert.Equal(Seen, c.FirstSeen);
        Assert.Equal(Seen.AddHours(1), c.LastSeen);
        Assert.Equal(new CustomerLocation("CA", "US", "San Francisco"), c.Location);
        Assert.Equal(new CustomerDevice(), c.Device);
        Assert.True(c.Unsubscribed);
        Assert.False(c.Blocked);
        Assert.Equal(("https://example.com/pricing", "https://google.com", "https://example.com/signup"), (c.Source, c.Referer, c.LastPage));
        Assert.Equal(("pt-BR", "api", "int-1", "met at the fair"), (c.Locale, c.CreatedFrom, c.IntegrationId, c.Notes));
        Assert.Equal([new Tag("Lead", "#c377e0"), new Tag("VIP", "#ff0000")], c.Tags);
        Assert.Equal(["plan", "seats", "price", "trial", "ratio"], c.CustomData.Keys);
        Assert.Equal("pro", c.CustomData["plan"].GetString());
        Assert.True(c.CustomData["seats"].TryGetInt64(out var seats) && seats == 5);
        Assert.Equal("5.10", c.CustomData["price"].GetNumberText());
        Assert.False(c.CustomData["trial"].GetBoolean());
        Assert.Equal(0.25, c.CustomData["ratio"].GetDouble());
    }

    [Fact]
    public async Task CreateCustomer_WithNothingSet_ReturnsABlankCustomer()
    {
        await using var h = await ClientHarness.StartAsync();

        var c = await h.Client.CreateCustomerAsync(new CustomerInput(), Ct);

        Assert.Null(c.Name);
        Assert.Null(c.FirstSeen);
        Assert.Equal(new CustomerLocation(), c.Location);
        Assert.Empty(c.Tags);
        Assert.Empty(c.CustomData);
    }

    [Fact]
    public async Task GetCustomer_ReadsBackWhatWasCreated()
    {
        await using var h = await ClientHarness.StartAsync();
        var created = await h.Client.CreateCustomerAsync(Full(), Ct);

        var fetched = await h.Client.GetCustomerAsync(created.Id, Ct);

        Assert.Equal(Same.Json(created), Same.Json(fetched));
    }

    [Fact]
    public async Task ReplaceCustomer_ClearsEveryFieldLeftOut()
    {
        await using var h = await ClientHarness.StartAsync();
        var created = await h.Client.CreateCustomerAsync(Full(), Ct);

        var replaced = await h.Client.ReplaceCustomerAsync(created.Id, new CustomerInput { Name = "Only Name", CustomData = { ["k"] = "v" } }, Ct);

        Assert.Equal(created.Id, replaced.Id);
        Assert.Equal("Only Name", replaced.Name);
        Assert.Null(replaced.Email);
        Assert.Null(replaced.UserId);
        Assert.Null(replaced.FirstSeen);
        Assert.Equal(new CustomerLocation(), replaced.Location);
        Assert.False(replaced.Unsubscribed);
        Assert.Empty(replaced.Tags);
        Assert.Equal(["k"], replaced.CustomData.Keys);
        // The messenger ids are not returned, but they were cleared too.
        Assert.Empty(await h.Client.SearchCustomersAsync(Filter.TelegramId.EqualTo("tg-17"), cancellationToken: Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task UpdateCustomer_ChangesAssignedFields_ClearsNulls_AndKeepsTheRest()
    {
        await using var h = await ClientHarness.StartAsync();
        var created = await h.Client.CreateCustomerAsync(Full(), Ct);

        var updated = await h.Client.UpdateCustomerAsync(created.Id, new CustomerUpdate
        {
            Email = null,
            Company = "NewCo",
            City = "Kyiv",
            Blocked = true,
            Unsubscribed = null,
            LastSeen = Seen.AddDays(1),
            CustomData = { ["seats"] = 6, ["plan"] = CustomDataValue.Null, ["new"] = "x" },
        }, Ct);

        Assert.Equal("John Doe", updated.Name);
        Assert.Null(updated.Email);
        Assert.Equal("NewCo", updated.Company);
        Assert.Equal("crm-17", updated.UserId);
        Assert.Equal(new CustomerLocation("CA", "US", "Kyiv"), updated.Location);
        Assert.True(updated.Blocked);
        Assert.False(updated.Unsubscribed);
        Assert.Equal(Seen, updated.FirstSeen);
        Assert.Equal(Seen.AddDays(1), updated.LastSeen);
        Assert.Equal(created.Tags, updated.Tags);
        Assert.Equal(["seats", "price", "trial", "ratio", "new"], updated.CustomData.Keys);
        Assert.False(updated.CustomData.ContainsKey("plan"));
        Assert.Equal("6", updated.CustomData["seats"].GetNumberText());
        Assert.Equal("x", updated.CustomData["new"].GetString());
    }

    [Fact]
    public async Task UpdateCustomer_WithNothingAssigned_ChangesNothing()
    {
        await using var h = await ClientHarness.StartAsync();
        var created = await h.Client.CreateCustomerAsync(Full(), Ct);

        var updated = await h.Client.UpdateCustomerAsync(created.Id, new CustomerUpdate(), Ct);

        Assert.Equal(Same.Json(created), Same.Json(updated));
    }

    [Fact]
    public async Task UpdateCustomer_Tags_ReplaceTheSet_AndNullRemovesEveryTag()
    {
        await using var h = await ClientHarness.StartAsync();
        var created = await h.Client.CreateCustomerAsync(Full(), Ct);

        var replaced = await h.Client.UpdateCustomerAsync(created.Id, new CustomerUpdate { Tags = [new Tag("New"), new Tag("VIP")] }, Ct);
        Assert.Equal([new Tag("New", "#c377e0"), new Tag("VIP", "#ff0000")], replaced.Tags);

        var cleared = await h.Client.UpdateCustomerAsync(created.Id, new CustomerUpdate { Tags = null }, Ct);
        Assert.Empty(cleared.Tags);
        Assert.Equal("John Doe", cleared.Name);
    }

    [Fact]
    public async Task UpdateCustomers_AppliesEachItemInOrder_AndReturnsThemInOrder()
    {
        await using var h = await ClientHarness.StartAsync();
        var a = await h.Client.CreateCustomerAsync(new CustomerInput { Name = "A", Company = "Old" }, Ct);
        var b = await h.Client.CreateCustomerAsync(new CustomerInput { Name = "B", CustomData = { ["seats"] = 1 } }, Ct);

        var result = await h.Client.UpdateCustomersAsync(
        [
            new CustomerBatchUpdate(b.Id, new CustomerUpdate { Tags = [new Tag("VIP")], CustomData = { ["seats"] = CustomDataValue.Null } }),
            new CustomerBatchUpdate(a.Id, new CustomerUpdate { Company = "Acme" }),
        ], Ct);

        Assert.Equal([b.Id, a.Id], result.Select(c => c.Id));
        Assert.Equal([new Tag("VIP", "#c377e0")], result[0].Tags);
        Assert.Empty(result[0].CustomData);
        Assert.Equal(("A", "Acme"), (result[1].Name, result[1].Company));
        Assert.Equal("Acme", (await h.Client.GetCustomerAsync(a.Id, Ct)).Company);
    }

    [Fact]
    public async Task DeleteCustomer_RemovesIt_AndFreesItsUserId()
    {
        await using var h = await ClientHarness.StartAsync();
        var created = await h.Client.CreateCustomerAsync(new CustomerInput { UserId = "crm-1" }, Ct);

        await h.Client.DeleteCustomerAsync(created.Id, Ct);

        var gone = await Assert.ThrowsAsync<ClienteleApiException>(() => h.Client.GetCustomerAsync(created.Id, Ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var again = await h.Client.CreateCustomerAsync(new CustomerInput { UserId = "crm-1" }, Ct);
        Assert.NotEqual(created.Id, again.Id);
    }

    [Fact]
    public async Task AddTags_AddsTheMissingOnes_AndRemoveTags_RemovesTheNamedOnes()
    {
        await using var h = await ClientHarness.StartAsync();
        var created = await h.Client.CreateCustomerAsync(new CustomerInput { Tags = [new Tag("Lead")] }, Ct);

        var tagged = await h.Client.AddTagsAsync(created.Id, [new Tag("VIP", "#000000"), new Tag("Lead", "#ffffff")], Ct);
        Assert.Equal([new Tag("Lead", "#c377e0"), new Tag("VIP", "#000000")], tagged.Tags);

        var untagged = await h.Client.RemoveTagsAsync(created.Id, ["Lead", "Unknown"], Ct);
        Assert.Equal([new Tag("VIP", "#000000")], untagged.Tags);
    }

    [Fact]
    public async Task TrackEvent_ReturnsTheStoredEvent()
    {
        await using var h = await ClientHarness.StartAsync();
        var customer = await h.Client.CreateCustomerAsync(new CustomerInput { Name = "E" }, Ct);
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        var recorded = await h.Client.TrackEventAsync(customer.Id, "signed_up", new JsonObject { ["plan"] = "pro", ["nested"] = new JsonObject { ["n"] = 1 } }, Ct);

        Assert.True(recorded.Id > 0);
        Assert.Equal("signed_up", recorded.Name);
        Assert.Equal(customer.Id, recorded.CustomerId);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"plan":"pro","nested":{"n":1}}"""), recorded.Data));
        Assert.InRange(recorded.CreatedAt, before, DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task TrackEvent_WithoutData_HasNoData()
    {
        await using var h = await ClientHarness.StartAsync();
        var customer = await h.Client.CreateCustomerAsync(new CustomerInput(), Ct);

        var recorded = await h.Client.TrackEventAsync(customer.Id, "ping", cancellationToken: Ct);

        Assert.Null(recorded.Data);
    }
}
