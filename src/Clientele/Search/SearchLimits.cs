using System.Threading.RateLimiting;

namespace Clientele.Search;

/// <summary>
/// Spec §6: a search or a list runs under its account's cap on concurrent searches and under a deadline. Without
/// them eight searches of one account took every read connection of a 2-core server and another account's
/// <c>GET</c> waited 60 s; and a search whose client had gone kept running.
/// </summary>
public sealed class SearchLimits : IDisposable
{
    public const int DefaultTimeoutMilliseconds = 5000;

    /// <summary>
    /// Half the cores (at least one): a search is CPU work, and one account's searches may keep no more than half the
    /// machine busy. With 4 on 2 cores another account's GET p99 grew 12 × beside them; with 1, 3.5 × (bench: noisy neighbour).
    /// </summary>
    public static int DefaultPerAccount => Math.Max(1, Environment.ProcessorCount / 2);

    public const int DefaultQueuePerAccount = 4;

    /// <summary>How long a search waits for one of its account's running searches to end before it is turned away.</summary>
    private static readonly TimeSpan QueueWait = TimeSpan.FromSeconds(1);

    private readonly IConfiguration _configuration;
    private readonly int _permits;
    private readonly PartitionedRateLimiter<long> _running;

    public SearchLimits(IConfiguration configuration)
    {
        _configuration = configuration;
        var permits = _permits = configuration.GetValue("Limits:SearchesPerAccount", DefaultPerAccount);
        var queue = configuration.GetValue("Limits:SearchQueuePerAccount", DefaultQueuePerAccount);
        _running = PartitionedRateLimiter.Create<long, long>(accountId => RateLimitPartition.GetConcurrencyLimiter(accountId,
            _ => new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst }));
    }

    /// <summary>
    /// Runs <paramref name="query"/> with a token that fires at the deadline or when the client goes away; the
    /// store stops the statement on it. Throws <see cref="SearchesBusyException"/> when the account already runs
    /// its share, <see cref="QueryTimeoutException"/> past the deadline.
    /// </summary>
    public async Task<T> RunAsync<T>(long accountId, Func<CancellationToken, Task<T>> query, CancellationToken requestAborted)
    {
        using var lease = await AcquireAsync(accountId, requestAborted);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        // Read at every search, so a changed appsettings.json applies without a restart.
        deadline.CancelAfter(TimeSpan.FromMilliseconds(_configuration.GetValue("Limits:QueryTimeoutMilliseconds", DefaultTimeoutMilliseconds)));
        try
        {
            return await query(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !requestAborted.IsCancellationRequested)
        {
            throw new QueryTimeoutException();
        }
    }

    /// <summary>How many searches and lists of the account run now: tests wait on it to know one is under way.</summary>
    internal long Running(long accountId) => _permits - (_running.GetStatistics(accountId)?.CurrentAvailablePermits ?? _permits);

    private async Task<RateLimitLease> AcquireAsync(long accountId, CancellationToken requestAborted)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        wait.CancelAfter(QueueWait);
        RateLimitLease lease;
        try
        {
            lease = await _running.AcquireAsync(accountId, 1, wait.Token);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            throw new SearchesBusyException();
        }
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new SearchesBusyException();
        }
        return lease;
    }

    public void Dispose() => _running.Dispose();
}
