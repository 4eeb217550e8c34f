using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

/// <summary>The data a fuzz run attacks: account A's customers (the caller's), account B's, and their raw answers.</summary>
public sealed class FuzzWorld
{
    public required string KeyA { get; init; }

    /// <summary>A's customers; at least 16, so a batch of 11 distinct own ids exists.</summary>
    public required long[] OwnIds { get; init; }

    /// <summary>B's customers: to A they must not exist.</summary>
    public required long[] ForeignIds { get; init; }

    /// <summary>The raw <c>GET /v1/customers/{id}</c> of each of A's customers when the run starts.</summary>
    public required Dictionary<long, string> Raw { get; init; }

    /// <summary>A's customer ids by the userId they hold.</summary>
    public required Dictionary<string, long> UserIds { get; init; }

    /// <summary>Well formed, never issued.</summary>
    public long MissingId { get; } = 8_000_000_000_000;
}

/// <summary>
/// Generates requests that must leave the database exactly as it was: requests the spec refuses (every
/// field with every wrong type, malformed and over-deep JSON, bad ids, foreign ids, bad filters, unknown routes,
/// wrong methods, missing keys, oversized bodies and URLs), reads and searches, and edits that are no-ops.
/// Each carries what the spec fixes for its answer.
/// </summary>
public sealed class HostileRequests(Random rng, FuzzWorld world)
{
    private static readonly string[] WrongForText = ["true", "false", "{}", "[]", "{\"a\":1}", "[\"x\"]", "[null]"];
    private static readonly string[] WrongTimestamps =
        ["true", "{}", "[]", "\"abc\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"\"", "\"12abc\"", "-1", "-0.5", "\"-1\"", "-1603885746", "\"0x10\"", "\"1,5\"", "[1603885746]"];
    private static readonly string[] WrongFlags = ["0", "1", "\"true\"", "\"false\"", "\"\"", "{}", "[]", "\"yes\"", "[true]"];
    private static readonly string[] BadEmails = ["\"plainaddress\"", "\"@example.com\"", "\"john@\"", "\"john\"", "12345", "\"john@@example.com\"", "\"\\u0000\""];
    private static readonly string[] BadLocales = ["\"english\"", "\"zz\"", "\"en-\"", "\"e\"", "\"123\"", "\"en_US_POSIX\"", "\"💩\"", "42", "\"en-USA-x\"", "\"\\u0000\""];
    private static readonly string[] TextOutputFields = [.. CustomerBodies.TextFields, .. CustomerBodies.UrlFields, .. CustomerBodies.SearchOnlyFields, "notes", "email", "userId", "city", "regionCode", "countryCode"];

    private static readonly string[] SearchTextFields =
    [
        "name", "email", "userId", "company", "phone", "countryCode", "city", "regionCode", "locale", "source", "createdFrom", "integrationId",
        "telegramId", "facebookId", "instagramId", "viberId", "whatsappId",
    ];

    private static readonly string[] SortFields = [.. SearchTextFields, "id", "firstSeen", "lastSeen", "unsubscribed", "blocked"];

