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

public abstract record Clause
{
    public abstract JsonObject ToJson(Func<int, long> idOf);

    public abstract bool Matches(ModelCustomer customer, Func<int, long> idOf);

    protected static JsonObject Make(string field, string op, JsonNode? value) =>
        new() { ["field"] = "customers." + field, ["operator"] = op, ["value"] = value };

    /// <summary><c>=</c>/<c>!=</c> with null test presence; otherwise a null field matches only <c>!=</c>.</summary>
    protected static bool CompareNumbers(long? stored, string op, long? value) =>
        value is not { } v ? (op == "=" ? stored is null : stored is not null)
        : stored is not { } s ? op == "!="
        : op switch
        {
            "=" => s == v,
            "!=" => s != v,
            ">" => s > v,
            "<" => s < v,
            ">=" => s >= v,
            "<=" => s <= v,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };

    public static string Fold(string text) => text.ToLowerInvariant();
}

/// <summary>A string field; <see cref="AsNumber"/> sends the needle as a JSON number (it is all digits).</summary>
public sealed record TextClause(string Field, string Op, string? Needle, bool AsNumber = false) : Clause
{
    public override JsonObject ToJson(Func<int, long> idOf) =>
        Make(Field, Op, Needle is null ? null : AsNumber ? JsonNode.Parse(Needle) : JsonValue.Create(Needle));

    public override bool Matches(ModelCustomer customer, Func<int, long> idOf)
    {
        var stored = customer.Spec.TextOf(Field);
        if (Needle is null)
        {
            return Op == "=" ? stored is null : stored is not null;
        }
        if (stored is null)
        {
            return Op is "!=" or "!~";
        }
        var (folded, needle) = (Fold(stored), Fold(Needle));
        return Op switch
        {
            "=" => folded == needle,
            "!=" => folded != needle,
            "~" => folded.Contains(needle, StringComparison.Ordinal),
            "!~" => !folded.Contains(needle, StringComparison.Ordinal),
            _ => throw new InvalidOperationException($"Unknown text operator {Op}."),
        };
    }
}

/// <summary>How a whole number is sent: <c>5</c>, <c>"5"</c>, <c>"5.987"</c> or <c>5.5</c> (fractions are truncated).</summary>
public enum NumberForm
{
    Number,
    Quoted,
    QuotedFraction,
    Fraction,
}

/// <summary>firstSeen / lastSeen against whole seconds, sent in one of the forms clients use.</summary>
public sealed record DateClause(string Field, string Op, long? Seconds, NumberForm Form = NumberForm.Number) : Clause
{
    public override JsonObject ToJson(Func<int, long> idOf) => Make(Field, Op, Seconds is { } s ? Render(s, Form) : null);

    public override bool Matches(ModelCustomer customer, Func<int, long> idOf) =>
        CompareNumbers(customer.Spec.DateOf(Field), Op, Seconds);

    public static JsonNode Render(long value, NumberForm form)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        return form switch
        {
            NumberForm.Number => JsonValue.Create(value),
            NumberForm.Quoted => JsonValue.Create(text),
            NumberForm.QuotedFraction => JsonValue.Create(text + ".987"),
            _ => JsonNode.Parse(text + ".5")!,
        };
    }
}

/// <summary>customers.id against the id of a customer of the dataset (by key) plus a delta, or a constant.</summary>
public sealed record IdClause(string Op, int? Key, long Offset, bool AsString = false) : Clause
{
    public long Value(Func<int, long> idOf) => (Key is { } key ? idOf(key) : 0) + Offset;

    public override JsonObject ToJson(Func<int, long> idOf)
    {
        var value = Value(idOf);
        return Make("id", Op, AsString ? JsonValue.Create(value.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(value));
    }

    public override bool Matches(ModelCustomer customer, Func<int, long> idOf) => CompareNumbers(customer.Id, Op, Value(idOf));
}

public sealed record FlagClause(string Field, string Op, bool Value) : Clause
{
    public override JsonObject ToJson(Func<int, long> idOf) => Make(Field, Op, Value);

    public override bool Matches(ModelCustomer customer, Func<int, long> idOf) =>
        Op == "=" ? customer.Spec.FlagOf(Field) == Value : customer.Spec.FlagOf(Field) != Value;
}

/// <summary>The customer has every one of the names (case-sensitive).</summary>
public sealed record TagsClause(IReadOnlyList<string> Names) : Clause
{
    public override JsonObject ToJson(Func<int, long> idOf) =>
        Make("tagsData", "=", new JsonArray([.. Names.Select(n => (JsonNode)new JsonObject { ["name"] = n })]));

    public override bool Matches(ModelCustomer customer, Func<int, long> idOf) => Names.All(n => customer.Spec.Tags.Contains(n, StringComparer.Ordinal));

    public override string ToString() => $"TagsClause [{string.Join(", ", Names)}]";
}

/// <summary>
/// customers.customData.&lt;property&gt;: the JSON type of the value picks the comparison, against stored values of
/// that type only; <c>!=</c>/<c>!~</c> also match a customer without the property or with another type; null tests presence.
/// </summary>
public sealed record CustomClause(string Property, string Op, CustomValue? Value) : Clause
{
    public override JsonObject ToJson(Func<int, long> idOf) => Make("customData." + Property, Op, Value?.ToNode());

    public override bool Matches(ModelCustomer customer, Func<int, long> idOf)
    {
        var stored = customer.Spec.CustomOf(Property);
        if (Value is null)
        {
            return Op == "=" ? stored is null : stored is not null;
        }
        var negated = Op is "!=" or "!~";
        var positive = Value.Kind switch
        {
            JsonValueKind.String => stored is { Kind: JsonValueKind.String } && (Op is "~" or "!~"
                ? Fold(stored.AsText).Contains(Fold(Value.AsText), StringComparison.Ordinal)
                : Fold(stored.AsText) == Fold(Value.AsText)),
            JsonValueKind.Number => stored is { Kind: JsonValueKind.Number } && CompareDoubles(stored.AsNumber, negated ? "=" : Op, Value.AsNumber),
            _ => stored is not null && stored.Kind == Value.Kind,
        };
        return negated ? !positive : positive;
    }

    private static bool CompareDoubles(double stored, string op, double value) => op switch
    {
        "=" => stored == value,
        ">" => stored > value,
        "<" => stored < value,
        ">=" => stored >= value,
        "<=" => stored <= value,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}

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
