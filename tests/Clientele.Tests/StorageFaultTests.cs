using System.Net;
using System.Text.Json;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>
/// Spec §6: a server that cannot write durably answers 503 <c>service_unavailable</c> "Storage is unavailable; nothing
/// was written." and <c>/healthz</c> reports unhealthy; never a 2xx for a write that is not durable in the file the
/// server was started with. Each fault is made for real under a running server (files deleted or replaced, a file
/// system full or read-only), and a restart shows that nothing acknowledged is missing and nothing refused is there.
/// </summary>
public sealed class StorageFaultTests
{
    private const string StorageMessage = "Storage is unavailable; nothing was written.";

    /// <summary>The suffixes of a SQLite database's files: the file, its WAL and the WAL's index.</summary>
    private static readonly string[] DatabaseFiles = ["", "-wal", "-shm"];

    [Fact]
    public async Task Write_AfterTheDatabaseFilesAreDeleted_Answers503AndHealthzIsUnhealthyUntilRestart()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "Deletes the SQLite file; PostgreSQL's outage is cut at the network below.");
        await using var database = await TestDatabase.CreateAsync();
        string key;
        await using (var app = await ClienteleApp.StartAsync(database))
        {
            key = await app.CreateKeyAsync();
            var client = app.CreateClient(key);
            var ada = await client.CreateCustomerAsync("""{"name":"Ada"}""");
            // Reads and the health check have connections open on the file, as a running server would.
            await client.GetRawAsync(ada);
            await AssertHealthAsync(app, HttpStatusCode.OK);

            foreach (var suffix in DatabaseFiles)
            {
                File.Delete(database.FilePath + suffix);
            }

            AssertStorageUnavailable(await client.CallAsync(HttpMethod.Post, "customers", """{"name":"Refused"}"""));
            AssertStorageUnavailable(await client.CallAsync(HttpMethod.Patch, $"customers/{ada}", """{"name":"Refused"}"""));
            await AssertHealthAsync(app, HttpStatusCode.ServiceUnavailable);
            // Still refused later: what the path may lead to now is not the file the writes went to.
            AssertStorageUnavailable(await client.CallAsync(HttpMethod.Post, "customers", """{"name":"Refused"}"""));
        }

        // Deleted means gone: the restarted server starts on a new, empty file, without the refused writes either.
        await using (var app = await ClienteleApp.StartAsync(database))
        {
            Assert.Empty(await NamesAsync(app.CreateClient(await app.CreateKeyAsync())));
        }
    }

    [Fact]
    public async Task Write_AfterAnotherDatabaseIsRenamedOverTheFile_Answers503AndTheNewFileIsLeftAsItWas()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "Replaces the SQLite file.");
        await using var database = await TestDatabase.CreateAsync();
        await using var replacement = await TestDatabase.CreateAsync();
        string replacementKey;
        await using (var other = await ClienteleApp.StartAsync(replacement))
        {
            replacementKey = await other.CreateKeyAsync();
            await other.CreateClient(replacementKey).CreateCustomerAsync("""{"name":"Other"}""");
        }
        Assert.False(File.Exists(replacement.FilePath + "-wal"), "the replacement was closed cleanly, its WAL checkpointed into the file");

        await using (var app = await ClienteleApp.StartAsync(database))
        {
            var client = app.CreateClient(await app.CreateKeyAsync());
            var ada = await client.CreateCustomerAsync("""{"name":"Ada"}""");
            await client.GetRawAsync(ada);

                File.Move(replacement.FilePath!, database.FilePath!, overwrite: true);

            AssertStorageUnavailable(await client.CallAsync(HttpMethod.Post, "customers", """{"name":"Refused"}"""));
            AssertStorageUnavailable(await client.CallAsync(HttpMethod.Delete, $"customers/{ada}"));
            await AssertHealthAsync(app, HttpStatusCode.ServiceUnavailable);
        }

        // The file now at the path is the replacement, whole, and none of the refused writes reached it.
        await using (var app = await ClienteleApp.StartAsync(database))
        {
            Assert.Equal(["Other"], await NamesAsync(app.CreateClient(replacementKey)));
        }
    }

    [Fact]
    public async Task Write_WhenTheFileSystemIsFull_Answers503_AndWritesAgainOnceThereIsRoom()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "Fills the SQLite file's file system.");
        await using var mount = await ScratchMount.CreateAsync("8m");
        await using var database = TestDatabase.SqliteFileAt(Path.Combine(mount.Folder, "clientele.db"));
        var acknowledged = new List<string> { "Ada" };
        string key;
        await using (var app = await ClienteleApp.StartAsync(database))
        {
            key = await app.CreateKeyAsync();
            var client = app.CreateClient(key);
            await client.CreateCustomerAsync("""{"name":"Ada"}""");

            var filler = Path.Combine(mount.Folder, "filler");
            Fill(filler);
            await AssertHealthAsync(app, HttpStatusCode.ServiceUnavailable);

            // A commit may still fit in WAL pages the file already has; sooner or later one needs a new page.
            var refused = false;
            var notes = new string('n', 4000);
            for (var i = 0; i < 300 && !refused; i++)
            {
                var name = $"Customer {i}";
                var answer = await client.CallAsync(HttpMethod.Post, "customers", $$"""{"name":"{{name}}","notes":"{{notes}}"}""");
                if (answer.Status == HttpStatusCode.Created)
                {
                    acknowledged.Add(name);
                    continue;
                }
                AssertStorageUnavailable(answer);
                refused = true;
            }
            Assert.True(refused, "300 writes of 4 KB were acknowledged on a full 8 MiB file system");
            await AssertHealthAsync(app, HttpStatusCode.ServiceUnavailable);

            File.Delete(filler);
            await AssertHealthAsync(app, HttpStatusCode.OK);
            await client.CreateCustomerAsync("""{"name":"After"}""");
            acknowledged.Add("After");
        }

        await using (var app = await ClienteleApp.StartAsync(database))
        {
            Assert.Equal(acknowledged.Order(StringComparer.Ordinal), await NamesAsync(app.CreateClient(key)));
        }
    }

    [Fact]
    public async Task Write_WhenTheFileSystemIsReadOnly_Answers503_AndWritesAgainOnceItIsWritable()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "Makes the SQLite file's file system read-only.");
        await using var mount = await ScratchMount.CreateAsync("8m");
        await using var database = TestDatabase.SqliteFileAt(Path.Combine(mount.Folder, "clientele.db"));
        await AssertReadOnlyIsRefusedThenRecoveredAsync(database,
            readOnly => mount.RemountAsync(readOnly));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Write_WhenTheFileIsNotWritable_Answers503_AndWritesAgainOnceItIs()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "Takes the write permission off the SQLite file.");
        Assert.SkipWhen(Environment.IsPrivilegedProcess, "Root writes whatever the file's mode says; the read-only file system test covers this run.");
        await using var database = await TestDatabase.CreateAsync();
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        await AssertReadOnlyIsRefusedThenRecoveredAsync(database, readOnly =>
        {
            if (readOnly)
            {
                File.SetUnixFileMode(database.FilePath!, readable);
                return Task.CompletedTask;
            }
            // SQLite gives the WAL index it creates the database file's mode, so the operator's fix covers all three.
            foreach (var suffix in DatabaseFiles)
            {
                if (File.Exists(database.FilePath + suffix))
                {
                    File.SetUnixFileMode(database.FilePath + suffix, readable | UnixFileMode.UserWrite);
                }
            }
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Write_WhenPostgresIsUnreachable_Answers503WithTheStorageMessage()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "Cuts the network to PostgreSQL (run with CLIENTELE_TEST_PROVIDER=postgres).");
        await using var database = await TestDatabase.CreateAsync();
        var target = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(new IPEndPoint(IPAddress.Loopback, target.Port));
        var throughProxy = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = proxy.Port, Timeout = 2 }.ConnectionString;
        await using var app = await ClienteleApp.StartAsync(database, new Dictionary<string, string?> { ["ConnectionStrings:Clientele"] = throughProxy });
        var client = await app.CreateClientAsync();
        var ada = await client.CreateCustomerAsync("""{"name":"Ada"}""");

        proxy.Cut();

        AssertStorageUnavailable(await client.CallAsync(HttpMethod.Post, "customers", """{"name":"Refused"}"""));
        AssertStorageUnavailable(await client.CallAsync(HttpMethod.Patch, $"customers/{ada}", """{"name":"Refused"}"""));
        await AssertHealthAsync(app, HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task Write_WhenPostgresRefusesWrites_Answers503_AndWritesAgainOnceItTakesThem()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "Makes the PostgreSQL database read-only (run with CLIENTELE_TEST_PROVIDER=postgres).");
        await using var database = await TestDatabase.CreateAsync();
        string key;
        long ada;
        await using (var app = await ClienteleApp.StartAsync(database))
        {
            key = await app.CreateKeyAsync();
            var client = app.CreateClient(key);
            ada = await client.CreateCustomerAsync("""{"name":"Ada"}""");

            // As a failover to a standby would: sessions may read, and no transaction may write.
            await SetReadOnlyAsync(database, true);
            AssertStorageUnavailable(await client.CallAsync(HttpMethod.Post, "customers", """{"name":"Refused"}"""));
            AssertStorageUnavailable(await client.CallAsync(HttpMethod.Patch, $"customers/{ada}", """{"name":"Refused"}"""));
            await AssertHealthAsync(app, HttpStatusCode.ServiceUnavailable);
            await client.GetRawAsync(ada);

            await SetReadOnlyAsync(database, false);
            await WaitUntilHealthyAsync(app);
            await client.CreateCustomerAsync("""{"name":"After"}""");
        }

        await using (var app = await ClienteleApp.StartAsync(database))
        {
            Assert.Equal(["Ada", "After"], await NamesAsync(app.CreateClient(key)));
        }
    }

    /// <summary>Sets the database's default and ends the server's sessions, so every new one starts with it.</summary>
    private static async Task SetReadOnlyAsync(TestDatabase database, bool readOnly)
    {
        var name = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
        // This session may itself have started read-only.
        await database.ExecuteAsync($"SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; ALTER DATABASE {name} SET default_transaction_read_only = {(readOnly ? "on" : "off")}");
        await database.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    }

    /// <summary>
    /// A server started on a file it cannot write answers reads, refuses writes with 503 and is unhealthy; once the
    /// file can be written again it is healthy and writes without a restart.
    /// </summary>
    private static async Task AssertReadOnlyIsRefusedThenRecoveredAsync(TestDatabase database, Func<bool, Task> makeReadOnly)
    {
        string key;
        long ada;
        await using (var app = await ClienteleApp.StartAsync(database))
        {
            key = await app.CreateKeyAsync();
            ada = await app.CreateClient(key).CreateCustomerAsync("""{"name":"Ada"}""");
        }

        // Nothing makes a file read-only for a handle already open for writing, but a server can start on a file it
        // cannot write: here one whose WAL and index are left over (a server that had it open when it went read-only).
        await File.WriteAllBytesAsync(database.FilePath + "-wal", [], TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(database.FilePath + "-shm", [], TestContext.Current.CancellationToken);
        await makeReadOnly(true);
        try
        {
            await using var app = await ClienteleApp.StartAsync(database);
            var client = app.CreateClient(key);
            await client.GetRawAsync(ada);
            AssertStorageUnavailable(await client.CallAsync(HttpMethod.Post, "customers", """{"name":"Refused"}"""));
            AssertStorageUnavailable(await client.CallAsync(HttpMethod.Patch, $"customers/{ada}", """{"name":"Refused"}"""));
            await AssertHealthAsync(app, HttpStatusCode.ServiceUnavailable);

            await makeReadOnly(false);
            // The server tries the file again at most once a second while it is read-only.
            await WaitUntilHealthyAsync(app);
            await client.CreateCustomerAsync("""{"name":"After"}""");
        }
        finally
        {
            await makeReadOnly(false);
        }

        await using (var app = await ClienteleApp.StartAsync(database))
        {
            Assert.Equal(["Ada", "After"], await NamesAsync(app.CreateClient(key)));
        }
    }

    private static void AssertStorageUnavailable((HttpStatusCode Status, string Body) answer)
    {
        answer.AssertError(HttpStatusCode.ServiceUnavailable, "service_unavailable");
        Assert.Equal(StorageMessage, RefusalAssertions.FirstMessage(answer.Body));
    }

    private static async Task AssertHealthAsync(ClienteleApp app, HttpStatusCode expected)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(app.Address, "healthz"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"/healthz answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
        if (expected != HttpStatusCode.OK)
        {
            AssertStorageUnavailable((response.StatusCode, body));
        }
    }

    private static async Task WaitUntilHealthyAsync(ClienteleApp app)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            using var response = await http.GetAsync(new Uri(app.Address, "healthz"), TestContext.Current.CancellationToken);
            status = response.StatusCode;
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        await AssertHealthAsync(app, HttpStatusCode.OK);
    }

    /// <summary>Every customer's name, in ordinal order (a few hundred at most here).</summary>
    private static async Task<string[]> NamesAsync(HttpClient client)
    {
        var names = new List<string>();
        for (var offset = 0; ; offset += 100)
        {
            var (status, body) = await client.CallAsync(HttpMethod.Get, $"customers?limit=100&offset={offset}");
            Assert.True(status == HttpStatusCode.OK, body);
            using var document = JsonDocument.Parse(body);
            var page = document.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();
            names.AddRange(page);
            if (page.Length < 100)
            {
                return [.. names.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Writes <paramref name="path"/> until its file system has no block left.</summary>
    private static void Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
    }
}
