namespace Clientele.Client;

/// <summary>Order and paging of a list or search.</summary>
public sealed class CustomerListOptions
{
    /// <summary>The field to sort by; null sorts by id. Nulls sort last in both orders, ties break by id.</summary>
    public CustomerSortField? SortBy { get; set; }

    /// <summary>Ascending (the default) or descending.</summary>
    public SortOrder Order { get; set; } = SortOrder.Ascending;

    /// <summary>How many customers one request asks for: 1–100, default 100.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>How many matching customers to skip before the first one returned (default 0).</summary>
    public int Offset { get; set; }

    internal string? SortParameter => SortBy is { } sortBy ? "customers." + System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(sortBy.ToString()) : null;

    internal string OrderParameter => Order == SortOrder.Descending ? "desc" : "asc";
}

/// <summary>Sort direction.</summary>
public enum SortOrder
{
    /// <summary>Smallest first.</summary>
    Ascending,

    /// <summary>Largest first.</summary>
    Descending,
}

/// <summary>The fields a list or search can be sorted by (<c>customers.&lt;field&gt;</c> on the wire).</summary>
public enum CustomerSortField
{
    /// <summary><c>customers.id</c></summary>
    Id,

    /// <summary><c>customers.name</c></summary>
    Name,

    /// <summary><c>customers.email</c></summary>
    Email,

    /// <summary><c>customers.userId</c></summary>
    UserId,

    /// <summary><c>customers.company</c></summary>
    Company,

    /// <summary><c>customers.phone</c></summary>
    Phone,

    /// <summary><c>customers.firstSeen</c></summary>
    FirstSeen,

    /// <summary><c>customers.lastSeen</c></summary>
    LastSeen,

    /// <summary><c>customers.countryCode</c></summary>
    CountryCode,

    /// <summary><c>customers.city</c></summary>
    City,

    /// <summary><c>customers.regionCode</c></summary>
    RegionCode,

    /// <summary><c>customers.locale</c></summary>
    Locale,

    /// <summary><c>customers.source</c></summary>
    Source,

    /// <summary><c>customers.createdFrom</c></summary>
    CreatedFrom,

    /// <summary><c>customers.integrationId</c></summary>
    IntegrationId,

    /// <summary><c>customers.unsubscribed</c></summary>
    Unsubscribed,

    /// <summary><c>customers.blocked</c></summary>
    Blocked,
}
