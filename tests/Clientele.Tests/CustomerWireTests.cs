using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Clientele.Tests.Infrastructure;
using static Clientele.Tests.Infrastructure.WireAssertions;

namespace Clientele.Tests;

/// <summary>Every endpoint's success path, asserted on the raw JSON of the wire (spec §1, §3, §4).</summary>
public sealed partial class CustomerWireTests
{
    /// <summary>The body that produces the customer object of spec §3.</summary>
    private const string SpecBody =
        """
        {"name":"John Doe","email":"john@example.com","userId":"crm-17","company":"Acme","phone":"+380501234567",
         "firstSeen":"1603885746","lastSeen":1603885746,
         "location":{"regionCode":"CA","countryCode":"US","city":"San Francisco"},
         "unsubscribed":false,"blocked":false,"source":"https://example.com/pricing","referer":"https://google.com",
         "lastPage":"https://example.com/signup","locale":"en","createdFrom":"api",
         "tags":[{"name":"Lead"}],"customData":{"plan":"pro","seats":5}}
        """;

    /// <summary>The customer object of spec §3, byte for byte.</summary>
    private static string SpecCustomer(long id, string name = "John Doe") =>
        $$$"""
        {"id":{{{id}}},"name":"{{{name}}}","email":"john@example.com","userId":"crm-17","company":"Acme","phone":"+380501234567",
        "firstSeen":"1603885746","lastSeen":"1603885746",
        "location":{"regionCode":"CA","countryCode":"US","city":"San Francisco"},
        "device":{"id":null,"ip":null,"timezone":null,"platform":null,"userAgent":null},
        "unsubscribed":false,"blocked":false,"source":"https://example.com/pricing","referer":"https://google.com",
        "lastPage":"https://example.com/signup","locale":"en","createdFrom":"api","integrationId":null,"notes":null,
        "tags":[{"name":"Lead","color":"#c377e0"}],"customData":{"plan":"pro","seats":5}}
        """.ReplaceLineEndings("");

