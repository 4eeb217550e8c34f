using System.Net;
using System.Text.Json;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>Spec §4 batch: up to ten PATCH bodies, validated up front, applied in request order, all or nothing.</summary>
public sealed class BatchTests
{
    [Theory]
    [InlineData("""{"email":"not-an-address"}""", "[6].email")]
    [InlineData("""{"firstSeen":"yesterday"}""", "[6].firstSeen")]
    [InlineData("""{"blocked":"yes"}""", "[6].blocked")]
    [InlineData("""{"locale":"xx-YYY"}""", "[6].locale")]
    [InlineData("""{"tags":[{"name":""}]}""", "[6].tags[0].name")]
    [InlineData("""{"name":{"first":"A"}}""", "[6].name")]
    public async Task Batch_LastOfSevenItemsInvalid_Answers400WithItsIndexAndChangesNothing(string invalid, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var ids = await CreateAsync(client, 7);
        var before = await SnapshotAsync(client, ids);
        var items = ids.Take(6).Select(id => $$"""{"customer":{{id}},"name":"changed","tags":[{"name":"new"}]}""")
            .Append($$"""{"customer":{{ids[6]}},{{invalid[1..]}}""");

        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch", $"[{string.Join(",", items)}]");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, HttpExtensions.ErrorCodes(body)[0]);
        Assert.Equal(before, await SnapshotAsync(client, ids));
    }

    [Fact]
    public async Task Batch_UnknownId_Answers404AndChangesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var ids = await CreateAsync(client, 2);
        var before = await SnapshotAsync(client, ids);

        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch",
            $$"""[{"customer":{{ids[0]}},"name":"changed"},{"customer":{{ids[1] + 1000}},"name":"x"},{"customer":{{ids[1]}},"name":"changed"}]""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("entity_not_found", HttpExtensions.ErrorCodes(body)[0]);
        Assert.Equal(before, await SnapshotAsync(client, ids));
    }

    [Fact]
    public async Task Batch_AnotherAccountsId_Answers404AndChangesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var mine = await app.CreateClientAsync("mine");
        var theirs = await app.CreateClientAsync("theirs");
        var myIds = await CreateAsync(mine, 1);
        var theirIds = await CreateAsync(theirs, 1);
        var myBefore = await SnapshotAsync(mine, myIds);
        var theirBefore = await SnapshotAsync(theirs, theirIds);

        var (status, body) = await mine.CallAsync(HttpMethod.Put, "customers/batch",
            $$"""[{"customer":{{myIds[0]}},"name":"changed"},{"customer":{{theirIds[0]}},"name":"hijacked"}]""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("entity_not_found", HttpExtensions.ErrorCodes(body)[0]);
        Assert.Equal(myBefore, await SnapshotAsync(mine, myIds));
        Assert.Equal(theirBefore, await SnapshotAsync(theirs, theirIds));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task Batch_NoneOrMoreThanTenItems_Answers400AndChangesNothing(int count)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var ids = await CreateAsync(client, 11);
        var before = await SnapshotAsync(client, ids);

