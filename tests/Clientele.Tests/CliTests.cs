using System.Net;
using Clientele.Storage;
using Clientele.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Tests;

/// <summary>
/// The administration verbs of the real executable, run as child processes on a database file that a
/// server may be serving at the same time; and <c>CLIENTELE_BOOTSTRAP_KEY</c>.
/// </summary>
public sealed class CliTests : IAsyncLifetime
{
    private const string InvalidToken = """{"errors":[{"code":"invalid_token","message":"Invalid token"}]}""";

    private TestDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KeysCreate_PrintsTheKeyAloneOnOneLine_AndItWorksOnAServerOverTheSameFile()
    {
        var account = await Cli("accounts", "create", "acme");
        var created = await Cli("keys", "create", "--account", "acme", "--label", "ci");

        Assert.True(account.ExitCode == 0, account.ToString());
        Assert.True(created.ExitCode == 0, created.ToString());
        var key = SingleLine(created.Stdout);
        Assert.DoesNotMatch(@"\s", key);
        await using var app = await ClienteleApp.StartAsync(_database);
        var client = app.CreateClient(key);
        var id = await client.CreateCustomerAsync("""{"name":"Via CLI key"}""");
        // The key belongs to account "acme": another key of that account sees the customer.
        var sameAccount = await app.CreateClientAsync("acme");
        Assert.Contains("\"name\":\"Via CLI key\"", await sameAccount.GetRawAsync(id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCreate_OnTheFileOfARunningServer_WorksOnItsNextRequest()
    {
        await using var app = await ClienteleApp.StartAsync(_database);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient("not-yet").CallAsync(HttpMethod.Get, "customers")).Status);

        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        var created = await Cli("keys", "create", "--account", "acme", "--label", "live");

        Assert.True(created.ExitCode == 0, created.ToString());
        var (status, body) = await app.CreateClient(SingleLine(created.Stdout)).CallAsync(HttpMethod.Get, "customers");
        Assert.True(status == HttpStatusCode.OK, body);
    }

    [Fact]
    public async Task KeysList_ShowsIdAccountLabelAndStatusOfEveryKey_NeverTheKey()
    {
        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        Assert.Equal(0, (await Cli("accounts", "create", "globex")).ExitCode);
        var first = SingleLine((await Cli("keys", "create", "--account", "acme", "--label", "ci-key")).Stdout);
        var second = SingleLine((await Cli("keys", "create", "--account", "globex", "--label", "ops-key")).Stdout);
        var firstId = IdOfKeyLabelled((await Cli("keys", "list")).Stdout, "ci-key");
        var revoked = await Cli("keys", "revoke", firstId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(revoked.ExitCode == 0, revoked.ToString());

        var list = await Cli("keys", "list");

        Assert.True(list.ExitCode == 0, list.ToString());
        var ciLine = LineWith(list.Stdout, "ci-key");
        var opsLine = LineWith(list.Stdout, "ops-key");
        Assert.Equal(firstId, IdOfKeyLabelled(list.Stdout, "ci-key"));
        Assert.NotEqual(firstId, IdOfKeyLabelled(list.Stdout, "ops-key"));
        Assert.Matches(@"\bacme\b", ciLine);
        Assert.Matches(@"\bglobex\b", opsLine);
        Assert.Matches("(?i)revoked", ciLine);
        Assert.DoesNotMatch("(?i)revoked", opsLine);
        Assert.Matches("(?i)live|active|valid", opsLine);
        foreach (var key in new[] { first, second })
        {
            Assert.DoesNotContain(key, list.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(key, list.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(key[..12], list.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task KeysRevoke_OnARunningServer_MakesThatKeyAnswer401OnTheNextRequest()
    {
        await using var app = await ClienteleApp.StartAsync(_database);
        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        var doomed = SingleLine((await Cli("keys", "create", "--account", "acme", "--label", "doomed")).Stdout);
        var kept = SingleLine((await Cli("keys", "create", "--account", "acme", "--label", "kept")).Stdout);
        var client = app.CreateClient(doomed);
        var id = await client.CreateCustomerAsync();
        var doomedId = IdOfKeyLabelled((await Cli("keys", "list")).Stdout, "doomed");

        var revoke = await Cli("keys", "revoke", doomedId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        var (status, body) = await client.CallAsync(HttpMethod.Get, $"customers/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(InvalidToken, body);
        var (keptStatus, keptBody) = await app.CreateClient(kept).CallAsync(HttpMethod.Get, $"customers/{id}");
        Assert.True(keptStatus == HttpStatusCode.OK, keptBody);
    }

    [Fact]
    public async Task Cli_WithUnknownAccountOrKeyOrDuplicateAccount_ExitsNonZeroWithTheReasonOnStderr()
    {
        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        var key = SingleLine((await Cli("keys", "create", "--account", "acme")).Stdout);
        var keyId = IdOfKeyLabelled((await Cli("keys", "list")).Stdout, "acme");
        Assert.Equal(0, (await Cli("keys", "revoke", keyId.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);

        var failures = new (string[] Args, string Mentions)[]
        {
            (["keys", "create", "--account", "nosuch"], "nosuch"),
            (["accounts", "create", "acme"], "acme"),
            (["keys", "revoke", "999"], "999"),
            (["keys", "revoke", keyId.ToString(System.Globalization.CultureInfo.InvariantCulture)], ""),
            (["keys", "revoke", "abc"], ""),
            (["keys", "create"], "--account"),
        };
        foreach (var (args, mentions) in failures)
        {
            var result = await Cli(args);
            var command = string.Join(' ', args);
            Assert.True(result.ExitCode != 0, $"{command}: {result}");
            Assert.False(string.IsNullOrWhiteSpace(result.Stderr), $"{command}: nothing on stderr; {result}");
            Assert.Contains(mentions, result.Stderr, StringComparison.Ordinal);
        }
        Assert.Equal(0, (await Cli("keys", "create", "--account", "acme")).ExitCode);
        Assert.DoesNotContain(key, (await Cli("keys", "list")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountsLimit_OnARunningServer_TakesEffectOnTheNextRequest_AndDefaultRestoresIt()
    {
        await using var app = await ClienteleApp.StartAsync(_database);
        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        var client = app.CreateClient(SingleLine((await Cli("keys", "create", "--account", "acme")).Stdout));

        var limited = await Cli("accounts", "limit", "acme", "--per-minute", "1");
        Assert.True(limited.ExitCode == 0, limited.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.CallAsync(HttpMethod.Get, "customers")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.CallAsync(HttpMethod.Get, "customers")).Status);

        var restored = await Cli("accounts", "limit", "acme", "--default");
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.CallAsync(HttpMethod.Get, "customers")).Status);

        foreach (var args in new[] { new[] { "accounts", "limit", "acme" }, ["accounts", "limit", "acme", "--per-minute", "0"], ["accounts", "limit", "nosuch", "--per-minute", "5"] })
        {
            var refused = await Cli(args);
            Assert.True(refused.ExitCode != 0, $"{string.Join(' ', args)}: {refused}");
            Assert.False(string.IsNullOrWhiteSpace(refused.Stderr), refused.ToString());
        }
    }

    [Fact]
    public async Task BootstrapKey_FromSettings_IsLiveForAccountDefault()
    {
        await using var app = await ClienteleApp.StartAsync(settings: new Dictionary<string, string?> { ["CLIENTELE_BOOTSTRAP_KEY"] = "k" });
        var client = app.CreateClient("k");

        var id = await client.CreateCustomerAsync("""{"name":"Bootstrapped"}""");

        var sameAccount = await app.CreateClientAsync("default");
        Assert.Contains("\"name\":\"Bootstrapped\"", await sameAccount.GetRawAsync(id), StringComparison.Ordinal);
        Assert.Equal(0, await (await app.CreateClientAsync("acme")).TotalAsync());
    }

    [Fact]
    public async Task BootstrapKey_RevokedWithTheCli_StaysRevokedAfterARestart_AndTheStartWarns()
    {
        var settings = new Dictionary<string, string?> { ["CLIENTELE_BOOTSTRAP_KEY"] = "k" };
        await using (var app = await ClienteleApp.StartAsync(_database, settings))
        {
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient("k").CallAsync(HttpMethod.Get, "customers")).Status);
        }
        SqliteConnection.ClearAllPools();
        var keyId = IdOfKeyLabelled((await Cli("keys", "list")).Stdout, "bootstrap");
        var revoke = await Cli("keys", "revoke", keyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(revoke.ExitCode == 0, revoke.ToString());

        await using var server = await ClienteleServerProcess.StartAsync(_database, "k");
        using var client = new HttpClient { BaseAddress = new Uri(server.Address, "v1/") };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "k");

        var (status, body) = await client.CallAsync(HttpMethod.Get, "customers");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(InvalidToken, body);
        Assert.Contains("CLIENTELE_BOOTSTRAP_KEY was revoked and stays revoked", server.Output, StringComparison.Ordinal);
        Assert.Contains("revoked", LineWith((await Cli("keys", "list")).Stdout, "bootstrap"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BootstrapKey_OnEveryRestart_IsIdempotent()
    {
        var settings = new Dictionary<string, string?> { ["CLIENTELE_BOOTSTRAP_KEY"] = "k" };
        long id;
        string before;
        await using (var app = await ClienteleApp.StartAsync(_database, settings))
        {
            var client = app.CreateClient("k");
            id = await client.CreateCustomerAsync("""{"name":"Survivor","userId":"u-1"}""");
            before = await client.GetRawAsync(id);
        }
        SqliteConnection.ClearAllPools();

        for (var restart = 0; restart < 2; restart++)
        {
            await using var app = await ClienteleApp.StartAsync(_database, settings);
            var client = app.CreateClient("k");

            Assert.Equal(before, await client.GetRawAsync(id));
            Assert.Equal(1, await client.TotalAsync());
            var keys = await app.Services.GetRequiredService<IAccountStore>().ListKeysAsync(Ct);
            var key = Assert.Single(keys);
            Assert.Equal("default", key.Account);
            Assert.Null(key.RevokedAt);
            SqliteConnection.ClearAllPools();
        }
        var list = await Cli("keys", "list");
        Assert.Single(LinesWith(list.Stdout, "default"));
    }

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await _database.DisposeAsync();
    }

    private Task<ClienteleCli.Result> Cli(params string[] args) => ClienteleCli.RunAsync(_database, args);

    private static string SingleLine(string stdout)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line, got: {stdout}");
        Assert.NotEmpty(lines[0]);
        return lines[0];
    }

    private static string[] LinesWith(string stdout, string text) =>
        [.. stdout.Split('\n').Where(l => l.Contains(text, StringComparison.Ordinal))];

    private static string LineWith(string stdout, string text)
    {
        var lines = LinesWith(stdout, text);
        Assert.True(lines.Length == 1, $"expected one line with '{text}' in: {stdout}");
        return lines[0];
    }

    /// <summary>The id at the start of the list line that mentions <paramref name="text"/>.</summary>
    private static long IdOfKeyLabelled(string list, string text)
    {
        var first = LineWith(list, text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
        Assert.True(long.TryParse(first, System.Globalization.CultureInfo.InvariantCulture, out var id), $"no id first on the line for '{text}' in: {list}");
        return id;
    }
}
