using System.Net;
using System.Text.Json;
using Clientele.Tests.Infrastructure;
using static Clientele.Tests.Infrastructure.WireAssertions;

namespace Clientele.Tests;

/// <summary>
/// Spec §1 accounts through the routes that act on many customers at once: search, batch, the paged list, and
/// account-owned tags. Account B acting on account A's data sees nothing of it and changes none of it.
/// </summary>
public sealed class SearchBatchTenantIsolationTests
{
    private const string CustomerNotFound = """{"errors":[{"code":"entity_not_found","message":"Customer not found"}]}""";
    private const string Empty = """{"data":[],"total":0}""";

    private const string AliceOfA = """
        {"name":"Alice Unique","email":"alice@a.example","userId":"a-user-1","company":"Acme Secret","phone":"+380501112233",
         "firstSeen":1603885746,"lastSeen":"1603885800","location":{"city":"Kyiv","regionCode":"30","countryCode":"UA"},
         "unsubscribed":true,"locale":"uk","source":"https://a.example/pricing","createdFrom":"crm-a","integrationId":"int-a",
         "telegramId":"tg-a","whatsappId":"wa-a","tags":[{"name":"ATag","color":"#123456"}],
         "customData":{"secret":"alice-only","seats":42,"vip":true}}
        """;

    /// <summary>A's customers and B's, created interleaved so ids and sort keys of the two accounts alternate.</summary>
    private sealed record Accounts(HttpClient A, HttpClient B, long Alice, long[] OfA, long[] OfB);

