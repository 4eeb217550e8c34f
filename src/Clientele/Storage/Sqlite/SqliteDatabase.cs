using DbUp;
using Clientele.Customers;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// One SQLite database file: migrated on open, read through the <see cref="SqliteReadPool"/> (WAL lets readers run
/// beside the writer), written through the single <see cref="SqliteWriter"/>.
/// </summary>
public sealed class SqliteDatabase : IDatabase, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SqliteWriter _writer;
    private readonly SqliteReadPool _readers;

    private SqliteDatabase(string connectionString, SqliteWriter writer, SqliteReadPool readers)
    {
        _connectionString = connectionString;
        _writer = writer;
        _readers = readers;
    }

    /// <summary>Creates the file and its folder when missing and opens the writer; <see cref="MigrateAsync"/> brings the schema up to date.</summary>
    public static SqliteDatabase Open(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        var path = builder.DataSource is { Length: > 0 } source && source != ":memory:" ? Path.GetFullPath(source) : null;
        if (path is not null && Path.GetDirectoryName(path) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }
        connectionString = builder.ToString();

        var writer = new SqliteConnection(connectionString);
        writer.Open();
        // WAL: readers never block the writer. FULL: a commit is on disk before it is acknowledged.
        // A 16 MiB page cache for the writer: 64 MiB bought no throughput under batches (3,070 vs 3,020 batches/s,
        // pages it misses come from the kernel's page cache) and cost ~40 MB of the server's RSS.
        // Savepoints' statement journals stay in memory.
        Execute(writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;");
        var readers = new SqliteReadPool(connectionString, path, Math.Clamp(Environment.ProcessorCount * 4, 8, 64));
        return new SqliteDatabase(connectionString, new SqliteWriter(writer), readers);
    }

    public Task MigrateAsync(CancellationToken cancellationToken)
    {
        var result = DeployChanges.To.SqliteDatabase(_connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(SqliteDatabase).Assembly, name => name.Contains(".Storage.Sqlite.Migrations.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migrating the SQLite database failed at {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
        }
        return Task.CompletedTask;
    }

    /// <summary>SQLite keeps no statistics here (no <c>ANALYZE</c> has ever run); its plans come from the schema alone, which the query-plan tests pin.</summary>
    public Task RefreshStatisticsAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A read connection for one request; dispose the lease to give it back.</summary>
    internal ValueTask<SqliteReadPool.Lease> ReadAsync(CancellationToken cancellationToken) => _readers.RentAsync(cancellationToken);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            _readers.CheckFile();
            using var lease = await ReadAsync(cancellationToken);
            lease.Connection.Prepared("SELECT count(*) FROM accounts").ExecuteScalar();
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>
    /// Busy past the timeout, an I/O error, a file that cannot be opened, or (the writer's long-lived connection)
    /// a file deleted or moved since it was opened: the database is out of reach, not wrong.
    /// </summary>
    public bool IsUnavailable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 10 or 14 } or SqliteException { SqliteExtendedErrorCode: SqliteReadonlyDbMoved };

    private const int SqliteReadonlyDbMoved = 1032;

    /// <inheritdoc cref="SqliteWriter.WriteAsync{T}"/>
    internal Task<T> WriteAsync<T>(Func<SqliteConnection, WorkResult<T>> work) => _writer.WriteAsync(work);

    /// <inheritdoc cref="SqliteWriter.WriteAloneAsync{T}"/>
    internal Task<T> WriteAloneAsync<T>(Func<SqliteConnection, T> work) => _writer.WriteAloneAsync(work);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _readers.Dispose();
    }

    /// <summary>The SQL functions search relies on; registered once per read connection.</summary>
    public static void RegisterFunctions(SqliteConnection connection) =>
        connection.CreateFunction(SqliteSearchSql.LowerFunction, (string? text) => CaseFolding.Fold(text), isDeterministic: true);

    internal static void Execute(SqliteConnection connection, string sql) => connection.Prepared(sql).ExecuteNonQuery();
}
