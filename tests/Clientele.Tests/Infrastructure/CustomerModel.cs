using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// What a customer should look like after a write, worked out from what it looked like before (spec §3–§4):
/// the reference a crash test holds the server to when a kill leaves it unknown whether a request was applied.
/// It covers what <see cref="CrashClient"/> sends: text and boolean fields, <c>customData</c> in object form,
/// and tags without colours (so every tag shows the default colour).
/// </summary>
public static class CustomerModel
{
    public const string DefaultTagColor = "#c377e0";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A customer with no field set and no id yet: what a create starts from.</summary>
    public static JsonObject Blank()
    {
        var blank = Parse(WireAssertions.BlankCustomer(0));
        blank["id"] = null;
        return blank;
    }

    public static JsonObject Parse(string raw) => JsonNode.Parse(raw)!.AsObject();

    /// <summary>PATCH semantics (a create is a merge into <see cref="Blank"/>): present fields change, <c>customData</c> merges per property and a null removes one, <c>tags</c> replaces the set.</summary>
    public static JsonObject Merge(JsonObject customer, JsonObject body)
    {
        var result = customer.DeepClone().AsObject();
        foreach (var (name, value) in body)
        {
            switch (name)
            {
                case "customer":
                    break;
                case "customData":
                    var data = result["customData"]!.AsObject();
                    foreach (var (property, propertyValue) in value!.AsObject())
                    {
                        if (propertyValue is null)
                        {
                            data.Remove(property);
                        }
                        else
                        {
                            data[property] = propertyValue.DeepClone();
                        }
                    }
                    break;
                case "tags":
                    result["tags"] = Tags(TagNames(value!).Distinct(StringComparer.Ordinal));
                    break;
                default:
                    result[name] = value?.DeepClone();
                    break;
            }
        }
        return result;
    }

    /// <summary><c>PUT /customers/{id}/tags</c>: the names the customer lacks are added after the ones it has.</summary>
    public static JsonObject AddTags(JsonObject customer, IEnumerable<string> names)
    {
        var result = customer.DeepClone().AsObject();
        var current = TagNames(result["tags"]!).ToList();
        current.AddRange(names.Distinct(StringComparer.Ordinal).Where(n => !current.Contains(n, StringComparer.Ordinal)).ToList());
        result["tags"] = Tags(current);
        return result;
    }

    /// <summary><c>DELETE /customers/{id}/tags</c>: the names present are removed, others are a no-op.</summary>
    public static JsonObject RemoveTags(JsonObject customer, IEnumerable<string> names)
    {
        var result = customer.DeepClone().AsObject();
        var removed = names.ToHashSet(StringComparer.Ordinal);
        result["tags"] = Tags(TagNames(result["tags"]!).Where(n => !removed.Contains(n)));
        return result;
    }

    /// <summary>
    /// True when <paramref name="raw"/> is <paramref name="expected"/>, key order of <c>customData</c> aside (the model does
    /// not predict where a merged property lands; the exact bytes are checked against acknowledged answers instead).
    /// An expected id of null matches any id (a create whose answer was lost).
    /// </summary>
    public static bool Matches(string raw, JsonObject expected)
    {
        var actual = Parse(raw);
        if (expected["id"] is null)
        {
            expected = expected.DeepClone().AsObject();
            expected["id"] = actual["id"]?.DeepClone();
        }
        return Canonical(actual) == Canonical(expected);
    }

    public static string Canonical(JsonObject customer)
    {
        var copy = customer.DeepClone().AsObject();
        if (copy["customData"] is JsonObject data)
        {
            var sorted = new JsonObject();
            foreach (var (property, value) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                sorted[property] = value?.DeepClone();
            }
            copy["customData"] = sorted;
        }
        return copy.ToJsonString(Relaxed);
    }

    private static IEnumerable<string> TagNames(JsonNode tags) => tags.AsArray().Select(t => t!["name"]!.GetValue<string>());

    private static JsonArray Tags(IEnumerable<string> names) =>
        [.. names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["color"] = DefaultTagColor })];
}
