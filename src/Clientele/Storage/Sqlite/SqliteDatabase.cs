using DbUp;
using Clientele.Customers;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>
/// One SQLite database file: migrated on open, read through pooled connections (WAL lets readers run
/// beside the writer), written through the single <see cref="SqliteWriter"/>.
/// </summary>
public sealed class SqliteDatabase : IDatabase, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly SqliteWriter _writer;

    private SqliteDatabase(string connectionString, SqliteWriter writer)
    {
        _connectionString = connectionString;
        _writer = writer;
    }

    /// <summary>Creates the file and its folder when missing and opens the writer; <see cref="MigrateAsync"/> brings the schema up to date.</summary>
    public static SqliteDatabase Open(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }
        connectionString = builder.ToString();

        var writer = new SqliteConnection(connectionString);
        writer.Open();
        // WAL: readers never block the writer. FULL: a commit is on disk before it is acknowledged.
        // A 64 MiB page cache keeps the indexes a write touches in memory at a million customers.
        Execute(writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536;");
        return new SqliteDatabase(connectionString, new SqliteWriter(writer));
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

    public async Task<SqliteConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenReadAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM accounts";
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>Busy past the timeout, an I/O error, or a file that cannot be opened: the database is out of reach, not wrong.</summary>
    public bool IsUnavailable(Exception exception) => exception is SqliteException { SqliteErrorCode: 5 or 10 or 14 };

    /// <inheritdoc cref="SqliteWriter.WriteAsync{T}"/>
    internal Task<T> WriteAsync<T>(Func<SqliteConnection, WorkResult<T>> work) => _writer.WriteAsync(work);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>The SQL functions search relies on; registered per connection, by the searches that need them.</summary>
    public static void RegisterFunctions(SqliteConnection connection) =>
        connection.CreateFunction(SqliteSearchSql.LowerFunction, (string? text) => CaseFolding.Fold(text), isDeterministic: true);

    internal static void Execute(SqliteConnection connection, string sql) => connection.Prepared(sql).ExecuteNonQuery();
}
