using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clientele.Tests.Infrastructure;

/// <summary>Helpers for contract tests that compare the raw JSON on the wire.</summary>
public static class WireAssertions
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A node written compactly, the way the server writes (no escaping of <c>+</c>, <c>&lt;</c>, non-ASCII).</summary>
    public static string Compact(JsonNode node) => node.ToJsonString(Relaxed);

    /// <summary>The customer object of a customer with no field set, as spec §3 writes it.</summary>
    public static string BlankCustomer(long id) =>
        $$$"""
        {"id":{{{id}}},"name":null,"email":null,"userId":null,"company":null,"phone":null,"firstSeen":null,"lastSeen":null,
        "location":{"regionCode":null,"countryCode":null,"city":null},
        "device":{"id":null,"ip":null,"timezone":null,"platform":null,"userAgent":null},
        "unsubscribed":false,"blocked":false,"source":null,"referer":null,"lastPage":null,"locale":null,
        "createdFrom":null,"integrationId":null,"notes":null,"tags":[],"customData":{}}
        """.ReplaceLineEndings("");

    /// <summary>GETs <paramref name="path"/>, asserts 200 and returns the raw body.</summary>
    public static async Task<string> GetOkAsync(this HttpClient client, string path)
    {
        var (status, body) = await client.CallAsync(HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {(int)status}: {body}");
        return body;
    }

    /// <summary>Sends and asserts the status, returning the raw body.</summary>
    public static async Task<string> CallExpectingAsync(this HttpClient client, HttpStatusCode expected, HttpMethod method, string path, string? json = null)
    {
        var (status, body) = await client.CallAsync(method, path, json);
        Assert.True(status == expected, $"{method} {path} answered {(int)status}, expected {(int)expected}: {body}");
        return body;
    }

    /// <summary>Asserts a 4xx error envelope whose first code is <paramref name="code"/>.</summary>
    public static async Task AssertErrorAsync(this HttpClient client, HttpStatusCode expected, string code, HttpMethod method, string path, string? json = null)
    {
        var body = await client.CallExpectingAsync(expected, method, path, json);
        var codes = HttpExtensions.ErrorCodes(body);
        Assert.True(codes[0] == code, $"{method} {path}: first error code is '{codes[0]}', expected '{code}': {body}");
    }

    /// <summary>The ids of a list/search page, in order.</summary>
    public static long[] PageIds(string body)
    {
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64())];
    }

    /// <summary>The <c>id</c> of a customer object.</summary>
    public static long IdOf(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("id").GetInt64();
    }

    public static long PageTotal(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("total").GetInt64();
    }
}
