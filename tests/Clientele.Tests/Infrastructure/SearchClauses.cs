using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// One filter clause of a search request as the model holds it: how it goes on the wire (ids of the dataset
/// resolved by key) and whether a customer matches it under the semantics of spec §5.
/// </summary>
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
