namespace Clientele.Storage;

public interface IEventStore
{
    /// <summary>Records an event on the account's customer; null when the account has no such customer.</summary>
    Task<EventRecord?> AddAsync(long accountId, long customerId, string name, string? dataJson, CancellationToken cancellationToken);
}

public sealed record EventRecord(long Id, string Name, string? DataJson, long CreatedAt, long CustomerId);
