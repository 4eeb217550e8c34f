namespace Clientele.Tests.Infrastructure;

/// <summary>Bad, foreign and never-issued path ids, events, unknown routes, wrong methods, bad keys and plain reads.</summary>
public sealed partial class HostileRequests
{
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
        switch (rng.Next(6))
        {
            case 4:
            {
                // The name is stored as text, so a NUL in it is refused; the same NUL in data is taken.
                members.RemoveAll(m => m.Key == "name");
                members.Add(("name", FuzzJson.Str(FuzzJson.WithNul(rng, FuzzJson.WeirdString(rng, 50) + "ev", 255), rng)));
                return Refused("event: name holding NUL", "POST", path, FuzzJson.Obj(members.OrderBy(_ => rng.Next()), rng), 400, "name");
            }
            case 5:
            {
                // A customer id of the account's own, but for a NUL after it: not an integer.
                members.RemoveAll(m => m.Key == "customer");
                members.Add(("customer", $"\"{Own}{rng.Pick("\\u0000", "\\u0000\\u0000")}\""));
                return Refused("event: customer id holding NUL", "POST", path, FuzzJson.Obj(members.OrderBy(_ => rng.Next()), rng), 400, "customer");
            }
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

    private FuzzRequest Read()
    {
        var id = rng.Pick(world.OwnIds);
        return rng.Next(5) switch
        {
            0 => Make("read: own customer", "GET", $"v1/customers/{Id(id)}", null, FuzzExpect.Accept) with { ExactBody = world.Raw[id], RestsOn = id },
            1 => Make("read: own customer with a junk body", "GET", $"v1/customers/{Id(id)}", rng.Pick("garbage", "{\"name\":\"x\"}", "[[[["), FuzzExpect.Any),
            2 => Make("read: list", "GET", "v1/customers?limit=100", null, FuzzExpect.Accept),
            3 => Make("read: health", "GET", "healthz", null, FuzzExpect.Accept) with { Authorization = null },
            _ => Make("read: list with a trailing slash or odd case", "GET", rng.Pick("v1/customers/", "V1/Customers", "v1//customers", "v1/customers?", "v1/customers#x"), null, FuzzExpect.Any),
        };
    }
}
