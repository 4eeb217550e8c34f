using System.Net.Http.Headers;
using Clientele.Auth;
using Clientele.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// A real Clientele server on a free loopback port over a fresh database of the provider under test
/// (<see cref="TestDatabase"/>), so tests never share state. Disposing stops the server and drops the database.
/// </summary>
public sealed class ClienteleApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDatabase;
    private readonly List<HttpClient> _clients = [];

    private ClienteleApp(WebApplication app, TestDatabase database, bool ownsDatabase, Uri address)
    {
        _app = app;
        Database = database;
        _ownsDatabase = ownsDatabase;
        Address = address;
    }

    public TestDatabase Database { get; }

    /// <summary>The SQLite file behind the server (SQLite runs only).</summary>
    public string DatabasePath => Database.FilePath ?? throw new InvalidOperationException("This test needs SQLite; the run is on " + Database.Provider);

    /// <summary><c>http://127.0.0.1:PORT/</c></summary>
    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="database">A database to serve that outlives this server (restart and multi-node tests); a fresh one owned by this server otherwise.</param>
    /// <param name="settings">Extra configuration, e.g. limits.</param>
    public static async Task<ClienteleApp> StartAsync(TestDatabase? database = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var owned = database is null;
        database ??= await TestDatabase.CreateAsync();
        var all = new Dictionary<string, string?>(database.Settings)
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Clientele.Requests"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            // Tests make many requests a minute; RateLimitTests set their own limits.
            ["RateLimiting:PermitsPerMinute"] = "1000000",
            // Many tests send bad keys from 127.0.0.1; FailedAuthenticationTests check the default limit.
            ["RateLimiting:FailedAuthenticationsPerMinute"] = "1000000",
            // Tests send one account's searches and lists in parallel (half the cores by default: 1 on 2 cores);
            // SearchDeadlineTests check the cap.
            ["Limits:SearchesPerAccount"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var app = ClienteleServer.Build(all);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new ClienteleApp(app, database, owned, new Uri(address + "/"));
    }

    /// <summary>Creates the account (once) and a new live key for it, the way <c>keys create</c> does.</summary>
    public async Task<string> CreateKeyAsync(string account = "acme")
    {
        var accounts = Services.GetRequiredService<IAccountStore>();
        var ct = TestContext.Current.CancellationToken;
        var accountId = await accounts.FindAccountAsync(account, ct) ?? (await accounts.CreateAccountAsync(account, ct))!.Value;
        var key = ApiKeys.Generate();
        await accounts.CreateKeyAsync(accountId, "test", ApiKeys.Hash(key), ct);
        return key;
    }

    /// <summary>A client whose base address is <c>/v1/</c>, like a HelpCrunch client's, authenticated with <paramref name="key"/>.</summary>
    public HttpClient CreateClient(string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri(Address, "v1/") };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        _clients.Add(client);
        return client;
    }

    /// <summary>A client for a new key of <paramref name="account"/>.</summary>
    public async Task<HttpClient> CreateClientAsync(string account = "acme") => CreateClient(await CreateKeyAsync(account));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}
