using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>
/// What <see cref="FuzzTests"/> found, replayed as plain examples: each is the smallest request that showed
/// a departure from the spec, so a fix can be checked without a seed. Text that is not valid Unicode refuses
/// the whole body (400 <c>invalid_json</c>); a NUL in any text the server stores is refused at that field,
/// since PostgreSQL cannot keep it and SQLite cut it; a refusal writes nothing (the tables are compared row by row).
/// </summary>
public sealed class FuzzFindingsTests
{
    private const string NulMessage = "This value should not contain NUL characters.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Valid JSON syntax whose member names are not valid Unicode (a lone surrogate escape, or bytes that are not UTF-8).</summary>
    [Theory]
    [InlineData("POST", """{"\ud800":1}""")]
    [InlineData("PATCH", """{"\udc00":1}""")]
    [InlineData("PUT", """{"name":"x","a\udfff":1}""")]
    [InlineData("PATCH", """{"customData":{"\ud800":"v"}}""")]
    [InlineData("PATCH", """{"location":{"\ud83d":"x","city":"c"}}""")]
    [InlineData("PATCH", """{"tags":[{"name":"ok","\ud800":1}]}""")]
    [InlineData("PATCH", "{\"k\u00ff\":1}")]
    [InlineData("PATCH", "{\"customData\":{\"k\u00ff\":1}}")]
    public async Task Edit_WithAMemberNameThatIsNotValidUnicode_Answers400InvalidJson(string method, string body)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Kept"}""");
        var before = await DatabaseSnapshot.TakeAsync(app.Database);

        var answer = await SendBytesAsync(client, method, method == "POST" ? "customers" : $"customers/{id}", Latin1ToInvalidUtf8(body));

        AssertInvalidJson(answer);
        await AssertNothingWrittenAsync(app, before);
    }

    /// <summary>
    /// A string that is not valid Unicode, as a value anywhere and on every route that reads a customer: the whole
    /// body is refused, before any field is read, so a NUL beside it is not what the answer names.
    /// </summary>
    [Theory]
    [InlineData("PATCH", "customers/{id}", """{"name":"\ud800"}""")]
    [InlineData("PUT", "customers/{id}", """{"name":"ok","customData":{"k":"a\udfffb"}}""")]
    [InlineData("POST", "customers", """{"tags":[{"name":"ok","color":"\udc00"}]}""")]
    [InlineData("POST", "customers", "{\"company\":\"Acme\u00ff\"}")]
    [InlineData("PATCH", "customers/{id}", """{"name":"a\u0000b","unknown":"\ud83d"}""")]
    [InlineData("PUT", "customers/{id}/tags", """{"tags":[{"name":"\ud800"}]}""")]
    [InlineData("DELETE", "customers/{id}/tags", """{"tags":[{"name":"Lead"},{"name":"x\ude00"}]}""")]
    [InlineData("PUT", "customers/batch", """[{"customer":{id},"name":"ok"},{"customer":{id},"email":"\udfff\ud800"}]""")]
    public async Task Write_WithAStringThatIsNotValidUnicode_Answers400InvalidJson_AndNothingIsWritten(string method, string path, string body)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Kept","tags":[{"name":"Lead"}]}""");
        var before = await DatabaseSnapshot.TakeAsync(app.Database);

        var answer = await SendBytesAsync(client, method, WithId(path, id), Latin1ToInvalidUtf8(WithId(body, id)));

        AssertInvalidJson(answer);
        await AssertNothingWrittenAsync(app, before);
    }

    /// <summary>Event data is kept as JSON, yet data that is not valid Unicode still refuses the whole body, and no event is stored.</summary>
    [Theory]
    [InlineData("{\"name\":\"e\",\"customer\":{id},\"data\":{\"k\":\"v\u00ff\"}}")]
    [InlineData("{\"name\":\"e\",\"customer\":{id},\"data\":{\"k\u00ff\":1}}")]
    [InlineData("""{"name":"e","customer":{id},"data":{"\ud800":"\udc00"}}""")]
    [InlineData("""{"name":"e","customer":{id},"data":{"list":[1,"\ud83d"]}}""")]
    public async Task PostEvent_WithDataThatIsNotValidUnicode_Answers400InvalidJson_AndStoresNoEvent(string template)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();
        var before = await DatabaseSnapshot.TakeAsync(app.Database);

        var answer = await SendBytesAsync(client, "POST", "events", Latin1ToInvalidUtf8(WithId(template, id)));

        AssertInvalidJson(answer);
        await AssertNothingWrittenAsync(app, before);
    }

    /// <summary>A search whose comparison, operator, field, value, tag name or sort is not valid Unicode: 400 <c>invalid_json</c>.</summary>
    [Theory]
    [InlineData("""{"comparison":"\udfff\ud800"}""")]
    [InlineData("""{"filter":[{"field":"customers.name","operator":"\ud800","value":"x"}]}""")]
    [InlineData("""{"filter":[{"field":"\ud800","operator":"=","value":"x"}]}""")]
    [InlineData("""{"filter":[{"field":"customers.customData.\udc00","operator":"=","value":"x"}]}""")]
    [InlineData("""{"filter":[{"field":"customers.name","operator":"~","value":"a\ud800"}]}""")]
    [InlineData("""{"filter":[{"field":"customers.tagsData","operator":"=","value":[{"name":"\udc00"}]}]}""")]
    [InlineData("""{"sort":"customers.name\ud800"}""")]
    [InlineData("""{"filter":[],"\ud800":1}""")]
    public async Task Search_WithTextThatIsNotValidUnicode_Answers400InvalidJson(string body)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"x"}""");

        var answer = await SendBytesAsync(client, "POST", "customers/search", Encoding.UTF8.GetBytes(body));

        AssertInvalidJson(answer);
    }

    /// <summary>NUL in every text a customer stores: refused at that field (one error), and no customer is created.</summary>
    [Theory]
    [InlineData("""{"name":"a\u0000b"}""", "name")]
    [InlineData("""{"company":"\u0000"}""", "company")]
    [InlineData("""{"email":"john\u0000@example.com"}""", "email")]
    [InlineData("""{"userId":"u\u0000"}""", "userId")]
    [InlineData("""{"phone":"\u0000\u0000"}""", "phone")]
    [InlineData("""{"source":"https://a.example/\u0000"}""", "source")]
    [InlineData("""{"notes":"\u0000"}""", "notes")]
    [InlineData("""{"locale":"en\u0000"}""", "locale")]
    [InlineData("""{"createdFrom":"api\u0000"}""", "createdFrom")]
    [InlineData("""{"telegramId":"\u0000"}""", "telegramId")]
    [InlineData("""{"location":{"city":"a\u0000b","countryCode":"UA"}}""", "location.city")]
    [InlineData("""{"countryCode":"U\u0000A"}""", "countryCode")]
    [InlineData("""{"tags":[{"name":"ok"},{"name":"t\u0000"}]}""", "tags[1].name")]
    [InlineData("""{"tags":[{"name":"ok","color":"#fff\u0000"}]}""", "tags[0].color")]
    [InlineData("""{"customData":{"k":"v\u0000"}}""", "customData.k")]
    [InlineData("""{"customData":{"plan":"pro","k\u0000":1}}""", "customData.k\0")]
    [InlineData("""{"customData":[{"property":"p","value":1},{"property":"k","value":"\u0000"}]}""", "customData[1].value")]
    [InlineData("""{"customData":[{"property":"k\u0000","value":true}]}""", "customData[0].property")]
    public async Task Create_WithNulInText_IsRefusedAtTheField_AndNothingIsWritten(string body, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var before = await DatabaseSnapshot.TakeAsync(app.Database);

        var answer = await client.CallAsync(HttpMethod.Post, "customers", body);

        AssertRefusedForNul(answer, code);
        await AssertNothingWrittenAsync(app, before);
        Assert.Equal(0, await client.TotalAsync());
    }

    /// <summary>The same on every other route that stores text: replace, merge, tags, a batch item, an event name.</summary>
    [Theory]
    [InlineData("PUT", "customers/{id}", """{"name":"Kept","company":"\u0000"}""", "company")]
    [InlineData("PATCH", "customers/{id}", """{"location":{"city":"c\u0000"}}""", "location.city")]
    [InlineData("PATCH", "customers/{id}", """{"customData":{"k":"\u0000"}}""", "customData.k")]
    [InlineData("PUT", "customers/{id}/tags", """{"tags":[{"name":"\u0000"}]}""", "tags[0].name")]
    [InlineData("DELETE", "customers/{id}/tags", """{"tags":[{"name":"Lead"},{"name":"Lead\u0000"}]}""", "tags[1].name")]
    [InlineData("PUT", "customers/batch", """[{"customer":{id},"name":"ok"},{"customer":{id2},"email":"a\u0000@b.c"}]""", "[1].email")]
    [InlineData("POST", "events", """{"name":"sign\u0000up","customer":{id},"data":{"plan":"pro"}}""", "name")]
    public async Task Write_WithNulInText_IsRefusedAtTheField_AndNothingIsWritten(string method, string path, string body, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Kept","tags":[{"name":"Lead"}],"customData":{"k":"v"}}""");
        var id2 = await client.CreateCustomerAsync("""{"name":"Other"}""");
        var before = await DatabaseSnapshot.TakeAsync(app.Database);

        var answer = await client.CallAsync(new HttpMethod(method), WithId(path, id, id2), WithId(body, id, id2));

        AssertRefusedForNul(answer, code);
        await AssertNothingWrittenAsync(app, before);
    }

    /// <summary>A NUL deep in a long text (SQLite cut a bound value of over ~510 UTF-8 bytes at it): refused like any other.</summary>
    [Theory]
    [InlineData(500)]
    [InlineData(600)]
    [InlineData(2000)]
    public async Task Create_WithNulInALongText_IsRefusedAtTheField_AndNothingIsWritten(int padding)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var before = await DatabaseSnapshot.TakeAsync(app.Database);

        var answer = await client.CallAsync(HttpMethod.Post, "customers", $$"""{"source":{{FuzzJson.Str(new string('x', padding) + "a\u0000b")}}}""");

        AssertRefusedForNul(answer, "source");
        await AssertNothingWrittenAsync(app, before);
    }

    /// <summary>Event data is kept as JSON, not as text: a NUL in its names and strings is taken and given back as sent.</summary>
    [Fact]
    public async Task PostEvent_WithNulInData_IsTaken_AndAnswersTheDataAsSent()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();
        const string data = """{"k\u0000":"v\u0000","list":["\u0000",1],"nested":{"a":"x\u0000y"}}""";

        var (status, body) = await client.CallAsync(HttpMethod.Post, "events", $$"""{"name":"signup","customer":{{id}},"data":{{data}}}""");

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        using var document = JsonDocument.Parse(body);
        var answered = document.RootElement.GetProperty("data");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(data), JsonNode.Parse(answered.GetRawText())), $"data sent {data}, answered {answered.GetRawText()}");
        Assert.Equal("v\0", answered.GetProperty("k\0").GetString());
    }

    /// <summary>Members the spec ignores are not stored, so a NUL in them is no reason to refuse: the edit changes nothing.</summary>
    [Fact]
    public async Task Patch_WithNulOnlyInIgnoredMembers_IsTaken_AndChangesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Kept"}""");
        var customer = await client.GetRawAsync(id);

        var (status, body) = await client.CallAsync(HttpMethod.Patch, $"customers/{id}",
            """{"unknown\u0000":"\u0000","Name":"\u0000","device":{"id":"\u0000","userAgent":"a\u0000b"}}""");

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        Assert.Equal(customer, body);
        Assert.Equal(customer, await client.GetRawAsync(id));
    }

    /// <summary>A search value holding a NUL, on every kind of text field: refused at that value, as stored text would be.</summary>
    [Theory]
    [InlineData("customers.city", "=", "x\u0000y")]
    [InlineData("customers.city", "~", "\u0000")]
    [InlineData("customers.name", "~", "x\u0000y")]
    [InlineData("customers.name", "!=", "x\u0000y")]
    [InlineData("customers.company", "!~", "\u0000y")]
    [InlineData("customers.email", "=", "a\u0000@b.c")]
    [InlineData("customers.customData.k", "=", "x\u0000y")]
    [InlineData("customers.customData.k", "~", "\u0000")]
    public async Task Search_ForAValueHoldingNul_IsRefusedAtFilterValue(string field, string op, string value)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"xy","city":"xy","company":"xy","customData":{"k":"xy"}}""");

        var answer = await client.CallAsync(HttpMethod.Post, "customers/search",
            $$"""{"filter":[{"field":"customers.id","operator":">","value":0},{"field":"{{field}}","operator":"{{op}}","value":{{FuzzJson.Str(value)}}}]}""");

        AssertRefusedForNul(answer, "filter[1].value");
    }

    /// <summary>
    /// A tag name in a <c>tagsData</c> filter is a tag name and a search value alike: one holding a NUL names no tag
    /// that can exist, and is refused at that name. (Found: SQLite answers an empty page, PostgreSQL a 500.)
    /// </summary>
    [Theory]
    [InlineData("""[{"name":"t\u0000"}]""", "filter[0].value[0].name")]
    [InlineData("""[{"name":"Lead"},{"name":"Lead\u0000"}]""", "filter[0].value[1].name")]
    public async Task Search_ForATagNameHoldingNul_IsRefusedAtTheName(string names, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"x","tags":[{"name":"Lead"}]}""");

        var answer = await client.CallAsync(HttpMethod.Post, "customers/search",
            $$"""{"filter":[{"field":"customers.tagsData","operator":"=","value":{{names}}}]}""");

        AssertRefusedForNul(answer, code);
    }

    /// <summary>
    /// A customData property name is stored text: one holding a NUL, named in a filter's field, is refused at the
    /// field. (Found: SQLite answers an empty page, PostgreSQL a 500, for every operator.)
    /// </summary>
    [Theory]
    [InlineData("=", "\"x\"")]
    [InlineData("~", "\"x\"")]
    [InlineData("!=", "null")]
    [InlineData("=", "1")]
    [InlineData("=", "true")]
    public async Task Search_OnACustomDataPropertyHoldingNul_IsRefusedAtTheField(string op, string value)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"x","customData":{"k":"x"}}""");

        var answer = await client.CallAsync(HttpMethod.Post, "customers/search",
            $$"""{"filter":[{"field":"customers.customData.k\u0000","operator":"{{op}}","value":{{value}}}]}""");

        AssertRefusedForNul(answer, "filter[0].field");
    }

    /// <summary>Sort and order are not stored: a NUL there is only an invalid sort or order.</summary>
    [Theory]
    [InlineData("GET", "customers?sort=customers.name%00", "sort")]
    [InlineData("GET", "customers?order=asc%00", "order")]
    [InlineData("POST", """{"sort":"customers.name\u0000"}""", "sort")]
    [InlineData("POST", """{"order":"\u0000"}""", "order")]
    public async Task ListAndSearch_WithNulInSortOrOrder_AreRefusedAtSortOrOrder(string method, string queryOrBody, string code)
    {
        var answer = await ListOrSearchOneCustomerAsync(method, queryOrBody);

        answer.AssertError(HttpStatusCode.BadRequest, code);
    }

    /// <summary>
    /// A number followed by NUL is no number (spec §3: a numeric string; §4: an integer or numeric string), so it is
    /// refused at the field and nothing is written. (Found: .NET's number parsing skips trailing NULs, so
    /// <c>"1603885746\u0000"</c> is stored as 1603885746 and <c>"customer":"1\u0000"</c> edits customer 1.)
    /// </summary>
    [Theory]
    [InlineData("POST", "customers", """{"firstSeen":"1603885746\u0000"}""", "firstSeen")]
    [InlineData("POST", "customers", """{"lastSeen":"1603885746.5\u0000"}""", "lastSeen")]
    [InlineData("PATCH", "customers/{id}", """{"firstSeen":"0\u0000\u0000"}""", "firstSeen")]
    [InlineData("PUT", "customers/batch", """[{"customer":"{id}\u0000","name":"Changed"}]""", "[0].customer")]
    [InlineData("POST", "events", """{"name":"signup","customer":"{id}\u0000"}""", "customer")]
    public async Task Write_WithANumberFollowedByNul_IsRefusedAtTheField_AndNothingIsWritten(string method, string path, string body, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Kept"}""");
        var before = await DatabaseSnapshot.TakeAsync(app.Database);

        var answer = await client.CallAsync(new HttpMethod(method), WithId(path, id), WithId(body, id));

        answer.AssertError(HttpStatusCode.BadRequest, code);
        await AssertNothingWrittenAsync(app, before);
    }

    /// <summary>Paging and search values followed by NUL are no integers either. (Found: taken as the number before the NUL.)</summary>
    [Theory]
    [InlineData("GET", "customers?offset=1%00", "offset")]
    [InlineData("GET", "customers?limit=5%00", "limit")]
    [InlineData("POST", """{"offset":"1\u0000"}""", "offset")]
    [InlineData("POST", """{"limit":"5\u0000"}""", "limit")]
    [InlineData("POST", """{"filter":[{"field":"customers.id","operator":"=","value":"1\u0000"}]}""", "filter[0].value")]
    [InlineData("POST", """{"filter":[{"field":"customers.firstSeen","operator":"<","value":"5\u0000"}]}""", "filter[0].value")]
    public async Task ListAndSearch_WithANumberFollowedByNul_AreRefusedAtThatValue(string method, string queryOrBody, string code)
    {
        var answer = await ListOrSearchOneCustomerAsync(method, queryOrBody);

        answer.AssertError(HttpStatusCode.BadRequest, code);
    }

    /// <summary>Any offset from 0 is a page (only <c>limit</c> has an upper bound): past the end, an empty one with the total.</summary>
    [Theory]
    [InlineData("1")]
    [InlineData("2147483648")]
    [InlineData("9223372036854775807")]
    public async Task ListAndSearch_WithAnOffsetPastTheEnd_AnswerAnEmptyPageWithTheTotal(string offset)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync();

        var list = await client.CallAsync(HttpMethod.Get, $"customers?offset={offset}");
        var search = await client.CallAsync(HttpMethod.Post, "customers/search", $$"""{"offset":{{offset}}}""");
        var asString = await client.CallAsync(HttpMethod.Post, "customers/search", $$"""{"offset":"{{offset}}","sort":"customers.name","order":"desc"}""");

        foreach (var (what, (status, body)) in new[] { ("list", list), ("search", search), ("search with a string offset", asString) })
        {
            Assert.True(status == HttpStatusCode.OK, $"{what}: {(int)status} {body}");
            Assert.Equal("""{"data":[],"total":1}""", body);
        }
    }

    /// <summary>An offset beyond 2^63-1 is no page any store can skip to: 400 <c>offset</c>.</summary>
    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("18446744073709551616")]
    [InlineData("99999999999999999999999")]
    public async Task ListAndSearch_WithAnOffsetBeyond63Bits_AreRefusedAtOffset(string offset)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync();

        (await client.CallAsync(HttpMethod.Get, $"customers?offset={offset}")).AssertError(HttpStatusCode.BadRequest, "offset");
        (await client.CallAsync(HttpMethod.Post, "customers/search", $$"""{"offset":{{offset}}}""")).AssertError(HttpStatusCode.BadRequest, "offset");
        (await client.CallAsync(HttpMethod.Post, "customers/search", $$"""{"offset":"{{offset}}"}""")).AssertError(HttpStatusCode.BadRequest, "offset");
    }

    private static string WithId(string text, long id, long id2 = 0) => text
        .Replace("{id}", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{id2}", id2.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>Test data writes a byte that is not UTF-8 as the Latin-1 character U+00FF; this sends it as the raw byte 0xFF.</summary>
    private static byte[] Latin1ToInvalidUtf8(string text)
    {
        var bytes = new List<byte>();
        foreach (var c in text)
        {
            if (c == '\u00ff')
            {
                bytes.Add(0xFF);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return [.. bytes];
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendBytesAsync(HttpClient client, string method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>400 with exactly one error, <c>invalid_json</c>.</summary>
    private static void AssertInvalidJson((HttpStatusCode Status, string Body) answer)
    {
        Assert.True(answer.Status == HttpStatusCode.BadRequest, $"expected 400 invalid_json, got {(int)answer.Status}: {answer.Body}");
        Assert.Equal(["invalid_json"], HttpExtensions.ErrorCodes(answer.Body));
    }

    /// <summary>400 with exactly one error: <paramref name="code"/>, with the NUL message.</summary>
    private static void AssertRefusedForNul((HttpStatusCode Status, string Body) answer, string code)
    {
        Assert.True(answer.Status == HttpStatusCode.BadRequest, $"expected 400 {code}, got {(int)answer.Status}: {answer.Body}");
        Assert.Equal([code], HttpExtensions.ErrorCodes(answer.Body));
        Assert.Equal(NulMessage, RefusalAssertions.FirstMessage(answer.Body));
    }

    /// <summary>
    /// With one customer stored, a GET of <paramref name="queryOrBody"/> (a path such as <c>customers?limit=5</c>) when
    /// <paramref name="method"/> is GET, else <c>POST /v1/customers/search</c> with <paramref name="queryOrBody"/> as the body.
    /// </summary>
    private static async Task<(HttpStatusCode Status, string Body)> ListOrSearchOneCustomerAsync(string method, string queryOrBody)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync();
        return method == "GET"
            ? await client.CallAsync(HttpMethod.Get, queryOrBody)
            : await client.CallAsync(HttpMethod.Post, "customers/search", queryOrBody);
    }

    /// <summary>Every row of every table the API writes is as it was.</summary>
    private static async Task AssertNothingWrittenAsync(ClienteleApp app, DatabaseSnapshot before)
    {
        var after = await DatabaseSnapshot.TakeAsync(app.Database);
        Assert.True(after.Hash == before.Hash, "a refused request wrote:\n" + before.DescribeDifference(after));
    }
}
