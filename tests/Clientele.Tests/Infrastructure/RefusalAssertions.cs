using System.Net;
using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

/// <summary>Reads of the wire used to prove that a refused request changed nothing, and checks of error answers.</summary>
public static class RefusalAssertions
{
    /// <summary>The raw JSON of <c>GET /customers/{id}</c>; fails unless it answers 200.</summary>
    public static async Task<string> GetRawAsync(this HttpClient client, long id)
    {
        var (status, body) = await client.CallAsync(HttpMethod.Get, $"customers/{id}");
        Assert.True(status == HttpStatusCode.OK, $"GET customers/{id} answered {(int)status}: {body}");
        return body;
    }

    /// <summary>The raw JSON of <c>GET /customers</c> (first page); fails unless it answers 200.</summary>
    public static async Task<string> ListRawAsync(this HttpClient client)
    {
        var (status, body) = await client.CallAsync(HttpMethod.Get, "customers");
        Assert.True(status == HttpStatusCode.OK, $"GET customers answered {(int)status}: {body}");
        return body;
    }

    /// <summary><c>total</c> of <c>GET /customers</c>.</summary>
    public static async Task<long> TotalAsync(this HttpClient client)
    {
        using var document = JsonDocument.Parse(await client.ListRawAsync());
        return document.RootElement.GetProperty("total").GetInt64();
    }

    /// <summary>
    /// Asserts the status, the exact envelope shape and the first code; returns every code in order.
    /// </summary>
    public static string[] AssertError(this (HttpStatusCode Status, string Body) answer, HttpStatusCode status, string firstCode)
    {
        Assert.True(answer.Status == status, $"expected {(int)status}, got {(int)answer.Status}: {answer.Body}");
        var codes = HttpExtensions.ErrorCodes(answer.Body);
        Assert.True(codes[0] == firstCode, $"expected first code '{firstCode}', got [{string.Join(", ", codes)}] in {answer.Body}");
        return codes;
    }

    /// <summary>The <c>message</c> of the first error entry.</summary>
    public static string FirstMessage(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("errors")[0].GetProperty("message").GetString()!;
    }
}
