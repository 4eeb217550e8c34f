using Clientele.Customers;
using Clientele.Errors;
using Clientele.Search;

namespace Clientele.Storage;

/// <summary>
/// Customers of one account. Every call is scoped to an account: another account's id behaves exactly
/// like an id that does not exist. A write that returns has been committed durably.
/// </summary>
public interface ICustomerStore
{
    Task<CustomerRecord?> FindAsync(long accountId, long id, CancellationToken cancellationToken);

    /// <summary>A page of the account's customers matching the search, and how many match in all.</summary>
    Task<CustomerPage> SearchAsync(long accountId, CustomerSearch search, CancellationToken cancellationToken);

    Task<WriteOutcome> CreateAsync(long accountId, CustomerEdit edit, CancellationToken cancellationToken);

    Task<WriteOutcome> UpdateAsync(long accountId, long id, CustomerEdit edit, CancellationToken cancellationToken);

    /// <summary>
    /// Applies every edit in order in one transaction: all of them, or none when one fails (unknown id,
    /// taken userId, a limit). Error codes of a failing edit carry its index (<c>[2].tags</c>).
    /// </summary>
    Task<BatchOutcome> UpdateManyAsync(long accountId, IReadOnlyList<BatchEdit> edits, CancellationToken cancellationToken);

    /// <summary>
    /// Bulk import: each edit creates a customer or, with <paramref name="upsertByUserId"/>, merges into the account's
    /// customer that has the same <c>userId</c>. Items succeed or fail one by one; the outcomes are in input order.
    /// </summary>
    Task<IReadOnlyList<WriteOutcome>> ImportAsync(long accountId, IReadOnlyList<CustomerEdit> edits, bool upsertByUserId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> customers with an id above <paramref name="afterId"/>, in id order (export pages).</summary>
    Task<IReadOnlyList<CustomerRecord>> ReadPageAsync(long accountId, long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes the customer with its tag links and events; its <c>userId</c> becomes free.</summary>
    Task<bool> DeleteAsync(long accountId, long id, CancellationToken cancellationToken);
}

public enum WriteStatus
{
    Ok,
    NotFound,
    DuplicateUserId,
    Invalid,
}

/// <summary>What a write did: the customer as stored, or why nothing was written.</summary>
public sealed record WriteOutcome(WriteStatus Status, CustomerRecord? Customer = null, ErrorEnvelope? Errors = null)
{
    public static readonly WriteOutcome NotFound = new(WriteStatus.NotFound);
    public static readonly WriteOutcome DuplicateUserId = new(WriteStatus.DuplicateUserId);
    public static readonly WriteOutcome Ok = new(WriteStatus.Ok);

    public bool Succeeded => Status == WriteStatus.Ok;

    /// <summary>The write made a new customer (imports count created and updated apart).</summary>
    public bool Created { get; init; }
}

public sealed record BatchEdit(long CustomerId, CustomerEdit Edit);

/// <summary>The customers as stored, in request order, or the first failure (then nothing was written).</summary>
public sealed record BatchOutcome(WriteOutcome Failure, IReadOnlyList<CustomerRecord> Customers)
{
    public bool Succeeded => Failure.Succeeded;
}

public sealed record CustomerPage(IReadOnlyList<CustomerRecord> Customers, long Total);

/// <summary>A page of an account's customers; with no sort field the order is by id.</summary>
public sealed record CustomerListQuery(CustomerField? Sort, bool Descending, long Offset, int Limit);
