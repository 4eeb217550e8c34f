namespace Clientele.Storage;

/// <summary>The storage provider's database, opened and migrated when first resolved.</summary>
public interface IDatabase
{
    /// <summary>Whether the database answers right now (for <c>/healthz</c>).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
