namespace Clientele.RateLimiting;

/// <summary>Counts an account's requests in fixed one-minute windows.</summary>
public interface IAccountRateLimiter
{
    /// <summary>Counts one request; refused when the account already made <paramref name="permitsPerMinute"/> in this window.</summary>
    ValueTask<RateLimitDecision> AcquireAsync(long accountId, int permitsPerMinute, CancellationToken cancellationToken);
}

/// <param name="ResetSeconds">Whole seconds until the window ends and the count starts again (at least 1).</param>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, int ResetSeconds);
