using System.Collections.Concurrent;
using Clientele.RateLimiting;
using Npgsql;

namespace Clientele.Storage.Postgres;

/// <summary>
/// The limiter shared by every node: one counter row per account and minute in PostgreSQL (an unlogged table), so
/// an account's limit holds however its requests spread over nodes; windows follow the database's clock. A node
/// takes permits from the counter in leases of 1 % of the limit (at least one) and hands them out itself: a busy
/// account costs one round trip per hundred requests instead of one per request on a row that every request of
/// the account would queue on. Under 200 a minute a lease is a single permit and the count is exact; above, no
/// more than the limit is ever granted, but a node may refuse while another still holds the rest of its lease.
/// </summary>
public sealed class PostgresRateLimiter(PostgresDatabase database, TimeProvider clock) : IAccountRateLimiter
{
    /// <summary>
    /// Takes up to <c>@lease</c> permits while the account is under its limit: refused requests do not count.
    /// Yields the window's start, the count with this lease, how many it got (no row: none) and the seconds left.
    /// </summary>
    private const string Take =
        "WITH w AS (SELECT floor(t / 60)::bigint * 60 AS start, t FROM (SELECT extract(epoch FROM clock_timestamp()) AS t) now), " +
        "counted AS (INSERT INTO rate_limit_windows AS r (account_id, window_start, hits, granted) " +
        "SELECT @account_id, start, least(@lease, @limit), least(@lease, @limit) FROM w " +
        "ON CONFLICT (account_id, window_start) DO UPDATE SET hits = r.hits + least(@lease, @limit - r.hits), granted = least(@lease, @limit - r.hits) " +
        "WHERE r.hits < @limit RETURNING hits, granted) " +
        "SELECT start, (SELECT hits FROM counted), (SELECT granted FROM counted), (start + 60 - t)::float8 FROM w";

    /// <summary>The unused part of a lease taken under a limit that has since changed no longer counts as used.</summary>
    private const string GiveBack =
        "UPDATE rate_limit_windows SET hits = hits - @unused WHERE account_id = @account_id AND window_start = @window_start";

    private readonly ConcurrentDictionary<long, Account> _accounts = new();
    private int _leases;

    public async ValueTask<RateLimitDecision> AcquireAsync(long accountId, int permitsPerMinute, CancellationToken cancellationToken)
    {
        var account = _accounts.GetOrAdd(accountId, _ => new Account());
        if (account.TryDecide(permitsPerMinute, clock) is { } decision)
        {
            return decision;
        }
        // One lease at a time per account and node; the requests that queue behind it are served from it.
        await account.Leasing.WaitAsync(cancellationToken);
        try
        {
            return account.TryDecide(permitsPerMinute, clock) ?? await LeaseAsync(account, accountId, permitsPerMinute, cancellationToken);
        }
        finally
        {
            account.Leasing.Release();
        }
    }

    private async Task<RateLimitDecision> LeaseAsync(Account account, long accountId, int permitsPerMinute, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        if (account.TakeUnused(clock) is { } unused)
        {
            await using var giveBack = new NpgsqlCommand(GiveBack, connection);
            giveBack.Parameters.AddWithValue("unused", unused.Permits);
            giveBack.Parameters.AddWithValue("account_id", accountId);
            giveBack.Parameters.AddWithValue("window_start", unused.WindowStart);
            await giveBack.ExecuteNonQueryAsync(cancellationToken);
        }

        // Taken before the round trip, so the lease ends no later than the database's window.
        var sent = clock.GetTimestamp();
        await using var command = new NpgsqlCommand(Take, connection);
        command.Parameters.AddWithValue("account_id", accountId);
        command.Parameters.AddWithValue("limit", permitsPerMinute);
        command.Parameters.AddWithValue("lease", Math.Max(1, permitsPerMinute / 100));
        Lease lease;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            lease = new Lease(
                permitsPerMinute,
                reader.GetInt64(0),
                sent + (long)(reader.GetDouble(3) * clock.TimestampFrequency),
                reader.IsDBNull(1) ? permitsPerMinute : reader.GetInt32(1),
                reader.IsDBNull(2) ? 0 : reader.GetInt32(2));
        }
        // Now and then, drop the windows that have ended.
        if (Interlocked.Increment(ref _leases) % 1000 == 0)
        {
            await using var prune = new NpgsqlCommand(
                "DELETE FROM rate_limit_windows WHERE window_start < floor(extract(epoch FROM clock_timestamp()) / 60)::bigint * 60 - 60", connection);
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }
        return account.Start(lease, clock);
    }

    /// <param name="Counted">The account's count in the window once this lease was taken.</param>
    /// <param name="Unused">Permits of the lease not handed out yet; a lease of none means the limit is reached.</param>
    private sealed record Lease(int Limit, long WindowStart, long Ends, int Counted, int Unused);

    private sealed class Account
    {
        private readonly Lock _lock = new();
        private Lease? _lease;

        public SemaphoreSlim Leasing { get; } = new(1, 1);

        /// <summary>Serves the request from the current lease, if it is for this limit and window; null when a new lease is needed.</summary>
        public RateLimitDecision? TryDecide(int limit, TimeProvider clock)
        {
            var now = clock.GetTimestamp();
            lock (_lock)
            {
                if (_lease is not { } lease || lease.Limit != limit || now >= lease.Ends)
                {
                    return null;
                }
                if (lease.Unused > 0)
                {
                    _lease = lease with { Unused = lease.Unused - 1 };
                    return Decide(_lease, allowed: true, now, clock);
                }
                // The lease that came back empty: refused until the window ends, with no round trip. Only a change
                // of the account's limit can make room before then, and it starts a new lease.
                return lease.Counted >= limit ? Decide(lease, allowed: false, now, clock) : null;
            }
        }

        /// <summary>The unused permits of a live lease for another limit, which stop counting; null when there are none.</summary>
        public (int Permits, long WindowStart)? TakeUnused(TimeProvider clock)
        {
            lock (_lock)
            {
                if (_lease is not { Unused: > 0 } lease || clock.GetTimestamp() >= lease.Ends)
                {
                    return null;
                }
                _lease = lease with { Unused = 0 };
                return (lease.Unused, lease.WindowStart);
            }
        }

        public RateLimitDecision Start(Lease lease, TimeProvider clock)
        {
            var allowed = lease.Unused > 0;
            lock (_lock)
            {
                _lease = allowed ? lease with { Unused = lease.Unused - 1 } : lease with { Counted = Math.Max(lease.Counted, lease.Limit) };
                return Decide(_lease, allowed, clock.GetTimestamp(), clock);
            }
        }

        /// <summary>What is left is what nobody has taken plus this node's unused permits (other nodes' are not known here).</summary>
        private static RateLimitDecision Decide(Lease lease, bool allowed, long now, TimeProvider clock)
        {
            var reset = Math.Max(1, (int)Math.Ceiling((double)(lease.Ends - now) / clock.TimestampFrequency));
            var remaining = allowed ? Math.Max(0, lease.Limit - lease.Counted + lease.Unused) : 0;
            return new RateLimitDecision(allowed, lease.Limit, remaining, reset);
        }
    }
}
