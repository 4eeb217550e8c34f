using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clientele.Tests.Infrastructure;

/// <summary>The searchable customer fields of spec §5, by wire name (after <c>customers.</c>).</summary>
public static class SearchFields
{
    public static readonly string[] Text =
    [
        "name", "email", "userId", "company", "phone", "countryCode", "city", "regionCode", "locale", "source",
        "createdFrom", "integrationId", "telegramId", "facebookId", "instagramId", "viberId", "whatsappId",
    ];

    public static readonly string[] Dates = ["firstSeen", "lastSeen"];

    public static readonly string[] Flags = ["unsubscribed", "blocked"];

    /// <summary>Every scalar field a list can be sorted by.</summary>
    public static readonly string[] Sortable = ["id", .. Text, .. Dates, .. Flags];

    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>A <c>customData</c> value as the model sees it: its JSON type and, for numbers, the value as a double.</summary>
public sealed record CustomValue(JsonValueKind Kind, string Raw)
{
    public static CustomValue Text(string text) => new(JsonValueKind.String, JsonSerializer.Serialize(text, SearchFields.Json));

    public static CustomValue Number(string raw) => new(JsonValueKind.Number, raw);

    public static CustomValue Flag(bool flag) => new(flag ? JsonValueKind.True : JsonValueKind.False, flag ? "true" : "false");

    public string AsText => JsonSerializer.Deserialize<string>(Raw)!;

    public double AsNumber => double.Parse(Raw, NumberStyles.Float, CultureInfo.InvariantCulture);

    public JsonNode? ToNode() => JsonNode.Parse(Raw);

    public override string ToString() => Raw;
}

/// <summary>
/// One customer as sent to the server (<see cref="Body"/>, the exact create body) and as the model stores it:
/// text fields folded nowhere (the model folds when it compares), dates truncated, tags and customData as given.
/// </summary>
public sealed class CustomerSpec
{
    /// <summary>Stable within a generated dataset; queries refer to customers (for id values) by it.</summary>
    public required int Key { get; init; }

    public required string Body { get; init; }

    /// <summary>Non-null text fields by wire name.</summary>
    public required IReadOnlyDictionary<string, string> Texts { get; init; }

    public long? FirstSeen { get; init; }

    public long? LastSeen { get; init; }

    public bool Unsubscribed { get; init; }

