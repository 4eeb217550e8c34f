using System.Globalization;
using System.Net;
using Clientele.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clientele.Tests;

/// <summary>
/// Spec §6: authentication is decided from the headers before the body is read, and failed authentications are
/// limited per client address (30 a minute by default) with 429, their log lines sampled.
/// </summary>
public sealed class FailedAuthenticationTests
{
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.2");

    /// <summary>The code's default, not the test suite's raised limit.</summary>
    private static Dictionary<string, string?> DefaultLimit(string? requestLog = null) => new()
    {
        ["RateLimiting:FailedAuthenticationsPerMinute"] = null,
        ["Logging:LogLevel:Clientele.Requests"] = requestLog,
    };

    private static string Get(string? authorization) =>
        "GET /v1/customers HTTP/1.1\nHost: x\n" + (authorization is null ? "" : $"Authorization: {authorization}\n") + "\n";

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer ck_never_issued")]
    public async Task PostWithoutAValidKey_AnnouncingABodyItNeverSends_Answers401AtOnceAndClosesTheConnection(string? authorization)
    {
        await using var app = await ClienteleApp.StartAsync();
        await using var raw = await RawHttp.ConnectAsync(app.Address);

        // The headers promise 1 MiB; no byte of it follows. Reading it first would wait until Kestrel gives up.
        await raw.SendAsync("POST /v1/customers HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 1048576\n" +
                            (authorization is null ? "" : $"Authorization: {authorization}\n") + "\n");
        var (status, headers, body) = await raw.ReadResponseAsync();

        Assert.True(status == 401, $"{status}: {body}");
        Assert.Equal("""{"errors":[{"code":"invalid_token","message":"Invalid token"}]}""", body);
        Assert.Equal("close", headers.GetValueOrDefault("connection"));
        Assert.True(await raw.ClosedByServerAsync(), "the connection stayed open to receive the unread body");
    }

    [Fact]
    public async Task AuthenticatedPost_OverTheBodyLimit_StillAnswers413()
    {
        await using var app = await ClienteleApp.StartAsync(settings: new Dictionary<string, string?> { ["Limits:MaxBodyBytes"] = "100" });
        var key = await app.CreateKeyAsync();
        await using var raw = await RawHttp.ConnectAsync(app.Address);

        await raw.SendAsync($"POST /v1/customers HTTP/1.1\nHost: x\nAuthorization: Bearer {key}\nContent-Length: 200\n\n{{\"name\":\"{new string('x', 189)}\"}}");
        var (status, _, body) = await raw.ReadResponseAsync();

        Assert.True(status == 413, $"{status}: {body}");
        Assert.Equal(["payload_too_large"], HttpExtensions.ErrorCodes(body));
    }

    [Fact]
    public async Task ThirtyFailuresFromOneAddress_ThenEvenARightKeyAnswers429_WhileAnotherAddressIsServed()
    {
        await using var app = await ClienteleApp.StartAsync(settings: DefaultLimit());
        var key = await app.CreateKeyAsync();
        var wrong = app.CreateClient("ck_wrong");
        var right = app.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await right.CallAsync(HttpMethod.Get, "customers")).Status);

        for (var failure = 1; failure <= 30; failure++)
        {
            var (status, body) = await (failure % 2 == 0 ? wrong : app.CreateClient(null)).CallAsync(HttpMethod.Get, "customers");
            Assert.True(status == HttpStatusCode.Unauthorized, $"failure {failure}: {(int)status} {body}");
        }

        using var refused = await wrong.GetAsync("customers", TestContext.Current.CancellationToken);
        var refusedBody = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("""{"errors":[{"code":"too_many_requests","message":"You have exceeded your requests limit"}]}""", refusedBody);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        // Past the limit the key is not even looked up: a right one learns nothing either.
        var (rightStatus, rightBody) = await right.CallAsync(HttpMethod.Get, "customers");
        Assert.True(rightStatus == HttpStatusCode.TooManyRequests, $"{(int)rightStatus} {rightBody}");
        // Routes that need no key still answer the address.
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync(new Uri(app.Address, "healthz"), TestContext.Current.CancellationToken)).StatusCode);

        await using var neighbour = await RawHttp.ConnectAsync(app.Address, from: Neighbour);
        await neighbour.SendAsync(Get("Bearer " + key));
        var (neighbourStatus, _, neighbourBody) = await neighbour.ReadResponseAsync();
        Assert.True(neighbourStatus == 200, $"{neighbourStatus}: {neighbourBody}");
    }

    [Fact]
    public async Task RightKeys_AreNeverCounted()
    {
        await using var app = await ClienteleApp.StartAsync(settings: DefaultLimit());
        var right = await app.CreateClientAsync();

        for (var request = 0; request < 40; request++)
        {
            Assert.Equal(HttpStatusCode.OK, (await right.CallAsync(HttpMethod.Get, "customers")).Status);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient("ck_wrong").CallAsync(HttpMethod.Get, "customers")).Status);
    }

    [Fact]
    public async Task ZeroTurnsTheLimitOff()
    {
        await using var app = await ClienteleApp.StartAsync(settings: new Dictionary<string, string?> { ["RateLimiting:FailedAuthenticationsPerMinute"] = "0" });
        var wrong = app.CreateClient("ck_wrong");

        for (var failure = 0; failure < 40; failure++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.CallAsync(HttpMethod.Get, "customers")).Status);
        }
    }

    [Fact]
    public async Task AFlood_LogsTheFirstFailureOfTheAddressAndOneWarningAtTheLimit_NotALineEach()
    {
        var settings = DefaultLimit(requestLog: "Information");
        settings["Logging:LogLevel:Default"] = "Information";
        await using var app = await ClienteleApp.StartAsync(settings: settings);
        using var log = new CapturingLoggerProvider();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        var wrong = app.CreateClient("ck_wrong");

        for (var request = 0; request < 100; request++)
        {
            await wrong.CallAsync(HttpMethod.Get, "customers");
        }

        var ours = log.Entries.Where(e => e.Category.StartsWith("Clientele", StringComparison.Ordinal)).ToList();
        Assert.True(ours.Count == 2, string.Join("\n", ours.Select(e => $"{e.Category} {e.Level} {e.Message}")));
        var line = Assert.Single(ours, e => e.Category == "Clientele.Requests");
        Assert.Contains(" 401 ", line.Message, StringComparison.Ordinal);
        var warning = Assert.Single(ours, e => e.Level == LogLevel.Warning);
        Assert.Contains("30 failed authentications from 127.0.0.1", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    public void Failures_AreCountedPerIPv4AddressAndPerIPv6Slash64(string address, string countedAs)
    {
        Assert.Equal(IPAddress.Parse(countedAs), Clientele.Auth.FailedAuthenticationLimiter.Client(IPAddress.Parse(address)));
    }
}
