using System.Net;
using Clientele.Tests.Infrastructure;
using static Clientele.Tests.Infrastructure.WireAssertions;

namespace Clientele.Tests;

/// <summary>Spec §3/§4 tags: account-owned colours, order added, case-sensitive names, collapse, limits, tag routes.</summary>
public sealed class TagTests
{
    private const string Default = "#c377e0";

    /// <summary>The raw <c>tags</c> array of a customer object.</summary>
    private static string TagsOnWire(string customer)
    {
        var start = customer.IndexOf("\"tags\":", StringComparison.Ordinal);
        var end = customer.IndexOf(",\"customData\":", StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, customer);
        return customer[(start + "\"tags\":".Length)..end];
    }

    private static string Tags(params (string Name, string Color)[] tags) =>
        "[" + string.Join(",", tags.Select(t => $$"""{"name":"{{t.Name}}","color":"{{t.Color}}"}""")) + "]";

    private static async Task<string> TagsOfAsync(HttpClient client, long id) => TagsOnWire(await client.GetOkAsync($"customers/{id}"));

    /// <summary>Gives <paramref name="id"/> the tags of <paramref name="tagsJson"/> through one of the routes that take tags.</summary>
    private static Task<string> SendTagsAsync(HttpClient client, string route, long id, string tagsJson) => route switch
    {
        "PUT" => client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Put, $"customers/{id}", $$"""{"tags":{{tagsJson}}}"""),
        "PATCH" => client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", $$"""{"tags":{{tagsJson}}}"""),
        "PUT tags" => client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Put, $"customers/{id}/tags", $$"""{"tags":{{tagsJson}}}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(route)),
    };

    [Fact]
    public async Task NewTag_WithoutColour_IsCreatedWithTheDefaultColour()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var body = await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", """{"tags":[{"name":"Lead"},{"name":"Trial","color":null},{"name":"Beta","color":""}]}""");

        Assert.Equal(Tags(("Lead", Default), ("Trial", Default), ("Beta", Default)), TagsOnWire(body));
        Assert.Equal(TagsOnWire(body), await TagsOfAsync(client, IdOf(body)));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("PUT tags")]
    public async Task NewTag_WithColour_IsCreatedWithThatColour(string route)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        const string tags = """[{"name":"Lead","color":"#ff0000"},{"name":"Hot","color":"rgb(255, 0, 0)"}]""";

        var body = route == "POST"
            ? await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", $$"""{"tags":{{tags}}}""")
            : await SendTagsAsync(client, route, await client.CreateCustomerAsync(), tags);

        Assert.Equal(Tags(("Lead", "#ff0000"), ("Hot", "rgb(255, 0, 0)")), TagsOnWire(body));
        Assert.Equal(TagsOnWire(body), await TagsOfAsync(client, IdOf(body)));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("PUT tags")]
    public async Task ExistingTag_GivenAnotherColourOnAnotherCustomer_KeepsTheAccountColour(string route)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var first = await client.CreateCustomerAsync("""{"tags":[{"name":"Lead","color":"#111111"},{"name":"Plain"}]}""");
        const string again = """[{"name":"Lead","color":"#222222"},{"name":"Plain","color":"#333333"}]""";

        var body = route == "POST"
            ? await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", $$"""{"tags":{{again}}}""")
            : await SendTagsAsync(client, route, await client.CreateCustomerAsync(), again);

        var expected = Tags(("Lead", "#111111"), ("Plain", Default));
        Assert.Equal(expected, TagsOnWire(body));
        Assert.Equal(expected, await TagsOfAsync(client, IdOf(body)));
        Assert.Equal(expected, await TagsOfAsync(client, first));
    }

    [Theory]
    [InlineData("PUT", """[{"name":"Lead","color":"#222222"}]""")]
    [InlineData("PUT", """[{"name":"Lead"}]""")]
    [InlineData("PATCH", """[{"name":"Lead","color":"#222222"}]""")]
    [InlineData("PATCH", """[{"name":"Lead"}]""")]
    [InlineData("PUT tags", """[{"name":"Lead","color":"#222222"}]""")]
    public async Task ExistingTag_SentAgainToTheSameCustomer_AnswersTheAccountColour(string route, string tags)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"tags":[{"name":"Lead","color":"#111111"}]}""");

        var body = await SendTagsAsync(client, route, id, tags);

        Assert.Equal(Tags(("Lead", "#111111")), TagsOnWire(body));
        Assert.Equal(Tags(("Lead", "#111111")), await TagsOfAsync(client, id));
    }

    [Fact]
    public async Task Tag_RemovedFromEveryCustomer_KeepsItsAccountColourWhenUsedAgain()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"tags":[{"name":"Lead","color":"#111111"}]}""");
        await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{id}/tags", """{"tags":[{"name":"Lead"}]}""");

        var body = await SendTagsAsync(client, "PUT tags", id, """[{"name":"Lead","color":"#999999"}]""");

        Assert.Equal(Tags(("Lead", "#111111")), TagsOnWire(body));
    }

    [Fact]
    public async Task TagColours_BelongToTheirAccount()
    {
        await using var app = await ClienteleApp.StartAsync();
        var acme = await app.CreateClientAsync("acme");
        var other = await app.CreateClientAsync("other");
        await acme.CreateCustomerAsync("""{"tags":[{"name":"Lead","color":"#111111"},{"name":"Vip","color":"#222222"}]}""");

        var plain = await other.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", """{"tags":[{"name":"Lead"}]}""");
        var coloured = await other.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", """{"tags":[{"name":"Vip","color":"#333333"}]}""");

        Assert.Equal(Tags(("Lead", Default)), TagsOnWire(plain));
        Assert.Equal(Tags(("Vip", "#333333")), TagsOnWire(coloured));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("PUT tags")]
    public async Task DuplicatesInOneRequest_Collapse(string route)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        const string tags = """[{"name":"A"},{"name":"B"},{"name":"A"},{"name":"B"},{"name":"A"}]""";

        var body = route == "POST"
            ? await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", $$"""{"tags":{{tags}}}""")
            : await SendTagsAsync(client, route, await client.CreateCustomerAsync(), tags);

        Assert.Equal(Tags(("A", Default), ("B", Default)), TagsOnWire(body));
        Assert.Equal(Tags(("A", Default), ("B", Default)), await TagsOfAsync(client, IdOf(body)));
    }

    [Fact]
    public async Task AddingTagsTheCustomerHas_ChangesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"N","tags":[{"name":"A"},{"name":"B"}]}""");
        var before = await client.GetOkAsync($"customers/{id}");

        var body = await SendTagsAsync(client, "PUT tags", id, """[{"name":"B"},{"name":"A"}]""");

        Assert.Equal(before, body);
    }

    [Fact]
    public async Task Names_AreCaseSensitive()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var created = await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers",
            """{"tags":[{"name":"VIP","color":"#111111"},{"name":"vip"}]}""");
        var id = IdOf(created);
        var untagOther = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{id}/tags", """{"tags":[{"name":"Vip"}]}""");
        var untagLower = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{id}/tags", """{"tags":[{"name":"vip"}]}""");

        Assert.Equal(Tags(("VIP", "#111111"), ("vip", Default)), TagsOnWire(created));
        Assert.Equal(created, untagOther);
        Assert.Equal(Tags(("VIP", "#111111")), TagsOnWire(untagLower));
    }

    [Fact]
    public async Task Untag_OfTagsTheCustomerLacks_IsANoOp()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"N","tags":[{"name":"A","color":"#010101"}]}""");
        await client.CreateCustomerAsync("""{"tags":[{"name":"Elsewhere"}]}""");
        var before = await client.GetOkAsync($"customers/{id}");

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{id}/tags",
            """{"tags":[{"name":"Never"},{"name":"Elsewhere"},{"name":"a"}]}""");

        Assert.Equal(before, body);
        Assert.Equal(before, await client.GetOkAsync($"customers/{id}"));
    }

    [Fact]
    public async Task Untag_OfAPresentAndAnAbsentTag_RemovesThePresentOne()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"tags":[{"name":"A"},{"name":"B"}]}""");

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{id}/tags", """{"tags":[{"name":"Z"},{"name":"A"}]}""");

        Assert.Equal(Tags(("B", Default)), TagsOnWire(body));
    }

    [Fact]
    public async Task Tags_AreOutputInTheOrderAdded()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"tags":[{"name":"B"},{"name":"A"}]}""");

        await SendTagsAsync(client, "PUT tags", id, """[{"name":"C"},{"name":"A"},{"name":"D"}]""");
        Assert.Equal(Tags(("B", Default), ("A", Default), ("C", Default), ("D", Default)), await TagsOfAsync(client, id));

        await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{id}/tags", """{"tags":[{"name":"A"}]}""");
        var body = await SendTagsAsync(client, "PUT tags", id, """[{"name":"A"}]""");

        Assert.Equal(Tags(("B", Default), ("C", Default), ("D", Default), ("A", Default)), TagsOnWire(body));
        Assert.Equal(TagsOnWire(body), await TagsOfAsync(client, id));
    }

    [Fact]
    public async Task Patch_WithTags_ReplacesTheSet()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"tags":[{"name":"A"},{"name":"B"}]}""");

        var body = await SendTagsAsync(client, "PATCH", id, """[{"name":"C"},{"name":"D","color":"#0d0d0d"}]""");
        var emptied = await SendTagsAsync(client, "PATCH", id, "[]");

        Assert.Equal(Tags(("C", Default), ("D", "#0d0d0d")), TagsOnWire(body));
        Assert.Equal("[]", TagsOnWire(emptied));
        Assert.Equal("[]", await TagsOfAsync(client, id));
    }

    [Theory]
    [InlineData("PUT", "999")]
    [InlineData("DELETE", "999")]
    [InlineData("PUT", "abc")]
    [InlineData("DELETE", "abc")]
    [InlineData("PUT", "0")]
    [InlineData("DELETE", "-3")]
    public async Task TagRoutes_OnUnknownCustomer_Answer404AndCreateNoTag(string method, string id)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        await client.AssertErrorAsync(HttpStatusCode.NotFound, "entity_not_found", new HttpMethod(method), $"customers/{id}/tags",
            """{"tags":[{"name":"Ghost","color":"#123123"}]}""");

        // Had the failed request created the tag, its colour would win here.
        var body = await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", """{"tags":[{"name":"Ghost","color":"#456456"}]}""");
        Assert.Equal(Tags(("Ghost", "#456456")), TagsOnWire(body));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task TagRoutes_OnAnotherAccountsCustomer_Answer404AndChangeNothing(string method)
    {
        await using var app = await ClienteleApp.StartAsync();
        var owner = await app.CreateClientAsync("acme");
        var stranger = await app.CreateClientAsync("other");
        var id = await owner.CreateCustomerAsync("""{"tags":[{"name":"A"}]}""");
        var before = await owner.GetOkAsync($"customers/{id}");

        await stranger.AssertErrorAsync(HttpStatusCode.NotFound, "entity_not_found", new HttpMethod(method), $"customers/{id}/tags",
            """{"tags":[{"name":"A"},{"name":"B"}]}""");

        Assert.Equal(before, await owner.GetOkAsync($"customers/{id}"));
    }

    private static string ManyTags(int count, string prefix = "t") =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"name":"{{prefix}}{{i}}"}""")) + "]";

    [Fact]
    public async Task OneHundredTags_AreAccepted()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var body = await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", $$"""{"tags":{{ManyTags(100)}}}""");
        // 101 entries that collapse to 100 tags are 100 tags.
        var collapsed = await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers",
            $$"""{"tags":{{ManyTags(100)[..^1]}},{"name":"t0"}]}""");

        Assert.Equal(100, TagsOnWire(body).Split("\"name\"").Length - 1);
        Assert.Equal(TagsOnWire(body), TagsOnWire(collapsed));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("PUT tags")]
    public async Task MoreThanOneHundredTags_Answers400TagsAndWritesNothing(string route)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync($$"""{"name":"Keep","tags":{{ManyTags(60, "old")}}}""");
        var before = await client.GetOkAsync($"customers/{id}");

        var (method, path, body) = route switch
        {
            "POST" => ("POST", "customers", $$"""{"tags":{{ManyTags(101)}}}"""),
            "PUT" => ("PUT", $"customers/{id}", $$"""{"tags":{{ManyTags(101)}}}"""),
            "PATCH" => ("PATCH", $"customers/{id}", $$"""{"name":"Changed","tags":{{ManyTags(101)}}}"""),
            // 60 kept + 41 new = 101.
            _ => ("PUT", $"customers/{id}/tags", $$"""{"tags":{{ManyTags(41, "new")}}}"""),
        };
        await client.AssertErrorAsync(HttpStatusCode.BadRequest, "tags", new HttpMethod(method), path, body);

        Assert.Equal($$"""{"data":[{{before}}],"total":1}""", await client.GetOkAsync("customers"));
    }

    [Theory]
    [InlineData("POST", """[{"name":""}]""", "tags[0].name")]
    [InlineData("POST", """[{"name":"   "}]""", "tags[0].name")]
    [InlineData("POST", """[{"color":"#ffffff"}]""", "tags[0].name")]
    [InlineData("PUT", """[{"name":null}]""", "tags[0].name")]
    [InlineData("PATCH", """[{"name":"ok"},{"name":"fine"},{"name":""}]""", "tags[2].name")]
    [InlineData("PUT tags", """[{"name":""}]""", "tags[0].name")]
    [InlineData("PUT tags", """[{"name":"ok"},{}]""", "tags[1].name")]
    [InlineData("DELETE tags", """[{"name":""}]""", "tags[0].name")]
    [InlineData("POST", """[{"name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}]""", "tags[0].name")]
    [InlineData("PATCH", """[{"name":"a","color":"#0123456789012345678901234567890123"}]""", "tags[0].color")]
    public async Task InvalidTag_Answers400WithItsPathAndWritesNothing(string route, string tags, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Keep","tags":[{"name":"A"}]}""");
        var before = await client.GetOkAsync($"customers/{id}");

        var (method, path) = route switch
        {
            "POST" => ("POST", "customers"),
            "PUT" => ("PUT", $"customers/{id}"),
            "PATCH" => ("PATCH", $"customers/{id}"),
            "PUT tags" => ("PUT", $"customers/{id}/tags"),
            _ => ("DELETE", $"customers/{id}/tags"),
        };
        await client.AssertErrorAsync(HttpStatusCode.BadRequest, code, new HttpMethod(method), path, $$"""{"name":"Changed","tags":{{tags}}}""");

        Assert.Equal($$"""{"data":[{{before}}],"total":1}""", await client.GetOkAsync("customers"));
    }
}
