namespace Clientele.Tests.Infrastructure;

/// <summary>Searches and lists: valid ones with weird values, and ones with one defect in the filter, comparison, sort or paging.</summary>
public sealed partial class HostileRequests
{
    /// <summary>
    /// A search: valid with weird values (must answer 200), with one defect (400 with its code), or holding a name or
    /// string that is not valid Unicode anywhere (400 <c>invalid_json</c>, whatever else it holds). Never a change.
    /// </summary>
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
        var notUnicode = clauses.Select(c => c.NotUnicode).FirstOrDefault(o => o is not null);
        if (rng.Chance(0.4))
        {
            members.Add(("comparison", FuzzJson.Str(rng.Pick("AND", "OR", "and", "Or", "oR"))));
        }
        else if (rng.Chance(0.05))
        {
            members.Add(("comparison", "\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\""));
            notUnicode ??= "comparison";
        }
        if (rng.Chance(0.3))
        {
            members.Add(("sort", FuzzJson.Str(rng.Pick("customers.", "customer.") + rng.Pick(SortFields))));
        }
        if (rng.Chance(0.3))
        {
            members.Add(("order", FuzzJson.Str(rng.Pick("asc", "desc", "ASC", "Desc"))));
        }
        // Any offset from 0 is a page: past the end, and past 2^31, an empty one.
        var hugeOffset = rng.Chance(0.05);
        if (hugeOffset || rng.Chance(0.3))
        {
            members.Add(("offset", hugeOffset ? rng.Pick("2147483648", "9223372036854775807", "\"9223372036854775807\"", "1000000") : Id(rng.Next(0, 5))));
        }
        if (rng.Chance(0.3))
        {
            members.Add(("limit", Id(rng.Pick(1, 2, 50, 99, 100))));
        }
        if (notUnicode is not null)
        {
            // Not real text anywhere refuses the whole body, before any member is read.
            return Refused($"search: {notUnicode} not valid Unicode", "POST", path, FuzzJson.Obj(members, rng), 400, "invalid_json");
        }
        if (rng.Chance(0.5))
        {
            var body = FuzzJson.Obj(members, rng);
            var request = Make(hugeOffset ? "search: offset past the end" : "search: valid with weird values", "POST", path, body, anyOpen ? FuzzExpect.Any : FuzzExpect.Accept);
            // With no clause every customer of the account matches, and none is on a page that far.
            return hugeOffset && clauses.Count == 0 && !anyOpen ? request with { ExactBody = $"{{\"data\":[],\"total\":{world.OwnIds.Length}}}", RestsOn = 0 } : request;
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
    /// A clause the spec accepts. <c>Open</c> when its value is one the spec leaves open (huge numbers);
    /// <c>NotUnicode</c> names the part (value, field or operator) made a string that is not valid Unicode.
    /// </summary>
    private (string Raw, bool Open, string? NotUnicode) ValidClause()
    {
        string field;
        string op;
        string value;
        var open = false;
        string? notUnicode = null;
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
                    notUnicode = "value";
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
        if (rng.Chance(0.04))
        {
            var at = rng.Next(2);
            members[at] = (members[at].Item1, "\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\"");
            notUnicode = members[at].Item1;
        }
        return (FuzzJson.Obj(members.OrderBy(_ => rng.Next()), rng), open, notUnicode);
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

        switch (rng.Next(15))
        {
            case 11:
            {
                // Text compared with stored text: a NUL in it is refused at the value, as in stored text.
                var (field, op) = rng.Chance(0.6)
                    ? ("customers." + rng.Pick(SearchTextFields), rng.Pick("=", "!=", "~", "!~"))
                    : ("customers.customData." + rng.Pick("plan", "😀", "a.b"), rng.Pick("=", "!=", "~", "!~"));
                var value = FuzzJson.Str(FuzzJson.WithNul(rng, FuzzJson.WeirdString(rng, 40), 255), rng);
                return ("filter", Clause(FuzzJson.Str(field, rng), FuzzJson.Str(op), value), "filter[{i}].value", "value holding NUL");
            }
            case 12:
            {
                // A tag name or a customData property name is stored text too: one holding a NUL names nothing that can exist.
                if (rng.Chance(0.5))
                {
                    var names = _bodies.NextTags(rng.Next(0, 3)).Select(t => FuzzJson.Obj(("name", FuzzJson.Str(t.Name, rng)))).ToList();
                    var at = rng.Next(names.Count + 1);
                    names.Insert(at, FuzzJson.Obj(("name", FuzzJson.Str(FuzzJson.WithNul(rng, _bodies.Unique("t"), 100), rng))));
                    return ("filter", Clause("\"customers.tagsData\"", "\"=\"", FuzzJson.Arr(names)), $"filter[{{i}}].value[{at}].name", "tagsData name holding NUL");
                }
                var property = FuzzJson.WithNul(rng, rng.Pick("plan", "k", "😀"), 255);
                var (op, value) = rng.Pick([("=", "\"x\""), ("!=", "null"), ("=", "1"), ("~", "\"x\""), (">", "5"), ("=", "true")]);
                return ("filter", Clause(FuzzJson.Str("customers.customData." + property, rng), FuzzJson.Str(op), value), "filter[{i}].field", "customData property holding NUL");
            }
            case 13:
            {
                // .NET's number parsing takes trailing NULs; an id or a date followed by one is still no number.
                var (field, op) = rng.Pick([("customers.id", "="), ("customers.id", ">"), ("customers.firstSeen", "<"), ("customers.lastSeen", "!=")]);
                var value = $"\"{rng.Pick(world.OwnIds)}{rng.Pick("\\u0000", "\\u0000\\u0000")}\"";
                return ("filter", Clause(FuzzJson.Str(field), FuzzJson.Str(op), value), "filter[{i}].value", "id or date holding NUL");
            }
            case 14:
                return ("order", rng.Pick("\"up\"", "\"ascending\"", "5", "true", "{}", "\"\\u0000\"", "\"asc\\u0000\"", "\"asc desc\""), "order", "order not asc/desc");
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
                return ("sort", rng.Pick("\"customers.nope\"", "\"name\"", "\"customers.\"", "\"customers.tagsData\"", "\"customers.location\"", "\"customers.device\"", "5", "true", "\"customers.notes\"",
                    "\"\\u0000\"", "\"customers.name\\u0000\""), "sort", "sort not a scalar field");
            case 9:
                if (rng.Chance(0.3))
                {
                    return ("offset", rng.Pick("9223372036854775808", "\"9223372036854775808\"", "18446744073709551616", "99999999999999999999"), "offset", "offset beyond 2^63-1");
                }
                if (rng.Chance(0.2))
                {
                    return ("offset", rng.Pick("\"1\\u0000\"", "\"0\\u0000\"", "\"\\u00001\""), "offset", "offset holding NUL");
                }
                return ("offset", rng.Pick("-1", "\"abc\"", "1.5", "\"1.5\"", "1e400", "\"NaN\"", "true", "{}", "[]", "-9223372036854775808"), "offset", "offset not a non-negative integer");
            default:
                if (rng.Chance(0.15))
                {
                    return ("limit", rng.Pick("\"5\\u0000\"", "\"100\\u0000\""), "limit", "limit holding NUL");
                }
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
                ("offset", true) => rng.Pick("-1", "abc", "1.5", "1e400", "NaN", "0x10", "1,0", "9223372036854775808", "99999999999999999999", "1\u0000"),
                ("offset", false) => Id(rng.Next(0, 20)),
                ("limit", true) => rng.Pick("0", "101", "-1", "abc", "1.5", "1e400", "9223372036854775808", "1000", "5\u0000"),
                _ => Id(rng.Next(1, 101)),
            });
        }
        // Any offset from 0 is a page: past the end, and past 2^31, an empty one with the account's total.
        var hugeOffset = codes.Count == 0 && rng.Chance(0.03);
        if (hugeOffset)
        {
            parameters.RemoveAll(p => p.StartsWith("offset=", StringComparison.Ordinal));
            Add("offset", rng.Pick("2147483648", "9223372036854775807", "1000000"));
        }
        if (rng.Chance(0.3))
        {
            Add(rng.Pick("foo", "sort[]", "filter", "\u00E9", "%", ""), FuzzJson.WeirdString(rng, 30));
        }
        var path = "v1/customers" + (parameters.Count > 0 ? "?" + string.Join("&", parameters.OrderBy(_ => rng.Next())) : "");
        return codes.Count > 0
            ? Refused("list: bad " + string.Join("+", codes), "GET", path, null, 400, codes: codes)
            : hugeOffset
                ? Make("list: offset past the end", "GET", path, null, FuzzExpect.Accept) with { ExactBody = $"{{\"data\":[],\"total\":{world.OwnIds.Length}}}", RestsOn = 0 }
                : Make("list: valid parameters", "GET", path, null, FuzzExpect.Accept);
    }
}