    private static async Task<Accounts> CreateAccountsAsync(ClienteleApp app)
    {
        var a = await app.CreateClientAsync("acme");
        var b = await app.CreateClientAsync("other");
        var alice = await a.CreateCustomerAsync(AliceOfA);
        var ofA = new List<long> { alice };
        var ofB = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            // Same names, emails and seen times in both accounts: only the account may tell them apart.
            var body = $$$"""{"name":"Shared Name {{{i}}}","email":"same{{{i}}}@example.com","firstSeen":{{{1600000000 + i}}},"customData":{"secret":"a-value"}}""";
            ofA.Add(await a.CreateCustomerAsync(body));
            if (i % 2 == 0)
            {
                ofB.Add(await b.CreateCustomerAsync(body));
            }
        }
        return new Accounts(a, b, alice, [.. ofA], [.. ofB]);
    }

    /// <summary>Each filter finds Alice in A's account; none of them may find anything of A's from B's.</summary>
    public static TheoryData<string> FiltersMatchingAlice() =>
    [
        """{"field":"customers.name","operator":"=","value":"Alice Unique"}""",
        """{"field":"customers.name","operator":"=","value":"ALICE UNIQUE"}""",
        """{"field":"customers.name","operator":"~","value":"lice Uni"}""",
        """{"field":"customers.email","operator":"=","value":"alice@a.example"}""",
        """{"field":"customers.email","operator":"~","value":"alice@"}""",
        """{"field":"customers.userId","operator":"=","value":"a-user-1"}""",
        """{"field":"customers.company","operator":"~","value":"secret"}""",
        """{"field":"customers.phone","operator":"=","value":"+380501112233"}""",
        """{"field":"customers.city","operator":"=","value":"Kyiv"}""",
        """{"field":"customers.countryCode","operator":"=","value":"UA"}""",
        """{"field":"customers.regionCode","operator":"=","value":"30"}""",
        """{"field":"customers.locale","operator":"=","value":"uk"}""",
        """{"field":"customers.source","operator":"~","value":"a.example"}""",
        """{"field":"customers.createdFrom","operator":"=","value":"crm-a"}""",
        """{"field":"customers.integrationId","operator":"=","value":"int-a"}""",
        """{"field":"customers.telegramId","operator":"=","value":"tg-a"}""",
        """{"field":"customers.whatsappId","operator":"~","value":"wa"}""",
        """{"field":"customers.firstSeen","operator":"=","value":1603885746}""",
        """{"field":"customers.lastSeen","operator":">=","value":"1603885800"}""",
        """{"field":"customers.unsubscribed","operator":"=","value":true}""",
        """{"field":"customers.tagsData","operator":"=","value":[{"name":"ATag"}]}""",
        """{"field":"customers.customData.secret","operator":"=","value":"alice-only"}""",
        """{"field":"customers.customData.secret","operator":"~","value":"ONLY"}""",
        """{"field":"customers.customData.seats","operator":"=","value":42}""",
        """{"field":"customers.customData.seats","operator":">","value":41}""",
        """{"field":"customers.customData.vip","operator":"=","value":true}""",
        """{"field":"customers.id","operator":"=","value":"{alice}"}""",
        """{"field":"customers.id","operator":"<=","value":{alice}}""",
    ];

    [Theory]
    [MemberData(nameof(FiltersMatchingAlice))]
    public async Task Search_FromAnotherAccount_ByAValueOfAnAccountsCustomer_FindsNothingOfIt(string clause)
    {
        await using var app = await ClienteleApp.StartAsync();
        var (a, b, alice, _, ofB) = await CreateAccountsAsync(app);
        var filter = clause.Replace("{alice}", alice.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var seenByA = await a.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Post, "customers/search", $$"""{"filter":[{{filter}}]}""");
        var seenByB = await b.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Post, "customers/search", $$"""{"filter":[{{filter}}]}""");
        var alone = await b.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Post, "customers/search",
            $$"""{"filter":[{{filter}},{"field":"customers.id","operator":">=","value":1}],"comparison":"AND","sort":"customers.firstSeen","order":"desc"}""");

        Assert.Contains(alice, PageIds(seenByA));
        Assert.Equal(Empty, seenByB);
        Assert.Equal(Empty, alone);
        Assert.DoesNotContain(alice, ofB);
    }

    [Fact]
    public async Task Search_FromAnotherAccount_WithOrAndNoFilter_FindsOnlyItsOwnCustomers()
    {
        await using var app = await ClienteleApp.StartAsync();
        var (_, b, alice, _, ofB) = await CreateAccountsAsync(app);

        var everything = await b.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Post, "customers/search", "{}");
        var either = await b.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Post, "customers/search", $$"""
            {"filter":[{"field":"customers.id","operator":"=","value":{{alice}}},{"field":"customers.name","operator":"~","value":"Shared"},
                       {"field":"customers.customData.secret","operator":"=","value":"a-value"}],"comparison":"OR"}
            """);
        var sameSecret = await b.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Post, "customers/search",
            """{"filter":[{"field":"customers.customData.secret","operator":"=","value":"a-value"}],"limit":100}""");

        Assert.Equal(ofB, PageIds(everything));
        Assert.Equal(ofB.Length, PageTotal(everything));
        Assert.Equal(ofB, PageIds(either));
        Assert.Equal(ofB.Length, PageTotal(either));
        Assert.Equal(ofB, PageIds(sameSecret));
    }

    /// <summary>A batch of B's that names one of A's customers anywhere is a 404 like a never-issued id, and changes nothing in either account.</summary>
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(1, true)]
    public async Task Batch_FromAnotherAccount_NamingAnAccountsCustomer_Answers404AndChangesNeitherAccount(int position, bool idAsString)
    {
        await using var app = await ClienteleApp.StartAsync();
        var (a, b, alice, ofA, ofB) = await CreateAccountsAsync(app);
        var rawOfA = await Task.WhenAll(ofA.Select(id => a.GetRawAsync(id)));
        var rawOfB = await Task.WhenAll(ofB.Select(id => b.GetRawAsync(id)));
        var listOfA = await a.ListRawAsync();
        var before = await DatabaseSnapshot.TakeAsync(app.Database);
        var reference = idAsString ? $"\"{alice}\"" : alice.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var items = new List<string>
        {
            $$"""{"customer":{{ofB[0]}},"name":"B renamed","tags":[{"name":"ATag","color":"#000000"}]}""",
            $$"""{"customer":{{ofB[1]}},"customData":{"secret":null,"new":1},"userId":"a-user-1"}""",
        };
        items.Insert(position, $$$"""{"customer":{{{reference}}},"name":"Hijacked","email":"evil@b.example","tags":[],"customData":{"secret":null}}""");
        var missing = items.Select(i => i.Replace(reference, "900000000", StringComparison.Ordinal)).ToList();

        var foreign = await b.CallAsync(HttpMethod.Put, "customers/batch", "[" + string.Join(",", items) + "]");
        var neverIssued = await b.CallAsync(HttpMethod.Put, "customers/batch", "[" + string.Join(",", missing) + "]");

        Assert.True(foreign.Status == HttpStatusCode.NotFound, $"{(int)foreign.Status}: {foreign.Body}");
        Assert.Equal(CustomerNotFound, foreign.Body);
        Assert.Equal(neverIssued.Status, foreign.Status);
        Assert.Equal(neverIssued.Body, foreign.Body);
        Assert.Equal(rawOfA, await Task.WhenAll(ofA.Select(id => a.GetRawAsync(id))));
        Assert.Equal(rawOfB, await Task.WhenAll(ofB.Select(id => b.GetRawAsync(id))));
        Assert.Equal(listOfA, await a.ListRawAsync());
        var after = await DatabaseSnapshot.TakeAsync(app.Database);
        Assert.True(before.Hash == after.Hash, "the refused batch changed the database:\n" + before.DescribeDifference(after));
    }

    [Fact]
    public async Task Batch_FromAnotherAccount_OfOnlyAnAccountsCustomers_Answers404()
    {
        await using var app = await ClienteleApp.StartAsync();
        var (a, b, alice, ofA, _) = await CreateAccountsAsync(app);
        var before = await a.GetRawAsync(alice);

        var answer = await b.CallAsync(HttpMethod.Put, "customers/batch", $$"""[{"customer":{{alice}},"name":"Hijacked"},{"customer":{{ofA[1]}},"blocked":true}]""");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal(CustomerNotFound, answer.Body);
        Assert.Equal(before, await a.GetRawAsync(alice));
        Assert.Contains("\"blocked\":false", await a.GetRawAsync(ofA[1]), StringComparison.Ordinal);
    }

    /// <summary>Every page of B's list, in every order, holds exactly B's customers; the totals count B's only.</summary>
    [Theory]
    [InlineData(null, null)]
    [InlineData("customers.id", "desc")]
    [InlineData("customers.firstSeen", "asc")]
    [InlineData("customer.firstSeen", "DESC")]
    [InlineData("customers.name", "desc")]
    [InlineData("customers.email", "asc")]
    [InlineData("customers.userId", "asc")]
    [InlineData("customers.lastSeen", "desc")]
    public async Task ListPages_OfAnotherAccount_NeverShowAnAccountsCustomers(string? sort, string? order)
    {
        await using var app = await ClienteleApp.StartAsync();
        var (_, b, _, ofA, ofB) = await CreateAccountsAsync(app);
        var query = (sort is null ? "" : $"&sort={sort}") + (order is null ? "" : $"&order={order}");

        foreach (var limit in new[] { 1, 2, 100 })
        {
            var seen = new List<long>();
            for (var offset = 0; offset < ofA.Length + ofB.Length + 2; offset += limit)
            {
                var page = await b.GetOkAsync($"customers?offset={offset}&limit={limit}{query}");
                Assert.Equal(ofB.Length, PageTotal(page));
                seen.AddRange(PageIds(page));
            }
            Assert.Equal(ofB.Order(), seen.Order());
            Assert.Empty(seen.Intersect(ofA));
        }
    }

    /// <summary>Tags belong to the account: B's first use of a name A already has creates B's own tag, with B's colour or the default.</summary>
    [Fact]
    public async Task Tags_NamedLikeAnotherAccountsTags_ThroughEveryRoute_GetTheirOwnAccountsColour()
    {
        await using var app = await ClienteleApp.StartAsync();
        var (a, b, alice, _, ofB) = await CreateAccountsAsync(app);
        await a.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{alice}",
            """{"tags":[{"name":"ATag"},{"name":"Shared","color":"#111111"},{"name":"Shared2","color":"#222222"}]}""");

        var added = await b.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Put, $"customers/{ofB[0]}/tags", """{"tags":[{"name":"Shared"}]}""");
        var patched = await b.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{ofB[1]}", """{"tags":[{"name":"Shared2","color":"#333333"}]}""");
        var batched = await b.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Put, "customers/batch",
            $$"""[{"customer":{{ofB[2]}},"tags":[{"name":"Shared","color":"#444444"},{"name":"ATag"}]}]""");
        var created = await b.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", """{"tags":[{"name":"Shared2"},{"name":"ATag","color":"#555555"}]}""");

        Assert.Equal("""[{"name":"Shared","color":"#c377e0"}]""", TagsOf(added));
        Assert.Equal("""[{"name":"Shared2","color":"#333333"}]""", TagsOf(patched));
        // B's "Shared" exists by now (the default colour), and B's first "ATag" came without a colour.
        Assert.Equal("""[{"name":"Shared","color":"#c377e0"},{"name":"ATag","color":"#c377e0"}]""", TagsOf(JsonDocument.Parse(batched).RootElement.GetProperty("data")[0].GetRawText()));
        Assert.Equal("""[{"name":"Shared2","color":"#333333"},{"name":"ATag","color":"#c377e0"}]""", TagsOf(created));
        Assert.Equal("""[{"name":"ATag","color":"#123456"},{"name":"Shared","color":"#111111"},{"name":"Shared2","color":"#222222"}]""", TagsOf(await a.GetRawAsync(alice)));
        var fresh = await a.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", """{"tags":[{"name":"Shared2"},{"name":"Shared","color":"#999999"}]}""");
        Assert.Equal("""[{"name":"Shared2","color":"#222222"},{"name":"Shared","color":"#111111"}]""", TagsOf(fresh));

        var taggedInB = await b.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Post, "customers/search",
            """{"filter":[{"field":"customers.tagsData","operator":"=","value":[{"name":"ATag"}]}]}""");
        Assert.Equal([ofB[2], IdOf(created)], PageIds(taggedInB));
    }

    private static string TagsOf(string customer)
    {
        using var document = JsonDocument.Parse(customer);
        return document.RootElement.GetProperty("tags").GetRawText();
    }
}
