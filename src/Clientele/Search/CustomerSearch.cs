using Clientele.Customers;
using Clientele.Storage;

namespace Clientele.Search;

/// <summary>A validated search: clauses joined by AND (or OR), and the page to return. No clause matches every customer.</summary>
public sealed record CustomerSearch(IReadOnlyList<FilterClause> Filters, bool MatchAny, CustomerListQuery Page)
{
    public static CustomerSearch All(CustomerListQuery page) => new([], false, page);
}

public enum FilterOperator
{
    Equal,
    NotEqual,
    Greater,
    Less,
    GreaterOrEqual,
    LessOrEqual,
    Contains,
    NotContains,
}

public abstract record FilterClause;

/// <summary>
/// A scalar field against a value: a case-folded string, a long (ids, UNIX seconds), a bool, or null
/// (<c>=</c> null matches a null field, <c>!=</c> null a non-null one).
/// </summary>
public sealed record FieldClause(CustomerField Field, FilterOperator Operator, object? Value) : FilterClause;

/// <summary>The customer has every one of these tags (case-sensitive names).</summary>
public sealed record TagsClause(IReadOnlyList<string> Names) : FilterClause;

/// <summary>
/// A <c>customData</c> property against a value whose JSON type picks the comparison: a case-folded string,
/// a double, a bool, or null (the property is absent).
/// </summary>
public sealed record CustomDataClause(string Property, FilterOperator Operator, object? Value) : FilterClause;
