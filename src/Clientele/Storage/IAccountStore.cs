namespace Clientele.Storage;

/// <summary>Accounts (tenants) and their API keys. Keys are known here only by their hash.</summary>
public interface IAccountStore
{
    /// <summary>Creates the account, or returns null when the name is taken.</summary>
    Task<long?> CreateAccountAsync(string name, CancellationToken cancellationToken);

    Task<long?> FindAccountAsync(string name, CancellationToken cancellationToken);

    Task<long> CreateKeyAsync(long accountId, string? label, byte[] keyHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(CancellationToken cancellationToken);

    /// <summary>Returns false when no live key has that id.</summary>
    Task<bool> RevokeKeyAsync(long keyId, CancellationToken cancellationToken);

    /// <summary>The account a live (unrevoked) key belongs to, with its own request limit if it has one.</summary>
    Task<KeyOwner?> FindKeyOwnerAsync(byte[] keyHash, CancellationToken cancellationToken);

    /// <summary>Sets the account's requests per minute (null: the configured default); false when there is no such account.</summary>
    Task<bool> SetRateLimitAsync(string accountName, int? permitsPerMinute, CancellationToken cancellationToken);

    /// <summary>
    /// Makes sure the account exists and the key is live for it; safe to repeat at every start. A key that was
    /// revoked stays revoked (false): revoking is how an operator stops a leaked key, and a restart must not undo it.
    /// </summary>
    Task<bool> EnsureKeyAsync(string accountName, byte[] keyHash, string label, CancellationToken cancellationToken);
}

public sealed record KeyOwner(long AccountId, int? RateLimit);

public sealed record ApiKeyInfo(long Id, string Account, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
