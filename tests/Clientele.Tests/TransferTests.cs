using System.Net;
using System.Text.Json;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary><c>import</c> and <c>export</c> verbs of the real executable, against a server on the same database.</summary>
public sealed class TransferTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private string _folder = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _folder = Directory.CreateTempSubdirectory("clientele-transfer-").FullName;
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<ClienteleCli.Result> Cli(params string[] args) => ClienteleCli.RunAsync(_database, args);

    private async Task<string> FileAsync(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);
        return path;
    }

    private static async Task<JsonElement[]> AllAsync(HttpClient client)
    {
        var (status, body) = await client.CallAsync(HttpMethod.Get, "customers?limit=100");
        Assert.Equal(HttpStatusCode.OK, status);
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public async Task ImportNdjson_PutsValidLinesIn_AndReportsInvalidOnesWithTheirLineNumbers()
    {
        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        var file = await FileAsync("in.ndjson", string.Join('\n',
            """{"name":"Ada","email":"ada@example.com","userId":"u1","tags":[{"name":"VIP","color":"#111111"}],"customData":{"seats":5.10}}""",
            """{"email":"not-an-address"}""",
            "not json at all",
            "",
            """{"name":"Bob","firstSeen":"1603885746.9","telegramId":"tg-1"}"""));

        var result = await Cli("import", file, "--account", "acme");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("line 2: email:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 3: invalid_json:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 created", result.Stdout, StringComparison.Ordinal);
        await using var app = await ClienteleApp.StartAsync(_database);
        var customers = await AllAsync(await app.CreateClientAsync("acme"));
        Assert.Equal(["Ada", "Bob"], customers.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("""[{"name":"VIP","color":"#111111"}]""", customers[0].GetProperty("tags").GetRawText());
        Assert.Equal("""{"seats":5.10}""", customers[0].GetProperty("customData").GetRawText());
        Assert.Equal("1603885746", customers[1].GetProperty("firstSeen").GetString());
    }

    [Fact]
    public async Task ImportCsv_ReadsQuotedCellsTagsAndCustomData_AndUpsertByUserIdUpdatesInPlace()
    {
        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        await using var app = await ClienteleApp.StartAsync(_database);
        var client = await app.CreateClientAsync("acme");
        var existing = await client.CreateCustomerAsync("""{"name":"Old name","userId":"u1","company":"Kept Inc"}""");
        var file = await FileAsync("in.csv",
            "name,email,userId,tags,customData,customData.plan,blocked\n" +
            "\"Doe, Jane\",jane@example.com,u1,Lead;VIP,\"{\"\"seats\"\":3}\",pro,true\n" +
            "New,new@example.com,u2,,,,\n" +
            "Broken,bad-email,u3,,,,\n");

        var result = await Cli("import", file, "--account", "acme", "--upsert-by", "userId");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("line 4: email:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 created, 1 updated", result.Stdout, StringComparison.Ordinal);
        var customers = await AllAsync(client);
        Assert.Equal(2, customers.Length);
        var updated = customers.Single(c => c.GetProperty("id").GetInt64() == existing);
        Assert.Equal("Doe, Jane", updated.GetProperty("name").GetString());
        Assert.Equal("Kept Inc", updated.GetProperty("company").GetString());
        Assert.True(updated.GetProperty("blocked").GetBoolean());
        Assert.Equal(["Lead", "VIP"], updated.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("""{"seats":3,"plan":"pro"}""", updated.GetProperty("customData").GetRawText());
    }

    [Fact]
    public async Task ImportWithoutUpsert_ADuplicateUserIdIsAnInvalidLine()
    {
        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        var file = await FileAsync("dup.ndjson", "{\"userId\":\"same\"}\n{\"userId\":\"same\"}\n");

        var result = await Cli("import", file, "--account", "acme");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("line 2: invalid_userId_value", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ListTotal_CountsTheCreatedLinesOnly()
    {
        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        await using var app = await ClienteleApp.StartAsync(_database);
        var client = await app.CreateClientAsync("acme");
        await client.CreateCustomerAsync("""{"userId":"u1"}""");
        var upserts = await FileAsync("upserts.ndjson", "{\"userId\":\"u1\",\"name\":\"A\"}\n{\"userId\":\"u2\"}\n{\"email\":\"bad\"}\n{}\n");
        var duplicates = await FileAsync("duplicates.ndjson", "{\"userId\":\"u2\"}\n{\"userId\":\"u3\"}\n");

        var upserted = await Cli("import", upserts, "--account", "acme", "--upsert-by", "userId");
        var duplicated = await Cli("import", duplicates, "--account", "acme");

        Assert.Contains("2 created, 1 updated", upserted.Stdout, StringComparison.Ordinal);
        Assert.Contains("line 1: invalid_userId_value", duplicated.Stderr, StringComparison.Ordinal);
        var body = await client.GetOkAsync("customers?limit=1");
        Assert.Equal(4, JsonDocument.Parse(body).RootElement.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task ExportNdjson_ImportsBackWhole_IntoAnotherAccount()
    {
        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        Assert.Equal(0, (await Cli("accounts", "create", "copy")).ExitCode);
        await using var app = await ClienteleApp.StartAsync(_database);
        var source = await app.CreateClientAsync("acme");
        for (var i = 0; i < 25; i++)
        {
            await source.CreateCustomerAsync($$"""{"name":"C{{i}}","userId":"u{{i}}","phone":"+3805000{{i}}","tags":[{"name":"T{{i % 3}}","color":"#00000{{i % 3}}"}],"customData":{"n":{{i}},"ok":true},"whatsappId":"wa{{i}}"}""");
        }
        var exported = Path.Combine(_folder, "out.ndjson");

        var export = await Cli("export", "--account", "acme", "--out", exported);
        var import = await Cli("import", exported, "--account", "copy");

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal(25, File.ReadAllLines(exported).Length);
        static string WithoutId(JsonElement c) => string.Join(",", c.EnumerateObject().Where(p => p.Name != "id").Select(p => p.ToString()));
        var original = (await AllAsync(source)).Select(WithoutId);
        var copy = (await AllAsync(await app.CreateClientAsync("copy"))).Select(WithoutId);
        Assert.Equal(original, copy);
        // The messenger ids never appear on the wire but travel in the export.
        Assert.Contains("\"whatsappId\":\"wa7\"", await File.ReadAllTextAsync(exported, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportCsv_HasAHeaderAndOneRowPerCustomer_OnStandardOutput()
    {
        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        await using var app = await ClienteleApp.StartAsync(_database);
        var client = await app.CreateClientAsync("acme");
        await client.CreateCustomerAsync("""{"name":"Doe, Jane","tags":[{"name":"A"},{"name":"B"}],"customData":{"x":1}}""");

        var result = await Cli("export", "--account", "acme", "--format", "csv");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,name,email,userId,", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"Doe, Jane\"", lines[1], StringComparison.Ordinal);
        Assert.Contains(",A;B,\"{\"\"x\"\":1}\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportCsv_EscapesFormulaCellsWithAQuote_AndImportsBackWhole()
    {
        Assert.Equal(0, (await Cli("accounts", "create", "acme")).ExitCode);
        Assert.Equal(0, (await Cli("accounts", "create", "copy")).ExitCode);
        await using var app = await ClienteleApp.StartAsync(_database);
        var source = await app.CreateClientAsync("acme");
        await source.CreateCustomerAsync("""{"name":"=HYPERLINK(\"http://evil.example\",\"x\")","company":"+1+1","userId":"@SUM(A1)","notes":"-2+3","city":"\tTab","tags":[{"name":"=cmd"},{"name":"plain"}]}""");
        await source.CreateCustomerAsync("""{"name":"'quoted","company":"''twice","userId":"plain","notes":"\rReturn","city":"a=b"}""");
        await source.CreateCustomerAsync("""{"name":"Plain","tags":[{"name":"'q"}]}""");
        var file = Path.Combine(_folder, "out.csv");

        var export = await Cli("export", "--account", "acme", "--format", "csv", "--out", file);
        var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
        var import = await Cli("import", file, "--account", "copy");

        Assert.True(export.ExitCode == 0, export.ToString());
        foreach (var escaped in new[] { "\"'=HYPERLINK(", ",'+1+1,", ",'@SUM(A1),", "'=cmd;plain", ",'-2+3,", ",'\tTab,", "\"'\rReturn\"", ",''quoted,", ",'''twice,", ",''q," })
        {
            Assert.Contains(escaped, text, StringComparison.Ordinal);
        }
        Assert.Contains(",a=b,", text, StringComparison.Ordinal);
        Assert.True(import.ExitCode == 0, import.ToString());
        // CSV carries tag names, not their colours.
        static string Comparable(JsonElement c) => string.Join(",", c.EnumerateObject().Where(p => p.Name != "id").Select(p =>
            p.Name == "tags" ? string.Join(";", p.Value.EnumerateArray().Select(t => t.GetProperty("name").GetString())) : p.ToString()));
        var original = (await AllAsync(source)).Select(Comparable).ToArray();
        Assert.Equal(original, (await AllAsync(await app.CreateClientAsync("copy"))).Select(Comparable));
        Assert.Contains(original, c => c.Contains("\"name\":\"'quoted\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_ToAnUnknownAccountOrFile_FailsWithTheReason()
    {
        var file = await FileAsync("x.ndjson", "{}\n");

        var noAccount = await Cli("import", file, "--account", "nosuch");
        var noFile = await Cli("import", Path.Combine(_folder, "missing.ndjson"), "--account", "nosuch");

        Assert.NotEqual(0, noAccount.ExitCode);
        Assert.Contains("nosuch", noAccount.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, noFile.ExitCode);
        Assert.Contains("missing.ndjson", noFile.Stderr, StringComparison.Ordinal);
    }
}
