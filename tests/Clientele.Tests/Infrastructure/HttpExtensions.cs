using System.Net;
using System.Text;
using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

public static class HttpExtensions
{
    /// <summary>Sends a raw JSON body without a Content-Type header, as one real HelpCrunch client does.</summary>
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string? json, string? contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            // As curl does for large bodies: the server can refuse one over its limit before it is sent, so the
            // 413 is not lost to a reset while the client is still writing.
            request.Headers.ExpectContinue = bytes.Length > 64 * 1024;
            request.Content = new ByteArrayContent(bytes);
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            }
        }
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<(HttpStatusCode Status, string Body)> CallAsync(this HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var response = await client.SendJsonAsync(method, path, json);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Creates a customer from a JSON body and returns its id.</summary>
    public static async Task<long> CreateCustomerAsync(this HttpClient client, string json = "{}")
    {
        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers", json);
        Assert.True(status == HttpStatusCode.Created, $"create answered {(int)status}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("id").GetInt64();
    }

    /// <summary>The <c>code</c> of every entry of an error envelope, in order; fails if the body is not exactly that shape.</summary>
    public static string[] ErrorCodes(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["errors"], root.EnumerateObject().Select(p => p.Name));
        var errors = root.GetProperty("errors").EnumerateArray().ToArray();
        Assert.NotEmpty(errors);
        foreach (var error in errors)
        {
            Assert.Equal(["code", "message"], error.EnumerateObject().Select(p => p.Name));
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        }
        return [.. errors.Select(e => e.GetProperty("code").GetString()!)];
    }
}
