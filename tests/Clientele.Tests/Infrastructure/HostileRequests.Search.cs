namespace Clientele.Tests.Infrastructure;

/// <summary>Searches and lists: valid ones with weird values, and ones with one defect in the filter, comparison, sort or paging.</summary>
public sealed partial class HostileRequests
{
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
}
