using System.Net;
using System.Text.Json;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>
/// Spec §5 by example: each operator group, nulls, value forms, validation errors and tenant isolation.
/// Tests with data start their own server; the validation tests, which write nothing, share one.
/// </summary>
public sealed partial class SearchTests(SearchTests.EmptyServer server) : IClassFixture<SearchTests.EmptyServer>
{
    private readonly EmptyServer _server = server;

    [Fact]
    public async Task Search_EqualOnName_IgnoresCaseOfAccentedAndCyrillicLetters()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var emile = await client.CreateCustomerAsync("""{"name":"émile"}""");
        await client.CreateCustomerAsync("""{"name":"emile"}""");
        var zhanna = await client.CreateCustomerAsync("""{"name":"Жанна"}""");
        await client.CreateCustomerAsync("{}");

        Assert.Equal([emile], await client.FindAsync("customers.name", "=", "ÉMILE"));
        Assert.Equal([zhanna], await client.FindAsync("customers.name", "=", "жАННА"));
    }

    [Theory]
    [InlineData("customers.email", """{"email":"Émile@Exämple.org"}""", "ÉMILE@EXÄMPLE.ORG")]
    [InlineData("customers.userId", """{"userId":"CRM-Ü7"}""", "crm-ü7")]
    [InlineData("customers.phone", """{"phone":"+1 ABC"}""", "+1 abc")]
    [InlineData("customers.company", """{"company":"ACME Щ"}""", "acme щ")]
    [InlineData("customers.city", """{"location":{"city":"ÅNGSTRÖM"}}""", "ångström")]
    [InlineData("customers.telegramId", """{"telegramId":"TeLe"}""", "tele")]
    public async Task Search_EqualOnAnyStringField_IgnoresCase(string field, string customer, string value)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(customer);
        await client.CreateCustomerAsync("{}");

        Assert.Equal([id], await client.FindAsync(field, "=", value));
    }

    [Fact]
    public async Task Search_NotEqualOnName_AlsoMatchesCustomersWithoutAName()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"Alice"}""");
        var bob = await client.CreateCustomerAsync("""{"name":"Bob"}""");
        var nameless = await client.CreateCustomerAsync("{}");

        Assert.Equal([bob, nameless], await client.FindAsync("customers.name", "!=", "ALICE"));
    }

    [Fact]
    public async Task Search_NullValue_EqualFindsNullFieldsAndNotEqualFindsTheOthers()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var withEmail = await client.CreateCustomerAsync("""{"email":"a@b.co","firstSeen":5}""");
        var without = await client.CreateCustomerAsync("{}");

        Assert.Equal([without], await client.FindAsync("customers.email", "=", null));
        Assert.Equal([withEmail], await client.FindAsync("customers.email", "!=", null));
        Assert.Equal([without], await client.FindAsync("customers.firstSeen", "=", null));
        Assert.Equal([withEmail], await client.FindAsync("customers.firstSeen", "!=", null));
    }

    [Theory]
    [InlineData("customers.name")]
    [InlineData("customers.email")]
    [InlineData("customers.company")]
    [InlineData("customers.city")]
    public async Task Search_ContainsShortNeedle_MatchesCaseInsensitiveSubstrings(string field)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var member = field["customers.".Length..];
        var hit = await client.CreateCustomerAsync($$"""{"{{member}}":"ÉMILE@zola.fr"}""");
        await client.CreateCustomerAsync($$"""{"{{member}}":"bob@x.io"}""");
        await client.CreateCustomerAsync("{}");

        Assert.Equal([hit], await client.FindAsync(field, "~", "é"));
        Assert.Equal([hit], await client.FindAsync(field, "~", "Mi"));
    }

    [Theory]
    [InlineData("customers.name")]
    [InlineData("customers.email")]
    [InlineData("customers.company")]
    [InlineData("customers.source")]
    public async Task Search_ContainsNeedleOfThreeOrMoreCharacters_MatchesCaseInsensitiveSubstrings(string field)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var member = field["customers.".Length..];
        var emile = await client.CreateCustomerAsync($$"""{"{{member}}":"ÉMILE@zola.fr"}""");
        var zhanna = await client.CreateCustomerAsync($$"""{"{{member}}":"жанна😀@пример.рф"}""");
        await client.CreateCustomerAsync("{}");

        Assert.Equal([emile], await client.FindAsync(field, "~", "émil"));
        Assert.Equal([emile], await client.FindAsync(field, "~", "LE@ZOLA.F"));
        Assert.Equal([zhanna], await client.FindAsync(field, "~", "ЖАН"));
        Assert.Equal([zhanna], await client.FindAsync(field, "~", "а😀@"));
        Assert.Empty(await client.FindAsync(field, "~", "zolaa"));
    }

    [Fact]
    public async Task Search_NotContains_MatchesNonMatchingAndNullFields()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"Émile Zola"}""");
        var bob = await client.CreateCustomerAsync("""{"name":"Bob"}""");
        var nameless = await client.CreateCustomerAsync("{}");

        Assert.Equal([bob, nameless], await client.FindAsync("customers.name", "!~", "MILE"));
        Assert.Equal([bob, nameless], await client.FindAsync("customers.name", "!~", "z"));
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"hi\"")]
    [InlineData("y \"h")]
    [InlineData("'B")]
    [InlineData("O'Br")]
    public async Task Search_NeedleWithQuotes_MatchesItLiterally(string needle)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var hit = await client.CreateCustomerAsync("""{"name":"say \"hi\" O'Brien","company":"say \"hi\" O'Brien"}""");
        await client.CreateCustomerAsync("""{"name":"say hi OBrien","company":"say hi OBrien"}""");

        Assert.Equal([hit], await client.FindAsync("customers.name", "~", needle));
        Assert.Equal([hit], await client.FindAsync("customers.company", "~", needle));
    }

    [Theory]
    [InlineData("hi OR x")]
    [InlineData("NEAR(a b)")]
    [InlineData("a*")]
    [InlineData("name_ci : x")]
    public async Task Search_NeedleLookingLikeQuerySyntax_MatchesOnlyTheLiteralText(string needle)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var literal = await client.CreateCustomerAsync($$"""{"name":"<{{needle}}>"}""");
        await client.CreateCustomerAsync("""{"name":"hi there x a b name"}""");

        Assert.Equal([literal], await client.FindAsync("customers.name", "~", needle));
    }

    [Fact]
    public async Task Search_StringValueGivenAsNumber_ComparesAsItsText()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var hit = await client.CreateCustomerAsync("""{"phone":"380501234567"}""");
        await client.CreateCustomerAsync("""{"phone":"+1"}""");

        Assert.Equal([hit], await client.FindAsync("customers.phone", "=", 380501234567));
        Assert.Equal([hit], await client.FindAsync("customers.phone", "~", 5012));
    }

    [Fact]
    public async Task Search_TagsData_RequiresEveryNameCaseSensitively()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var both = await client.CreateCustomerAsync("""{"tags":[{"name":"vip"},{"name":"lead"}]}""");
        var vip = await client.CreateCustomerAsync("""{"tags":[{"name":"vip"}]}""");
        await client.CreateCustomerAsync("""{"tags":[{"name":"lead"}]}""");
        await client.CreateCustomerAsync("{}");

        Assert.Equal([both], await client.FindAsync("customers.tagsData", "=", new[] { new { name = "lead" }, new { name = "vip" } }));
        Assert.Equal([both, vip], await client.FindAsync("customers.tagsData", "=", new[] { new { name = "vip" } }));
        Assert.Empty(await client.FindAsync("customers.tagsData", "=", new[] { new { name = "VIP" } }));
    }

    [Fact]
    public async Task Search_OrOfTwoTags_ReturnsBoth()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var vip = await client.CreateCustomerAsync("""{"tags":[{"name":"vip"}]}""");
        var lead = await client.CreateCustomerAsync("""{"tags":[{"name":"lead"}]}""");
        await client.CreateCustomerAsync("""{"tags":[{"name":"trial"}]}""");

        var answer = await client.SearchAsync("""
            {"filter":[{"field":"customers.tagsData","operator":"=","value":[{"name":"vip"}]},
                       {"field":"customers.tagsData","operator":"=","value":[{"name":"lead"}]}],
             "comparison":"OR"}
            """);

        Assert.Equal([vip, lead], answer.Ids);
        Assert.Equal(2, answer.Total);
    }

    [Fact]
    public async Task Search_OrOfTags_ListsAndCountsACustomerHoldingSeveralOnce()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var other = await app.CreateClientAsync("other");
        await other.CreateCustomerAsync("""{"tags":[{"name":"vip"}]}""");
        var both = await client.CreateCustomerAsync("""{"tags":[{"name":"lead"},{"name":"vip"}]}""");
        await client.CreateCustomerAsync("""{"tags":[{"name":"trial"}]}""");
        var lead = await client.CreateCustomerAsync("""{"tags":[{"name":"lead"}]}""");

        const string anyOfThree = """
            [{"field":"customers.tagsData","operator":"=","value":[{"name":"vip"}]},
             {"field":"customers.tagsData","operator":"=","value":[{"name":"lead"}]},
             {"field":"customers.tagsData","operator":"=","value":[{"name":"none"}]}]
            """;
        var all = await client.SearchAsync($$"""{"filter":{{anyOfThree}},"comparison":"or"}""");
        var lastOnly = await client.SearchAsync($$"""{"filter":{{anyOfThree}},"comparison":"OR","order":"desc","limit":1}""");

        Assert.Equal([both, lead], all.Ids);
        Assert.Equal(2, all.Total);
        Assert.Equal([lead], lastOnly.Ids);
        Assert.Equal(2, lastOnly.Total);
    }

    /// <summary>
    /// The total of a <c>~</c> is counted from the trigram index alone while the account holds every customer of the
    /// database, and with each match's account checked once another account has customers.
    /// </summary>
    [Fact]
    public async Task Search_ContainsTotal_IsTheAccountsWhetherOrNotOtherAccountsHaveCustomers()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var other = await app.CreateClientAsync("other");
        var smiths = new List<long>();
        foreach (var email in new[] { "ann.smith@example.com", "bob@smithy.org", "jo@example.com", "SMITH@example.com" })
        {
            var id = await client.CreateCustomerAsync(JsonSerializer.Serialize(new { email }));
            if (email.Contains("smith", StringComparison.OrdinalIgnoreCase))
            {
                smiths.Add(id);
            }
        }
        const string search = """{"filter":[{"field":"customers.email","operator":"~","value":"Smith"}],"limit":2,"order":"desc"}""";

        var alone = await client.SearchAsync(search);
        var others = new[] { await other.CreateCustomerAsync("""{"email":"smith@other.com"}"""), await other.CreateCustomerAsync("""{"email":"x.smith@other.com"}""") };
        var beside = await client.SearchAsync(search);
        var theirs = await other.SearchAsync(search);
        await other.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{others[0]}");
        await other.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{others[1]}");
        var aloneAgain = await client.SearchAsync(search);

        foreach (var answer in new[] { alone, beside, aloneAgain })
        {
            Assert.Equal([smiths[2], smiths[1]], answer.Ids);
            Assert.Equal(3, answer.Total);
        }
        Assert.Equal([others[1], others[0]], theirs.Ids);
        Assert.Equal(2, theirs.Total);
    }

    [Fact]
    public async Task Search_DateValue_AcceptsNumberNumericStringAndFractionTruncated()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var early = await client.CreateCustomerAsync("""{"firstSeen":1603885746,"lastSeen":"1603885746"}""");
        var late = await client.CreateCustomerAsync("""{"firstSeen":"1603885747.9","lastSeen":1603885747}""");
        var never = await client.CreateCustomerAsync("{}");

        foreach (var field in new[] { "customers.firstSeen", "customers.lastSeen" })
        {
            Assert.Equal([early], await client.FindAsync(field, "=", 1603885746));
            Assert.Equal([early], await client.FindAsync(field, "=", "1603885746"));
            Assert.Equal([early], await client.FindAsync(field, "=", "1603885746.999"));
            Assert.Equal([early], await client.FindAsync(field, "=", 1603885746.5));
            Assert.Equal([late], await client.FindAsync(field, ">", "1603885746.9"));
            Assert.Equal([early, late], await client.FindAsync(field, ">=", 1603885746));
            Assert.Equal([early], await client.FindAsync(field, "<", 1603885747));
            Assert.Equal([early, late], await client.FindAsync(field, "<=", "1603885747"));
            Assert.Equal([late, never], await client.FindAsync(field, "!=", 1603885746));
        }
    }

    [Fact]
    public async Task Search_Id_ComparesAsIntegerGivenAsNumberOrString()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var first = await client.CreateCustomerAsync("{}");
        var second = await client.CreateCustomerAsync("{}");
        var third = await client.CreateCustomerAsync("{}");

        Assert.Equal([second], await client.FindAsync("customers.id", "=", second));
        Assert.Equal([second], await client.FindAsync("customers.id", "=", second.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([first, third], await client.FindAsync("customers.id", "!=", second));
        Assert.Equal([second, third], await client.FindAsync("customers.id", ">", first));
        Assert.Equal([first, second], await client.FindAsync("customers.id", "<=", second));
    }

    [Fact]
    public async Task Search_Booleans_CompareEqualAndNotEqual()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var blocked = await client.CreateCustomerAsync("""{"blocked":true}""");
        var unsubscribed = await client.CreateCustomerAsync("""{"unsubscribed":true,"blocked":null}""");

        Assert.Equal([blocked], await client.FindAsync("customers.blocked", "=", true));
        Assert.Equal([unsubscribed], await client.FindAsync("customers.blocked", "!=", true));
        Assert.Equal([unsubscribed], await client.FindAsync("customers.blocked", "=", false));
        Assert.Equal([unsubscribed], await client.FindAsync("customers.unsubscribed", "=", true));
        Assert.Equal([blocked], await client.FindAsync("customers.unsubscribed", "!=", true));
    }

    [Fact]
    public async Task Search_CustomData_ValueTypePicksTheComparison()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var pro = await client.CreateCustomerAsync("""{"customData":{"plan":"Pro"}}""");
        var proPlan = await client.CreateCustomerAsync("""{"customData":[{"property":"plan","value":"PRO plan Ü"}]}""");
        var five = await client.CreateCustomerAsync("""{"customData":{"plan":5}}""");
        var fractional = await client.CreateCustomerAsync("""{"customData":{"plan":2.5}}""");
        var flag = await client.CreateCustomerAsync("""{"customData":{"plan":true}}""");
        var missing = await client.CreateCustomerAsync("""{"customData":{"other":"pro"}}""");
        const string Plan = "customers.customData.plan";

        Assert.Equal([pro], await client.FindAsync(Plan, "=", "pRO"));
        Assert.Equal([pro, proPlan], await client.FindAsync(Plan, "~", "PRO"));
        Assert.Equal([proPlan], await client.FindAsync(Plan, "~", "plan ü"));
        Assert.Equal([proPlan, five, fractional, flag, missing], await client.FindAsync(Plan, "!=", "pro"));
        Assert.Equal([five, fractional, flag, missing], await client.FindAsync(Plan, "!~", "pro"));
        Assert.Empty(await client.FindAsync(Plan, "=", "5"));
        Assert.Equal([five], await client.FindAsync(Plan, "=", 5));
        Assert.Equal([five], await client.FindAsync(Plan, "=", 5.0));
        Assert.Equal([five], await client.FindAsync(Plan, ">", 2.5));
        Assert.Equal([five, fractional], await client.FindAsync(Plan, ">=", 2.5));
        Assert.Equal([fractional], await client.FindAsync(Plan, "<", 3));
        Assert.Equal([pro, proPlan, fractional, flag, missing], await client.FindAsync(Plan, "!=", 5));
        Assert.Equal([flag], await client.FindAsync(Plan, "=", true));
        Assert.Equal([pro, proPlan, five, fractional, missing], await client.FindAsync(Plan, "!=", true));
        Assert.Equal([missing], await client.FindAsync(Plan, "=", null));
        Assert.Equal([pro, proPlan, five, fractional, flag], await client.FindAsync(Plan, "!=", null));
    }

    [Fact]
    public async Task Search_CustomDataPropertyWithDotsSpacesOrCyrillic_IsFoundByItsFullName()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var dotted = await client.CreateCustomerAsync("""{"customData":{"a.b":"x","план":"y","with space":"z"}}""");
        await client.CreateCustomerAsync("""{"customData":{"a":"x","b":"x"}}""");

        Assert.Equal([dotted], await client.FindAsync("customers.customData.a.b", "=", "X"));
        Assert.Equal([dotted], await client.FindAsync("customers.customData.план", "=", "Y"));
        Assert.Equal([dotted], await client.FindAsync("customers.customData.with space", "~", "Z"));
    }

    [Fact]
    public async Task Search_Results_AreWholeCustomersAsGetAnswersThem()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""
            {"name":"Émile","email":"e@x.io","firstSeen":"1603885746.5","location":{"city":"Kyiv"},"tags":[{"name":"vip"}],"customData":{"plan":"pro","seats":5}}
            """);
        var single = (await client.CallAsync(HttpMethod.Get, $"customers/{id}")).Body;

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers/search", """{"filter":[{"field":"customers.name","operator":"~","value":"mil"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($$"""{"data":[{{single}}],"total":1}""", body);
        Assert.Equal($$"""{"data":[{{single}}],"total":1}""", (await client.CallAsync(HttpMethod.Get, "customers")).Body);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"filter":[]}""")]
    [InlineData("""{"filter":null}""")]
    [InlineData("""{"filter":[],"comparison":"OR"}""")]
    public async Task Search_WithoutClauses_MatchesEveryCustomer(string body)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var first = await client.CreateCustomerAsync("""{"name":"a"}""");
        var second = await client.CreateCustomerAsync("{}");

        var answer = await client.SearchAsync(body);

        Assert.Equal([first, second], answer.Ids);
        Assert.Equal(2, answer.Total);
    }

    [Theory]
    [InlineData("OR", true)]
    [InlineData("or", true)]
    [InlineData("oR", true)]
    [InlineData("AND", false)]
    [InlineData("and", false)]
    [InlineData("And", false)]
    public async Task Search_Comparison_IsCaseInsensitive(string comparison, bool matchAny)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var both = await client.CreateCustomerAsync("""{"name":"a","company":"b"}""");
        var nameOnly = await client.CreateCustomerAsync("""{"name":"a"}""");
        await client.CreateCustomerAsync("{}");

        var answer = await client.SearchAsync($$"""
            {"filter":[{"field":"customers.name","operator":"=","value":"A"},{"field":"customers.company","operator":"=","value":"B"}],
             "comparison":"{{comparison}}"}
            """);

        long[] expected = matchAny ? [both, nameOnly] : [both];
        Assert.Equal(expected, answer.Ids);
    }

    [Theory]
    [InlineData("AND")]
    [InlineData("OR")]
    public async Task Search_SingleClauseWithComparison_IsAllowed(string comparison)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var hit = await client.CreateCustomerAsync("""{"name":"a"}""");
        await client.CreateCustomerAsync("{}");

        var answer = await client.SearchAsync($$"""{"filter":[{"field":"customers.name","operator":"=","value":"a"}],"comparison":"{{comparison}}"}""");

        Assert.Equal([hit], answer.Ids);
    }

    [Fact]
    public async Task Search_OtherAccountsCustomers_AreNeverFound()
    {
        await using var app = await ClienteleApp.StartAsync();
        var a = await app.CreateClientAsync("a");
        var b = await app.CreateClientAsync("b");
        var theirs = await a.CreateCustomerAsync("""{"email":"only@a.io","name":"Shared","userId":"u1","tags":[{"name":"vip"}]}""");
        var mine = await b.CreateCustomerAsync("""{"name":"Shared","tags":[{"name":"vip"}]}""");

        Assert.Empty(await b.FindAsync("customers.email", "=", "only@a.io"));
        Assert.Empty(await b.FindAsync("customers.email", "~", "only@"));
        Assert.Empty(await b.FindAsync("customers.userId", "=", "u1"));
        Assert.Empty(await b.FindAsync("customers.id", "=", theirs));
        Assert.Equal([mine], await b.FindAsync("customers.name", "=", "shared"));
        Assert.Equal([mine], await b.FindAsync("customers.tagsData", "=", new[] { new { name = "vip" } }));
        Assert.Equal([mine], await b.FindAsync("customers.email", "!=", "only@a.io"));
        var all = await b.SearchAsync("{}");
        Assert.Equal([mine], all.Ids);
        Assert.Equal(1, all.Total);
    }
}
