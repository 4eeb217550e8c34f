using System.Globalization;
using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

/// <summary>A generated create/PUT/PATCH body and, member by member, what spec §3 says it sets.</summary>
public sealed class CustomerBody
{
    public List<(string Key, string Raw)> Members { get; } = [];

    /// <summary>Output text members it sets (<c>location.city</c> for the location ones), to their expected value.</summary>
    public Dictionary<string, string?> Text { get; } = new(StringComparer.Ordinal);

    public bool? Unsubscribed { get; set; }

    public bool? Blocked { get; set; }

    /// <summary>The tags as sent, in order; null when the body has no <c>tags</c>.</summary>
    public List<(string Name, string? Color)>? Tags { get; set; }

    /// <summary>The <c>customData</c> entries as sent (a null value removes); null when absent.</summary>
    public List<(string Property, CustomDataValue? Value)>? CustomData { get; set; }

    public string Json(Random? rng = null) => FuzzJson.Obj(Members, rng);

    public void Set(string key, string raw)
    {
        Members.RemoveAll(m => m.Key == key);
        Members.Add((key, raw));
    }

    /// <summary>
    /// The state spec §4 says results from applying this body to <paramref name="previous"/> (PUT and create
    /// replace, PATCH merges), or the code of the per-customer limit it would break (then nothing is written).
    /// </summary>
    public (CustomerState? State, string? LimitCode) Apply(CustomerState? previous, bool replace, TagColours colours)
    {
        var state = replace || previous is null ? new CustomerState() : previous.Copy();
        foreach (var (key, value) in Text)
        {
            state.Text[key] = value;
        }
        state.Unsubscribed = Unsubscribed ?? state.Unsubscribed;
        state.Blocked = Blocked ?? state.Blocked;
        if (Tags is not null)
        {
            state.Tags.Clear();
            foreach (var (name, color) in Tags.DistinctBy(t => t.Name, StringComparer.Ordinal))
            {
                state.Tags.Add((name, colours.ColourFor(name, color)));
            }
        }
        if (CustomData is not null)
        {
            state.MergeCustomData(CustomData);
        }
        return state.Tags.Count > CustomerState.MaxTags ? (null, "tags")
            : state.CustomData.Count > CustomerState.MaxCustomData ? (null, "customData")
            : (state, null);
    }
}

/// <summary>
/// Generates valid customer bodies full of hostile-but-legal values: every kind of Unicode, numbers sent for
/// text, timestamps in every accepted form, tags and <c>customData</c> names that differ only by case or
/// normalisation. Every value here is one the spec accepts, so a refusal or a changed value is a bug; the one
/// exception is <see cref="NulFault"/>, a NUL put in one stored text, which must be refused at that field.
/// </summary>
public sealed partial class CustomerBodies(Random rng, string uniquePrefix)
{
    public static readonly string[] TextFields = ["name", "company", "phone", "createdFrom", "integrationId"];
    public static readonly string[] UrlFields = ["source", "referer", "lastPage"];
    public static readonly string[] SearchOnlyFields = ["telegramId", "facebookId", "instagramId", "viberId", "whatsappId"];
    public static readonly string[] LocationFields = ["city", "regionCode", "countryCode"];

    public static readonly string[] AllFields =
    [
        .. TextFields, .. UrlFields, .. SearchOnlyFields, "notes", "email", "userId", "firstSeen", "lastSeen", "unsubscribed", "blocked",
        "locale", "location", "city", "regionCode", "countryCode", "tags", "customData",
    ];

    public static readonly string[] ValidLocales = ["en", "uk", "pt-BR", "en_US", "de", "zh-CN", "fr_CA", "es"];

    private static readonly string[] EmailLocals = ["john", "o'brien+tag", "用户", "x", "a.b-c_d", "😀", "\u00E9l\u00E8ve"];
    private static readonly string[] EmailDomains = ["example.com", "例子.广告", "sub.example.co.uk", "x.io", "xn--bcher-kva.example"];