    private const string NotFoundBody = """{"errors":[{"code":"entity_not_found","message":"Customer not found"}]}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- POST /customers --------------------------------------------------------------------------------

    [Fact]
    public async Task Create_WithEveryField_Answers201WithTheSpecCustomerObject()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        using var response = await client.SendJsonAsync(HttpMethod.Post, "customers", SpecBody);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var id = IdOf(body);
        Assert.True(id > 0);
        Assert.Equal(SpecCustomer(id), body);
    }

    [Fact]
    public async Task Create_WithEmptyObject_Answers201WithEveryKeyPresentAndEmpty()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var body = await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", "{}");

        var id = IdOf(body);
        Assert.Equal(BlankCustomer(id), body);
    }

    [Fact]
    public async Task Create_WithIdDeviceAndUnknownKeys_IgnoresThem()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var body = await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers",
            """{"id":987654,"device":{"id":"d1","ip":"10.0.0.1","timezone":"UTC","platform":"web","userAgent":"x"},"favouriteColour":"red"}""");

        var id = IdOf(body);
        Assert.NotEqual(987654, id);
        Assert.Equal(BlankCustomer(id), body);
    }

    [Fact]
    public async Task Create_WithFractionalFirstSeenString_KeepsWholeSeconds()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var id = await client.CreateCustomerAsync("""{"firstSeen":"1603885746.123","lastSeen":1603885746.9}""");

        var body = await client.GetOkAsync($"customers/{id}");
        Assert.Contains("\"firstSeen\":\"1603885746\",\"lastSeen\":\"1603885746\",", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithNumbersForStringFields_StoresTheirText()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var body = await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers",
            """{"phone":380501234567,"userId":17,"company":1.50}""");

        Assert.Contains("\"userId\":\"17\",\"company\":\"1.50\",\"phone\":\"380501234567\",", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithEmptyStringUserIdAndEmail_StoresNull()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var body = await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", """{"userId":"","email":""}""");

        var id = IdOf(body);
        Assert.Equal(BlankCustomer(id), body);
        // Two customers with "" are two customers without a userId, not a duplicate.
        await client.CallExpectingAsync(HttpStatusCode.Created, HttpMethod.Post, "customers", """{"userId":"","email":""}""");
    }

    // ---- GET /customers/{id} ----------------------------------------------------------------------------

    [Fact]
    public async Task Get_ExistingCustomer_AnswersTheSpecCustomerObject()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(SpecBody);

        using var response = await client.SendJsonAsync(HttpMethod.Get, $"customers/{id}", null);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SpecCustomer(id), body);
    }

    [Theory]
    [InlineData("999")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    public async Task Get_UnknownOrMalformedId_Answers404EntityNotFound(string id)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var body = await client.CallExpectingAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"customers/{id}");

        Assert.Equal(NotFoundBody, body);
    }

    // ---- GET /customers ---------------------------------------------------------------------------------

    [Fact]
    public async Task List_WithNoQueryString_AnswersDataAndTotalOrderedById()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var first = await client.CreateCustomerAsync(SpecBody);
        var second = await client.CreateCustomerAsync("""{"name":"B","firstSeen":1}""");
        var third = await client.CreateCustomerAsync();
        string[] objects = [await client.GetOkAsync($"customers/{first}"), await client.GetOkAsync($"customers/{second}"), await client.GetOkAsync($"customers/{third}")];

        var body = await client.GetOkAsync("customers");

        Assert.Equal($$"""{"data":[{{string.Join(",", objects)}}],"total":3}""", body);
    }

    [Fact]
    public async Task List_OfEmptyAccount_AnswersEmptyDataAndZeroTotal()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        Assert.Equal("""{"data":[],"total":0}""", await client.GetOkAsync("customers"));
    }

    [Fact]
    public async Task List_WithOffsetAndLimit_AnswersThatPageAndCountsEveryCustomer()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await client.CreateCustomerAsync());
        }

        var page = await client.GetOkAsync("customers?offset=1&limit=2");
        var last = await client.GetOkAsync("customers?offset=4&limit=100");
        var beyond = await client.GetOkAsync("customers?offset=10");
        var descending = await client.GetOkAsync("customers?order=desc&limit=3");

        Assert.Equal([ids[1], ids[2]], PageIds(page));
        Assert.Equal(5, PageTotal(page));
        Assert.Equal([ids[4]], PageIds(last));
        Assert.Equal("""{"data":[],"total":5}""", beyond);
        Assert.Equal([ids[4], ids[3], ids[2]], PageIds(descending));
    }

    [Theory]
    [InlineData("customers.firstSeen", "asc")]
    [InlineData("customers.firstSeen", "")]
    [InlineData("customer.firstSeen", "ASC")]
    [InlineData("customers.firstSeen", "desc")]
    [InlineData("customer.firstSeen", "Desc")]
    public async Task List_SortedByFirstSeen_PutsNullsLastInBothOrdersAndBreaksTiesById(string sort, string order)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var c300 = await client.CreateCustomerAsync("""{"firstSeen":300}""");
        var cNull1 = await client.CreateCustomerAsync();
        var c100 = await client.CreateCustomerAsync("""{"firstSeen":"100"}""");
        var c200a = await client.CreateCustomerAsync("""{"firstSeen":200}""");
        var cNull2 = await client.CreateCustomerAsync("""{"firstSeen":null}""");
        var c200b = await client.CreateCustomerAsync("""{"firstSeen":200}""");

        var body = await client.GetOkAsync($"customers?sort={sort}&order={order}");

        long[] expected = order.Equals("desc", StringComparison.OrdinalIgnoreCase)
            ? [c300, c200a, c200b, c100, cNull1, cNull2]
            : [c100, c200a, c200b, c300, cNull1, cNull2];
        Assert.Equal(expected, PageIds(body));
        Assert.Equal(6, PageTotal(body));
    }

    [Fact]
    public async Task List_SortedByLastSeenAndPaged_NeverOverlapsPages()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var a = await client.CreateCustomerAsync("""{"lastSeen":5}""");
        var b = await client.CreateCustomerAsync();
        var c = await client.CreateCustomerAsync("""{"lastSeen":5}""");
        var d = await client.CreateCustomerAsync("""{"lastSeen":9}""");

        var first = await client.GetOkAsync("customers?sort=customers.lastSeen&order=desc&limit=2");
        var second = await client.GetOkAsync("customers?sort=customers.lastSeen&order=desc&limit=2&offset=2");

        Assert.Equal([d, a], PageIds(first));
        Assert.Equal([c, b], PageIds(second));
        Assert.Equal(4, PageTotal(second));
    }

    [Theory]
    [InlineData("sort=firstSeen", "sort")]
    [InlineData("sort=customers.nope", "sort")]
    [InlineData("sort=customers.tags", "sort")]
    [InlineData("sort=customer", "sort")]
    [InlineData("sort=customers.", "sort")]
    [InlineData("order=up", "order")]
    [InlineData("offset=-1", "offset")]
    [InlineData("offset=abc", "offset")]
    [InlineData("offset=1.5", "offset")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=ten", "limit")]
    public async Task List_WithBadParameter_Answers400WithThatParameterAsCode(string query, string code)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync();

        await client.AssertErrorAsync(HttpStatusCode.BadRequest, code, HttpMethod.Get, $"customers?{query}");
    }

    [Fact]
    public async Task List_WithLimitOfOneHundred_IsAccepted()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        Assert.Equal("""{"data":[],"total":0}""", await client.GetOkAsync("customers?limit=100&offset=0&sort=customers.lastSeen&order=asc"));
    }

    // ---- PUT / PATCH / DELETE /customers/{id} -----------------------------------------------------------

    [Fact]
    public async Task Put_WithEveryField_AnswersTheSpecCustomerObject()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Old","notes":"to be replaced","blocked":true}""");

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Put, $"customers/{id}", SpecBody);

        Assert.Equal(SpecCustomer(id), body);
        Assert.Equal(SpecCustomer(id), await client.GetOkAsync($"customers/{id}"));
    }

    [Fact]
    public async Task Patch_WithOneField_AnswersTheWholeCustomerObject()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(SpecBody);

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Patch, $"customers/{id}", """{"name":"Jane Roe"}""");

        Assert.Equal(SpecCustomer(id, "Jane Roe"), body);
        Assert.Equal(SpecCustomer(id, "Jane Roe"), await client.GetOkAsync($"customers/{id}"));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    public async Task Update_OfUnknownCustomer_Answers404EntityNotFound(string method)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var body = await client.CallExpectingAsync(HttpStatusCode.NotFound, new HttpMethod(method), "customers/12345", """{"name":"x"}""");

        Assert.Equal(NotFoundBody, body);
    }

    [Fact]
    public async Task Delete_ExistingCustomer_AnswersOkStringAndThenGetIs404()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(SpecBody);
        var other = await client.CreateCustomerAsync();

        using var response = await client.SendJsonAsync(HttpMethod.Delete, $"customers/{id}", null);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"Ok\"", body);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(NotFoundBody, await client.CallExpectingAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"customers/{id}"));
        Assert.Equal(NotFoundBody, await client.CallExpectingAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"customers/{id}"));
        Assert.Equal($$"""{"data":[{{BlankCustomer(other)}}],"total":1}""", await client.GetOkAsync("customers"));
    }

    // ---- tags routes ------------------------------------------------------------------------------------

    [Fact]
    public async Task AddTags_AnswersTheCustomerWithTheTagsAppended()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(SpecBody);

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Put, $"customers/{id}/tags",
            """{"tags":[{"name":"VIP","color":"#ff0000"},{"name":"Lead"},{"name":"Trial"}]}""");

        var expected = SpecCustomer(id).Replace("""{"name":"Lead","color":"#c377e0"}""",
            """{"name":"Lead","color":"#c377e0"},{"name":"VIP","color":"#ff0000"},{"name":"Trial","color":"#c377e0"}""", StringComparison.Ordinal);
        Assert.Equal(expected, body);
        Assert.Equal(expected, await client.GetOkAsync($"customers/{id}"));
    }

    [Fact]
    public async Task RemoveTags_WithJsonBody_AnswersTheCustomerWithoutThoseTags()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"tags":[{"name":"A"},{"name":"B","color":"red"},{"name":"C"}]}""");

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{id}/tags",
            """{"tags":[{"name":"A"},{"name":"C"}]}""");

        var expected = BlankCustomer(id).Replace("\"tags\":[]", "\"tags\":[{\"name\":\"B\",\"color\":\"red\"}]", StringComparison.Ordinal);
        Assert.Equal(expected, body);
        Assert.Equal(expected, await client.GetOkAsync($"customers/{id}"));
    }

    // ---- POST /events -----------------------------------------------------------------------------------

    [GeneratedRegex("""^\{"id":(?<id>[1-9][0-9]*),"name":"signup","data":\{"plan":"pro","seats":5.10,"ok":true\},"createdAt":"(?<at>[0-9]+)","customer":(?<customer>[0-9]+)\}$""")]
    private static partial Regex EventWithData();

    [Fact]
    public async Task Event_Post_Answers200WithIdNameDataCreatedAtAndCustomerInOrder()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Post, "events",
            $$"""{"name":"signup","data":{"plan":"pro","seats":5.10,"ok":true},"customer":{{id}}}""");

        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var match = EventWithData().Match(body);
        Assert.True(match.Success, body);
        Assert.Equal(id, long.Parse(match.Groups["customer"].Value, CultureInfo.InvariantCulture));
        var createdAt = long.Parse(match.Groups["at"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(createdAt, before - 2, after + 2);
    }

    [GeneratedRegex("""^\{"id":[1-9][0-9]*,"name":"login","data":(null|\{\}),"createdAt":"[0-9]+","customer":(?<customer>[0-9]+)\}$""")]
    private static partial Regex EventWithoutData();

    [Fact]
    public async Task Event_PostWithoutDataAndCustomerAsString_AnswersIntegerCustomer()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();

        var body = await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Post, "events", $$"""{"name":"login","customer":"{{id}}"}""");

        var match = EventWithoutData().Match(body);
        Assert.True(match.Success, body);
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), match.Groups["customer"].Value);
    }

    [Fact]
    public async Task Event_ForDeletedCustomer_Answers404EntityNotFound()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();
        await client.CallExpectingAsync(HttpStatusCode.OK, HttpMethod.Delete, $"customers/{id}");

        var body = await client.CallExpectingAsync(HttpStatusCode.NotFound, HttpMethod.Post, "events", $$"""{"name":"login","customer":{{id}}}""");

        Assert.Equal(NotFoundBody, body);
    }

    // ---- real-client quirks of spec §1 ------------------------------------------------------------------

    [Fact]
    public async Task Create_WithoutContentType_ReadsTheBodyAsJson()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        using var response = await client.SendJsonAsync(HttpMethod.Post, "customers", SpecBody, contentType: null);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(SpecCustomer(IdOf(body)), body);
    }

    [Fact]
    public async Task UpdatesAndTagRoutesAndEvents_WithoutContentType_ReadTheBodyAsJson()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();

        async Task<string> Send(HttpMethod method, string path, string json)
        {
            using var response = await client.SendJsonAsync(method, path, json, contentType: null);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path} answered {(int)response.StatusCode}: {body}");
            return body;
        }

        await Send(HttpMethod.Put, $"customers/{id}", """{"name":"Put"}""");
        await Send(HttpMethod.Patch, $"customers/{id}", """{"company":"Patched"}""");
        await Send(HttpMethod.Put, $"customers/{id}/tags", """{"tags":[{"name":"A"},{"name":"B"}]}""");
        var body = await Send(HttpMethod.Delete, $"customers/{id}/tags", """{"tags":[{"name":"A"}]}""");
        await Send(HttpMethod.Post, "events", $$"""{"name":"e","customer":{{id}}}""");

        var expected = BlankCustomer(id)
            .Replace("\"name\":null", "\"name\":\"Put\"", StringComparison.Ordinal)
            .Replace("\"company\":null", "\"company\":\"Patched\"", StringComparison.Ordinal)
            .Replace("\"tags\":[]", "\"tags\":[{\"name\":\"B\",\"color\":\"#c377e0\"}]", StringComparison.Ordinal);
        Assert.Equal(expected, body);
    }

    [Theory]
    [InlineData("Bearer <{0}>")]
    [InlineData("bearer {0}")]
    [InlineData("BEARER {0}")]
    [InlineData("bearer <{0}>")]
    public async Task Request_WithToleratedAuthorizationForm_IsAuthenticated(string format)
    {
        await using var app = await ClienteleApp.StartAsync();
        var key = await app.CreateKeyAsync();
        var client = app.CreateClient(null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "customers")
        {
            Content = new StringContent("""{"name":"Quirk"}""", Encoding.UTF8, "application/json"),
        };
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", string.Format(CultureInfo.InvariantCulture, format, key)));

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("\"name\":\"Quirk\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodylessRequests_CarryingJsonContentType_Succeed()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(SpecBody);

        async Task<(HttpStatusCode, string)> SendWithContentTypeOnly(HttpMethod method, string path)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent([]) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await client.SendAsync(request, Ct);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }

        Assert.Equal((HttpStatusCode.OK, SpecCustomer(id)), await SendWithContentTypeOnly(HttpMethod.Get, $"customers/{id}"));
        Assert.Equal((HttpStatusCode.OK, $$"""{"data":[{{SpecCustomer(id)}}],"total":1}"""), await SendWithContentTypeOnly(HttpMethod.Get, "customers?limit=10"));
        Assert.Equal((HttpStatusCode.OK, "\"Ok\""), await SendWithContentTypeOnly(HttpMethod.Delete, $"customers/{id}"));
    }

    [Fact]
    public async Task Request_WithArbitraryHostHeader_IsServed()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync(SpecBody);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"customers/{id}");
        request.Headers.Host = "api.helpcrunch.com";

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SpecCustomer(id), await response.Content.ReadAsStringAsync(Ct));
    }
}
