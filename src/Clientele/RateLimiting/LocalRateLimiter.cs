using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Clientele.RateLimiting;

/// <summary>
/// The limiter of a single node (SQLite): one <see cref="FixedWindowRateLimiter"/> per account, in memory.
/// Only granted requests count, as in <c>PostgresRateLimiter</c>. When an account's limit changes, a new
/// limiter takes over and is charged with what the account already used, so the change neither forgives
/// nor double-counts the requests made so far.
/// </summary>
public sealed class LocalRateLimiter(TimeProvider clock) : IAccountRateLimiter, IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<long, Partition> _partitions = new();
    private readonly Lock _replacing = new();

    public ValueTask<RateLimitDecision> AcquireAsync(long accountId, int permitsPerMinute, CancellationToken cancellationToken)
    {
        var partition = _partitions.GetOrAdd(accountId, _ => new Partition(permitsPerMinute, clock.GetTimestamp(), used: 0));
        if (partition.Limit != permitsPerMinute)
        {
            partition = Replace(accountId, permitsPerMinute);
        }
        using var lease = partition.Limiter.AttemptAcquire();
        var remaining = (int)(partition.Limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);
        // The limiter's windows start when it is created and follow each other every minute.
        var intoWindow = clock.GetElapsedTime(partition.Created).Ticks % Window.Ticks;
        var reset = Math.Max(1, (int)Math.Ceiling(TimeSpan.FromTicks(Window.Ticks - intoWindow).TotalSeconds));
        return ValueTask.FromResult(new RateLimitDecision(lease.IsAcquired, permitsPerMinute, remaining, reset));
    }

    private Partition Replace(long accountId, int permitsPerMinute)
    {
        lock (_replacing)
        {
            var current = _partitions[accountId];
            if (current.Limit == permitsPerMinute)
            {
                return current;
            }
            var used = current.Limit - (int)(current.Limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);
            var replacement = new Partition(permitsPerMinute, clock.GetTimestamp(), used);
            _partitions[accountId] = replacement;
            current.Limiter.Dispose();
            return replacement;
        }
    }

    public void Dispose()
    {
        foreach (var partition in _partitions.Values)
        {
            partition.Limiter.Dispose();
        }
    }

    private sealed class Partition
    {
        public Partition(int limit, long created, int used)
        {
            Limit = limit;
            Created = created;
            Limiter = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
            if (used > 0)
            {
                Limiter.AttemptAcquire(Math.Min(used, limit)).Dispose();
            }
        }

        public int Limit { get; }

        public long Created { get; }

        public FixedWindowRateLimiter Limiter { get; }
    }
}