    /// <summary>Tag names that differ only by case, trailing space, normalisation or invisible characters.</summary>
    private static readonly string[] TagNames =
    [
        "Lead", "lead", "LEAD", "Lead ", " Lead", "L\u200Bead", "\u00E9", "e\u0301", "😀", "👨‍👩‍👧‍👦", "東京", "שלום\u200F",
        "\u202Etag", "\"quoted\"", "back\\slash", "%", "_", "*", "\u0130", "i\u0307", "stra\u00DFe", "STRASSE", "NaN", "null",
    ];

    /// <summary>CSS colours in their several notations (the spec takes any CSS colour string up to 32 characters).</summary>
    private static readonly string[] Colours =
        ["#ff0000", "#FFF", "red", "rgb(255, 0, 0)", "hsla(120, 100%, 50%, 0.3)", "transparent", "#c377e0", "RebeccaPurple", "#12345678", "currentColor"];

    private static readonly string[] PropertyNames =
        ["plan", "Plan", "PLAN", " plan", "plan ", "\u00E9", "e\u0301", "a.b", "$x", "😀", "東京", "with \"quotes\"", "null", "__proto__", "constructor", "customData"];

    private int _counter;

    public int NextNumber() => ++_counter;

    public string Unique(string stem) => $"{uniquePrefix}-{stem}-{NextNumber()}";

    /// <summary>A valid body of up to <paramref name="maxFields"/> random members, plus unknown members now and then.</summary>
    public CustomerBody Next(int maxFields = 8, bool bulk = true)
    {
        var body = new CustomerBody();
        var fields = AllFields.OrderBy(_ => rng.Next()).Take(rng.Next(0, maxFields + 1)).ToList();
        if (fields.Contains("location"))
        {
            // The nested and the flat location forms in one body would leave the order of the two to the server.
            fields.RemoveAll(f => LocationFields.Contains(f));
        }
        foreach (var field in fields)
        {
            AddValid(body, field);
        }
        if (rng.Chance(0.25))
        {
            AddUnknownMembers(body);
        }
        if (bulk && rng.Chance(0.03))
        {
            AddManyTags(body);
        }
        else if (bulk && rng.Chance(0.03))
        {
            AddManyProperties(body);
        }
        return body;
    }

    public void AddValid(CustomerBody body, string field)
    {
        switch (field)
        {
            case "email":
                var email = rng.Next(6) switch
                {
                    0 => (Raw: "\"\"", Value: (string?)null),
                    1 => ("null", null),
                    _ => WithValue($"{rng.Pick(EmailLocals)}.{NextNumber()}@{rng.Pick(EmailDomains)}"),
                };
                SetText(body, "email", email.Raw, email.Value);
                break;
            case "userId":
                var userId = rng.Next(6) switch
                {
                    0 => ("\"\"", null),
                    1 => ("null", null),
                    2 => WithValue(Unique("u") + rng.Pick(FuzzJson.WeirdText)),
                    3 => NumberText(900_000_000_000L + NextNumber()),
                    _ => WithValue(Unique("user")),
                };
                SetText(body, "userId", userId.Raw, userId.Value);
                break;
            case "firstSeen" or "lastSeen":
                var (raw, seen) = Timestamp();
                SetText(body, field, raw, seen);
                break;
            case "unsubscribed" or "blocked":
                var flag = rng.Next(3);
                body.Set(field, flag switch { 0 => "true", 1 => "false", _ => "null" });
                if (field == "unsubscribed")
                {
                    body.Unsubscribed = flag == 0;
                }
                else
                {
                    body.Blocked = flag == 0;
                }
                break;
            case "locale":
                var locale = rng.Chance(0.2) ? null : rng.Pick(ValidLocales);
                SetText(body, "locale", locale is null ? "null" : FuzzJson.Str(locale, rng), locale);
                break;
            case "location":
                if (rng.Chance(0.2))
                {
                    body.Set("location", "null");
                    foreach (var member in LocationFields)
                    {
                        body.Text["location." + member] = null;
                    }
                    break;
                }
                var members = new List<(string, string)>();
                foreach (var member in LocationFields.OrderBy(_ => rng.Next()))
                {
                    var (memberRaw, value) = TextValue(255);
                    members.Add((member, memberRaw));
                    body.Text["location." + member] = value;
                }
                body.Set("location", FuzzJson.Obj(members, rng));
                break;
            case "city" or "regionCode" or "countryCode":
                var (flatRaw, flatValue) = TextValue(255);
                SetText(body, field, flatRaw, flatValue, "location." + field);
                break;
            case "tags":
                var tags = NextTags(rng.Next(0, 7));
                body.Tags = tags;
                body.Set("tags", TagsJson(tags));
                break;
            case "customData":
                var entries = NextCustomData(rng.Next(0, 9));
                body.CustomData = entries;
                body.Set("customData", CustomDataJson(entries));
                break;
            default:
                var max = field == "notes" ? 65535 : UrlFields.Contains(field) ? 2048 : 255;
                var (textRaw, text) = field == "notes" && rng.Chance(0.05)
                    ? WithValue(FuzzJson.CodePoints(rng.Chance(0.5) ? 65535 : rng.Next(256, 5000), rng))
                    : TextValue(max);
                SetText(body, field, textRaw, text);
                break;
        }
    }

