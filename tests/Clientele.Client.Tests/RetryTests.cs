using System.Diagnostics;
using System.Globalization;
using System.Net;
using Clientele.Client.Tests.Infrastructure;
using Clientele.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Client.Tests;

/// <summary>
/// Retries come from the resilience handler <c>AddClienteleClient</c> installs: 429 for every method after
/// <c>Retry-After</c>, transient failures for idempotent methods only. The real server shows the limit; a stub
/// server answers what the real one cannot be made to on demand (a short Retry-After, a 503, a slow answer).
/// </summary>
public sealed class RetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task RateLimited(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return StubServer.Json(context, 429, StubServer.TooManyRequests);
    }

    private static ClienteleClient ClientOf(ServiceProvider services) => services.GetRequiredService<ClienteleClient>();

    /// <summary>
    /// PostgreSQL windows are whole minutes of the database clock: start a burst well inside one. (On SQLite a
    /// window starts with the account's first request, so a burst is always inside one.)
    /// </summary>
    private static async Task AwayFromAMinuteBoundaryAsync()
    {
        var second = DateTimeOffset.UtcNow.Second;
        if (TestDatabase.IsPostgres && second >= 50)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - second), Ct);
        }
    }

    [Fact]
    public async Task RealServer_OverTheLimit_WithRetryAfterBeyondTheCap_ThrowsTooManyRequestsAtOnce()
    {
        await AwayFromAMinuteBoundaryAsync();
        var limit = new Dictionary<string, string?> { ["RateLimiting:PermitsPerMinute"] = "2" };
        // The server's Retry-After is 1–60 s; a cap below a second means none is waited for.
        await using var h = await ClientHarness.StartAsync(limit, o => o.MaxRetryDelay = TimeSpan.FromMilliseconds(500));
        await h.Client.ListCustomersPageAsync(null, Ct);
        await h.Client.CreateCustomerAsync(new CustomerInput(), Ct);
        var before = h.Requests.Count;
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => h.Client.CreateCustomerAsync(new CustomerInput(), Ct));

        Assert.Equal((HttpStatusCode.TooManyRequests, "too_many_requests"), (e.StatusCode, e.Code));
        Assert.Equal("You have exceeded your requests limit", e.Errors[0].Message);
        Assert.NotNull(e.RetryAfter);
        Assert.InRange(e.RetryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(1, h.Requests.Count - before);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task RealServer_OverTheLimit_WaitsForRetryAfter_InsteadOfFailing()
    {
        await AwayFromAMinuteBoundaryAsync();
        var limit = new Dictionary<string, string?> { ["RateLimiting:PermitsPerMinute"] = "2" };
        await using var h = await ClientHarness.StartAsync(limit, o => o.MaxRetryDelay = TimeSpan.FromSeconds(60));
        await h.Client.ListCustomersPageAsync(null, Ct);
        await h.Client.ListCustomersPageAsync(null, Ct);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        patience.CancelAfter(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();

        // The window has at least 10 s to run: the client is still waiting when the caller gives up.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Client.ListCustomersPageAsync(null, patience.Token));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        Assert.Equal(3, h.Requests.Count);
    }

    [Fact]
    public async Task RateLimited_WaitsRetryAfter_ThenSucceeds()
    {
        await using var stub = await StubServer.StartAsync((context, n) => n == 1 ? RateLimited(context, 1) : StubServer.Json(context, 200, StubServer.Customer(7)));
        await using var services = Services.For(stub.ApiAddress, "k", new RequestCounter());

        var customer = await ClientOf(services).GetCustomerAsync(7, Ct);

        Assert.Equal(7, customer.Id);
        var requests = stub.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(0.9), $"retried after {requests[1].At - requests[0].At}");
    }

    [Fact]
    public async Task RateLimited_Post_IsRetriedToo_SinceNothingWasDone()
    {
        await using var stub = await StubServer.StartAsync((context, n) => n == 1 ? RateLimited(context, 0) : StubServer.Json(context, 201, StubServer.Customer(8)));
        await using var services = Services.For(stub.ApiAddress, "k", new RequestCounter());

        var created = await ClientOf(services).CreateCustomerAsync(new CustomerInput { Name = "N" }, Ct);

        Assert.Equal(8, created.Id);
        Assert.Equal(2, stub.Requests.Count);
        Assert.All(stub.Requests, r => Assert.Equal("""{"name":"N","unsubscribed":false,"blocked":false,"customData":{}}""", r.Body));
    }

    [Fact]
    public async Task RateLimitedEveryTime_ThrowsAfterTheRetryBudget()
    {
        await using var stub = await StubServer.StartAsync((context, _) => RateLimited(context, 0));
        await using var services = Services.For(stub.ApiAddress, "k", new RequestCounter(), o => o.MaxRetries = 2);

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => ClientOf(services).GetCustomerAsync(1, Ct));

        Assert.Equal((HttpStatusCode.TooManyRequests, "too_many_requests"), (e.StatusCode, e.Code));
        Assert.Equal(TimeSpan.Zero, e.RetryAfter);
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task RateLimited_WithRetryAfterBeyondMaxRetryDelay_ThrowsAtOnce_WithTheWait()
    {
        await using var stub = await StubServer.StartAsync((context, _) => RateLimited(context, 30));
        await using var services = Services.For(stub.ApiAddress, "k", new RequestCounter(), o => o.MaxRetryDelay = TimeSpan.FromSeconds(5));

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => ClientOf(services).GetCustomerAsync(1, Ct));

        Assert.Equal(TimeSpan.FromSeconds(30), e.RetryAfter);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task RetryAfterAsADate_IsHonouredToo()
    {
        await using var stub = await StubServer.StartAsync((context, n) =>
        {
            if (n > 1)
            {
                return StubServer.Json(context, 200, StubServer.Customer(3));
            }
            context.Response.Headers.RetryAfter = DateTimeOffset.UtcNow.AddSeconds(2).ToString("R", CultureInfo.InvariantCulture);
            return StubServer.Json(context, 429, StubServer.TooManyRequests);
        });
        await using var services = Services.For(stub.ApiAddress, "k", new RequestCounter());

        await ClientOf(services).GetCustomerAsync(3, Ct);

        var requests = stub.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        // An HTTP date has whole seconds: at least one of the two asked for has to pass.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(0.9), $"retried after {requests[1].At - requests[0].At}");
    }

    public static TheoryData<string, int> Methods => new()
    {
        { "GET", 2 },
        { "PUT", 2 },
        { "DELETE", 2 },
        { "POST", 1 },
        { "PATCH", 1 },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task ServiceUnavailable_IsRetried_OnlyForIdempotentMethods(string method, int attempts)
    {
        await using var stub = await StubServer.StartAsync((context, n) => n == 1
            ? StubServer.Json(context, 503, """{"errors":[{"code":"service_unavailable","message":"try again"}]}""")
            : StubServer.Json(context, 200, StubServer.Customer(5)));
        await using var services = Services.For(stub.ApiAddress, "k", new RequestCounter(), o => o.MaxRetryDelay = TimeSpan.FromMilliseconds(50));
        var client = ClientOf(services);
        Func<Task> call = method switch
        {
            "GET" => () => client.GetCustomerAsync(5, Ct),
            "PUT" => () => client.ReplaceCustomerAsync(5, new CustomerInput(), Ct),
            "DELETE" => () => client.DeleteCustomerAsync(5, Ct),
            "POST" => () => client.CreateCustomerAsync(new CustomerInput(), Ct),
            _ => () => client.UpdateCustomerAsync(5, new CustomerUpdate { Name = "x" }, Ct),
        };

        if (attempts == 1)
        {
            var e = await Assert.ThrowsAsync<ClienteleApiException>(call);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "service_unavailable"), (e.StatusCode, e.Code));
        }
        else
        {
            await call();
        }

        Assert.Equal(attempts, stub.Requests.Count);
        Assert.All(stub.Requests, r => Assert.Equal(method, r.Method));
    }

    [Fact]
    public async Task SlowAttempt_OnGet_TimesOutAndIsRetried()
    {
        await using var stub = await StubServer.StartAsync(async (context, n) =>
        {
            if (n == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }
            await StubServer.Json(context, 200, StubServer.Customer(4));
        });
        await using var services = Services.For(stub.ApiAddress, "k", new RequestCounter(), o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            o.MaxRetryDelay = TimeSpan.FromMilliseconds(50);
        });

        var customer = await ClientOf(services).GetCustomerAsync(4, Ct);

        Assert.Equal(4, customer.Id);
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task SlowAttempt_OnPost_ThrowsTimeout_WithoutSendingItAgain()
    {
        await using var stub = await StubServer.StartAsync((context, _) =>
            Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));
        await using var services = Services.For(stub.ApiAddress, "k", new RequestCounter(), o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAsync<TimeoutException>(() => ClientOf(services).TrackEventAsync(1, "once", cancellationToken: Ct));

        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task NoRetries_WhenMaxRetriesIsZero()
    {
        await using var stub = await StubServer.StartAsync((context, _) => RateLimited(context, 0));
        await using var services = Services.For(stub.ApiAddress, "k", new RequestCounter(), o => o.MaxRetries = 0);

        var e = await Assert.ThrowsAsync<ClienteleApiException>(() => ClientOf(services).GetCustomerAsync(1, Ct));

        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.Single(stub.Requests);
    }
}
