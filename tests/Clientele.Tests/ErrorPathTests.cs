using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Clientele.Storage;
using Clientele.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clientele.Tests;

/// <summary>
/// Every error status of spec §2 reached through its real path (auth, routing, Kestrel's body limit, a failing
/// database), each with the one envelope and its first code; and a refused request changes nothing.
/// </summary>
public sealed class ErrorPathTests
{
    private const string InvalidToken = """{"errors":[{"code":"invalid_token","message":"Invalid token"}]}""";
    private const string RouteNotFound = """{"errors":[{"code":"not_found","message":"Route not found"}]}""";
    private const string CustomerNotFound = """{"errors":[{"code":"entity_not_found","message":"Customer not found"}]}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic x")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("Bearer <>")]
    [InlineData("Token ck_abc")]
    [InlineData("Bearer ck_unknown")]
    [InlineData("Bearer two words")]
    public async Task Request_WithMissingMalformedOrUnknownKey_Answers401InvalidToken(string? authorization)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"Kept"}""");

        foreach (var (method, path, body) in AuthenticatedRoutes(1))
        {
            var (status, text) = await SendAsync(app, method, path, body, authorization);
            Assert.True(status == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)status} {text}");
            Assert.Equal(InvalidToken, text);
        }
        Assert.Equal(1, await client.TotalAsync());
        Assert.Contains("\"name\":\"Kept\"", await client.GetRawAsync(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithRevokedKey_Answers401LikeAnUnknownKey()
    {
        await using var app = await ClienteleApp.StartAsync();
        var key = await app.CreateKeyAsync();
        var client = app.CreateClient(key);
        Assert.Equal(0, await client.TotalAsync());
        var accounts = app.Services.GetRequiredService<IAccountStore>();
        var keyId = (await accounts.ListKeysAsync(Ct)).Single().Id;

        Assert.True(await accounts.RevokeKeyAsync(keyId, Ct));

        foreach (var (method, path, body) in AuthenticatedRoutes(1))
        {
            var (status, text) = await SendAsync(app, method, path, body, "Bearer " + key);
            Assert.True(status == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)status} {text}");
            Assert.Equal(InvalidToken, text);
        }
        var (unknownStatus, unknownBody) = await SendAsync(app, HttpMethod.Get, "v1/customers", null, "Bearer ck_never_issued");
        Assert.Equal(HttpStatusCode.Unauthorized, unknownStatus);
        Assert.Equal(unknownBody, (await SendAsync(app, HttpMethod.Get, "v1/customers", null, "Bearer " + key)).Body);
    }

    [Fact]
    public async Task PostEvent_WithoutKey_Answers401InvalidToken()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();

        var (status, body) = await SendAsync(app, HttpMethod.Post, "v1/events", $$"""{"name":"signup","customer":{{id}}}""", authorization: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(InvalidToken, body);
    }

    [Theory]
    [InlineData("bearer {0}")]
    [InlineData("BEARER {0}")]
    [InlineData("Bearer <{0}>")]
    public async Task Request_WithBearerInAnyCaseOrKeyInAngleBrackets_IsAuthenticated(string format)
    {
        await using var app = await ClienteleApp.StartAsync();
        var key = await app.CreateKeyAsync();

        var (status, body) = await SendAsync(app, HttpMethod.Get, "v1/customers", null, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, key));

        Assert.True(status == HttpStatusCode.OK, body);
    }

    [Theory]
    [InlineData("GET", "v1/nothing")]
    [InlineData("POST", "v1/nothing")]
    [InlineData("GET", "nothing")]
    [InlineData("GET", "")]
    [InlineData("GET", "v1")]
    [InlineData("GET", "v1/customers/1/nothing")]
    [InlineData("GET", "v1/customer")]
    public async Task Request_ToUnknownRoute_Answers404NotFound(string method, string path)
    {
        await using var app = await ClienteleApp.StartAsync();
        var key = await app.CreateKeyAsync();
        await app.CreateClient(key).CreateCustomerAsync();

        var (status, body) = await SendAsync(app, new HttpMethod(method), path, method == "POST" ? "{}" : null, "Bearer " + key);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(RouteNotFound, body);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("999")]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999")]
    public async Task CustomerRoute_WithIdThatIsNotAnExistingCustomer_Answers404EntityNotFoundOnEveryMethod(string id)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"Only","tags":[{"name":"Lead"}]}""");
        var before = await client.GetRawAsync(1);

        foreach (var (method, path, body) in CustomerRoutes(id))
        {
            var (status, text) = await client.CallAsync(method, path, body);
            Assert.True(status == HttpStatusCode.NotFound, $"{method} {path}: {(int)status} {text}");
            Assert.Equal(CustomerNotFound, text);
        }
        Assert.Equal(before, await client.GetRawAsync(1));
        Assert.Equal(1, await client.TotalAsync());
    }

    [Fact]
    public async Task PostEvent_ForUnknownCustomer_Answers404EntityNotFound()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(HttpMethod.Post, "events", """{"name":"signup","customer":999}""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(CustomerNotFound, body);
    }

    [Theory]
    [InlineData("POST", "customers/1", "GET PUT PATCH DELETE")]
    [InlineData("DELETE", "customers", "GET POST")]
    [InlineData("PATCH", "customers", "GET POST")]
    [InlineData("PUT", "customers", "GET POST")]
    [InlineData("POST", "customers/1/tags", "PUT DELETE")]
    [InlineData("GET", "customers/1/tags", "PUT DELETE")]
    [InlineData("GET", "events", "POST")]
    public async Task KnownRoute_WithWrongMethod_Answers405NamingTheAllowedMethodsAndChangesNothing(string method, string path, string allowed)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"Kept"}""");
        var listBefore = await client.ListRawAsync();

        var answer = await client.CallAsync(new HttpMethod(method), path, method == "GET" ? null : """{"name":"Changed","tags":[{"name":"x"}]}""");

        answer.AssertError(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        var message = RefusalAssertions.FirstMessage(answer.Body);
        foreach (var verb in allowed.Split(' '))
        {
            Assert.Matches($@"\b{verb}\b", message);
        }
        Assert.Equal(listBefore, await client.ListRawAsync());
    }

    [Fact]
    public async Task Create_WithBodyOverOneMebibyte_Answers413AndWritesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var answer = await client.CallAsync(HttpMethod.Post, "customers", PaddedBody(1024 * 1024 + 1));

        answer.AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Matches(@"1048576|1 ?MiB|1024 ?KiB", RefusalAssertions.FirstMessage(answer.Body));
        Assert.Equal(0, await client.TotalAsync());
    }

    [Fact]
    public async Task Create_WithChunkedBodyOverOneMebibyte_Answers413AndWritesNothing()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "customers")
        {
            // A stream of unknown length goes out chunked: no Content-Length for the server to check up front.
            Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(PaddedBody(2 * 1024 * 1024)))),
        };

        using var response = await client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Null(request.Content.Headers.ContentLength);
        (response.StatusCode, body).AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Equal(0, await client.TotalAsync());
    }

    [Theory]
    [InlineData("PUT", "")]
    [InlineData("PATCH", "")]
    [InlineData("PUT", "/tags")]
    [InlineData("DELETE", "/tags")]
    public async Task Update_WithBodyOverTheLimit_Answers413AndLeavesTheCustomerUnchanged(string method, string suffix)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Kept","tags":[{"name":"Lead"}]}""");
        var before = await client.GetRawAsync(id);
        var padding = new string('x', 1024 * 1024);
        var body = suffix == "/tags"
            ? $$"""{"tags":[{"name":"Lead"},{"name":"New"}],"pad":"{{padding}}"}"""
            : $$"""{"name":"Changed","pad":"{{padding}}"}""";

        var answer = await client.CallAsync(new HttpMethod(method), $"customers/{id}{suffix}", body);

        answer.AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Equal(before, await client.GetRawAsync(id));
    }

    [Fact]
    public async Task Create_WithConfiguredLimit_AcceptsABodyAtTheLimitAndRefusesOneByteMore()
    {
        await using var app = await ClienteleApp.StartAsync(settings: new Dictionary<string, string?> { ["Limits:MaxBodyBytes"] = "1000" });
        var client = await app.CreateClientAsync();

        var atLimit = await client.CallAsync(HttpMethod.Post, "customers", PaddedBody(1000));
        var over = await client.CallAsync(HttpMethod.Post, "customers", PaddedBody(1001));

        Assert.True(atLimit.Status == HttpStatusCode.Created, atLimit.Body);
        over.AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Contains("1000", RefusalAssertions.FirstMessage(over.Body), StringComparison.Ordinal);
        Assert.Equal(1, await client.TotalAsync());
    }

    [Fact]
    public async Task AddTags_WithConfiguredLimit_RefusesALargerBodyWith413()
    {
        await using var app = await ClienteleApp.StartAsync(settings: new Dictionary<string, string?> { ["Limits:MaxBodyBytes"] = "1000" });
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();
        var before = await client.GetRawAsync(id);
        var tags = string.Join(",", Enumerable.Range(0, 60).Select(i => $$"""{"name":"tag-{{i}}"}"""));

        var answer = await client.CallAsync(HttpMethod.Put, $"customers/{id}/tags", $$"""{"tags":[{{tags}}]}""");

        answer.AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Equal(before, await client.GetRawAsync(id));
    }

    [Fact]
    public async Task DeleteCustomer_WithBodyOverTheLimit_Answers413AndKeepsTheCustomer()
    {
        await using var app = await ClienteleApp.StartAsync(settings: new Dictionary<string, string?> { ["Limits:MaxBodyBytes"] = "1000" });
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Kept"}""");
        var before = await client.GetRawAsync(id);

        (HttpStatusCode Status, string Body)? answer = null;
        try
        {
            answer = await client.CallAsync(HttpMethod.Delete, $"customers/{id}", PaddedBody(5000));
        }
        catch (HttpRequestException)
        {
            // A connection dropped without an answer is checked below as "not a 413".
        }

        var (afterStatus, after) = await client.CallAsync(HttpMethod.Get, $"customers/{id}");
        Assert.True(afterStatus == HttpStatusCode.OK && after == before,
            $"the customer changed although the body was over the limit: DELETE answered {answer?.Status} {answer?.Body}; GET now {(int)afterStatus} {after}");
        Assert.NotNull(answer);
        answer.Value.AssertError(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task BodylessRequests_WithJsonContentTypeAndNoBody_Succeed()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();

        foreach (var (method, path) in new[] { (HttpMethod.Get, "customers"), (HttpMethod.Get, $"customers/{id}"), (HttpMethod.Delete, $"customers/{id}") })
        {
            using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent([]) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.SendAsync(request, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }

    [Fact]
    public async Task Request_WhenTheCustomersTableIsGone_Answers500WithARequestIdThatIsAlsoLoggedAndNoInternals()
    {
        await using var app = await ClienteleApp.StartAsync();
        using var log = new CapturingLoggerProvider();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"Doomed"}""");
        await app.Database.ExecuteAsync("DROP TABLE customer_tags; DROP TABLE events; DROP TABLE customers;");

        foreach (var (method, path, body) in new[]
                 {
                     (HttpMethod.Get, "customers", (string?)null),
                     (HttpMethod.Get, "customers/1", null),
                     (HttpMethod.Post, "customers", """{"name":"New"}"""),
                     (HttpMethod.Patch, "customers/1", """{"name":"New"}"""),
                 })
        {
            var answer = await client.CallAsync(method, path, body);

            answer.AssertError(HttpStatusCode.InternalServerError, "internal_error");
            AssertNoInternals(answer.Body);
            var message = RefusalAssertions.FirstMessage(answer.Body);
            Assert.Matches("(?i)request[ _-]?id", message);
            var logged = log.Entries.Where(e => e.Level >= LogLevel.Error).SelectMany(e => e.Values).Where(v => v.Length >= 4);
            Assert.True(logged.Any(v => message.Contains(v, StringComparison.Ordinal)),
                $"{method} {path}: no request id of the log in \"{message}\"");
        }
    }

    [Fact]
    public async Task Healthz_WithoutKey_Answers200()
    {
        await using var app = await ClienteleApp.StartAsync();

        var (status, body) = await SendAsync(app, HttpMethod.Get, "healthz", null, authorization: null);

        Assert.True(status == HttpStatusCode.OK, body);
    }

    [Fact]
    public async Task Healthz_WhenTheDatabaseFileIsGone_Answers503WithTheEnvelopeAndSoDoesTheApi()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "Removes the SQLite file; MultiNodeTests cuts the network to PostgreSQL instead.");
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(app, HttpMethod.Get, "healthz", null, null)).Status);

        // The file, its WAL and its index go under the server's open connections, and a folder takes the file's name.
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(app.DatabasePath + suffix);
        }
        Directory.CreateDirectory(app.DatabasePath);

        var health = await SendAsync(app, HttpMethod.Get, "healthz", null, authorization: null);
        Assert.True(health.Status == HttpStatusCode.ServiceUnavailable, $"{(int)health.Status}: {health.Body}");
        HttpExtensions.ErrorCodes(health.Body);
        AssertNoInternals(health.Body);

        var api = await client.CallAsync(HttpMethod.Get, "customers/1");
        api.AssertError(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        AssertNoInternals(api.Body);
        Assert.Equal("Storage is unavailable; nothing was written.", RefusalAssertions.FirstMessage(api.Body));
        Assert.Equal("Storage is unavailable; nothing was written.", RefusalAssertions.FirstMessage(health.Body));
    }

    /// <summary>Every route that needs a key, with a body where it takes one.</summary>
    private static (HttpMethod Method, string Path, string? Body)[] AuthenticatedRoutes(long id) =>
    [
        (HttpMethod.Get, "v1/customers", null),
        (HttpMethod.Post, "v1/customers", """{"name":"Intruder"}"""),
        .. CustomerRoutes(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(r => (r.Method, "v1/" + r.Path, r.Body)),
        (HttpMethod.Post, "v1/events", $$"""{"name":"signup","customer":{{id}}}"""),
    ];

    /// <summary>The six routes of one customer, relative to <c>/v1/</c>.</summary>
    private static (HttpMethod Method, string Path, string? Body)[] CustomerRoutes(string id) =>
    [
        (HttpMethod.Get, $"customers/{id}", null),
        (HttpMethod.Put, $"customers/{id}", """{"name":"Changed"}"""),
        (HttpMethod.Patch, $"customers/{id}", """{"name":"Changed"}"""),
        (HttpMethod.Put, $"customers/{id}/tags", """{"tags":[{"name":"New"}]}"""),
        (HttpMethod.Delete, $"customers/{id}/tags", """{"tags":[{"name":"Lead"}]}"""),
        (HttpMethod.Delete, $"customers/{id}", null),
    ];

    /// <summary>Sends with exactly the given <c>Authorization</c> header value (none when null), unvalidated.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(ClienteleApp app, HttpMethod method, string path, string? body, string? authorization)
    {
        var client = app.CreateClient(key: null);
        using var request = new HttpRequestMessage(method, new Uri(app.Address, path));
        if (authorization is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        using var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>A valid create body of exactly <paramref name="bytes"/> bytes (customData strings keep every field under its own limit).</summary>
    private static string PaddedBody(int bytes)
    {
        var builder = new StringBuilder("{\"customData\":{");
        const string close = "}}";
        var index = 0;
        while (true)
        {
            var prefix = (index == 0 ? "" : ",") + $"\"p{index}\":\"";
            var room = bytes - builder.Length - prefix.Length - 1 - close.Length;
            if (room <= 60000)
            {
                builder.Append(prefix).Append('x', room).Append('"');
                break;
            }
            builder.Append(prefix).Append('x', 60000).Append('"');
            index++;
        }
        var text = builder.Append(close).ToString();
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(text));
        return text;
    }

    private static void AssertNoInternals(string body)
    {
        foreach (var leak in new[] { "Exception", "   at ", "Sqlite", "SQLite", "System.", "Microsoft.", "no such table", "not a database", ".cs:line" })
        {
            Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
        }
    }

    /// <summary>A readable stream that does not say how long it is, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
