using DbUp;
using Npgsql;

namespace Clientele.Storage.Postgres;

/// <summary>
/// One PostgreSQL database shared by any number of stateless Clientele nodes. Connections come from a pooled
/// <see cref="NpgsqlDataSource"/>; every request is one transaction, committed before the answer.
/// </summary>
public sealed class PostgresDatabase(NpgsqlDataSource dataSource) : IDatabase, IAsyncDisposable
{
    /// <summary>Taken around migrations so nodes starting together do not migrate twice.</summary>
    private const long MigrationLockKey = 0x436c69656e74656c; // "Clientel"

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>
    /// Pool, timeouts and statement reuse, unless the connection string sets them: fail fast when the database is
    /// gone (a node answers 503 instead of hanging) and keep a bounded pool per node. Parsing and planning every
    /// statement and a <c>DISCARD ALL</c> at every return to the pool led the server's profile, so the hot statements
    /// are prepared once per physical connection and a returned connection is not reset: nothing here leaves session
    /// state behind (no <c>SET</c>, no temporary tables; the migration lock is released explicitly).
    /// </summary>
    public static PostgresDatabase Create(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Timeout"))
        {
            builder.Timeout = 5;
        }
        if (!given.ContainsKey("Command Timeout"))
        {
            builder.CommandTimeout = 15;
        }
        if (!given.ContainsKey("Maximum Pool Size"))
        {
            builder.MaxPoolSize = 50;
        }
        if (!given.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!given.ContainsKey("Auto Prepare Min Usages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }
        if (!given.ContainsKey("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }
        return new PostgresDatabase(new NpgsqlDataSourceBuilder(builder.ConnectionString).Build());
    }

    /// <summary>Applies the plain SQL scripts in <c>Migrations/</c> that this database has not run yet.</summary>
    /// <summary>
    /// Autovacuum analyses a table only after a minute or so; until then, right after an import, the planner
    /// plans searches for the empty tables it last saw (measured right after a 100k import: list pages p99 1.4 s,
    /// tag searches p99 1.1 s, substring searches 32/s).
    /// </summary>
    public async Task RefreshStatisticsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("ANALYZE customers, tags, customer_tags, customer_counts");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", MigrationLockKey);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            var result = DeployChanges.To.PostgresqlDatabase(dataSource.ConnectionString)
                .WithScriptsEmbeddedInAssembly(typeof(PostgresDatabase).Assembly, name => name.Contains(".Storage.Postgres.Migrations.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build()
                .PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migrating the PostgreSQL database failed at {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
            }
        }
        finally
        {
            // The pool no longer resets a returned connection (No Reset On Close), so a session lock left behind
            // would outlive the migration; this also covers a lock granted just as the wait for it was cancelled.
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Healthy while the server answers and its sessions may write: a standby, or a database set to
    /// <c>default_transaction_read_only</c>, answers reads and refuses every write.
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT current_setting('transaction_read_only') = 'off'");
            return await command.ExecuteScalarAsync(cancellationToken) is true;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            return false;
        }
    }

    /// <summary>
    /// A failure to reach the server (refused, reset, timed out, shutting down) or of its storage (read-only, disk
    /// full, out of resources, I/O error), as opposed to a bug in a query.
    /// </summary>
    public bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException e => e.SqlState.StartsWith("08", StringComparison.Ordinal) || e.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || e.SqlState.StartsWith("53", StringComparison.Ordinal) || e.SqlState.StartsWith("58", StringComparison.Ordinal)
            || e.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction,
        NpgsqlException => true,
        TimeoutException => true,
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it when it says to keep its changes.
    /// A deadlock or serialization failure between nodes is retried from the start.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<(T Value, bool Keep)>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                var (value, keep) = await work(connection);
                if (keep)
                {
                    await transaction.CommitAsync(cancellationToken);
                }
                else
                {
                    await transaction.RollbackAsync(cancellationToken);
                }
                return value;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
