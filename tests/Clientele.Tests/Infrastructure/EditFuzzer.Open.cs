using System.Text;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// Requests the spec leaves open (duplicated keys, odd numbers and addresses…), bodies whose text is not valid
/// Unicode (lone surrogates, bytes that are not UTF-8: refused whole as <c>invalid_json</c>), and edits it refuses.
/// </summary>
public sealed partial class EditFuzzer
{
    /// <summary>
    /// A valid body with one twist: one the spec leaves open (whatever the answer, consistent and enveloped), or
    /// text that is not valid Unicode (400 <c>invalid_json</c>, and nothing changes).
    /// </summary>
    private async Task TwistAsync()
    {
        var body = _bodies.Next(5, bulk: false);
        var (twist, bytes, refusal) = rng.Chance(0.4) ? NotUnicode(body) : Twist(body);
        var target = rng.Next(3);
        var (id, _, previousRaw) = PickCustomer();
        var (method, path) = target switch
        {
            0 => ("POST", "v1/customers"),
            1 => ("PUT", $"v1/customers/{id}"),
            _ => ("PATCH", $"v1/customers/{id}"),
        };
        var request = refusal is null
            ? Request("open: " + twist, method, path, null, FuzzExpect.Any)
            : Request("refused: " + twist, method, path, null, FuzzExpect.Reject) with { Status = 400, FirstCode = refusal };
        request = request with { Body = bytes, ContentType = rng.Chance(0.8) ? "application/json" : null };
        var (answer, _) = await SendAsync(request);
        if (answer.Status is >= 200 and < 300)
        {
            await AdoptAsync(request, answer.Body, null, method == "POST" ? null : id);
        }
        else if (method == "POST")
        {
            await CheckTotalAsync(request);
        }
        else
        {
            await CheckUnchangedAsync(request, id, previousRaw);
        }
    }

    /// <summary>A valid body but for one member name or string that is not valid Unicode; the code the refusal must have.</summary>
    private (string Twist, byte[] Body, string? Refusal) NotUnicode(CustomerBody body)
    {
        switch (rng.Next(5))
        {
            case 0:
            {
                var field = rng.Pick(TwistableText);
                body.Set(field, "\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\"");
                return ($"lone surrogate in {field}", Encoding.UTF8.GetBytes(body.Json(rng)), "invalid_json");
            }
            case 1:
            {
                var field = rng.Pick("name", "company", "notes", "email", "userId");
                body.Members.RemoveAll(m => m.Key == field);
                var json = body.Json(rng);
                var prefix = json.Length > 2 ? json[..^1] + "," : "{";
                byte[] bytes = [.. Encoding.UTF8.GetBytes(prefix + $"\"{field}\":\"ok"), .. rng.Pick(FuzzJson.InvalidUtf8), .. "\"}"u8];
                return ($"invalid UTF-8 inside {field}", bytes, "invalid_json");
            }
            case 2:
            {
                var where = rng.Next(3);
                body.Members.RemoveAll(m => m.Key is "customData" or "location");
                var json = body.Json(rng);
                var prefix = json.Length > 2 ? json[..^1] + "," : "{";
                byte[] key = [.. "\"k"u8, .. rng.Pick(FuzzJson.InvalidUtf8), .. "\""u8];
                byte[] bytes = where switch
                {
                    0 => [.. Encoding.UTF8.GetBytes(prefix), .. key, .. ":1}"u8],
                    1 => [.. Encoding.UTF8.GetBytes(prefix + "\"customData\":{"), .. key, .. ":1}}"u8],
                    _ => [.. Encoding.UTF8.GetBytes(prefix + "\"location\":{"), .. key, .. ":\"x\"}}"u8],
                };
                return ($"invalid UTF-8 in a key {(where == 0 ? "at the top" : where == 1 ? "of customData" : "of location")}", bytes, "invalid_json");
            }
            case 3:
            {
                var where = rng.Next(4);
                var lone = rng.Pick("\ud800", "\udc00", "a\udfff", "\ud83d");
                switch (where)
                {
                    case 0:
                        body.Members.Add((lone, "1"));
                        break;
                    case 1:
                        body.Set("customData", FuzzJson.Obj((lone, "\"v\"")));
                        break;
                    case 2:
                        body.Set("location", FuzzJson.Obj((lone, "\"x\""), ("city", "\"c\"")));
                        break;
                    default:
                        body.Set("tags", FuzzJson.Arr([FuzzJson.Obj(("name", "\"ok\""), (lone, "1"))]));
                        break;
                }
                return ($"lone surrogate in a key {(where == 0 ? "at the top" : where == 1 ? "of customData" : where == 2 ? "of location" : "of a tag")}", Encoding.UTF8.GetBytes(body.Json(rng)), "invalid_json");
            }
            default:
            {
                // Text that is not Unicode refuses the whole body before any field is read: a NUL in stored text too.
                var (key, raw, _, _) = _bodies.NulFault();
                body.Set(key, raw);
                body.Members.Insert(rng.Next(body.Members.Count + 1), ("x-unknown", "\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\""));
                return ($"lone surrogate in an unknown member beside a NUL in {key}", Encoding.UTF8.GetBytes(body.Json(rng)), "invalid_json");
            }
        }
    }

