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
    /// <summary>
    /// Below this much free space <c>/healthz</c> reports unhealthy: a commit appends its pages to the WAL and a
    /// checkpoint copies them into the file, so with less the next write is likely to fail with SQLITE_FULL.
    /// </summary>
    private const long MinimumFreeBytes = 1 << 20;

    private readonly string _connectionString;
    private readonly SqliteFile _file;
    private readonly SqliteWriter _writer;
    private readonly SqliteReadPool _readers;

    private SqliteDatabase(string connectionString, SqliteFile file, SqliteWriter writer, SqliteReadPool readers)
    {
        _connectionString = connectionString;
        _file = file;
        _writer = writer;
        _readers = readers;
    }

    /// <summary>Creates the file and its folder when missing and opens the writer; <see cref="MigrateAsync"/> brings the schema up to date.</summary>
    public static SqliteDatabase Open(string connectionString, ILogger? logger = null)
    {
        logger ??= Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        // No driver pool: every connection here lives as long as the server (or one migration), and a pooled one
        // would keep a deleted or replaced file open after it was disposed.
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        var path = builder.DataSource is { Length: > 0 } source && source != ":memory:" ? Path.GetFullPath(source) : null;
        if (path is not null && Path.GetDirectoryName(path) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }
        connectionString = builder.ToString();

        SqliteConnection OpenWriter()
        {
            var writer = new SqliteConnection(connectionString);
            try
            {
                writer.Open();
                // WAL: readers never block the writer. FULL: a commit is on disk before it is acknowledged.
                // A 16 MiB page cache for the writer: 64 MiB bought no throughput under batches (3,070 vs 3,020 batches/s,
                // pages it misses come from the kernel's page cache) and cost ~40 MB of the server's RSS.
                // Savepoints' statement journals stay in memory.
                Execute(writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;");
            }
            catch
            {
                writer.Dispose();
                throw;
            }
            return writer;
        }

        var first = OpenWriter();
        SqliteFile file;
        try
        {
            file = SqliteFile.Open(connectionString, path, logger);
        }
        catch
        {
            first.Dispose();
            throw;
        }
        var readerCount = Math.Clamp(Environment.ProcessorCount * 4, 8, 64);
        var readers = new SqliteReadPool(ReaderConnectionString(connectionString), file, readerCount);
        // Every read blocks the thread it runs on (Microsoft.Data.Sqlite has no asynchronous I/O), and the thread pool
        // starts with one thread per core and adds about one a second: a few slow searches held every thread, and
        // another account's GET waited seconds for one (bench: noisy neighbour, p99 2.9 s). As many threads as
        // readers can block, plus one per core for everything else, start at once when needed.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, readerCount + Environment.ProcessorCount), completionPorts);

        SqliteConnection ReopenAll()
        {
            readers.RetireAll();
            return file.ReopenWith(OpenWriter);
        }

        return new SqliteDatabase(connectionString, file, new SqliteWriter(first, ReopenAll, file, logger), readers);
    }

    /// <summary>
    /// Readers never create the file: once the writer made it, a missing file is a fault (SQLite would otherwise
    /// make a new empty one and the read would fail as a missing table, a 500).
    /// </summary>
    private static string ReaderConnectionString(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString();

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

    /// <summary>
    /// Healthy while the path still leads to the file the server opened (one <c>stat</c>), its file system has room
    /// (one <c>statvfs</c>), the writer's last commit did not fail for a storage reason, and a read answers. After such
    /// a failure the check asks the writer for an empty transaction, which writes nothing but shows that the
    /// write lock can be taken on a writable handle again, so the node comes back without waiting for a write.
    /// On a lost file the same empty transaction is refused, and has the writer empty the lost file's WAL now.
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lost = _file.CheckLost();
            if (!lost && _file.AvailableBytes() < MinimumFreeBytes)
            {
                return false;
            }
            if (lost || !_writer.CanWrite)
            {
                await _writer.WriteAsync(_ => new WorkResult<bool>(true, Keep: false));
            }
            using var lease = await ReadAsync(cancellationToken);
            lease.Connection.Prepared("SELECT count(*) FROM accounts").ExecuteScalar();
            return true;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            return false;
        }
    }

    /// <summary>The file is gone, read-only, full, out of reach or busy past the timeout: not a bug, so 503.</summary>
    public bool IsUnavailable(Exception exception) =>
        exception is StorageUnavailableException || exception is SqliteException e && IsStorageFault(e);

    /// <summary>
    /// SQLITE_BUSY (5), SQLITE_READONLY (8, with its extended codes such as READONLY_DBMOVED), SQLITE_IOERR (10),
    /// SQLITE_FULL (13) and SQLITE_CANTOPEN (14): the storage cannot take the write, whatever the write was.
    /// </summary>
    internal static bool IsStorageFault(SqliteException exception) => (exception.SqliteErrorCode & 0xff) is 5 or 8 or 10 or 13 or 14;

    /// <inheritdoc cref="SqliteWriter.WriteAsync{T}"/>
    internal Task<T> WriteAsync<T>(Func<SqliteConnection, WorkResult<T>> work) => _writer.WriteAsync(work);

    /// <inheritdoc cref="SqliteWriter.WriteAloneAsync{T}"/>
    internal Task<T> WriteAloneAsync<T>(Func<SqliteConnection, T> work) => _writer.WriteAloneAsync(work);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _readers.Dispose();
        _file.Dispose();
    }

    /// <summary>The SQL functions search relies on; registered once per read connection.</summary>
    public static void RegisterFunctions(SqliteConnection connection) =>
        connection.CreateFunction(SqliteSearchSql.LowerFunction, (string? text) => CaseFolding.Fold(text), isDeterministic: true);

    internal static void Execute(SqliteConnection connection, string sql) => connection.Prepared(sql).ExecuteNonQuery();
}
