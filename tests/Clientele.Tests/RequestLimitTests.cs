using System.Net;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>Limits on what a client controls outside the body: the request line and the headers answer with the envelope too.</summary>
public sealed class RequestLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QueryString_OverTheLimit_Answers414WithTheEnvelope()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(HttpMethod.Get, "customers?sort=" + new string('x', 9000));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, status);
        Assert.Equal(["uri_too_long"], HttpExtensions.ErrorCodes(body));
    }

    [Fact]
    public async Task QueryString_UnderTheLimit_IsJudgedByTheRoute()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(HttpMethod.Get, "customers?sort=" + new string('x', 7000));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["sort"], HttpExtensions.ErrorCodes(body));
    }

    [Fact]
    public async Task Headers_OverTheLimit_Answer431WithTheEnvelope_AndACustomerIsNotCreated()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "customers") { Content = new StringContent("""{"name":"Big"}""") };
        request.Headers.Add("X-Padding", new string('x', 40 * 1024));

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Equal(["headers_too_large"], HttpExtensions.ErrorCodes(await response.Content.ReadAsStringAsync(Ct)));
        Assert.Contains("\"total\":0", (await client.CallAsync(HttpMethod.Get, "customers")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_AreConfigurable()
    {
        await using var app = await ClienteleApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Limits:MaxUrlBytes"] = "100",
            ["Limits:MaxHeaderBytes"] = "2000",
        });
        var client = await app.CreateClientAsync();

        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await client.CallAsync(HttpMethod.Get, "customers?sort=" + new string('x', 120))).Status);
        using var request = new HttpRequestMessage(HttpMethod.Get, "customers");
        request.Headers.Add("X-Padding", new string('x', 2100));
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }
}