    /// <summary>A text value: weird Unicode up to the limit, a number kept as its text, or null.</summary>
    public (string Raw, string? Value) TextValue(int max) => rng.Next(12) switch
    {
        < 7 => WithValue(FuzzJson.WeirdString(rng, max)),
        7 => WithValue(FuzzJson.CodePoints(max, rng)),
        8 or 9 => Same(rng.Pick(FuzzJson.HostileNumbers)),
        10 => ("null", null),
        _ => WithValue(Unique("v")),
    };

    private (string Raw, string? Value) WithValue(string text) => (FuzzJson.Str(text, rng), text);

    /// <summary>A JSON number sent for a text member: stored as its text.</summary>
    private static (string Raw, string? Value) Same(string number) => (number, number);

    private static (string Raw, string? Value) NumberText(long number) => Same(number.ToString(CultureInfo.InvariantCulture));

    /// <summary>Whole UNIX seconds as a number, a numeric string or a fractional numeric string.</summary>
    private (string Raw, string? Value) Timestamp()
    {
        var seconds = rng.Chance(0.1) ? 0 : rng.NextInt64(0, 4_102_444_800);
        var text = seconds.ToString(CultureInfo.InvariantCulture);
        return rng.Next(5) switch
        {
            0 => (text, text),
            1 => ($"\"{text}\"", text),
            2 => ($"\"{text}.{rng.Next(0, 1000):D3}\"", text),
            3 => ($"\"{text}.{rng.Next(0, 10)}\"", text),
            _ => ("null", null),
        };
    }

    /// <summary>Sets a member; the search-only ones (telegramId…) are never output, so they expect nothing.</summary>
    private static void SetText(CustomerBody body, string key, string raw, string? value, string? outputKey = null)
    {
        body.Set(key, raw);
        if (!SearchOnlyFields.Contains(key))
        {
            body.Text[outputKey ?? key] = value;
        }
    }

    public List<(string Name, string? Color)> NextTags(int count)
    {
        var tags = new List<(string Name, string? Color)>();
        for (var i = 0; i < count; i++)
        {
            var name = rng.Next(5) switch
            {
                0 => FuzzJson.CodePoints(100, rng),
                1 => Unique("t") + rng.Pick(FuzzJson.WeirdText),
                _ => rng.Pick(TagNames),
            };
            if (string.IsNullOrWhiteSpace(name) || name.EnumerateRunes().Count() > 100)
            {
                name = Unique("t");
            }
            // A name given twice keeps its first colour, so a repeat says the same.
            var earlier = tags.FindIndex(t => t.Name == name);
            var color = earlier >= 0 ? tags[earlier].Color : rng.Chance(0.5) ? null : rng.Pick(Colours);
            tags.Add((name, color));
        }
        return tags;
    }

    public string TagsJson(IEnumerable<(string Name, string? Color)> tags) => FuzzJson.Arr(tags.Select(t => t.Color is null && rng.Chance(0.5)
        ? FuzzJson.Obj([("name", FuzzJson.Str(t.Name, rng))], rng)
        : FuzzJson.Obj([("name", FuzzJson.Str(t.Name, rng)), ("color", t.Color is null ? "null" : FuzzJson.Str(t.Color, rng))], rng)));

