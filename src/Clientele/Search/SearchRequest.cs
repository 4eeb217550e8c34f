using System.Text.Json;
using Clientele.Customers;
using Clientele.Errors;
using Clientele.Json;

namespace Clientele.Search;

/// <summary>Reads the body of <c>POST /customers/search</c> (spec §5) into a <see cref="CustomerSearch"/>.</summary>
public static partial class SearchRequest
{
    public const int MaxClauses = 20;

    /// <summary>Names in one <c>tagsData</c> value: a customer has at most 100 tags, so more could never match.</summary>
    public const int MaxTagNames = 100;

    /// <summary>A string value: longer ones match nothing a client means, and each one is a needle the database scans with.</summary>
    public const int MaxValueLength = 1000;

    private static readonly Dictionary<string, FilterOperator> Operators = new(StringComparer.Ordinal)
    {
        ["="] = FilterOperator.Equal,
        ["!="] = FilterOperator.NotEqual,
        [">"] = FilterOperator.Greater,
        ["<"] = FilterOperator.Less,
        [">="] = FilterOperator.GreaterOrEqual,
        ["<="] = FilterOperator.LessOrEqual,
        ["~"] = FilterOperator.Contains,
        ["!~"] = FilterOperator.NotContains,
    };

    private static readonly FilterOperator[] Ordering = [.. Operators.Values.Where(o => o is not (FilterOperator.Contains or FilterOperator.NotContains))];
    private static readonly FilterOperator[] Textual = [FilterOperator.Equal, FilterOperator.NotEqual, FilterOperator.Contains, FilterOperator.NotContains];
    private static readonly FilterOperator[] Equality = [FilterOperator.Equal, FilterOperator.NotEqual];

    private static readonly Dictionary<string, CustomerField> Fields =
        Enum.GetValues<CustomerField>().ToDictionary(f => JsonNamingPolicy.CamelCase.ConvertName(f.ToString()), StringComparer.Ordinal);

    public static (CustomerSearch? Search, ErrorEnvelope? Error) Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, RequestJson.WrongTopLevel("object"));
        }
        var errors = new ErrorList();
        var filters = ReadFilters(body, errors);
        var matchAny = ReadComparison(body, errors);
        var (page, pageError) = ListParameters.Parse(
            Member(body, "sort", errors), Member(body, "order", errors), Member(body, "offset", errors), Member(body, "limit", errors));
        if (pageError is not null)
        {
            foreach (var pageFailure in pageError.Errors)
            {
                errors.Add(pageFailure.Code, pageFailure.Message);
            }
        }
        return errors.Count > 0 ? (null, errors.ToEnvelope()) : (new CustomerSearch(filters, matchAny, page!), null);
    }

    /// <summary>A paging member as text: clients send <c>"limit": 10</c> and <c>"limit": "10"</c> alike.</summary>
    private static string? Member(JsonElement body, string name, ErrorList errors)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            return null;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.String:
                return value.GetString();
            default:
                errors.Add(name, Validation.OfType(name is "offset" or "limit" ? "integer" : "string"));
                return null;
        }
    }

    private static bool ReadComparison(JsonElement body, ErrorList errors)
    {
        if (!body.TryGetProperty("comparison", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.Equals(text, "OR", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (!string.Equals(text, "AND", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("comparison", "The value you selected is not a valid choice; use AND or OR.");
        }
        return false;
    }

    private static List<FilterClause> ReadFilters(JsonElement body, ErrorList errors)
    {
        var clauses = new List<FilterClause>();
        if (!body.TryGetProperty("filter", out var filter) || filter.ValueKind == JsonValueKind.Null)
        {
            return clauses;
        }
        if (filter.ValueKind != JsonValueKind.Array)
        {
            errors.Add("filter", Validation.OfType("array"));
            return clauses;
        }
        if (filter.GetArrayLength() > MaxClauses)
        {
            errors.Add("filter", Validation.TooMany(MaxClauses));
            return clauses;
        }
        var index = 0;
        foreach (var item in filter.EnumerateArray())
        {
            if (ReadClause(item, $"filter[{index++}]", errors) is { } clause)
            {
                clauses.Add(clause);
            }
        }
        return clauses;
    }
}
