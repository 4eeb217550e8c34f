using System.Net;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>
/// Spec §1: bodies are JSON whatever <c>Content-Type</c> says. curl's <c>-d</c> sends form-urlencoded, some
/// clients send text/plain or nothing; every body route must read them all as JSON.
/// </summary>
public sealed class ContentTypeTests
{
    public static TheoryData<string?> ContentTypes => new() { (string?)null, "application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-8" };

    [Theory]
    [MemberData(nameof(ContentTypes))]
    public async Task EveryBodyRoute_ReadsJson_WhateverTheContentType(string? contentType)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string json)
        {
            using var response = await client.SendJsonAsync(method, path, json, contentType);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Created, await SendAsync(HttpMethod.Post, "customers", """{"name":"Ada","userId":"u1"}"""));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Put, "customers/1", """{"name":"Ada"}"""));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Patch, "customers/1", """{"company":"Acme"}"""));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Put, "customers/1/tags", """{"tags":[{"name":"VIP"}]}"""));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Delete, "customers/1/tags", """{"tags":[{"name":"VIP"}]}"""));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Put, "customers/batch", """[{"customer":1,"name":"Bea"}]"""));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Post, "customers/search", """{"filter":[{"field":"customers.name","operator":"=","value":"bea"}]}"""));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Post, "events", """{"name":"signup","customer":1}"""));
        var (_, body) = await client.CallAsync(HttpMethod.Get, "customers/1");
        Assert.Contains("\"name\":\"Bea\",\"email\":null,\"userId\":null,\"company\":\"Acme\"", body, StringComparison.Ordinal);
    }
}