    /// <summary>Path segments that are not a positive integer, already escaped for a URL.</summary>
    private static readonly string[] BadIds =
    [
        "abc", "0", "00", "-1", "-0", "1.5", "1e3", "1E3", "0x1", "9223372036854775808", "99999999999999999999", "18446744073709551616",
        "NaN", "Infinity", "null", "true", "%EF%BC%91", "%D9%A1", "%F0%9F%98%80", "1%2C0", "~1", "1_000", "%E2%80%AE1", "%20", "%2D1",
        new string('9', 300), "%0A1", "%C3%28", "%FF", "%01", "%7F",
    ];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "application/json; charset=utf-16",
        "application/xml", "garbage/!!", "application/json; charset=iso-8859-1", "", "application/merge-patch+json", "*/*",
    ];

    private readonly CustomerBodies _bodies = new(rng, "fz");

    private string Own => Id(rng.Pick(world.OwnIds));

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    public FuzzRequest Next()
    {
        var request = rng.Next(1000) switch
        {
            < 140 => CustomerFault(),
            < 200 => BadIdPath(),
            < 290 => MalformedBody(),
            < 330 => WrongTopLevel(),
            < 370 => DeepNesting(),
            < 420 => TagsRouteFault(),
            < 500 => BatchFault(),
            < 620 => Search(),
            < 680 => List(),
            < 730 => EventFault(),
            < 800 => UnknownRouteOrWrongMethod(),
            < 850 => AuthFailure(),
            < 915 => NoOpEdit(),
            < 935 => DuplicateUserId(),
            < 995 => Read(),
            _ => Oversized(),
        };
        return Decorate(request);
    }

    /// <summary>Varies what the spec says must not matter: the Content-Type, the Host, a stray query string.</summary>
    private FuzzRequest Decorate(FuzzRequest request)
    {
        var contentType = request.Body is null
            ? rng.Chance(0.2) ? "application/json" : null
            : rng.Next(10) switch { < 6 => "application/json", < 8 => null, _ => rng.Pick(ContentTypes) };
        var host = rng.Chance(0.05) ? rng.Pick("evil.example", "127.0.0.1:1", "[::1]", new string('h', 200), "xn--bcher-kva.example") : null;
        var path = request.Path;
        if (rng.Chance(0.05) && request.Method != "GET" && !path.Contains('?', StringComparison.Ordinal))
        {
            path += "?limit=abc&sort=nope&offset=-1&%00=%FF";
        }
        return request with { ContentType = contentType, Host = host, Path = path };
    }

    private FuzzRequest Make(string kind, string method, string path, string? json, FuzzExpect expect) =>
        FuzzRequest.Json(kind, method, path, json, expect) with { Authorization = "Bearer " + world.KeyA };

    private FuzzRequest Refused(string kind, string method, string path, string? json, int? status = null, string? firstCode = null, IReadOnlyList<string>? codes = null) =>
        Make(kind, method, path, json, FuzzExpect.Reject) with { Status = status, FirstCode = firstCode, Codes = codes ?? [] };

    /// <summary>A create, PUT or PATCH whose body is valid but for one to three members of a wrong type, form or size.</summary>
    private FuzzRequest CustomerFault()
    {
        var (method, path) = rng.Next(3) switch
        {
            0 => ("POST", "v1/customers"),
            1 => ("PUT", "v1/customers/" + Own),
            _ => ("PATCH", "v1/customers/" + Own),
        };
        var body = _bodies.Next(6, bulk: false);
        var codes = new List<string>();
        var faults = rng.Chance(0.7) ? 1 : rng.Next(2, 4);
        var kinds = new List<string>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < faults; i++)
        {
            var (key, raw, code, kind) = Fault();
            if (!keys.Add(key))
            {
                continue;
            }
            body.Set(key, raw);
            codes.Add(code);
            kinds.Add(kind);
        }
        return Refused("customer field: " + string.Join(" + ", kinds), method, path, body.Json(rng), 400, codes.Count == 1 ? codes[0] : null, codes);
    }

    /// <summary>One member with a value the spec refuses, and the error code it must produce.</summary>
    public (string Key, string Raw, string Code, string Kind) Fault()
    {
        switch (rng.Next(10))
        {
            case 0:
            {
                var key = rng.Pick(TextOutputFields);
                return (key, rng.Pick(WrongForText), key, "text of wrong type");
            }
            case 1:
            {
                var key = rng.Pick(TextOutputFields);
                if (key == "notes" && rng.Chance(0.7))
                {
                    key = "name";
                }
                var max = key == "notes" ? 65535 : CustomerBodies.UrlFields.Contains(key) ? 2048 : 255;
                var text = key == "email"
                    ? new string('a', max) + "@example.com"
                    : FuzzJson.CodePoints(max + 1 + rng.Next(3), rng);
                return (key, FuzzJson.Str(text, rng), key, "text over its length");
            }
            case 2:
                return ("email", rng.Pick(BadEmails), "email", "email that is no address");
            case 3:
                return ("locale", rng.Pick(BadLocales), "locale", "locale that is not ISO 639-1");
            case 4:
            {
                var key = rng.Chance(0.5) ? "firstSeen" : "lastSeen";
                return (key, rng.Pick(WrongTimestamps), key, "timestamp that is no whole non-negative number");
            }
            case 5:
            {
                var key = rng.Chance(0.5) ? "unsubscribed" : "blocked";
                return (key, rng.Pick(WrongFlags), key, "flag that is no boolean");
            }
            case 6:
                if (rng.Chance(0.5))
                {
                    return ("location", rng.Pick("\"SF\"", "5", "true", "[]", "[\"x\"]", "[{\"city\":\"x\"}]"), "location", "location of wrong type");
                }
                var member = rng.Pick(CustomerBodies.LocationFields);
                var bad = rng.Chance(0.7) ? rng.Pick("true", "{}", "[]") : FuzzJson.Str(FuzzJson.CodePoints(256, rng));
                return ("location", FuzzJson.Obj((member, bad)), "location*", "location member of wrong type or length");
            case 7:
            {
                var (raw, code, kind) = TagsFault();
                return ("tags", raw, code, kind);
            }
            case 8:
            {
                var (raw, code, kind) = CustomDataFault();
                return ("customData", raw, code, kind);
            }
            default:
            {
                var key = rng.Pick(TextOutputFields);
                return (key, rng.Pick(WrongForText), key, "text of wrong type");
            }
        }
    }

    /// <summary>A <c>tags</c> value the spec refuses: the list itself, or one item of it, at a known index.</summary>
    public (string Raw, string Code, string Kind) TagsFault(bool forRemoval = false)
    {
        if (rng.Chance(0.2))
        {
            return (rng.Pick("{}", "\"Lead\"", "5", "true", "{\"name\":\"Lead\"}"), "tags", "tags not an array");
        }
        if (!forRemoval && rng.Chance(0.1))
        {
            var many = Enumerable.Range(0, rng.Next(101, 111)).Select(_ => FuzzJson.Obj(("name", FuzzJson.Str(_bodies.Unique("many")))));
            return (FuzzJson.Arr(many), "tags", "more than 100 tags");
        }
        var items = _bodies.NextTags(rng.Next(0, 4)).Select(t => FuzzJson.Obj(("name", FuzzJson.Str(t.Name, rng)))).ToList();
        var at = rng.Next(items.Count + 1);
        string bad;
        string code;
        string kind;
        var roll = forRemoval ? 0 : rng.Next(3);
        if (roll == 0)
        {
            bad = rng.Pick("\"Lead\"", "5", "null", "[]", "true", "[{\"name\":\"x\"}]");
            code = $"tags[{at}]*";
            kind = "tag item not an object";
        }
        else if (roll == 1)
        {
            bad = rng.Pick("{\"color\":\"#fff\"}", "{\"name\":\"\"}", "{\"name\":null}", "{\"name\":{}}", "{\"name\":[]}", "{\"name\":true}", "{}",
                FuzzJson.Obj(("name", FuzzJson.Str(FuzzJson.CodePoints(101 + rng.Next(5), rng)))));
            code = $"tags[{at}].name";
            kind = "tag name missing, blank, of wrong type or over 100";
        }
        else
        {
            bad = FuzzJson.Obj(("name", FuzzJson.Str(_bodies.Unique("c"))),
                ("color", rng.Pick("{}", "[]", "true", FuzzJson.Str(FuzzJson.CodePoints(33 + rng.Next(5), rng)))));
            code = $"tags[{at}].color";
            kind = "tag colour of wrong type or over 32";
        }
        items.Insert(at, bad);
        return (FuzzJson.Arr(items), code, kind);
    }

    /// <summary>A <c>customData</c> value the spec refuses: wrong type, an object or array value, a broken list item, over 200.</summary>
    public (string Raw, string Code, string Kind) CustomDataFault()
    {
        var entries = _bodies.NextCustomData(rng.Next(0, 4)).Where(e => e.Value is not null).ToList();
        switch (rng.Next(5))
        {
            case 0:
                return (rng.Pick("\"x\"", "5", "true", "\"{}\""), "customData", "customData of wrong type");
            case 1:
            {
                var members = entries.Select(e => (e.Property, e.Value!.Raw)).ToList();
                members.Insert(rng.Next(members.Count + 1), (_bodies.Unique("bad"), rng.Pick("{}", "[]", "{\"a\":1}", "[1]", "[null]")));
                return (FuzzJson.Obj(members, rng), "customData*", "customData value an object or array");
            }
            case 2:
            {
                var items = entries.Select(e => FuzzJson.Obj(("property", FuzzJson.Str(e.Property, rng)), ("value", e.Value!.Raw))).ToList();
                items.Insert(rng.Next(items.Count + 1), rng.Pick("5", "\"x\"", "null", "[]", "{\"value\":1}", "{\"property\":\"\",\"value\":1}", "{\"property\":null,\"value\":1}",
                    "{\"property\":{},\"value\":1}", "{\"property\":5,\"value\":1}", "{\"property\":true,\"value\":1}", "{\"property\":[],\"value\":1}",
                    "{\"property\":\"p\",\"value\":{}}", "{\"property\":\"p\",\"value\":[]}", "{\"property\":\"p\",\"value\":[1,2]}"));
                return (FuzzJson.Arr(items), "customData*", "customData list item broken");
            }
            default:
            {
                var many = Enumerable.Range(0, rng.Next(201, 230)).Select(i => (_bodies.Unique("many"), Id(i)));
                return (FuzzJson.Obj(many, rng), "customData", "more than 200 customData properties");
            }
        }
    }

    /// <summary>Every route of a customer, with an id that is no positive integer, never issued, or another account's.</summary>
    private FuzzRequest BadIdPath()
    {
        var roll = rng.Next(10);
        var id = roll < 6 ? rng.Pick(BadIds)
            : roll < 8 ? Id(rng.Pick(world.ForeignIds))
            : rng.Chance(0.5) ? Id(world.MissingId) : Id(long.MaxValue);
        var kind = roll < 6 ? "path id that is no positive integer" : roll < 8 ? "path id of another account" : "path id never issued";
        var (method, suffix, body) = rng.Next(6) switch
        {
            0 => ("GET", "", null),
            1 => ("PUT", "", _bodies.Next(4, bulk: false).Json(rng)),
            2 => ("PATCH", "", _bodies.Next(4, bulk: false).Json(rng)),
            3 => ("DELETE", "", null),
            4 => ("PUT", "/tags", """{"tags":[{"name":"Lead"},{"name":"New"}]}"""),
            _ => ("DELETE", "/tags", """{"tags":[{"name":"Lead"}]}"""),
        };
        return Refused(kind + $" ({id[..Math.Min(id.Length, 24)]})", method, $"v1/customers/{id}{suffix}", body, 404, "entity_not_found");
    }

    /// <summary>A route that reads a body, with a valid path, and a valid body for it.</summary>
    private (string Method, string Path, string Body, string Route) BodyRoute()
    {
        var own = Own;
        return rng.Next(8) switch
        {
            0 => ("POST", "v1/customers", _bodies.Next(4, bulk: false).Json(rng), "create"),
            1 => ("PUT", "v1/customers/" + own, _bodies.Next(4, bulk: false).Json(rng), "replace"),
            2 => ("PATCH", "v1/customers/" + own, _bodies.Next(4, bulk: false).Json(rng), "merge"),
            3 => ("PUT", $"v1/customers/{own}/tags", """{"tags":[{"name":"Fresh","color":"#010203"}]}""", "add tags"),
            4 => ("DELETE", $"v1/customers/{own}/tags", """{"tags":[{"name":"Lead"}]}""", "remove tags"),
            5 => ("PUT", "v1/customers/batch", FuzzJson.Arr([FuzzJson.Obj(("customer", own), ("name", "\"Batched\""))]), "batch"),
            6 => ("POST", "v1/customers/search", """{"filter":[{"field":"customers.name","operator":"~","value":"a"}],"limit":5}""", "search"),
            _ => ("POST", "v1/events", FuzzJson.Obj(("name", "\"signup\""), ("data", "{\"plan\":\"pro\"}"), ("customer", own)), "event"),
        };
    }

    private FuzzRequest MalformedBody()
    {
        var (method, path, valid, route) = BodyRoute();
        if (rng.Chance(0.1))
        {
            return Refused($"{route}: empty body", method, path, rng.Chance(0.5) ? "" : null, 400, "invalid_json");
        }
        var bytes = FuzzJson.Malformed(rng, valid);
        return Make($"{route}: body that is not JSON", method, path, null, FuzzExpect.Reject) with { Body = bytes, Status = 400, FirstCode = "invalid_json" };
    }

    private FuzzRequest WrongTopLevel()
    {
        var (method, path, _, route) = BodyRoute();
        var raw = route == "batch"
            ? rng.Pick("{}", "{\"customer\":1,\"name\":\"x\"}", "\"x\"", "5", "true", "null", "\"[]\"", "1e400")
            : rng.Pick("[]", "[{}]", "\"x\"", "5", "-0", "1e400", "true", "false", "null", "\"{}\"", "[{\"name\":\"x\"}]", "\"\\ud800\"");
        return Refused($"{route}: top-level {raw}", method, path, raw, 400, "invalid_json");
    }

    /// <summary>JSON nested past the depth limit of 32: at the top, under an unknown member, in event data, in a filter, in a batch item.</summary>
    private FuzzRequest DeepNesting()
    {
        var levels = rng.Pick(33, 34, 40, 64, 1000, 100_000);
        var (method, path, _, route) = BodyRoute();
        var own = Own;
        var body = rng.Next(3) switch
        {
            0 => FuzzJson.Nested(levels, rng),
            _ => route switch
            {
                "batch" => FuzzJson.Arr([FuzzJson.Obj(("customer", own), ("unknown", FuzzJson.Nested(levels - 2, rng)))]),
                "event" => FuzzJson.Obj(("name", "\"deep\""), ("customer", own), ("data", FuzzJson.Nested(levels - 1, rng))),
                "search" => FuzzJson.Obj(("filter", FuzzJson.Arr([FuzzJson.Obj(("field", "\"customers.name\""), ("operator", "\"=\""), ("value", FuzzJson.Nested(levels - 3, rng)))]))),
                "add tags" or "remove tags" => FuzzJson.Obj(("tags", FuzzJson.Arr([FuzzJson.Obj(("name", "\"x\""), ("extra", FuzzJson.Nested(levels - 3, rng)))]))),
                _ => FuzzJson.Obj(("name", "\"Deep\""), (rng.Chance(0.5) ? "unknown" : "customData", FuzzJson.Nested(levels - 1, rng))),
            },
        };
        return Refused($"{route}: JSON {levels} levels deep", method, path, body);
    }

    private FuzzRequest TagsRouteFault()
    {
        var removal = rng.Chance(0.4);
        var method = removal ? "DELETE" : "PUT";
        var path = $"v1/customers/{Own}/tags";
        if (rng.Chance(0.1))
        {
            // No "tags" member: refused or a no-op, never a change.
            return Make($"{method} tags without tags", method, path, rng.Pick("{}", "{\"tag\":[{\"name\":\"x\"}]}", "{\"Tags\":[{\"name\":\"x\"}]}"), FuzzExpect.Any);
        }
        var (raw, code, kind) = TagsFault(removal);
        var members = new List<(string, string)> { ("tags", raw) };
        if (rng.Chance(0.2))
        {
            members.Add(("name", "\"ignored\""));
        }
        return Refused($"{method} tags: {kind}", method, path, FuzzJson.Obj(members, rng), 400, code);
    }

    /// <summary>A batch item for <paramref name="id"/>: the body given, or a valid one without a userId (which could repeat one).</summary>
    private string BatchItem(long id, bool idAsString = false, CustomerBody? body = null)
    {
        if (body is null)
        {
            body = _bodies.Next(4, bulk: false);
            body.Members.RemoveAll(m => m.Key == "userId");
        }
        // "customer" is an unknown member elsewhere; in a batch item it is the id.
        body.Members.RemoveAll(m => m.Key == "customer");
        body.Members.Insert(rng.Next(body.Members.Count + 1), ("customer", idAsString ? $"\"{id}\"" : Id(id)));
        return body.Json(rng);
    }

    /// <summary>A batch the spec refuses as a whole: count, shape, a broken item, a repeated or foreign id.</summary>
    private FuzzRequest BatchFault()
    {
        var count = rng.Next(1, 11);
        var ids = world.OwnIds.OrderBy(_ => rng.Next()).Take(count).ToList();
        var items = ids.Select(id => BatchItem(id, rng.Chance(0.3))).ToList();
        var at = rng.Next(items.Count);
        const string path = "v1/customers/batch";
        switch (rng.Next(10))
        {
            case 0:
                return Refused("batch: empty array", "PUT", path, "[]", 400);
            case 1:
            {
                var many = world.OwnIds.OrderBy(_ => rng.Next()).Take(rng.Next(11, world.OwnIds.Length + 1)).Select(id => BatchItem(id));
                return Refused("batch: more than 10 items", "PUT", path, FuzzJson.Arr(many), 400);
            }
            case 2:
                items[at] = rng.Pick("5", "\"x\"", "null", "[]", "true", "[{\"customer\":1}]");
                return Refused("batch: item not an object", "PUT", path, FuzzJson.Arr(items), 400, codes: [$"[{at}]*"]);
            case 3:
            {
                var body = _bodies.Next(4, bulk: false);
                body.Members.RemoveAll(m => m.Key is "userId" or "customer");
                items[at] = body.Json(rng);
                return Refused("batch: item without customer", "PUT", path, FuzzJson.Arr(items), 400, codes: [$"[{at}].customer"]);
            }
            case 4:
            {
                var body = _bodies.Next(4, bulk: false);
                body.Members.RemoveAll(m => m.Key == "userId");
                body.Set("customer", rng.Pick("true", "{}", "[]", "\"abc\"", "1.5", "\"1.5\"", "\"\"", "[1]", "{\"id\":1}", "null"));
                items[at] = body.Json(rng);
                return Refused("batch: customer of wrong type", "PUT", path, FuzzJson.Arr(items));
            }
            case 5 when count < 10:
            {
                var repeat = rng.Next(1, items.Count + 1);
                var earlier = rng.Next(Math.Min(repeat, items.Count));
                items.Insert(repeat, BatchItem(ids[earlier], rng.Chance(0.5)));
                return Refused("batch: the same id twice", "PUT", path, FuzzJson.Arr(items), 400, codes: [$"[{repeat}].customer"]);
            }
            case 6:
            case 7:
            {
                var foreign = rng.Chance(0.6) ? rng.Pick(world.ForeignIds) : world.MissingId;
                items[at] = BatchItem(foreign, rng.Chance(0.3));
                return Refused("batch: an id not the account's", "PUT", path, FuzzJson.Arr(items), 404, "entity_not_found");
            }
            case 8:
            {
                var body = _bodies.Next(3, bulk: false);
                body.Members.RemoveAll(m => m.Key == "userId");
                var (key, raw, code, kind) = Fault();
                body.Set(key, raw);
                items[at] = BatchItem(ids[at], body: body);
                return Refused("batch item: " + kind, "PUT", path, FuzzJson.Arr(items), 400, codes: [$"[{at}].{code}"]);
            }
            default:
                items[at] = BatchItem(rng.Pick(0L, -5L, -1L));
                return Refused("batch: customer 0 or negative", "PUT", path, FuzzJson.Arr(items));
        }
    }

    /// <summary>A search: valid with weird values (must answer 200), or with one defect (400 with its code). Never a change.</summary>
    private FuzzRequest Search()
    {
        const string path = "v1/customers/search";
        var clauses = Enumerable.Range(0, rng.Next(0, 4)).Select(_ => ValidClause()).ToList();
        var members = new List<(string Key, string Raw)>();
        if (clauses.Count > 0 || rng.Chance(0.5))
        {
            members.Add(("filter", FuzzJson.Arr(clauses.Select(c => c.Raw))));
        }
        var anyOpen = clauses.Exists(c => c.Open);
        var oddity = clauses.Select(c => c.Oddity).FirstOrDefault(o => o is not null);
        if (rng.Chance(0.4))
        {
            members.Add(("comparison", FuzzJson.Str(rng.Pick("AND", "OR", "and", "Or", "oR"))));
        }
        else if (rng.Chance(0.05))
        {
            // Valid JSON, not valid Unicode: the spec leaves the answer open, but not a 5xx.
            members.Add(("comparison", "\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\""));
            oddity = "comparison not valid Unicode";
        }
        if (rng.Chance(0.3))
        {
            members.Add(("sort", FuzzJson.Str(rng.Pick("customers.", "customer.") + rng.Pick(SortFields))));
        }
        if (rng.Chance(0.3))
        {
            members.Add(("order", FuzzJson.Str(rng.Pick("asc", "desc", "ASC", "Desc"))));
        }
        var hugeOffset = rng.Chance(0.05);
        if (hugeOffset || rng.Chance(0.3))
        {
            members.Add(("offset", hugeOffset ? rng.Pick("2147483648", "9223372036854775807") : Id(rng.Next(0, 5))));
        }
        if (rng.Chance(0.3))
        {
            members.Add(("limit", Id(rng.Pick(1, 2, 50, 99, 100))));
        }
        if (oddity is not null)
        {
            // Its own kind, so one bug in reading such text does not hide among every other search.
            return Make("search: " + oddity, "POST", path, FuzzJson.Obj(members, rng), FuzzExpect.Any);
        }
        if (rng.Chance(0.5))
        {
            var body = FuzzJson.Obj(members, rng);
            // An offset past 2^31 is a whole number >= 0, so the spec takes it; the server refusing it is
            // reported by PagingLimitsTests rather than here, where it would hide everything else.
            var kind = hugeOffset ? "search: offset beyond 32 bits" : "search: valid with weird values";
            return Make(kind, "POST", path, body, anyOpen || hugeOffset ? FuzzExpect.Any : FuzzExpect.Accept);
        }

        var (key, raw, code, faultKind) = SearchFault(clauses.Count);
        if (key == "filter" && code.StartsWith("filter[", StringComparison.Ordinal))
        {
            var index = clauses.Count;
            var list = clauses.Select(c => c.Raw).ToList();
            list.Add(raw);
            raw = FuzzJson.Arr(list);
            code = code.Replace("{i}", Id(index), StringComparison.Ordinal);
        }
        members.RemoveAll(m => m.Key == key);
        members.Add((key, raw));
        return Refused("search: " + faultKind, "POST", path, FuzzJson.Obj(members, rng), 400, codes: [code]);
    }

    /// <summary>
    /// A clause the spec accepts. <c>Open</c> when its value is one the spec leaves open (lone surrogates, huge
    /// numbers); <c>Oddity</c> names a field or operator that is not valid Unicode.
    /// </summary>
    private (string Raw, bool Open, string? Oddity) ValidClause()
    {
        string field;
        string op;
        string value;
        var open = false;
        switch (rng.Next(7))
        {
            case 0:
            case 1:
                field = rng.Pick(SearchTextFields);
                op = rng.Pick("=", "!=", "~", "!~");
                value = rng.Chance(0.1) && op is "=" or "!=" ? "null" : FuzzJson.Str(FuzzJson.WeirdString(rng, 100), rng);
                if (rng.Chance(0.05))
                {
                    value = "\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\"";
                    open = true;
                }
                break;
            case 2:
                field = "id";
                op = rng.Pick("=", "!=", ">", "<", ">=", "<=");
                value = rng.Chance(0.5) ? Id(rng.NextInt64(long.MinValue, long.MaxValue)) : $"\"{rng.Pick(world.OwnIds)}\"";
                break;
            case 3:
                field = rng.Chance(0.5) ? "firstSeen" : "lastSeen";
                op = rng.Pick("=", "!=", ">", "<", ">=", "<=");
                value = rng.Chance(0.5) ? Id(rng.NextInt64(0, 1L << 33)) : $"\"{rng.NextInt64(0, 1L << 33)}\"";
                break;
            case 4:
                field = rng.Chance(0.5) ? "unsubscribed" : "blocked";
                op = rng.Chance(0.5) ? "=" : "!=";
                value = rng.Chance(0.5) ? "true" : "false";
                break;
            case 5:
                field = "tagsData";
                op = "=";
                value = FuzzJson.Arr(_bodies.NextTags(rng.Next(0, 3)).Select(t => FuzzJson.Obj(("name", FuzzJson.Str(t.Name, rng)))));
                break;
            default:
                field = "customData." + rng.Pick("plan", "seats", "😀", "a.b", "with space", "\u00E9", "e\u0301", "$x", "'", "\"", "%", "*");
                (op, value) = rng.Next(4) switch
                {
                    0 => (rng.Pick("=", "!=", "~", "!~"), FuzzJson.Str(FuzzJson.WeirdString(rng, 50), rng)),
                    1 => (rng.Pick("=", "!=", ">", "<", ">=", "<="), Id(rng.Next(-1000, 1000))),
                    2 => (rng.Chance(0.5) ? "=" : "!=", rng.Chance(0.5) ? "true" : "null"),
                    _ => (rng.Pick("=", ">", "<"), rng.Pick(FuzzJson.HostileNumbers)),
                };
                open = value.Length > 0 && (char.IsAsciiDigit(value[0]) || value[0] == '-') && value.Contains('e', StringComparison.OrdinalIgnoreCase);
                break;
        }
        var members = new List<(string, string)> { ("field", FuzzJson.Str("customers." + field, rng)), ("operator", FuzzJson.Str(op)), ("value", value) };
        string? oddity = null;
        if (rng.Chance(0.04))
        {
            // Valid JSON, not valid Unicode, as the field or the operator: open, but not a 5xx.
            var at = rng.Next(2);
            members[at] = (members[at].Item1, "\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\"");
            oddity = members[at].Item1 + " not valid Unicode";
        }
        return (FuzzJson.Obj(members.OrderBy(_ => rng.Next()), rng), open, oddity);
    }

    /// <summary>One defective member of a search body; a clause code holds <c>{i}</c> for its index.</summary>
    private (string Key, string Raw, string Code, string Kind) SearchFault(int validClauses)
    {
        string Clause(string field, string? op, string? value)
        {
            var members = new List<(string, string)>();
            if (field != "(missing)")
            {
                members.Add(("field", field));
            }
            if (op is not null)
            {
                members.Add(("operator", op));
            }
            if (value is not null)
            {
                members.Add(("value", value));
            }
            return FuzzJson.Obj(members, rng);
        }

        switch (rng.Next(11))
        {
            case 0:
                return ("filter", rng.Pick("{}", "\"x\"", "5", "true", "{\"field\":\"customers.name\",\"operator\":\"=\",\"value\":\"x\"}"), "filter", "filter not an array");
            case 1:
                return ("filter", rng.Pick("5", "\"x\"", "null", "[]", "true"), "filter[{i}]*", "clause not an object");
            case 2:
                return ("filter", Clause(rng.Pick("(missing)", "\"\"", "\"   \"", "null"), "\"=\"", "\"x\""), "filter[{i}].field", "blank field");
            case 3:
                var unknown = rng.Pick("customers.nope", "name", "customer.name", "customers.tags", "customers.location", "customers.device", "customers.customData",
                    "customers.", "customers", "customers.name.x", "customers.notes", "customers.referer", "customers.lastPage", "customers.tagsdata");
                return ("filter", Clause(FuzzJson.Str(unknown, rng), "\"=\"", "\"x\""), "filter[{i}].field", $"unknown field {unknown}");
            case 4:
                return ("filter", Clause(rng.Pick("5", "true", "{}", "[]", "[\"customers.name\"]"), "\"=\"", "\"x\""), "filter[{i}].field", "field of wrong type");
            case 5:
            {
                var (field, ops) = rng.Next(4) switch
                {
                    0 => ("customers." + rng.Pick(SearchTextFields), new[] { "\">\"", "\"<\"", "\">=\"", "\"<=\"", "\"==\"", "\"=~\"", "\"\"", "\"like\"", "null", "5", "\"EQ\"", "\" =\"" }),
                    1 => ("customers." + rng.Pick("id", "firstSeen", "lastSeen"), ["\"~\"", "\"!~\"", "\"like\"", "\"<>\""]),
                    2 => ("customers." + rng.Pick("unsubscribed", "blocked"), ["\">\"", "\"~\"", "\"<\"", "\"!~\""]),
                    _ => ("customers.tagsData", ["\"!=\"", "\"~\"", "\">\""]),
                };
                var value = field.EndsWith("tagsData", StringComparison.Ordinal) ? "[{\"name\":\"Lead\"}]" : field.EndsWith("Seen", StringComparison.Ordinal) || field.EndsWith(".id", StringComparison.Ordinal) ? "5" : field.EndsWith("ed", StringComparison.Ordinal) ? "true" : "\"x\"";
                var op = rng.Chance(0.1) ? null : rng.Pick(ops);
                return ("filter", Clause(FuzzJson.Str(field), op, value), "filter[{i}].operator", $"operator {op ?? "missing"} on {field}");
            }
            case 6:
            {
                var (field, op, values) = rng.Next(5) switch
                {
                    0 => ("customers." + rng.Pick(SearchTextFields), "\"=\"", new[] { "{}", "[]", "true", "[\"x\"]" }),
                    1 => ("customers.id", "\"=\"", ["\"abc\"", "true", "{}", "[]", "1.5", "\"1.5\"", "\"\""]),
                    2 => ("customers." + (rng.Chance(0.5) ? "firstSeen" : "lastSeen"), "\">\"", ["\"abc\"", "true", "{}", "[]", "\"NaN\"", "\"\""]),
                    3 => ("customers." + (rng.Chance(0.5) ? "unsubscribed" : "blocked"), "\"=\"", ["\"true\"", "1", "\"yes\"", "{}", "[]"]),
                    _ => ("customers.tagsData", "\"=\"", ["\"Lead\"", "5", "{}", "true", "{\"name\":\"Lead\"}"]),
                };
                var value = rng.Pick(values);
                return ("filter", Clause(FuzzJson.Str(field), op, value), "filter[{i}].value", $"value {value} for {field}");
            }
            case 7:
                return ("comparison", rng.Pick("\"XOR\"", "5", "true", "{}", "\"AND OR\"", "\"NOT\"", "[\"AND\"]"), "comparison", "comparison not AND/OR");
            case 8:
                return ("sort", rng.Pick("\"customers.nope\"", "\"name\"", "\"customers.\"", "\"customers.tagsData\"", "\"customers.location\"", "\"customers.device\"", "5", "true", "\"customers.notes\""), "sort", "sort not a scalar field");
            case 9:
                return ("offset", rng.Pick("-1", "\"abc\"", "1.5", "\"1.5\"", "1e400", "\"NaN\"", "true", "{}", "[]", "-9223372036854775808"), "offset", "offset not a non-negative integer");
            default:
                return ("limit", rng.Pick("0", "101", "-1", "\"abc\"", "1.5", "1e400", "9223372036854775808", "true", "1000", "{}", "\"0\""), "limit", "limit not in 1-100");
        }
    }

    /// <summary>The list with query parameters: invalid ones (400 with their codes), valid and junk ones (200).</summary>
    private FuzzRequest List()
    {
        var parameters = new List<string>();
        var codes = new List<string>();
        void Add(string name, string value) => parameters.Add(name + "=" + Uri.EscapeDataString(value));
        foreach (var name in new[] { "sort", "order", "offset", "limit" })
        {
            if (!rng.Chance(0.4))
            {
                continue;
            }
            var bad = rng.Chance(0.35);
            if (bad)
            {
                codes.Add(name);
            }
            Add(name, (name, bad) switch
            {
                ("sort", true) => rng.Pick("customers.nope", "name", "customers.", "customers.tagsData", "customers.customData", "\u0000", "customers.name\u0000"),
                ("sort", false) => rng.Pick("customers.", "customer.") + rng.Pick(SortFields),
                ("order", true) => rng.Pick("up", "ascending", "1", "\u0000", "asc desc"),
                ("order", false) => rng.Pick("asc", "desc", "ASC", "DeSc"),
                ("offset", true) => rng.Pick("-1", "abc", "1.5", "1e400", "NaN", "0x10", "1,0"),
                ("offset", false) => Id(rng.Next(0, 20)),
                ("limit", true) => rng.Pick("0", "101", "-1", "abc", "1.5", "1e400", "9223372036854775808", "1000"),
                _ => Id(rng.Next(1, 101)),
            });
        }
        var hugeOffset = codes.Count == 0 && rng.Chance(0.03);
        if (hugeOffset)
        {
            parameters.RemoveAll(p => p.StartsWith("offset=", StringComparison.Ordinal));
            Add("offset", rng.Chance(0.5) ? "2147483648" : "9223372036854775807");
        }
        if (rng.Chance(0.3))
        {
            Add(rng.Pick("foo", "sort[]", "filter", "\u00E9", "%", ""), FuzzJson.WeirdString(rng, 30));
        }
        var path = "v1/customers" + (parameters.Count > 0 ? "?" + string.Join("&", parameters.OrderBy(_ => rng.Next())) : "");
        return codes.Count > 0
            ? Refused("list: bad " + string.Join("+", codes), "GET", path, null, 400, codes: codes)
            : Make(hugeOffset ? "list: offset beyond 32 bits" : "list: valid parameters", "GET", path, null, hugeOffset ? FuzzExpect.Any : FuzzExpect.Accept);
    }

    /// <summary>An event the spec refuses: name, data or customer broken, or a customer that is not the account's.</summary>
    private FuzzRequest EventFault()
    {
        var members = new List<(string Key, string Raw)>
        {
            ("name", FuzzJson.Str(FuzzJson.WeirdString(rng, 50) + "ev", rng)),
            ("customer", rng.Chance(0.5) ? Own : $"\"{Own}\""),
        };
        if (rng.Chance(0.6))
        {
            members.Add(("data", FuzzJson.Obj(_bodies.NextCustomData(rng.Next(0, 4)).Select(e => (e.Property, e.Value?.Raw ?? "null")), rng)));
        }
        const string path = "v1/events";
        switch (rng.Next(4))
        {
            case 0:
            {
                members.RemoveAll(m => m.Key == "name");
                var raw = rng.Pick("(missing)", "\"\"", "{}", "[]", "true", "null", FuzzJson.Str(FuzzJson.CodePoints(256 + rng.Next(4), rng)));
                if (raw != "(missing)")
                {
                    members.Add(("name", raw));
                }
                return Refused($"event: name {(raw.Length > 20 ? "over 255" : raw)}", "POST", path, FuzzJson.Obj(members.OrderBy(_ => rng.Next()), rng), 400, "name");
            }
            case 1:
            {
                members.RemoveAll(m => m.Key == "data");
                var raw = rng.Pick("\"x\"", "5", "true", "[]", "[1]", "\"{}\"");
                members.Add(("data", raw));
                return Refused($"event: data {raw}", "POST", path, FuzzJson.Obj(members.OrderBy(_ => rng.Next()), rng), 400, "data");
            }
            case 2:
            {
                members.RemoveAll(m => m.Key == "customer");
                var raw = rng.Pick("(missing)", "true", "{}", "[]", "\"abc\"", "1.5", "\"\"", "0", "-5", "null", "[1]");
                if (raw != "(missing)")
                {
                    members.Add(("customer", raw));
                }
                return Refused($"event: customer {raw}", "POST", path, FuzzJson.Obj(members.OrderBy(_ => rng.Next()), rng));
            }
            default:
            {
                members.RemoveAll(m => m.Key == "customer");
                var id = rng.Chance(0.6) ? rng.Pick(world.ForeignIds) : world.MissingId;
                members.Add(("customer", rng.Chance(0.5) ? Id(id) : $"\"{id}\""));
                return Refused("event: customer not the account's", "POST", path, FuzzJson.Obj(members.OrderBy(_ => rng.Next()), rng), 404, "entity_not_found");
            }
        }
    }

    private FuzzRequest UnknownRouteOrWrongMethod()
    {
        var own = Own;
        var body = rng.Chance(0.5) ? """{"name":"Changed","tags":[{"name":"x"}],"customer":1}""" : null;
        if (rng.Chance(0.5))
        {
            var path = rng.Pick("v1/nothing", $"v1/customers/{own}/nothing", $"v1/customers/{own}/tags/x", "v2/customers", "v1/events/1", "v1/customer",
                "v1/customers/search/x", "v1/customers/batch/1", "v1", "", $"v1/customers/{own}/1/2", "v1/tags", $"v1/customers/{own}/events",
                "api/v1/customers", "v1/healthz", "v1/customers%2F1", "v1/%F0%9F%98%80", "v1/customers/search/batch", "v0/customers", "v1/%FF");
            var method = rng.Pick("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "FOO");
            return Refused("unknown route", method, path, method == "GET" ? null : body, 404, "not_found");
        }
        var (route, methods) = rng.Next(6) switch
        {
            0 => ("v1/customers", new[] { "PUT", "PATCH", "DELETE", "OPTIONS", "FOO", "PROPFIND" }),
            1 => ($"v1/customers/{own}", ["POST", "OPTIONS", "FOO"]),
            2 => ($"v1/customers/{own}/tags", ["GET", "POST", "PATCH", "OPTIONS"]),
            3 => ("v1/customers/search", ["GET", "PUT", "PATCH", "DELETE"]),
            4 => ("v1/customers/batch", ["GET", "POST", "PATCH", "DELETE"]),
            _ => ("v1/events", ["GET", "PUT", "PATCH", "DELETE"]),
        };
        var wrong = rng.Pick(methods);
        return Refused("wrong method", wrong, route, wrong == "GET" ? null : body, 405, "method_not_allowed");
    }

    /// <summary>Every known route, with a body that would succeed, and a key that is missing, malformed, or not one issued.</summary>
    private FuzzRequest AuthFailure()
    {
        var own = Own;
        var key = world.KeyA;
        var (method, path, body) = rng.Next(11) switch
        {
            0 => ("GET", "v1/customers", null),
            1 => ("POST", "v1/customers", """{"name":"Intruder"}"""),
            2 => ("GET", $"v1/customers/{own}", null),
            3 => ("PUT", $"v1/customers/{own}", """{"name":"Intruder"}"""),
            4 => ("PATCH", $"v1/customers/{own}", """{"name":"Intruder"}"""),
            5 => ("DELETE", $"v1/customers/{own}", null),
            6 => ("PUT", $"v1/customers/{own}/tags", """{"tags":[{"name":"Intruder"}]}"""),
            7 => ("DELETE", $"v1/customers/{own}/tags", """{"tags":[{"name":"Lead"}]}"""),
            8 => ("PUT", "v1/customers/batch", $$"""[{"customer":{{own}},"name":"Intruder"}]"""),
            9 => ("POST", "v1/customers/search", "{}"),
            _ => ("POST", "v1/events", $$"""{"name":"intrusion","customer":{{own}}}"""),
        };
        var authorization = rng.Chance(0.1) ? null : rng.Pick("", "Bearer", "Bearer ", "Bearer  ", "Bearer ck_nope", "Basic dXNlcjpwYXNz", "Bearer " + key + "x", "Bearer " + key[..^1],
            "Bearer <" + key, "Bearer " + key + ">", "Bearer " + new string('a', 5000), "Token " + key, key, "Bearer " + key + " " + key,
            "Bearer " + key.ToUpperInvariant(), "Bearer \"" + key + "\"");
        return Refused("no valid key", method, path, body, 401, "invalid_token") with { Authorization = authorization };
    }

    /// <summary>Edits the spec makes no-ops: only unknown or read-only members, tags it already has, values it already holds.</summary>
    private FuzzRequest NoOpEdit()
    {
        var id = rng.Pick(world.OwnIds);
        var raw = world.Raw[id];
        using var document = JsonDocument.Parse(raw);
        var customer = document.RootElement;
        var tags = customer.GetProperty("tags").EnumerateArray().Select(t => FuzzJson.Obj(("name", FuzzJson.Str(t.GetProperty("name").GetString()!, rng)))).ToList();
        var unknown = new CustomerBody();
        _bodies.AddUnknownMembers(unknown);
        var deepest = rng.Chance(0.2);
        var path = $"v1/customers/{Id(id)}";
        var batch = rng.Next(6) == 5;
        if (deepest)
        {
            // 32 levels in all, the deepest the spec accepts: the body object (and the batch array) count.
            unknown.Members.Add(("deepest", FuzzJson.Nested(batch ? 30 : 31, rng)));
        }
        return (batch ? 5 : rng.Next(5)) switch
        {
            0 => Make("no-op: PATCH with only unknown, id and device members", "PATCH", path, unknown.Json(rng), FuzzExpect.Accept) with { ExactBody = raw },
            1 => Make("no-op: PATCH {}", "PATCH", path, "{}", FuzzExpect.Accept) with { ExactBody = raw },
            2 => Make("no-op: PUT tags it has", "PUT", path + "/tags", FuzzJson.Obj(("tags", FuzzJson.Arr(tags.OrderBy(_ => rng.Next())))), FuzzExpect.Accept) with { ExactBody = raw },
            3 => Make("no-op: DELETE tags it lacks", "DELETE", path + "/tags", FuzzJson.Obj(("tags", FuzzJson.Arr([FuzzJson.Obj(("name", FuzzJson.Str(_bodies.Unique("absent"), rng)))]))), FuzzExpect.Accept) with { ExactBody = raw },
            4 => Make("no-op: PATCH with the values it holds", "PATCH", path, Resend(customer), FuzzExpect.Accept) with { ExactBody = raw },
            _ => Make("no-op: batch of unknown members", "PUT", "v1/customers/batch", FuzzJson.Arr([BatchItem(id, body: unknown)]), FuzzExpect.Accept) with { ExactBody = $"{{\"data\":[{raw}]}}" },
        };
    }

    /// <summary>A PATCH body that sets a customer's name, email, tags, customData and location to what they are.</summary>
    private string Resend(JsonElement customer)
    {
        var members = new List<(string, string)>();
        foreach (var key in new[] { "name", "email", "company", "phone", "locale", "notes", "unsubscribed", "blocked", "location", "firstSeen" })
        {
            if (rng.Chance(0.6))
            {
                members.Add((key, customer.GetProperty(key).GetRawText()));
            }
        }
        if (rng.Chance(0.6))
        {
            members.Add(("tags", FuzzJson.Arr(customer.GetProperty("tags").EnumerateArray().Select(t => FuzzJson.Obj(("name", FuzzJson.Str(t.GetProperty("name").GetString()!, rng)))))));
        }
        if (rng.Chance(0.6))
        {
            members.Add(("customData", customer.GetProperty("customData").GetRawText()));
        }
        return FuzzJson.Obj(members, rng);
    }

    private FuzzRequest DuplicateUserId()
    {
        var taken = world.UserIds.ToList();
        var (userId, holder) = rng.Pick(taken);
        var other = world.OwnIds.Where(id => id != holder).ToArray();
        var target = Id(rng.Pick(other));
        var value = FuzzJson.Str(userId, rng);
        return rng.Next(4) switch
        {
            0 => Refused("duplicate userId on create", "POST", "v1/customers", FuzzJson.Obj(("name", "\"Dup\""), ("userId", value)), 400, "invalid_userId_value"),
            1 => Refused("duplicate userId on PATCH", "PATCH", "v1/customers/" + target, FuzzJson.Obj(("userId", value), ("name", "\"Dup\"")), 400, "invalid_userId_value"),
            2 => Refused("duplicate userId on PUT", "PUT", "v1/customers/" + target, FuzzJson.Obj(("userId", value)), 400, "invalid_userId_value"),
            _ => Refused("duplicate userId in a batch", "PUT", "v1/customers/batch", FuzzJson.Arr([FuzzJson.Obj(("customer", target), ("userId", value))]), 400, "invalid_userId_value"),
        };
    }

    private FuzzRequest Read()
    {
        var id = rng.Pick(world.OwnIds);
        return rng.Next(5) switch
        {
            0 => Make("read: own customer", "GET", $"v1/customers/{Id(id)}", null, FuzzExpect.Accept) with { ExactBody = world.Raw[id] },
            1 => Make("read: own customer with a junk body", "GET", $"v1/customers/{Id(id)}", rng.Pick("garbage", "{\"name\":\"x\"}", "[[[["), FuzzExpect.Any),
            2 => Make("read: list", "GET", "v1/customers?limit=100", null, FuzzExpect.Accept),
            3 => Make("read: health", "GET", "healthz", null, FuzzExpect.Accept) with { Authorization = null },
            _ => Make("read: list with a trailing slash or odd case", "GET", rng.Pick("v1/customers/", "V1/Customers", "v1//customers", "v1/customers?", "v1/customers#x"), null, FuzzExpect.Any),
        };
    }

    /// <summary>A body over the 1 MiB limit (413), or a URL over the 8 KiB one (414).</summary>
    private FuzzRequest Oversized()
    {
        if (rng.Chance(0.5))
        {
            var (method, path, _, route) = BodyRoute();
            var size = 1024 * 1024 + 1 + rng.Next(0, 2000);
            var body = route == "batch"
                ? "[{\"customer\":" + world.OwnIds[0] + ",\"pad\":\"" + new string('x', size) + "\"}]"
                : "{\"name\":\"Big\",\"pad\":\"" + new string('x', size) + "\"}";
            return Refused($"{route}: body over 1 MiB", method, path, body, 413, "payload_too_large");
        }
        var length = rng.Next(8300, 15000);
        var (verb, url) = rng.Next(3) switch
        {
            0 => ("GET", "v1/customers/" + new string('1', length)),
            1 => ("GET", "v1/customers?sort=" + new string('s', length)),
            _ => ("PATCH", $"v1/customers/{Own}?pad=" + new string('p', length)),
        };
        return Refused("URL over 8 KiB", verb, url, verb == "PATCH" ? """{"name":"Long"}""" : null, 414);
    }

    /// <summary>A short hex digest of a request set, to show two runs with one seed generated the same requests.</summary>
    public static string Fingerprint(IEnumerable<FuzzRequest> requests)
    {
        var builder = new StringBuilder();
        foreach (var request in requests)
        {
            builder.Append(request.Method).Append(request.Path).Append(request.Body?.Length ?? -1).Append('\n');
        }
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())))[..12];
    }
}
