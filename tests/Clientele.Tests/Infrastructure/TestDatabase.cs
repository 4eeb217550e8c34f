using Clientele.Storage.Postgres;
using Npgsql;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database of the provider under test: a SQLite file in its own temporary folder, or a
/// PostgreSQL database copied from a migrated template on the server <c>scripts/test.sh</c> starts.
/// The provider comes from <c>CLIENTELE_TEST_PROVIDER</c> (<c>sqlite</c> by default, or <c>postgres</c>).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string Template = "clientele_template";
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static bool _templateReady;

    private readonly string? _folder;
    private readonly string? _postgresName;

    private TestDatabase(string provider, string connectionString, string? filePath, string? folder, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        FilePath = filePath;
        _folder = folder;
        _postgresName = postgresName;
    }

    public static string CurrentProvider { get; } = Environment.GetEnvironmentVariable("CLIENTELE_TEST_PROVIDER") ?? "sqlite";

    public static bool IsPostgres => CurrentProvider == "postgres";

    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The SQLite file; null on PostgreSQL.</summary>
    public string? FilePath { get; }

    /// <summary>The configuration that points a server at this database.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Storage:Provider"] = Provider,
        ["ConnectionStrings:Clientele"] = ConnectionString,
    };

    public static async Task<TestDatabase> CreateAsync()
    {
        if (!IsPostgres)
        {
            var folder = Directory.CreateTempSubdirectory("clientele-test-").FullName;
            var path = Path.Combine(folder, "clientele.db");
            return new TestDatabase("sqlite", $"Data Source={path}", path, folder, null);
        }
        await EnsureTemplateAsync();
        var name = "t_" + Guid.NewGuid().ToString("N");
        // FILE_COPY: for a small template it is several times faster than the default WAL_LOG.
        await AdminAsync($"CREATE DATABASE {name} TEMPLATE {Template} STRATEGY FILE_COPY");
        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
        return new TestDatabase("postgres", connectionString, null, null, name);
    }

    /// <summary>A SQLite database at <paramref name="path"/>, in a folder the caller owns (a test's own mount, say).</summary>
    public static TestDatabase SqliteFileAt(string path) => new("sqlite", $"Data Source={path}", path, null, null);

    private static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("CLIENTELE_TEST_POSTGRES")
        ?? throw new InvalidOperationException("CLIENTELE_TEST_PROVIDER=postgres needs CLIENTELE_TEST_POSTGRES; scripts/test.sh starts a server and sets it.");

    /// <summary>Migrated once per run; copying a template is much faster than migrating every test's database.</summary>
    private static async Task EnsureTemplateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (_templateReady)
            {
                return;
            }
            await AdminAsync($"DROP DATABASE IF EXISTS {Template} WITH (FORCE)");
            await AdminAsync($"CREATE DATABASE {Template}");
            var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = Template, Pooling = false }.ConnectionString;
            await using (var database = PostgresDatabase.Create(connectionString))
            {
                await database.MigrateAsync(CancellationToken.None);
            }
            _templateReady = true;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs SQL on the database behind the server's back, as an operator's mistake or a corruption would.</summary>
    public async Task ExecuteAsync(string sql)
    {
        if (FilePath is { } path)
        {
            await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection(
                new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 5000; " + sql;
            await command.ExecuteNonQueryAsync();
            return;
        }
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var pg = new NpgsqlCommand(sql, connection);
        await pg.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
        if (_postgresName is not null)
        {
            await AdminAsync($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)");
        }
    }
}