    public bool Blocked { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, CustomValue>> CustomData { get; init; } = [];

    public string? TextOf(string field) => Texts.TryGetValue(field, out var text) ? text : null;

    public long? DateOf(string field) => field == "firstSeen" ? FirstSeen : LastSeen;

    public bool FlagOf(string field) => field == "unsubscribed" ? Unsubscribed : Blocked;

    public CustomValue? CustomOf(string property) =>
        CustomData.Where(p => p.Key == property).Select(p => p.Value).FirstOrDefault();
}

/// <summary>A customer of the model: its spec and the id the server gave it.</summary>
public sealed record ModelCustomer(long Id, CustomerSpec Spec);

/// <summary>
/// A search request as generated: clauses, the raw <c>comparison</c>/<c>order</c> texts (any case) and paging.
/// <see cref="EmptyFilter"/> sends <c>"filter": []</c> instead of leaving the member out when there is no clause.
/// </summary>
public sealed record SearchQuery(
    IReadOnlyList<Clause> Clauses,
    string? Comparison = null,
    string? Sort = null,
    bool SortAlias = false,
    string? Order = null,
    int? Offset = null,
    int? Limit = null,
    bool PagingAsStrings = false,
    bool EmptyFilter = false)
{
    public bool MatchAny => string.Equals(Comparison, "or", StringComparison.OrdinalIgnoreCase);

    public bool Descending => string.Equals(Order, "desc", StringComparison.OrdinalIgnoreCase);

    public string ToJson(Func<int, long> idOf)
    {
        var body = new JsonObject();
        if (Clauses.Count > 0 || EmptyFilter)
        {
            body["filter"] = new JsonArray([.. Clauses.Select(c => (JsonNode)c.ToJson(idOf))]);
        }
        if (Comparison is not null)
        {
            body["comparison"] = Comparison;
        }
        if (Sort is not null)
        {
            body["sort"] = (SortAlias ? "customer." : "customers.") + Sort;
        }
        if (Order is not null)
        {
            body["order"] = Order;
        }
        if (Offset is { } offset)
        {
            body["offset"] = PagingAsStrings ? JsonValue.Create(offset.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(offset);
        }
        if (Limit is { } limit)
        {
            body["limit"] = PagingAsStrings ? JsonValue.Create(limit.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(limit);
        }
        return body.ToJsonString(SearchFields.Json);
    }

    public override string ToString() => $"SearchQuery {ToJson(k => k)} (id values shown as key + offset)";
}

/// <summary>The expected answer of a list or search: the ids of the page in order and the total.</summary>
public sealed record SearchAnswer(IReadOnlyList<long> Ids, long Total)
{
    public override string ToString() => $"total {Total}, ids [{string.Join(", ", Ids)}]";

    public bool SameAs(SearchAnswer other) => Total == other.Total && Ids.SequenceEqual(other.Ids);

    public static SearchAnswer Parse(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        return new SearchAnswer(
            [.. root.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64())],
            root.GetProperty("total").GetInt64());
    }
}

/// <summary>The reference model of spec §4–§5 search, list order and paging, computed from the data sent.</summary>
public static class SearchModel
{
    public static SearchAnswer Run(IReadOnlyList<ModelCustomer> customers, SearchQuery query, Func<int, long> idOf)
    {
        var matches = customers.Where(c => query.Clauses.Count == 0 || (query.MatchAny
            ? query.Clauses.Any(clause => clause.Matches(c, idOf))
            : query.Clauses.All(clause => clause.Matches(c, idOf)))).ToList();
        var ordered = Order(matches, query.Sort, query.Descending);
        return new SearchAnswer([.. ordered.Skip(query.Offset ?? 0).Take(query.Limit ?? 100).Select(c => c.Id)], matches.Count);
    }

    /// <summary>
    /// Nulls last in both orders, ties by id ascending; no sort is id (ascending, or descending with
    /// <c>order=desc</c>). Text compares by its UTF-8 bytes, as SQLite's BINARY collation does.
    /// </summary>
    public static List<ModelCustomer> Order(IEnumerable<ModelCustomer> customers, string? sort, bool descending)
    {
        var list = customers.ToList();
        if (sort is null or "id")
        {
            list.Sort((a, b) => descending ? b.Id.CompareTo(a.Id) : a.Id.CompareTo(b.Id));
            return list;
        }
        list.Sort((a, b) =>
        {
            var (x, y) = (SortKey(a, sort), SortKey(b, sort));
            if (x is null != y is null)
            {
                return x is null ? 1 : -1;
            }
            var byKey = x is null ? 0 : CompareKeys(x, y!);
            if (byKey != 0)
            {
                return descending ? -byKey : byKey;
            }
            return a.Id.CompareTo(b.Id);
        });
        return list;
    }

    private static object? SortKey(ModelCustomer customer, string field) => field switch
    {
        "firstSeen" or "lastSeen" => customer.Spec.DateOf(field),
        "unsubscribed" or "blocked" => customer.Spec.FlagOf(field) ? 1L : 0L,
        _ => customer.Spec.TextOf(field) is { } text ? Encoding.UTF8.GetBytes(text) : null,
    };

    private static int CompareKeys(object x, object y) => (x, y) switch
    {
        (long a, long b) => a.CompareTo(b),
        (byte[] a, byte[] b) => Math.Sign(a.AsSpan().SequenceCompareTo(b)),
        _ => throw new InvalidOperationException("Mixed sort keys."),
    };
}
