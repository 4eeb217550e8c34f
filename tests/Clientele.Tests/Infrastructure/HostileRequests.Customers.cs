using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

/// <summary>Refused customer bodies (every field with every wrong type, form and size), batches, tag routes, duplicate userIds and no-op edits.</summary>
public sealed partial class HostileRequests
{
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
        switch (rng.Next(12))
        {
            case 10:
                return _bodies.NulFault();
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
                var raw = rng.Pick(WrongTimestamps);
                // .NET's number parsing takes trailing NULs; its own kind, so that bug does not hide among the others.
                return (key, raw, key, raw.Contains("\\u0000", StringComparison.Ordinal) ? "timestamp holding NUL" : "timestamp that is no whole non-negative number");
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
        var roll = forRemoval ? rng.Chance(0.25) ? 3 : 0 : rng.Next(4);
        if (roll == 3)
        {
            // NUL is refused in a tag name and colour alike, also when the tag is only being removed.
            var colour = rng.Chance(0.3);
            bad = colour
                ? FuzzJson.Obj(("name", FuzzJson.Str(_bodies.Unique("c"))), ("color", FuzzJson.Str(FuzzJson.WithNul(rng, "#123456", 32), rng)))
                : FuzzJson.Obj(("name", FuzzJson.Str(FuzzJson.WithNul(rng, _bodies.Unique("n"), 100), rng)));
            code = $"tags[{at}].{(colour ? "color" : "name")}";
            kind = colour ? "tag colour holding NUL" : "tag name holding NUL";
        }
        else if (roll == 0)
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
        switch (rng.Next(11))
        {
            case 9:
            {
                // The account's own id, but for a NUL after it: not an integer. Every item only has members the spec
                // ignores, so a server that wrongly takes the id answers 200 but writes nothing later requests rest on.
                var noOps = ids.Select(id =>
                {
                    var unknown = new CustomerBody();
                    _bodies.AddUnknownMembers(unknown);
                    unknown.Members.RemoveAll(m => m.Key == "customer");
                    var raw = id == ids[at] ? $"\"{id}{rng.Pick("\\u0000", "\\u0000\\u0000")}\"" : Id(id);
                    unknown.Members.Insert(rng.Next(unknown.Members.Count + 1), ("customer", raw));
                    return unknown.Json(rng);
                }).ToList();
                return Refused("batch: customer id holding NUL", "PUT", path, FuzzJson.Arr(noOps), 400, codes: [$"[{at}].customer"]);
            }
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
        var request = (batch ? 5 : rng.Next(5)) switch
        {
            0 => Make("no-op: PATCH with only unknown, id and device members", "PATCH", path, unknown.Json(rng), FuzzExpect.Accept) with { ExactBody = raw },
            1 => Make("no-op: PATCH {}", "PATCH", path, "{}", FuzzExpect.Accept) with { ExactBody = raw },
            2 => Make("no-op: PUT tags it has", "PUT", path + "/tags", FuzzJson.Obj(("tags", FuzzJson.Arr(tags.OrderBy(_ => rng.Next())))), FuzzExpect.Accept) with { ExactBody = raw },
            3 => Make("no-op: DELETE tags it lacks", "DELETE", path + "/tags", FuzzJson.Obj(("tags", FuzzJson.Arr([FuzzJson.Obj(("name", FuzzJson.Str(_bodies.Unique("absent"), rng)))]))), FuzzExpect.Accept) with { ExactBody = raw },
            4 => Make("no-op: PATCH with the values it holds", "PATCH", path, Resend(customer), FuzzExpect.Accept) with { ExactBody = raw },
            _ => Make("no-op: batch of unknown members", "PUT", "v1/customers/batch", FuzzJson.Arr([BatchItem(id, body: unknown)]), FuzzExpect.Accept) with { ExactBody = $"{{\"data\":[{raw}]}}" },
        };
        return request with { RestsOn = id };
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
        var request = rng.Next(4) switch
        {
            0 => Refused("duplicate userId on create", "POST", "v1/customers", FuzzJson.Obj(("name", "\"Dup\""), ("userId", value)), 400, "invalid_userId_value"),
            1 => Refused("duplicate userId on PATCH", "PATCH", "v1/customers/" + target, FuzzJson.Obj(("userId", value), ("name", "\"Dup\"")), 400, "invalid_userId_value"),
            2 => Refused("duplicate userId on PUT", "PUT", "v1/customers/" + target, FuzzJson.Obj(("userId", value)), 400, "invalid_userId_value"),
            _ => Refused("duplicate userId in a batch", "PUT", "v1/customers/batch", FuzzJson.Arr([FuzzJson.Obj(("customer", target), ("userId", value))]), 400, "invalid_userId_value"),
        };
        // The userId is refused because its holder still holds it.
        return request with { RestsOn = holder };
    }
}
