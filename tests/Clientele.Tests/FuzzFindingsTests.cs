using System.Net;
using System.Text;
using System.Text.Json;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>
/// What <see cref="FuzzTests"/> found, replayed as plain examples: each is the smallest request that showed
/// a departure from the spec, so a fix can be checked without a seed.
/// </summary>
public sealed class FuzzFindingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Valid JSON syntax whose member names are not valid Unicode (a lone surrogate escape, or bytes that are not
    /// UTF-8). Spec §2: whatever the answer, never a 5xx; a refusal is the envelope and changes nothing.
    /// </summary>
    [Theory]
    [InlineData("POST", """{"\ud800":1}""")]
    [InlineData("PATCH", """{"\udc00":1}""")]
    [InlineData("PUT", """{"name":"x","a\udfff":1}""")]
    [InlineData("PATCH", """{"customData":{"\ud800":"v"}}""")]
    [InlineData("PATCH", """{"location":{"\ud83d":"x","city":"c"}}""")]
    [InlineData("PATCH", """{"tags":[{"name":"ok","\ud800":1}]}""")]
    [InlineData("PATCH", "{\"k\u00ff\":1}")]
    [InlineData("PATCH", "{\"customData\":{\"k\u00ff\":1}}")]
    public async Task Edit_WithAMemberNameThatIsNotValidUnicode_NeverAnswers5xx(string method, string body)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Kept"}""");
        var before = await client.GetRawAsync(id);

        var answer = await SendBytesAsync(client, method, method == "POST" ? "customers" : $"customers/{id}", Latin1ToInvalidUtf8(body));

        AssertNot5xxAndEnveloped(answer);
        if (answer.Status >= HttpStatusCode.BadRequest)
        {
            Assert.Equal(before, await client.GetRawAsync(id));
            Assert.Equal(1, await client.TotalAsync());
        }
    }

    /// <summary>Event data that is valid JSON syntax but not valid Unicode: never a 5xx.</summary>
    [Theory]
    [InlineData("{\"name\":\"e\",\"customer\":{0},\"data\":{\"k\":\"v\u00ff\"}}")]
    [InlineData("{\"name\":\"e\",\"customer\":{0},\"data\":{\"k\u00ff\":1}}")]
    [InlineData("""{"name":"e","customer":{0},"data":{"\ud800":"\udc00"}}""")]
    public async Task PostEvent_WithDataThatIsNotValidUnicode_NeverAnswers5xx(string template)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();

        var answer = await SendBytesAsync(client, "POST", "events", Latin1ToInvalidUtf8(template.Replace("{0}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));

        AssertNot5xxAndEnveloped(answer);
    }

    /// <summary>A search whose comparison, operator or field is valid JSON but not valid Unicode: never a 5xx.</summary>
    [Theory]
    [InlineData("""{"comparison":"\udfff\ud800"}""")]
    [InlineData("""{"filter":[{"field":"customers.name","operator":"\ud800","value":"x"}]}""")]
    [InlineData("""{"filter":[{"field":"\ud800","operator":"=","value":"x"}]}""")]
    [InlineData("""{"filter":[{"field":"customers.customData.\udc00","operator":"=","value":"x"}]}""")]
    public async Task Search_WithAComparisonOperatorOrFieldThatIsNotValidUnicode_NeverAnswers5xx(string body)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"x"}""");

        var answer = await SendBytesAsync(client, "POST", "customers/search", Encoding.UTF8.GetBytes(body));

        AssertNot5xxAndEnveloped(answer);
    }

    /// <summary>Spec §3: text is any JSON string, NUL included; it is stored and given back unchanged (PostgreSQL text cannot hold NUL).</summary>
    [Fact]
    public async Task Create_WithNulInTextTagAndCustomData_StoresAndAnswersItUnchanged()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers",
            """{"name":"a\u0000b","source":"\u0000","tags":[{"name":"t\u0000"}],"customData":{"k\u0000":"v\u0000"}}""");

        Assert.True(status == HttpStatusCode.Created, $"{(int)status}: {body}");
        Assert.Contains("\"name\":\"a\\u0000b\"", body, StringComparison.Ordinal);
        Assert.Contains("\"tags\":[{\"name\":\"t\\u0000\",\"color\":\"#c377e0\"}]", body, StringComparison.Ordinal);
        Assert.Contains("\"customData\":{\"k\\u0000\":\"v\\u0000\"}", body, StringComparison.Ordinal);
        Assert.Equal(body, await client.GetRawAsync(WireAssertions.IdOf(body)));
    }

    /// <summary>Spec §6: a 2xx means the change is stored. On SQLite a text over ~510 UTF-8 bytes holding a NUL is cut at the NUL.</summary>
    [Theory]
    [InlineData(500)]
    [InlineData(600)]
    [InlineData(2000)]
    public async Task Create_WithNulInALongText_StoresAllOfIt(int padding)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var source = "a\u0000b" + new string('x', padding);

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers", $$"""{"source":{{FuzzJson.Str(source)}}}""");

        Assert.True(status == HttpStatusCode.Created, $"{(int)status}: {body}");
        var stored = await client.GetRawAsync(WireAssertions.IdOf(body));
        using var document = JsonDocument.Parse(stored);
        Assert.Equal(source, document.RootElement.GetProperty("source").GetString());
        Assert.Equal(body, stored);
    }

    /// <summary>Spec §5: <c>=</c> and <c>~</c> find a value that holds a NUL, on every field kind, and never answer 5xx.</summary>
    [Theory]
    [InlineData("customers.city", "=", "x\u0000y")]
    [InlineData("customers.city", "~", "\u0000")]
    [InlineData("customers.name", "~", "x\u0000y")]
    [InlineData("customers.name", "=", "x\u0000y")]
    [InlineData("customers.company", "~", "\u0000y")]
    [InlineData("customers.customData.k", "=", "x\u0000y")]
    [InlineData("customers.customData.k", "~", "\u0000")]
    public async Task Search_ForAValueHoldingNul_FindsTheCustomer(string field, string op, string value)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"other","city":"other","company":"other","customData":{"k":"other"}}""");
        var (created, customer) = await client.CallAsync(HttpMethod.Post, "customers",
            """{"name":"x\u0000y","city":"x\u0000y","company":"x\u0000y","customData":{"k":"x\u0000y"}}""");
        Assert.True(created == HttpStatusCode.Created, $"{(int)created}: {customer}");
        var id = WireAssertions.IdOf(customer);

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers/search",
            $$"""{"filter":[{"field":"{{field}}","operator":"{{op}}","value":{{FuzzJson.Str(value)}}}]}""");

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        Assert.Equal([id], WireAssertions.PageIds(body));
    }

    /// <summary>
    /// Spec §4: a path id that is not a positive integer is a 404 <c>entity_not_found</c>, and spec §2 gives every
    /// non-2xx the envelope. A NUL escaped in the path is refused by Kestrel with a bare 400 before the app sees it.
    /// </summary>
    [Theory]
    [InlineData("GET", "v1/customers/%00")]
    [InlineData("DELETE", "v1/customers/1%00")]
    [InlineData("GET", "%00")]
    public async Task Request_WithNulEscapedInThePath_AnswersWithTheEnvelope(string method, string path)
    {
        await using var app = await ClienteleApp.StartAsync();
        var key = await app.CreateKeyAsync();
        var client = app.CreateClient(key);
        await client.CreateCustomerAsync("""{"name":"Kept"}""");
        var before = await client.GetRawAsync(1);
        using var http = new HttpClient { BaseAddress = app.Address };

        var answer = await http.SendAsync(new FuzzRequest("NUL in the path", method, path, null, FuzzExpect.Reject) { Authorization = "Bearer " + key, ContentType = null });

        Assert.True(answer.Status is >= 400 and < 500, $"{answer.Status}: {answer.Body}");
        var (_, problem) = FuzzSending.Envelope(answer);
        Assert.True(problem is null, $"{method} /{path} answered {answer.Status} without the envelope ({problem}): '{answer.Body}'");
        Assert.Equal(before, await client.GetRawAsync(1));
    }

    /// <summary>Spec §4: <c>offset</c> is any whole number from 0 (only <c>limit</c> has an upper bound); past the end the page is empty.</summary>
    [Theory]
    [InlineData("2147483648")]
    [InlineData("9223372036854775807")]
    public async Task ListAndSearch_WithAnOffsetBeyond32Bits_AnswerAnEmptyPage(string offset)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync();

        var list = await client.CallAsync(HttpMethod.Get, $"customers?offset={offset}");
        var search = await client.CallAsync(HttpMethod.Post, "customers/search", $$"""{"offset":{{offset}}}""");

        Assert.True(list.Status == HttpStatusCode.OK, $"list: {(int)list.Status} {list.Body}");
        Assert.Equal("""{"data":[],"total":1}""", list.Body);
        Assert.True(search.Status == HttpStatusCode.OK, $"search: {(int)search.Status} {search.Body}");
        Assert.Equal("""{"data":[],"total":1}""", search.Body);
    }

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

    private static async Task<(HttpStatusCode Status, string Body, string? MediaType)> SendBytesAsync(HttpClient client, string method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response.Content.Headers.ContentType?.MediaType);
    }

    private static void AssertNot5xxAndEnveloped((HttpStatusCode Status, string Body, string? MediaType) answer)
    {
        Assert.True(answer.Status < HttpStatusCode.InternalServerError, $"{(int)answer.Status}: {answer.Body}");
        if (answer.Status >= HttpStatusCode.BadRequest)
        {
            HttpExtensions.ErrorCodes(answer.Body);
        }
    }
}
