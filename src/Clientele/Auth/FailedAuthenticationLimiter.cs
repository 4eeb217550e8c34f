using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;

namespace Clientele.Auth;

/// <summary>
/// Spec §6: failed authentications are limited per client address, <c>RateLimiting:FailedAuthenticationsPerMinute</c>
/// (30 by default, 0 turns the limit off) in fixed one-minute windows. Only failures are counted, but an address that
/// has used them up is refused before its key is looked up, so a key cannot be guessed faster than the limit.
/// IPv6 clients are counted by their /64, the block one host usually holds, so a host cannot start over by moving
/// to the next address of its own block.
/// Memory stays bounded: the partitioned limiter drops an address's window once it has been full (unused) for about
/// ten seconds, so an address is held at most a minute and a few seconds after its last failure.
/// </summary>
public sealed partial class FailedAuthenticationLimiter : IDisposable
{
    public const int DefaultPerMinute = 30;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<IPAddress>? _limiter;
    private readonly ILogger<FailedAuthenticationLimiter> _logger;

    public FailedAuthenticationLimiter(IConfiguration configuration, ILogger<FailedAuthenticationLimiter> logger)
    {
        _logger = logger;
        PermitsPerMinute = configuration.GetValue("RateLimiting:FailedAuthenticationsPerMinute", DefaultPerMinute);
        if (PermitsPerMinute > 0)
        {
            var limit = PermitsPerMinute;
            _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = Window, QueueLimit = 0 }));
        }
    }

    public int PermitsPerMinute { get; }

    /// <summary>Whether the address has no failures left in this window; checking counts nothing.</summary>
    public bool IsBlocked(IPAddress? address)
    {
        if (_limiter is null)
        {
            return false;
        }
        using var lease = _limiter.AttemptAcquire(Client(address), permitCount: 0);
        return !lease.IsAcquired;
    }

    /// <summary>Counts one failed authentication of the address; the one that uses its limit up is logged as a warning.</summary>
    public FailedAuthentication CountFailure(IPAddress? address)
    {
        if (_limiter is null)
        {
            return new FailedAuthentication(Refused: false, RetryAfter: TimeSpan.Zero, FirstInWindow: true);
        }
        var client = Client(address);
        using var lease = _limiter.AttemptAcquire(client);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
            return new FailedAuthentication(Refused: true, retryAfter, FirstInWindow: false);
        }
        var left = _limiter.GetStatistics(client)?.CurrentAvailablePermits ?? 0;
        if (left == 0)
        {
            LimitReached(_logger, PermitsPerMinute, client.ToString());
        }
        return new FailedAuthentication(Refused: false, TimeSpan.Zero, FirstInWindow: left == PermitsPerMinute - 1);
    }

    public void Dispose() => _limiter?.Dispose();

    /// <summary>The address a failure is counted against: IPv4 as it is (also when mapped into IPv6), IPv6 by its /64.</summary>
    public static IPAddress Client(IPAddress? address)
    {
        if (address is null)
        {
            return IPAddress.None;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Count} failed authentications from {Address} within a minute: its requests are refused with 429 until the minute is over, without a log line each")]
    private static partial void LimitReached(ILogger logger, int count, string address);
}
