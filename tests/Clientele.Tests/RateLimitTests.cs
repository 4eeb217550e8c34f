using System.Globalization;
using System.Net;
using Clientele.Storage;
using Clientele.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Tests;

/// <summary>Spec §1: a per-account limit per minute, 429 with Retry-After over it, and the X-RateLimit-* headers on every answer.</summary>
public sealed class RateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The bursts here are lists of one account, many at once: the test app lifts the cap on an account's
    /// concurrent searches (<see cref="ClienteleApp"/>), so only the request limit answers 429.
    /// </summary>
    private static Dictionary<string, string?> Limit(int perMinute) => new()
    {
        ["RateLimiting:PermitsPerMinute"] = perMinute.ToString(CultureInfo.InvariantCulture),
    };

    private static int Header(HttpResponseMessage response, string name) =>
        int.Parse(Assert.Single(response.Headers.GetValues(name)), CultureInfo.InvariantCulture);

    /// <summary>PostgreSQL windows are whole minutes of the database clock: start a burst well inside one.</summary>
    private static async Task AwayFromAMinuteBoundaryAsync()
    {
        var second = DateTimeOffset.UtcNow.Second;
        if (second >= 55)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - second), Ct);
        }
    }

    [Fact]
    public async Task Requests_UpToTheLimit_Succeed_CountingDown_AndTheNextAnswers429WithRetryAfter()
    {
        await AwayFromAMinuteBoundaryAsync();
        await using var app = await ClienteleApp.StartAsync(settings: Limit(3));
        var client = await app.CreateClientAsync();

        for (var remaining = 2; remaining >= 0; remaining--)
        {
            using var ok = await client.GetAsync("customers", Ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(3, Header(ok, "X-RateLimit-Limit"));
            Assert.Equal(remaining, Header(ok, "X-RateLimit-Remaining"));
            Assert.InRange(Header(ok, "X-RateLimit-Reset"), 1, 60);
        }

        using var refused = await client.GetAsync("customers", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("""{"errors":[{"code":"too_many_requests","message":"You have exceeded your requests limit"}]}""",
            await refused.Content.ReadAsStringAsync(Ct));
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal(0, Header(refused, "X-RateLimit-Remaining"));
        Assert.Equal(3, Header(refused, "X-RateLimit-Limit"));
    }

    [Fact]
    public async Task RefusedWrite_ChangesNothing()
    {
        await AwayFromAMinuteBoundaryAsync();
        await using var app = await ClienteleApp.StartAsync(settings: Limit(2));
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync("""{"name":"Kept"}""");
        var (_, before) = await client.CallAsync(HttpMethod.Get, $"customers/{id}");

        var (status, _) = await client.CallAsync(HttpMethod.Patch, $"customers/{id}", """{"name":"Changed"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        await using var fresh = await ClienteleApp.StartAsync(app.Database);
        var (_, after) = await fresh.CreateClient(await fresh.CreateKeyAsync()).CallAsync(HttpMethod.Get, $"customers/{id}");
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Limit_IsPerAccount_OneAccountOverItLeavesAnotherUntouched()
    {
        await AwayFromAMinuteBoundaryAsync();
        await using var app = await ClienteleApp.StartAsync(settings: Limit(2));
        var busy = await app.CreateClientAsync("busy");
        var quiet = await app.CreateClientAsync("quiet");

        for (var i = 0; i < 3; i++)
        {
            await busy.CallAsync(HttpMethod.Get, "customers");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await busy.CallAsync(HttpMethod.Get, "customers")).Status);
        Assert.Equal(HttpStatusCode.OK, (await quiet.CallAsync(HttpMethod.Get, "customers")).Status);
    }

    [Fact]
    public async Task AccountLimit_SetInTheStore_TakesEffectOnTheNextRequest_CountingWhatWasAlreadyUsed()
    {
        await AwayFromAMinuteBoundaryAsync();
        await using var app = await ClienteleApp.StartAsync(settings: Limit(100));
        var client = await app.CreateClientAsync("acme");
        var accounts = app.Services.GetRequiredService<IAccountStore>();
        using (var before = await client.GetAsync("customers", Ct))
        {
            Assert.Equal(100, Header(before, "X-RateLimit-Limit"));
        }

        // One request made this minute: a limit of 1 is already used up.
        Assert.True(await accounts.SetRateLimitAsync("acme", 1, Ct));
        using (var refused = await client.GetAsync("customers", Ct))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(1, Header(refused, "X-RateLimit-Limit"));
        }

        // Refused requests do not count: with 3, two more go through.
        Assert.True(await accounts.SetRateLimitAsync("acme", 3, Ct));
        using (var second = await client.GetAsync("customers", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Equal(1, Header(second, "X-RateLimit-Remaining"));
        }
        Assert.Equal(HttpStatusCode.OK, (await client.CallAsync(HttpMethod.Get, "customers")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.CallAsync(HttpMethod.Get, "customers")).Status);
    }

    [Fact]
    public async Task ParallelClients_ExactlyTheLimitSucceedsInAWindow()
    {
        await AwayFromAMinuteBoundaryAsync();
        await using var app = await ClienteleApp.StartAsync(settings: Limit(25));
        var key = await app.CreateKeyAsync();
        var clients = Enumerable.Range(0, 8).Select(_ => app.CreateClient(key)).ToArray();

        var answers = await Task.WhenAll(Enumerable.Range(0, 80).Select(i => clients[i % clients.Length].CallAsync(HttpMethod.Get, "customers")));

        Assert.Equal(25, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Equal(55, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task ParallelClientsThroughTwoNodes_ExactlyTheAccountLimitSucceedsAcrossBoth()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "The limit shared by several nodes lives in PostgreSQL (run with CLIENTELE_TEST_PROVIDER=postgres).");
        await AwayFromAMinuteBoundaryAsync();
        await using var database = await TestDatabase.CreateAsync();
        await using var one = await ClienteleApp.StartAsync(database, Limit(30));
        await using var two = await ClienteleApp.StartAsync(database, Limit(30));
        var key = await one.CreateKeyAsync();
        var clients = new[] { one.CreateClient(key), two.CreateClient(key), one.CreateClient(key), two.CreateClient(key) };

        var answers = await Task.WhenAll(Enumerable.Range(0, 90).Select(i => clients[i % clients.Length].CallAsync(HttpMethod.Get, "customers")));

        Assert.Equal(30, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Equal(60, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task AccountLimit_LoweredWhilePermitsAreLeased_CountsOnlyTheGrantedRequests()
    {
        await AwayFromAMinuteBoundaryAsync();
        await using var app = await ClienteleApp.StartAsync(settings: Limit(1000));
        var client = await app.CreateClientAsync("acme");
        var accounts = app.Services.GetRequiredService<IAccountStore>();
        using (var first = await client.GetAsync("customers", Ct))
        {
            Assert.Equal(999, Header(first, "X-RateLimit-Remaining"));
        }

        // On PostgreSQL the first request leased ten permits; the nine it did not use are not requests.
        Assert.True(await accounts.SetRateLimitAsync("acme", 5, Ct));
        for (var remaining = 3; remaining >= 0; remaining--)
        {
            using var ok = await client.GetAsync("customers", Ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(remaining, Header(ok, "X-RateLimit-Remaining"));
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.CallAsync(HttpMethod.Get, "customers")).Status);
    }

    [Fact]
    public async Task ParallelClientsThroughTwoNodes_WithPermitsLeasedInChunks_NeverGetMoreThanTheLimit()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "The limit shared by several nodes lives in PostgreSQL (run with CLIENTELE_TEST_PROVIDER=postgres).");
        await AwayFromAMinuteBoundaryAsync();
        await using var database = await TestDatabase.CreateAsync();
        await using var one = await ClienteleApp.StartAsync(database, Limit(500));
        await using var two = await ClienteleApp.StartAsync(database, Limit(500));
        var key = await one.CreateKeyAsync();
        var clients = new[] { one.CreateClient(key), two.CreateClient(key), one.CreateClient(key), two.CreateClient(key) };

        var answers = await Task.WhenAll(Enumerable.Range(0, 600).Select(i => clients[i % clients.Length].CallAsync(HttpMethod.Get, "customers")));

        // Leases of 5: a node may be refused while the other still holds up to 4 permits it has not handed out.
        Assert.InRange(answers.Count(a => a.Status == HttpStatusCode.OK), 496, 500);
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    [Fact]
    public async Task HealthAndUnauthenticatedRequests_AreNotCounted()
    {
        await AwayFromAMinuteBoundaryAsync();
        await using var app = await ClienteleApp.StartAsync(settings: Limit(1));
        using var anonymous = new HttpClient { BaseAddress = app.Address };
        for (var i = 0; i < 3; i++)
        {
            using var health = await anonymous.GetAsync("healthz", Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.False(health.Headers.Contains("X-RateLimit-Limit"));
        }
        var client = await app.CreateClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.CallAsync(HttpMethod.Get, "customers")).Status);
    }

    [Fact]
    public async Task Limiting_TurnedOff_CountsNothingAndSendsNoHeaders()
    {
        var settings = Limit(1);
        settings["RateLimiting:Enabled"] = "false";
        await using var app = await ClienteleApp.StartAsync(settings: settings);
        var client = await app.CreateClientAsync();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("customers", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("X-RateLimit-Limit"));
        }
    }
}