        var items = ids.Take(count).Select(id => $$"""{"customer":{{id}},"name":"changed"}""");
        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch", $"[{string.Join(",", items)}]");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotEmpty(HttpExtensions.ErrorCodes(body));
        Assert.Equal(before, await SnapshotAsync(client, ids));
    }

    [Fact]
    public async Task Batch_TenItems_AreAllApplied()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var ids = await CreateAsync(client, 10);

        var items = ids.Select(id => $$"""{"customer":{{id}},"company":"Co {{id}}"}""");
        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch", $"[{string.Join(",", items)}]");

        Assert.Equal(HttpStatusCode.OK, status);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(ids, document.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
        Assert.All(document.RootElement.GetProperty("data").EnumerateArray(),
            c => Assert.Equal($"Co {c.GetProperty("id").GetInt64()}", c.GetProperty("company").GetString()));
    }

    [Theory]
    [InlineData("""{"customer":1,"name":"x"}""")]
    [InlineData("\"batch\"")]
    [InlineData("5")]
    [InlineData("null")]
    [InlineData("true")]
    public async Task Batch_BodyNotAnArray_Answers400InvalidJson(string json)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_json", HttpExtensions.ErrorCodes(body)[0]);
    }

    [Fact]
    public async Task Batch_NumericStringIds_AreAccepted()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var ids = await CreateAsync(client, 2);

        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch",
            $$"""[{"customer":"{{ids[1]}}","name":"second"},{"customer":{{ids[0]}},"name":"first"}]""");

        Assert.Equal(HttpStatusCode.OK, status);
        var names = await NamesAsync(client, ids);
        Assert.Equal(["first", "second"], names);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 0 }, "[2].customer")]
    [InlineData(new[] { 1, 1 }, "[1].customer")]
    [InlineData(new[] { 0, 1, 2, 3, 2 }, "[4].customer")]
    public async Task Batch_SameIdTwice_Answers400AtTheRepeatAndChangesNothing(int[] order, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var ids = await CreateAsync(client, 4);
        var before = await SnapshotAsync(client, ids);

        var items = order.Select(i => $$"""{"customer":{{ids[i]}},"name":"changed"}""");
        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch", $"[{string.Join(",", items)}]");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([code], HttpExtensions.ErrorCodes(body));
        Assert.Equal(before, await SnapshotAsync(client, ids));
    }

    [Fact]
    public async Task Batch_SameIdAsNumberAndAsString_IsTheSameCustomerTwice()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var ids = await CreateAsync(client, 1);

        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch",
            $$"""[{"customer":{{ids[0]}},"name":"a"},{"customer":"{{ids[0]}}","name":"b"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["[1].customer"], HttpExtensions.ErrorCodes(body));
    }

    [Fact]
    public async Task Batch_ValidItems_AnswerInRequestOrderWithPatchSemantics()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var first = await client.CreateCustomerAsync("""
            {"name":"Ann","email":"ann@x.io","company":"Acme","firstSeen":5,"tags":[{"name":"vip"},{"name":"lead"}],
             "customData":{"plan":"pro","seats":5}}
            """);
        var second = await client.CreateCustomerAsync("""{"name":"Bob","email":"bob@x.io","blocked":true}""");

        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch", $$$"""
            [{"customer":{{{second}}},"name":"Robert"},
             {"customer":{{{first}}},"email":null,"tags":[{"name":"trial"}],"customData":{"plan":null,"seats":6,"active":true}}]
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(["data"], document.RootElement.EnumerateObject().Select(p => p.Name));
        var data = document.RootElement.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal([second, first], data.Select(c => c.GetProperty("id").GetInt64()));
        // Each item answers as GET would now, byte for byte.
        Assert.Equal((await client.CallAsync(HttpMethod.Get, $"customers/{second}")).Body, data[0].GetRawText());
        Assert.Equal((await client.CallAsync(HttpMethod.Get, $"customers/{first}")).Body, data[1].GetRawText());

        var robert = data[0];
        Assert.Equal("Robert", robert.GetProperty("name").GetString());
        Assert.Equal("bob@x.io", robert.GetProperty("email").GetString());
        Assert.True(robert.GetProperty("blocked").GetBoolean());
        var ann = data[1];
        Assert.Equal("Ann", ann.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, ann.GetProperty("email").ValueKind);
        Assert.Equal("Acme", ann.GetProperty("company").GetString());
        Assert.Equal("5", ann.GetProperty("firstSeen").GetString());
        Assert.Equal(["trial"], ann.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("""{"seats":6,"active":true}""", ann.GetProperty("customData").GetRawText());
    }

    [Fact]
    public async Task Batch_LaterItemSeesTheEarlierOnesUserIdChange()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var first = await client.CreateCustomerAsync("""{"userId":"u1"}""");
        var second = await client.CreateCustomerAsync("{}");

        // In request order: u1 is freed by the first item before the second takes it.
        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch",
            $$"""[{"customer":{{first}},"userId":"u2"},{"customer":{{second}},"userId":"u1"}]""");

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal("u2", await UserIdAsync(client, first));
        Assert.Equal("u1", await UserIdAsync(client, second));
    }

    [Fact]
    public async Task Batch_UserIdClashInsideTheBatch_Answers400AndWritesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var ids = await CreateAsync(client, 3);
        var before = await SnapshotAsync(client, ids);

        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch",
            $$"""[{"customer":{{ids[0]}},"userId":"same","name":"changed"},{"customer":{{ids[2]}},"name":"changed"},{"customer":{{ids[1]}},"userId":"same"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_userId_value", HttpExtensions.ErrorCodes(body)[0]);
        Assert.Equal(before, await SnapshotAsync(client, ids));
    }

    [Fact]
    public async Task Batch_UserIdOfACustomerOutsideTheBatch_Answers400AndWritesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var ids = await CreateAsync(client, 2);
        await client.CreateCustomerAsync("""{"userId":"taken"}""");
        var before = await SnapshotAsync(client, ids);

        var (status, body) = await client.CallAsync(HttpMethod.Put, "customers/batch",
            $$"""[{"customer":{{ids[0]}},"name":"changed"},{"customer":{{ids[1]}},"userId":"taken"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_userId_value", HttpExtensions.ErrorCodes(body)[0]);
        Assert.Equal(before, await SnapshotAsync(client, ids));
    }

    [Theory]
    [InlineData("GET", "customers/batch")]
    [InlineData("DELETE", "customers/batch")]
    [InlineData("PATCH", "customers/batch")]
    [InlineData("GET", "customers/search")]
    [InlineData("PUT", "customers/search")]
    [InlineData("DELETE", "customers/search")]
    public async Task BatchAndSearch_WrongMethod_Answer405NotACustomerId(string method, string path)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(new HttpMethod(method), path, method is "GET" or "DELETE" ? null : "{}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("method_not_allowed", HttpExtensions.ErrorCodes(body)[0]);
    }

    private static async Task<long[]> CreateAsync(HttpClient client, int count) =>
        await CustomerData.CreateAllAsync(client, [.. Enumerable.Range(0, count).Select(i =>
            $$$"""{"name":"Customer {{{i}}}","email":"c{{{i}}}@x.io","userId":"u-{{{i}}}","tags":[{"name":"t{{{i % 2}}}"}],"customData":{"n":{{{i}}}}}""")], parallelism: 1);

    /// <summary>The raw JSON of each customer, as GET answers it.</summary>
    private static async Task<string[]> SnapshotAsync(HttpClient client, IEnumerable<long> ids)
    {
        var bodies = new List<string>();
        foreach (var id in ids)
        {
            var (status, body) = await client.CallAsync(HttpMethod.Get, $"customers/{id}");
            Assert.Equal(HttpStatusCode.OK, status);
            bodies.Add(body);
        }
        return [.. bodies];
    }

    private static async Task<string[]> NamesAsync(HttpClient client, IEnumerable<long> ids) =>
        [.. (await SnapshotAsync(client, ids)).Select(body => Member(body, "name") ?? "(null)")];

    private static async Task<string?> UserIdAsync(HttpClient client, long id) =>
        Member((await client.CallAsync(HttpMethod.Get, $"customers/{id}")).Body, "userId");

    private static string? Member(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(name).GetString();
    }
}
