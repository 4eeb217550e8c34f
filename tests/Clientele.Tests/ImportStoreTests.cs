using System.Text.Json;
using Clientele.Customers;
using Clientele.Storage;
using Clientele.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Tests;

/// <summary>
/// <see cref="ICustomerStore.ImportAsync"/> on every provider: items succeed or fail one by one, in input order, and
/// a later item sees what the earlier ones of the same batch did.
/// </summary>
public sealed class ImportStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CustomerEdit Edit(string json) => CustomerEdit.FromBody(JsonSerializer.Deserialize<JsonElement>(json), replace: false).Edit!;

    private static async Task<(ICustomerStore Store, long Account, HttpClient Client)> StartAsync(ClienteleApp app)
    {
        var client = await app.CreateClientAsync("acme");
        var account = (await app.Services.GetRequiredService<IAccountStore>().FindAccountAsync("acme", Ct))!.Value;
        return (app.Services.GetRequiredService<ICustomerStore>(), account, client);
    }

    [Fact]
    public async Task Import_WithUpsert_ItemsNamingOneUserIdMergeInOrder_AndARefusedItemLeavesTheOthers()
    {
        await using var app = await ClienteleApp.StartAsync();
        var (store, account, client) = await StartAsync(app);
        var stored = await client.CreateCustomerAsync("""{"name":"Stored","userId":"u1","customData":{"a":1},"tags":[{"name":"Old","color":"#000001"}]}""");
        var manyProperties = string.Join(",", Enumerable.Range(0, 200).Select(i => $"\"p{i}\":{i}"));

        var outcomes = await store.ImportAsync(account,
        [
            Edit("""{"userId":"u1","name":"First"}"""),
            Edit("""{"userId":"u2","name":"New","tags":[{"name":"Fresh","color":"#00ff00"}]}"""),
            Edit("""{"userId":"u1","name":"Refused","customData":{""" + manyProperties + "}}"),
            Edit("""{"userId":"u2","tags":[{"name":"Fresh","color":"#ff0000"},{"name":"Old","color":"#ffffff"}]}"""),
            Edit("""{"name":"No userId"}"""),
        ], upsertByUserId: true, Ct);

        Assert.Equal([WriteStatus.Ok, WriteStatus.Ok, WriteStatus.Invalid, WriteStatus.Ok, WriteStatus.Ok], outcomes.Select(o => o.Status));
        Assert.Equal([false, true, false, false, true], outcomes.Select(o => o.Created));
        Assert.Equal(stored, outcomes[0].Customer!.Id);
        Assert.Equal(outcomes[1].Customer!.Id, outcomes[3].Customer!.Id);
        Assert.Equal([new TagRecord("Fresh", "#00ff00")], outcomes[1].Customer!.Tags);
        Assert.Equal([new TagRecord("Fresh", "#00ff00"), new TagRecord("Old", "#000001")], outcomes[3].Customer!.Tags);

        var first = (await store.FindAsync(account, stored, Ct))!;
        Assert.Equal("First", first.Name);
        Assert.Equal([new CustomDataEntry("a", "1")], first.CustomData);
        var merged = (await store.FindAsync(account, outcomes[3].Customer!.Id, Ct))!;
        Assert.Equal(("New", "u2"), (merged.Name, merged.UserId));
        Assert.Equal([new TagRecord("Fresh", "#00ff00"), new TagRecord("Old", "#000001")], merged.Tags);
        Assert.Equal("No userId", (await store.FindAsync(account, outcomes[4].Customer!.Id, Ct))!.Name);
    }

    [Fact]
    public async Task Import_WithoutUpsert_AUserIdStoredOrEarlierInTheBatchIsTaken_AndNothingOfThatItemIsWritten()
    {
        await using var app = await ClienteleApp.StartAsync();
        var (store, account, client) = await StartAsync(app);
        await client.CreateCustomerAsync("""{"userId":"u1"}""");

        var outcomes = await store.ImportAsync(account,
        [
            Edit("""{"userId":"u1","tags":[{"name":"Never"}]}"""),
            Edit("""{"userId":"u3","name":"Kept"}"""),
            Edit("""{"userId":"u3","name":"Second"}"""),
            Edit("""{"name":"Plain"}"""),
        ], upsertByUserId: false, Ct);

        Assert.Equal([WriteStatus.DuplicateUserId, WriteStatus.Ok, WriteStatus.DuplicateUserId, WriteStatus.Ok], outcomes.Select(o => o.Status));
        Assert.Equal("Kept", (await store.FindAsync(account, outcomes[1].Customer!.Id, Ct))!.Name);
        var page = await store.ReadPageAsync(account, 0, 100, Ct);
        Assert.Equal(3, page.Count);
        // The refused item made no tag: the first customer to name it now gives it its colour.
        var later = await client.CreateCustomerAsync("""{"tags":[{"name":"Never","color":"#123456"}]}""");
        Assert.Equal([new TagRecord("Never", "#123456")], (await store.FindAsync(account, later, Ct))!.Tags);
    }
}
