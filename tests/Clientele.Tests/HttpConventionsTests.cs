using System.Net;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>
/// What every answer shares: <c>X-Content-Type-Options: nosniff</c>, HEAD on every GET route, the envelope on
/// every unknown path, and an OpenAPI document that names no host.
/// </summary>
public sealed class HttpConventionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> SendAsync(ClienteleApp app, HttpMethod method, string path, string? key = null)
    {
        using var client = new HttpClient { BaseAddress = app.Address };
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task EveryAnswer_SuccessOrError_CarriesNosniff()
    {
        await using var app = await ClienteleApp.StartAsync();
        var key = await app.CreateKeyAsync();
        await app.CreateClient(key).CreateCustomerAsync();
        await app.Database.ExecuteAsync("DROP TABLE events");

        foreach (var (method, path, withKey, status) in new[]
                 {
                     ("GET", "v1/customers", true, 200), ("GET", "v1/customers/1", true, 200), ("GET", "v1/customers/999", true, 404),
                     ("GET", "v1/customers", false, 401), ("GET", "v1/nothing", true, 404), ("DELETE", "v1/events", true, 405),
                     ("GET", "healthz", false, 200), ("GET", "openapi/v1.json", false, 200), ("GET", "docs/", false, 200),
                     ("GET", "openapi/nope.json", false, 404),
                 })
        {
            using var response = await SendAsync(app, new HttpMethod(method), path, withKey ? key : null);
            Assert.True((int)response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode}");
            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var values) && values.Single() == "nosniff",
                $"{method} {path} {(int)response.StatusCode}: no nosniff");
        }

        // An answer of the exception handler, which clears the headers set before it.
        var client = app.CreateClient(key);
        using var failed = await client.SendJsonAsync(HttpMethod.Post, "events", """{"name":"signup","customer":1}""");
        Assert.True((int)failed.StatusCode >= 500, $"{(int)failed.StatusCode}");
        Assert.Equal("nosniff", Assert.Single(failed.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("v1/customers", true)]
    [InlineData("v1/customers/1", true)]
    [InlineData("healthz", false)]
    [InlineData("openapi/v1.json", false)]
    [InlineData("docs/", false)]
    [InlineData("docs/v1", false)]
    [InlineData("docs/scalar.js", false)]
    public async Task Head_OnAGetRoute_AnswersLikeTheGet_WithoutABody(string path, bool withKey)
    {
        await using var app = await ClienteleApp.StartAsync();
        var key = await app.CreateKeyAsync();
        await app.CreateClient(key).CreateCustomerAsync();

        using var get = await SendAsync(app, HttpMethod.Get, path, withKey ? key : null);
        using var head = await SendAsync(app, HttpMethod.Head, path, withKey ? key : null);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Head_WithoutAKeyOrOnAnUnknownIdOrAPostOnlyRoute_AnswersItsGetStatus()
    {
        await using var app = await ClienteleApp.StartAsync();
        var key = await app.CreateKeyAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(app, HttpMethod.Head, "v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app, HttpMethod.Head, "v1/customers/999", key)).StatusCode);
        using var postOnly = await SendAsync(app, HttpMethod.Head, "v1/events", key);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, postOnly.StatusCode);
        Assert.Equal(["POST"], postOnly.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("GET", "openapi/nope.json")]
    [InlineData("GET", "openapi/v2.json")]
    [InlineData("GET", "openapi/")]
    [InlineData("GET", "openapi/v1.yaml")]
    [InlineData("GET", "docs/nope/deeper.js")]
    [InlineData("GET", "docs/nope.js")]
    [InlineData("GET", "docs/v2")]
    [InlineData("GET", "healthz/x")]
    [InlineData("GET", "v1/customers/1/tags/x")]
    [InlineData("GET", "favicon.ico")]
    [InlineData("POST", "openapi/nope.json")]
    public async Task UnknownPath_AnswersTheEnvelope(string method, string path)
    {
        await using var app = await ClienteleApp.StartAsync();
        var key = await app.CreateKeyAsync();

        using var response = await SendAsync(app, new HttpMethod(method), path, key);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Equal(["not_found"], HttpExtensions.ErrorCodes(body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("evil.example")]
    [InlineData("evil.example:666")]
    public async Task OpenApiServers_IsRelative_WhateverTheHostHeader(string? host)
    {
        await using var app = await ClienteleApp.StartAsync();
        using var client = new HttpClient { BaseAddress = app.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "openapi/v1.json");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = System.Text.Json.JsonDocument.Parse(body);
        var servers = document.RootElement.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToArray();
        Assert.Equal(["/"], servers);
        Assert.DoesNotContain("evil", body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
    }
}
