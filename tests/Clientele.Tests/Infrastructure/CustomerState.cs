using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

/// <summary>A <c>customData</c> value as the spec compares it: numbers by their exact text, strings by their decoded value.</summary>
public sealed record CustomDataValue(JsonValueKind Kind, string Raw, string? Text)
{
    public static CustomDataValue Of(JsonElement value) =>
        new(value.ValueKind, value.GetRawText(), value.ValueKind == JsonValueKind.String ? value.GetString() : null);

    public bool SameAs(CustomDataValue other) => Kind == other.Kind && Kind switch
    {
        JsonValueKind.String => Text == other.Text,
        JsonValueKind.Number => Raw == other.Raw,
        _ => true,
    };

    public override string ToString() => Kind == JsonValueKind.String ? FuzzJson.Str(Text!) : Raw;
}

/// <summary>
/// What the API shows of one customer (spec §3), as a reference model: every text member by its decoded value,
/// tags in order with colours, and <c>customData</c> as a map. Applying a generated body gives what the spec
/// says the next answer must show.
/// </summary>
public sealed class CustomerState
{
    /// <summary>The keys of the customer object in the order of spec §3.</summary>
    public static readonly string[] KeyOrder =
    [
        "id", "name", "email", "userId", "company", "phone", "firstSeen", "lastSeen", "location", "device", "unsubscribed", "blocked",
        "source", "referer", "lastPage", "locale", "createdFrom", "integrationId", "notes", "tags", "customData",
    ];

    /// <summary>Every member that is a string or null on output; the location ones as <c>location.city</c>.</summary>
    public static readonly string[] TextKeys =
    [
        "name", "email", "userId", "company", "phone", "firstSeen", "lastSeen", "location.regionCode", "location.countryCode", "location.city",
        "source", "referer", "lastPage", "locale", "createdFrom", "integrationId", "notes",
    ];

    public const string DefaultColor = "#c377e0";
    public const int MaxTags = 100;
    public const int MaxCustomData = 200;

    public Dictionary<string, string?> Text { get; } = TextKeys.ToDictionary(k => k, _ => (string?)null, StringComparer.Ordinal);

    public bool Unsubscribed { get; set; }

    public bool Blocked { get; set; }

    public List<(string Name, string Color)> Tags { get; } = [];

    public List<(string Property, CustomDataValue Value)> CustomData { get; } = [];

    public CustomerState Copy()
    {
        var copy = new CustomerState { Unsubscribed = Unsubscribed, Blocked = Blocked };
        foreach (var (key, value) in Text)
        {
            copy.Text[key] = value;
        }
        copy.Tags.AddRange(Tags);
        copy.CustomData.AddRange(CustomData);
        return copy;
    }

    /// <summary>Reads a customer object, or says why it is not one of spec §3's shape.</summary>
    public static (CustomerState? State, string? Problem) Read(JsonElement customer)
    {
        if (customer.ValueKind != JsonValueKind.Object)
        {
            return (null, "not an object");
        }
        var keys = customer.EnumerateObject().Select(p => p.Name).ToArray();
        if (!keys.SequenceEqual(KeyOrder))
        {
            return (null, $"keys are [{string.Join(",", keys)}], spec §3 says [{string.Join(",", KeyOrder)}]");
        }
        var state = new CustomerState();
        foreach (var key in TextKeys)
        {
            var value = key.StartsWith("location.", StringComparison.Ordinal)
                ? customer.GetProperty("location").TryGetProperty(key["location.".Length..], out var member) ? member : default
                : customer.GetProperty(key);
            if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return (null, $"{key} is {value.ValueKind}, not a string or null");
            }
            state.Text[key] = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        if (!customer.GetProperty("location").EnumerateObject().Select(p => p.Name).SequenceEqual(["regionCode", "countryCode", "city"]))
        {
            return (null, "location is not exactly {regionCode, countryCode, city}");
        }
        if (customer.GetProperty("device").GetRawText() != """{"id":null,"ip":null,"timezone":null,"platform":null,"userAgent":null}""")
        {
            return (null, "device is not all null: " + customer.GetProperty("device").GetRawText());
        }
        foreach (var flag in new[] { "unsubscribed", "blocked" })
        {
            if (customer.GetProperty(flag).ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return (null, $"{flag} is not a boolean");
            }
        }
        state.Unsubscribed = customer.GetProperty("unsubscribed").GetBoolean();
        state.Blocked = customer.GetProperty("blocked").GetBoolean();
        foreach (var tag in customer.GetProperty("tags").EnumerateArray())
        {
            state.Tags.Add((tag.GetProperty("name").GetString()!, tag.GetProperty("color").GetString()!));
        }
        var data = customer.GetProperty("customData");
        if (data.ValueKind != JsonValueKind.Object)
        {
            return (null, "customData is not an object");
        }
        foreach (var property in data.EnumerateObject())
        {
            state.CustomData.Add((property.Name, CustomDataValue.Of(property.Value)));
        }
        return state.HeldNul() is { } where ? (null, $"{where} holds a NUL, which no stored text may hold") : (state, null);
    }

