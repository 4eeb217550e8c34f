using System.Globalization;
using System.Text;

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
public sealed partial class HostileRequests(Random rng, FuzzWorld world)
{
    private static readonly string[] WrongForText = ["true", "false", "{}", "[]", "{\"a\":1}", "[\"x\"]", "[null]"];
    private static readonly string[] WrongTimestamps =
        ["true", "{}", "[]", "\"abc\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"\"", "\"12abc\"", "-1", "-0.5", "\"-1\"", "-1603885746", "\"0x10\"", "\"1,5\"", "[1603885746]",
            "\"1603885746\\u0000\"", "\"1603885746.5\\u0000\"", "\"\\u00001603885746\""];
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
            < 260 => MalformedBody(),
            < 290 => NotUnicodeBody(),
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
        request = Decorate(request);
        // Kestrel itself refuses %00 in the path, with a bare 400, before the app runs: that is no answer of the app's.
        if (request.Path.Split('?')[0].Contains("%00", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("a generated path holds %00: " + request.Path);
        }
        return request;
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

    /// <summary>
    /// A valid body for its route but for one member name or string, anywhere in it (event data and batch items
    /// included), that is not valid Unicode: a lone surrogate escape or bytes that are not UTF-8 at its start.
    /// The whole body is refused, 400 <c>invalid_json</c>, whatever else it holds.
    /// </summary>
    private FuzzRequest NotUnicodeBody()
    {
        var (method, path, valid, route) = BodyRoute();
        var open = valid.IndexOf('{', StringComparison.Ordinal);
        if (open >= 0 && rng.Chance(0.2))
        {
            // A member of its own, whose name or value is the bad text; unknown, so only its text is wrong.
            var member = rng.Chance(0.5) ? "\"k\":\"v\"" : "\"v\":\"k\"";
            valid = valid.Insert(open + 1, valid[open + 1] == '}' ? member : member + ",");
        }
        var starts = FuzzJson.StringStarts(valid);
        if (starts.Count == 0)
        {
            valid = "{\"k\":\"v\"}";
            starts = FuzzJson.StringStarts(valid);
        }
        var at = rng.Pick(starts);
        var closing = FuzzJson.StringEnd(valid, at);
        var where = closing + 1 < valid.Length && valid[closing + 1] == ':' ? "member name" : "string";
        if (rng.Chance(0.5))
        {
            var body = valid.Insert(at, rng.Pick(FuzzJson.LoneSurrogateEscapes));
            return Refused($"{route}: a {where} with a lone surrogate", method, path, body, 400, "invalid_json");
        }
        byte[] bytes = [.. System.Text.Encoding.UTF8.GetBytes(valid[..at]), .. rng.Pick(FuzzJson.InvalidUtf8), .. System.Text.Encoding.UTF8.GetBytes(valid[at..])];
        return Make($"{route}: a {where} with bytes that are not UTF-8", method, path, null, FuzzExpect.Reject) with { Body = bytes, Status = 400, FirstCode = "invalid_json" };
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
