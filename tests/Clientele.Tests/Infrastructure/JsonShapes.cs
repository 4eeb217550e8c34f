using System.Collections.Immutable;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Clientele.Tests.Infrastructure;

/// <summary>A JSON value as a tree, so FsCheck can generate bodies structurally and shrink a failing one member by member.</summary>
public abstract record JsonShape
{
    public abstract string Write();

    public sealed override string ToString() => Write();

    /// <summary>Smaller variants of a shape: members and items dropped one at a time, children shrunk, anything to null.</summary>
    public static IEnumerable<JsonShape> Shrink(JsonShape shape)
    {
        switch (shape)
        {
            case ShapeArray array:
                for (var i = 0; i < array.Items.Length; i++)
                {
                    yield return new ShapeArray(array.Items.RemoveAt(i));
                }
                for (var i = 0; i < array.Items.Length; i++)
                {
                    foreach (var smaller in Shrink(array.Items[i]))
                    {
                        yield return new ShapeArray(array.Items.SetItem(i, smaller));
                    }
                }
                break;
            case ShapeObject obj:
                for (var i = 0; i < obj.Members.Length; i++)
                {
                    yield return new ShapeObject(obj.Members.RemoveAt(i));
                }
                for (var i = 0; i < obj.Members.Length; i++)
                {
                    foreach (var smaller in Shrink(obj.Members[i].Value))
                    {
                        yield return new ShapeObject(obj.Members.SetItem(i, (obj.Members[i].Key, smaller)));
                    }
                }
                break;
            case ShapeLiteral { Raw: not "null" }:
                yield return ShapeLiteral.Null;
                break;
        }
    }
}

/// <summary>A scalar written as its raw JSON text (numbers exactly as generated, strings already quoted and escaped).</summary>
public sealed record ShapeLiteral(string Raw) : JsonShape
{
    public static readonly ShapeLiteral Null = new("null");

    public override string Write() => Raw;
}

public sealed record ShapeArray(ImmutableArray<JsonShape> Items) : JsonShape
{
    public override string Write() => "[" + string.Join(",", Items.Select(i => i.Write())) + "]";
}

/// <summary>An object; the same key may come twice, as hostile clients send it.</summary>
public sealed record ShapeObject(ImmutableArray<(string Key, JsonShape Value)> Members) : JsonShape
{
    public override string Write() => "{" + string.Join(",", Members.Select(m => FuzzJson.Str(m.Key) + ":" + m.Value.Write())) + "}";
}

/// <summary>
/// FsCheck generators of JSON bodies shaped like the API's: objects whose member names mix the real ones with
/// others, values of every JSON type, filters built from the search grammar with bad parts mixed in.
/// </summary>
public static class JsonShapes
{
    private static readonly string[] CustomerKeys =
    [
        .. CustomerBodies.AllFields, "id", "device", "property", "value", "name", "color", "customer", "Name", "EMAIL", "",
    ];

    private static readonly string[] SearchKeys = ["filter", "comparison", "sort", "order", "offset", "limit", "field", "operator", "value", "name", "Filter"];

    private static readonly string[] Fields =
    [
        "customers.id", "customers.name", "customers.email", "customers.userId", "customers.company", "customers.phone", "customers.firstSeen",
        "customers.lastSeen", "customers.countryCode", "customers.city", "customers.regionCode", "customers.locale", "customers.source",
        "customers.createdFrom", "customers.integrationId", "customers.telegramId", "customers.unsubscribed", "customers.blocked",
        "customers.tagsData", "customers.customData.plan", "customers.customData.", "customers.customData", "customers.nope", "customer.name",
        "name", "", " ", "customers.customData.\u0000", "customers.customData.😀", "customers.\udc00", "\ud83d",
    ];

    private static readonly string[] Operators = ["=", "!=", ">", "<", ">=", "<=", "~", "!~", "==", "", "like", "=~", "<>", "\ud800"];