    /// <summary>Where this state holds a NUL (a text member, a tag, a customData name or string), or null: the server refuses NUL in all of them.</summary>
    public string? HeldNul()
    {
        static bool Nul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);
        return TextKeys.FirstOrDefault(k => Nul(Text[k]))
            ?? Tags.Where(t => Nul(t.Name) || Nul(t.Color)).Select(t => $"tag {Show(t.Name)}").FirstOrDefault()
            ?? CustomData.Where(e => Nul(e.Property) || Nul(e.Value.Text)).Select(e => $"customData.{Show(e.Property)}").FirstOrDefault();
    }

    /// <summary>The differences between what the spec says (this) and what the server answered, or null.</summary>
    public string? Difference(CustomerState actual)
    {
        var problems = new List<string>();
        foreach (var key in TextKeys.Where(k => Text[k] != actual.Text[k]))
        {
            problems.Add($"{key}: {ShowDifference(Text[key], actual.Text[key])}");
        }
        if (Unsubscribed != actual.Unsubscribed)
        {
            problems.Add($"unsubscribed: expected {Unsubscribed}");
        }
        if (Blocked != actual.Blocked)
        {
            problems.Add($"blocked: expected {Blocked}");
        }
        if (!Tags.SequenceEqual(actual.Tags))
        {
            problems.Add($"tags: expected [{ShowTags(Tags)}], got [{ShowTags(actual.Tags)}]");
        }
        var expected = CustomData.ToDictionary(e => e.Property, e => e.Value, StringComparer.Ordinal);
        var got = new Dictionary<string, CustomDataValue>(StringComparer.Ordinal);
        foreach (var (property, value) in actual.CustomData)
        {
            if (!got.TryAdd(property, value))
            {
                problems.Add($"customData: property {Show(property)} twice");
            }
        }
        foreach (var (property, value) in expected)
        {
            if (!got.TryGetValue(property, out var actualValue))
            {
                problems.Add($"customData.{Show(property)}: expected {value}, missing");
            }
            else if (!value.SameAs(actualValue))
            {
                problems.Add($"customData.{Show(property)}: expected {value}, got {actualValue}");
            }
        }
        foreach (var property in got.Keys.Where(p => !expected.ContainsKey(p)))
        {
            problems.Add($"customData.{Show(property)}: unexpected, {got[property]}");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems.Take(8));
    }

    /// <summary>Merges <c>customData</c> changes: a null removes, an existing property is overwritten, a new one added.</summary>
    public void MergeCustomData(IEnumerable<(string Property, CustomDataValue? Value)> changes)
    {
        foreach (var (property, value) in changes)
        {
            var at = CustomData.FindIndex(e => e.Property == property);
            if (value is null)
            {
                if (at >= 0)
                {
                    CustomData.RemoveAt(at);
                }
            }
            else if (at >= 0)
            {
                CustomData[at] = (property, value);
            }
            else
            {
                CustomData.Add((property, value));
            }
        }
    }

    /// <summary>Two texts around where they first differ, with their lengths: long values often differ only deep inside.</summary>
    public static string ShowDifference(string? expected, string? actual)
    {
        if (expected is null || actual is null)
        {
            return $"expected {Show(expected)}, got {Show(actual)}";
        }
        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at])
        {
            at++;
        }
        var from = Math.Max(0, at - 20);
        return $"expected {expected.Length} UTF-16 units, got {actual.Length}; they part at {at}: expected …{Show(expected[from..Math.Min(expected.Length, at + 20)])}…, got …{Show(actual[from..Math.Min(actual.Length, at + 20)])}…";
    }

    public static string Show(string? text) => text is null ? "null" : FuzzJson.Str(text.Length > 80 ? text[..80] + "…" : text);

    private static string ShowTags(IEnumerable<(string Name, string Color)> tags) => string.Join(",", tags.Select(t => $"{Show(t.Name)}:{t.Color}"));
}

/// <summary>
/// An account's tag colours as the spec fixes them: the first use of a name creates it with the colour given
/// (or the default); after that the name keeps its colour. Changes are staged until the answer is known.
/// </summary>
public sealed class TagColours
{
    private readonly Dictionary<string, string> _colours = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _staged = new(StringComparer.Ordinal);

    public string ColourFor(string name, string? requested)
    {
        if (_colours.TryGetValue(name, out var colour) || _staged.TryGetValue(name, out colour))
        {
            return colour;
        }
        colour = string.IsNullOrEmpty(requested) ? CustomerState.DefaultColor : requested;
        _staged[name] = colour;
        return colour;
    }

    public void Commit()
    {
        foreach (var (name, colour) in _staged)
        {
            _colours[name] = colour;
        }
        _staged.Clear();
    }

    public void Discard() => _staged.Clear();

    /// <summary>Learns the colours an answer the spec leaves open showed; says so if a known tag changed colour.</summary>
    public string? Learn(IEnumerable<(string Name, string Color)> tags)
    {
        _staged.Clear();
        foreach (var (name, colour) in tags)
        {
            if (_colours.TryGetValue(name, out var known) && known != colour)
            {
                return $"tag {CustomerState.Show(name)} changed colour from {known} to {colour}";
            }
            _colours[name] = colour;
        }
        return null;
    }
}