    public List<(string Property, CustomDataValue? Value)> NextCustomData(int count)
    {
        var entries = new List<(string Property, CustomDataValue? Value)>();
        for (var i = 0; i < count; i++)
        {
            var property = rng.Chance(0.6) ? rng.Pick(PropertyNames) : rng.Chance(0.5) ? Unique("p") : FuzzJson.WeirdString(rng, 40);
            if (string.IsNullOrWhiteSpace(property) || entries.Exists(e => e.Property == property))
            {
                property = Unique("p");
            }
            entries.Add((property, NextScalar()));
        }
        return entries;
    }

    /// <summary>A scalar: weird text, a hostile number (kept exactly as sent), a boolean, or null (removes).</summary>
    private CustomDataValue? NextScalar()
    {
        var raw = rng.Next(8) switch
        {
            0 or 1 or 2 => FuzzJson.Str(FuzzJson.WeirdString(rng, 300), rng),
            3 or 4 => rng.Pick(FuzzJson.HostileNumbers),
            5 => rng.Chance(0.5) ? "true" : "false",
            6 => rng.NextInt64(-1_000_000, 1_000_000).ToString(CultureInfo.InvariantCulture),
            _ => "null",
        };
        if (raw == "null")
        {
            return null;
        }
        using var document = JsonDocument.Parse(raw);
        return CustomDataValue.Of(document.RootElement);
    }

    /// <summary>Object form <c>{p: v}</c> or HelpCrunch's list form <c>[{"property","value"}]</c>.</summary>
    public string CustomDataJson(IEnumerable<(string Property, CustomDataValue? Value)> entries) => rng.Chance(0.5)
        ? FuzzJson.Obj(entries.Select(e => (e.Property, e.Value?.Raw ?? "null")), rng)
        : FuzzJson.Arr(entries.Select(e => FuzzJson.Obj([("property", FuzzJson.Str(e.Property, rng)), ("value", e.Value?.Raw ?? "null")], rng)));

    private void AddManyTags(CustomerBody body)
    {
        var count = rng.Next(95, 106);
        body.Tags = [.. Enumerable.Range(0, count).Select(i => (Unique("bulk"), (string?)null))];
        body.Set("tags", TagsJson(body.Tags));
    }

    private void AddManyProperties(CustomerBody body)
    {
        var count = rng.Next(190, 211);
        body.CustomData = [.. Enumerable.Range(0, count).Select(i => (Unique("bulk"), (CustomDataValue?)new CustomDataValue(JsonValueKind.Number, i.ToString(CultureInfo.InvariantCulture), null)))];
        body.Set("customData", CustomDataJson(body.CustomData));
    }

    /// <summary>Members the spec says are ignored: unknown names (real ones in another case), and the read-only id and device.</summary>
    public void AddUnknownMembers(CustomerBody body)
    {
        foreach (var _ in Enumerable.Range(0, rng.Next(1, 4)))
        {
            var key = rng.Pick(UnknownKeys);
            if (body.Members.Exists(m => m.Key == key))
            {
                continue;
            }
            body.Members.Add((key, UnknownValue()));
        }
    }

    public static readonly string[] UnknownKeys =
    [
        "id", "device", "Name", "EMAIL", "user_id", "userid", "tagsData", "customer", "custom_data", "CustomData", "Tags", "firstseen",
        "createdAt", "unknown", "", " ", "\u0000", "😀", "name ", " name", "n\u0061me\u200B", "__proto__", "$where", "location.city", "customData.plan",
    ];

    /// <summary>
    /// Any JSON, nested at most 20 deep, so the body stays within the depth limit of 32. Its text may hold a NUL:
    /// an ignored member and event data are not stored as text, so they take it.
    /// </summary>
    public string UnknownValue() => rng.Next(7) switch
    {
        6 => FuzzJson.Str(rng.Pick(FuzzJson.NulText), rng),
        0 => rng.Pick(FuzzJson.AnyType),
        1 => FuzzJson.Nested(rng.Next(1, 20), rng, rng.Pick(FuzzJson.AnyType)),
        2 => rng.Pick(FuzzJson.HostileNumbers),
        3 => FuzzJson.Str(FuzzJson.WeirdString(rng, 100), rng),
        4 => """{"id":"x","ip":"1.2.3.4","timezone":"UTC","platform":"iOS","userAgent":"curl"}""",
        _ => NextNumber().ToString(CultureInfo.InvariantCulture),
    };
}
