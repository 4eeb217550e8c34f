using Clientele.RateLimiting;
using Npgsql;

namespace Clientele.Storage.Postgres;

/// <summary>
/// The limiter shared by every node: one counter row per account and minute in PostgreSQL, counted by an
/// atomic upsert, so the account's limit holds exactly however requests spread over nodes. Windows follow
/// the database's clock, not the nodes'. Costs one round trip per request to an unlogged table.
/// </summary>
public sealed class PostgresRateLimiter(PostgresDatabase database) : IAccountRateLimiter
{
    /// <summary>Counts the request only while the account is under its limit: refused requests do not count.</summary>
    private const string Count =
        "WITH w AS (SELECT floor(t / 60)::bigint * 60 AS start, t FROM (SELECT extract(epoch FROM clock_timestamp()) AS t) now), " +
        "counted AS (INSERT INTO rate_limit_windows (account_id, window_start, hits) SELECT @account_id, start, 1 FROM w " +
        "ON CONFLICT (account_id, window_start) DO UPDATE SET hits = rate_limit_windows.hits + 1 WHERE rate_limit_windows.hits < @limit " +
        "RETURNING hits) " +
        "SELECT (SELECT hits FROM counted), ceil(start + 60 - t)::integer FROM w";

    private int _calls;

    public async ValueTask<RateLimitDecision> AcquireAsync(long accountId, int permitsPerMinute, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Count, connection);
        command.Parameters.AddWithValue("account_id", accountId);
        command.Parameters.AddWithValue("limit", permitsPerMinute);
        int? hits;
        int reset;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            hits = reader.IsDBNull(0) ? null : reader.GetInt32(0);
            reset = Math.Max(1, reader.GetInt32(1));
        }
        // Now and then, drop the windows that have ended.
        if (Interlocked.Increment(ref _calls) % 1000 == 0)
        {
            await using var prune = new NpgsqlCommand(
                "DELETE FROM rate_limit_windows WHERE window_start < floor(extract(epoch FROM clock_timestamp()) / 60)::bigint * 60 - 60", connection);
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }
        return hits is { } counted
            ? new RateLimitDecision(true, permitsPerMinute, Math.Max(0, permitsPerMinute - counted), reset)
            : new RateLimitDecision(false, permitsPerMinute, 0, reset);
    }
}
