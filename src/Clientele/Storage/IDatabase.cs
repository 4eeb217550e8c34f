namespace Clientele.Storage;

/// <summary>The storage provider's database, opened (and, unless told not to, migrated) at start-up.</summary>
public interface IDatabase
{
    /// <summary>Applies the provider's SQL migrations that have not run yet; safe to run on several nodes at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Brings the planner's picture of the tables up to date after a bulk load (an import), so the next searches
    /// are planned for the data as it now is rather than for the empty tables the last statistics saw.
    /// </summary>
    Task RefreshStatisticsAsync(CancellationToken cancellationToken);

    /// <summary>Whether the database answers and can take durable writes right now (for <c>/healthz</c>), without writing.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);

    /// <summary>Whether a failure means the storage cannot be reached or cannot write (503), rather than a bug (500).</summary>
    bool IsUnavailable(Exception exception);
}
