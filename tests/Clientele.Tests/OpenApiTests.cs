using System.Net;
using System.Text.Json;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>The OpenAPI document describes every route, body and answer, and the docs page serves it.</summary>
public sealed class OpenApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonDocument> DocumentAsync(ClienteleApp app)
    {
        using var anonymous = new HttpClient { BaseAddress = app.Address };
        using var response = await anonymous.GetAsync("openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Document_DescribesEveryRouteWithItsMethods()
    {
        await using var app = await ClienteleApp.StartAsync();
        using var document = await DocumentAsync(app);

        var paths = document.RootElement.GetProperty("paths").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateObject().Select(m => m.Name).Order().ToArray());

        Assert.Equal(["get", "post"], paths["/v1/customers"]);
        Assert.Equal(["delete", "get", "patch", "put"], paths["/v1/customers/{id}"]);
        Assert.Equal(["delete", "put"], paths["/v1/customers/{id}/tags"]);
        Assert.Equal(["put"], paths["/v1/customers/batch"]);
        Assert.Equal(["post"], paths["/v1/customers/search"]);
        Assert.Equal(["post"], paths["/v1/events"]);
    }

    [Fact]
    public async Task Document_CustomerSchema_HasEveryWireKeyInOrder()
    {
        await using var app = await ClienteleApp.StartAsync();
        using var document = await DocumentAsync(app);
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        var customer = schemas.GetProperty("CustomerResponse").GetProperty("properties").EnumerateObject().Select(p => p.Name);
        string[] wire =
        [
            "id", "name", "email", "userId", "company", "phone", "firstSeen", "lastSeen", "location", "device", "unsubscribed", "blocked",
            "source", "referer", "lastPage", "locale", "createdFrom", "integrationId", "notes", "tags", "customData",
        ];
        Assert.Equal(wire, customer);
        Assert.Equal(["regionCode", "countryCode", "city"], schemas.GetProperty("LocationResponse").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal("object", schemas.GetProperty("RawJson").GetProperty("type").GetString());
        var error = schemas.GetProperty("ApiError").GetProperty("properties").EnumerateObject().Select(p => p.Name);
        Assert.Equal(["code", "message"], error);
    }

    private static readonly Dictionary<string, HashSet<string>> BodyKeys = new()
    {
        ["CustomerBody"] = ["name", "email", "userId", "firstSeen", "location", "city", "unsubscribed", "locale", "tags", "customData", "telegramId"],
        ["TagsBody"] = ["tags"],
        ["SearchBody"] = ["filter", "comparison", "sort", "order", "offset", "limit"],
        ["BatchItemBody"] = ["customer", "name", "tags", "customData"],
        ["EventBody"] = ["name", "data", "customer"],
    };

    [Theory]
    [InlineData("/v1/customers", "post", "201", "CustomerBody")]
    [InlineData("/v1/customers/{id}", "put", "200", "CustomerBody")]
    [InlineData("/v1/customers/{id}", "patch", "200", "CustomerBody")]
    [InlineData("/v1/customers/{id}/tags", "put", "200", "TagsBody")]
    [InlineData("/v1/customers/{id}/tags", "delete", "200", "TagsBody")]
    [InlineData("/v1/customers/search", "post", "200", "SearchBody")]
    [InlineData("/v1/customers/batch", "put", "200", "BatchItemBody")]
    [InlineData("/v1/events", "post", "200", "EventBody")]
    public async Task Document_BodyRoutes_NameTheirBodyTheirSuccessAndTheEnvelopeForErrors(string path, string method, string success, string body)
    {
        await using var app = await ClienteleApp.StartAsync();
        using var document = await DocumentAsync(app);
        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);

        var requestSchema = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        if (requestSchema.TryGetProperty("items", out var items))
        {
            requestSchema = items;
        }
        var properties = requestSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(BodyKeys[body], properties);
        var responses = operation.GetProperty("responses");
        Assert.True(responses.TryGetProperty(success, out _), $"{method} {path} has no {success}");
        foreach (var status in new[] { "400", "401", "413", "429", "500" })
        {
            var schema = responses.GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Assert.Equal("#/components/schemas/ErrorEnvelope", schema.GetProperty("$ref").GetString());
        }
    }

    [Fact]
    public async Task Document_DeclaresBearerAuth()
    {
        await using var app = await ClienteleApp.StartAsync();
        using var document = await DocumentAsync(app);

        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task DocsPage_IsServedWithoutAKey()
    {
        await using var app = await ClienteleApp.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = app.Address };

        using var response = await anonymous.GetAsync("docs/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