    private static readonly string[] Words =
    [
        "AND", "OR", "and", "xor", "asc", "desc", "DESC", "up", "customers.firstSeen", "customer.firstSeen", "customers.tagsData", "Lead",
        "john@example.com", "not an email", "en", "pt-BR", "english", "1603885746", "1603885746.5", "-1", "abc", "#ff0000", "plan", "\udfff\ud800",
    ];

    public static Gen<JsonShape> Scalar { get; } = Gen.Frequency(
        (2, Gen.Elements<JsonShape>(ShapeLiteral.Null, new ShapeLiteral("true"), new ShapeLiteral("false"))),
        (3, Gen.Elements(FuzzJson.HostileNumbers).Select(n => (JsonShape)new ShapeLiteral(n))),
        (2, Gen.Choose(-5, 150).Select(n => (JsonShape)new ShapeLiteral(n.ToString(CultureInfo.InvariantCulture)))),
        (3, Gen.Elements(Words).Select(Quoted)),
        (3, Gen.Elements(FuzzJson.WeirdText).Select(Quoted)),
        (1, Gen.Elements(FuzzJson.NulText).Select(Quoted)),
        (1, Gen.Elements(FuzzJson.LoneSurrogateEscapes).Select(e => (JsonShape)new ShapeLiteral("\"" + e + "\""))));

    /// <summary>Any value, nested at most <paramref name="depth"/> more levels, objects keyed from <paramref name="keys"/> (or anything).</summary>
    public static Gen<JsonShape> Value(int depth, string[] keys) => depth <= 0
        ? Scalar
        : Gen.Frequency(
            (5, Scalar),
            (2, Gen.ListOf(Value(depth - 1, keys), Math.Min(depth, 5)).Select(items => (JsonShape)new ShapeArray([.. items]))),
            (2, Object(depth - 1, keys)));

    private static Gen<JsonShape> Object(int depth, string[] keys) =>
        Gen.ListOf(Gen.Zip(Key(keys), Value(depth, keys)), Math.Min(depth + 1, 6))
            .Select(members => (JsonShape)new ShapeObject([.. members]));

    private static Gen<string> Key(string[] keys) => Gen.Frequency(
        (12, Gen.Elements(keys)),
        (2, Gen.Elements(FuzzJson.WeirdText)),
        (1, Gen.Elements("\ud800", "x\udfff", "\udc00\ud800")));

    /// <summary>A PATCH body: mostly an object of customer members, at times any JSON at all.</summary>
    public static Gen<JsonShape> CustomerBody { get; } = Gen.Frequency(
        (8, Gen.Sized(size => Object(Math.Clamp(size / 10, 1, 5), CustomerKeys))),
        (1, Value(3, CustomerKeys)));

    /// <summary>A search body: mostly an object with a filter built from the grammar, at times any JSON at all.</summary>
    public static Gen<JsonShape> SearchBody { get; } = Gen.Frequency(
        (8, Gen.Zip(Gen.ListOf(Clause, 4), Gen.ListOf(Gen.Zip(Gen.Elements(SearchKeys), Value(2, SearchKeys)), 4))
            .Select(pair => (JsonShape)new ShapeObject([("filter", new ShapeArray([.. pair.Item1])), .. pair.Item2]))),
        (1, Value(3, SearchKeys)));

    private static Gen<JsonShape> Clause => Gen.Frequency(
        (6, Gen.Zip(Gen.Zip(Gen.Elements(Fields), Gen.Elements(Operators)), Value(2, ["name", "value"]))
            .Select(t => (JsonShape)new ShapeObject([("field", Quoted(t.Item1.Item1)), ("operator", Quoted(t.Item1.Item2)), ("value", t.Item2)]))),
        (1, Value(2, SearchKeys)));

    public static Arbitrary<JsonShape> Arbitrary(Gen<JsonShape> gen) => Arb.From(gen, JsonShape.Shrink);

    private static JsonShape Quoted(string text) => new ShapeLiteral(FuzzJson.Str(text));
}