    /// <summary>A valid body with one twist the spec leaves open, or (for a NUL) refuses: the code the refusal must then have.</summary>
    private (string Twist, byte[] Body, string? Refusal) Twist(CustomerBody body)
    {
        switch (rng.Next(8))
        {
            case 0:
            {
                var field = body.Members.Count > 0 && rng.Chance(0.7) ? rng.Pick(body.Members).Key : rng.Pick(CustomerBodies.AllFields);
                var other = new CustomerBody();
                _bodies.AddValid(other, field);
                var (key, raw) = other.Members.Single();
                body.Members.Add((key, raw));
                return ($"{key} given twice", Encoding.UTF8.GetBytes(body.Json(rng)), null);
            }
            case 1:
            {
                var field = rng.Chance(0.5) ? "firstSeen" : "lastSeen";
                var raw = FuzzJson.HostileNumberOrString(rng);
                body.Set(field, raw);
                return ($"{field} {raw}", Encoding.UTF8.GetBytes(body.Json(rng)), null);
            }
            case 2:
            {
                if (rng.Chance(0.15))
                {
                    body.Set("tags", "[{\"name\":\"ok\",\"color\":" + FuzzJson.Str(rng.Pick(FuzzJson.NulText.Where(t => t.Length <= 32).ToArray())) + "}]");
                    return ("colour holding NUL", Encoding.UTF8.GetBytes(body.Json(rng)), "tags[0].color");
                }
                var (raw, what) = rng.Next(6) switch
                {
                    0 => ("[{\"name\":\"   \"}]", "whitespace tag name"),
                    1 => ("[{\"name\":\"\\u2028\\t\"}]", "line separator tag name"),
                    2 => ("[{\"name\":\"ok\",\"color\":" + FuzzJson.Str(rng.Pick("😀", "not a colour", " ")) + "}]", "odd colour"),
                    3 => ("[{\"name\":5}]", "number tag name"),
                    4 => ("[{\"name\":\"" + _bodies.Unique("dup") + "\",\"color\":\"#111111\"},{\"name\":\"" + _bodies.Unique("dup").Replace("-", "", StringComparison.Ordinal) + "\"}]", "two new tags"),
                    _ => ("[{\"name\":\"twin\",\"color\":\"#111111\"},{\"name\":\"twin\",\"color\":\"#222222\"}]", "one name twice with two colours"),
                };
                body.Set("tags", raw);
                return (what, Encoding.UTF8.GetBytes(body.Json(rng)), null);
            }
            case 3:
            {
                var (raw, what) = rng.Next(5) switch
                {
                    0 => ("{\"\":1}", "customData property \"\""),
                    1 => ("{\" \":1}", "customData property \" \""),
                    2 => ("{\"a\":1,\"a\":2}", "customData property twice"),
                    3 => ("{" + FuzzJson.Str(FuzzJson.CodePoints(256, rng)) + ":1}", "customData property over 255"),
                    _ => ("[{\"property\":\"a\",\"value\":1},{\"property\":\"a\",\"value\":null}]", "customData list sets and removes one property"),
                };
                body.Set("customData", raw);
                return (what, Encoding.UTF8.GetBytes(body.Json(rng)), null);
            }
            case 4:
                return ("UTF-8 byte order mark before the body", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(body.Json(rng))], null);
            case 5:
            {
                var (field, raw) = rng.Chance(0.5)
                    ? ("email", FuzzJson.Str(rng.Pick("a@b", "a@b.", ".a@b.c", "a@-b.c", "a..b@c.d", "\"quoted local\"@x.io", "a@[127.0.0.1]", "a@b.c ", " a@b.c")))
                    : ("locale", FuzzJson.Str(rng.Pick("EN", "en-us", "es-419", "pt-br", "sr-Latn", "zh-Hant-TW", "en_", "iw", "C", "")));
                body.Set(field, raw);
                return ($"{field} {raw}", Encoding.UTF8.GetBytes(body.Json(rng)), null);
            }
            case 6:
            {
                var field = rng.Pick(CustomerBodies.TextFields);
                var text = rng.Chance(0.5) ? string.Concat(Enumerable.Repeat("e\u0301", 200)) : string.Concat(Enumerable.Repeat("👨‍👩‍👧", 60));
                body.Set(field, FuzzJson.Str(text, rng));
                return ($"{field} of 200 characters but more code points", Encoding.UTF8.GetBytes(body.Json(rng)), null);
            }
            default:
                body.Set("location", FuzzJson.Obj(("city", "\"Nested\""), ("regionCode", "\"NR\""), ("countryCode", "\"NC\"")));
                body.Set("city", "\"Flat\"");
                return ("location given nested and flat", Encoding.UTF8.GetBytes(body.Json(rng)), null);
        }
    }

    /// <summary>An edit of an own customer with one member the spec refuses: 400 with its code, and nothing changes.</summary>
    private async Task RefusedEditAsync()
    {
        var (id, _, previousRaw) = PickCustomer();
        FuzzRequest request;
        if (rng.Chance(0.8))
        {
            var body = _bodies.Next(4, bulk: false);
            body.Members.RemoveAll(m => m.Key == "userId");
            var (key, raw, code, kind) = _faults.Fault();
            body.Set(key, raw);
            var method = rng.Chance(0.5) ? "PUT" : "PATCH";
            request = Request("refused edit: " + kind, method, $"v1/customers/{id}", body.Json(rng), FuzzExpect.Reject) with { Status = 400, FirstCode = code, Codes = [code] };
        }
        else
        {
            var (raw, code, kind) = _faults.TagsFault();
            request = Request("refused tags: " + kind, "PUT", $"v1/customers/{id}/tags", FuzzJson.Obj(("tags", raw)), FuzzExpect.Reject) with { Status = 400, FirstCode = code };
        }
        var (answer, _) = await SendAsync(request);
        if (answer.Status is >= 200 and < 300)
        {
            await AdoptAsync(request, answer.Body, null, id);
        }
        else
        {
            await CheckUnchangedAsync(request, id, previousRaw);
        }
    }
}
