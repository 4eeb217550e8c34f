using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// One fuzzing worker with an account of its own: it creates, replaces, merges, tags, batches, searches and
/// deletes customers with hostile-but-valid values, and checks every answer against a reference model of
/// spec §3/§4 (<see cref="CustomerState"/>), every answer against a fresh GET, and every refusal against the
/// state before it. Requests the spec leaves open (lone surrogates, duplicated keys…) only have to be consistent.
/// </summary>
public sealed class EditFuzzer(HttpClient http, string key, int worker, Random rng, FuzzFailures failures)
{
    private static readonly string[] TwistableText = [.. CustomerBodies.TextFields, .. CustomerBodies.UrlFields, "notes", "userId", "email", "locale", "city"];

    private readonly CustomerBodies _bodies = new(rng, $"w{worker}");
    private readonly TagColours _colours = new();
    private readonly Dictionary<long, (CustomerState State, string Raw)> _customers = [];

    private readonly HostileRequests _faults = new(rng, new FuzzWorld
    {
        KeyA = key,
        OwnIds = [1],
        ForeignIds = [2],
        Raw = [],
        UserIds = [],
    });

    public int Requests { get; private set; }

    public async Task RunAsync(int operations)
    {
        for (var i = 0; i < operations; i++)
        {
            try
            {
                await StepAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException || !TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                failures.Add("edit fuzzer step", $"threw {e.GetType().Name}: {e.Message}", $"worker {worker}, step {i}");
            }
        }
        await VerifyListAsync();
    }

    private Task StepAsync()
    {
        if (_customers.Count < 3)
        {
            return CreateAsync();
        }
        return rng.Next(100) switch
        {
            < 15 => CreateAsync(),
            < 32 => EditAsync(replace: false),
            < 42 => EditAsync(replace: true),
            < 52 => TagsAsync(),
            < 60 => BatchAsync(),
            < 66 => EventAsync(),
            < 77 => SearchAsync(),
            < 80 => DeleteAsync(),
            < 93 => TwistAsync(),
            _ => RefusedEditAsync(),
        };
    }

    private FuzzRequest Request(string kind, string method, string path, string? json, FuzzExpect expect) =>
        FuzzRequest.Json(kind, method, path, json, expect) with
        {
            Authorization = "Bearer " + key,
            ContentType = json is null ? null : rng.Chance(0.8) ? "application/json" : null,
        };

    /// <summary>Sends and records a violation of spec §2 or of the request's expectation; true when there was none.</summary>
    private async Task<(FuzzAnswer Answer, bool Clean)> SendAsync(FuzzRequest request)
    {
        Requests++;
        FuzzAnswer answer;
        try
        {
            answer = await http.SendAsync(request);
        }
        catch (HttpRequestException e)
        {
            failures.Add(request, "no answer: " + e.Message);
            return (new FuzzAnswer(0, "", null), false);
        }
        if (FuzzSending.Violation(request, answer) is { } violation)
        {
            failures.Add(request, violation);
            return (answer, false);
        }
        return (answer, true);
    }

    private (long Id, CustomerState State, string Raw) PickCustomer()
    {
        var id = _customers.Keys.ElementAt(rng.Next(_customers.Count));
        var (state, raw) = _customers[id];
        return (id, state, raw);
    }

    private async Task CreateAsync()
    {
        var body = _bodies.Next();
        var (expected, limit) = body.Apply(null, replace: true, _colours);
        var request = Request("create with hostile valid values", "POST", "v1/customers", body.Json(rng), limit is null ? FuzzExpect.Accept : FuzzExpect.Reject)
            with { Status = limit is null ? 201 : 400, Codes = limit is null ? [] : [limit] };
        var (answer, _) = await SendAsync(request);
        if (answer.Status is >= 200 and < 300)
        {
            await AdoptAsync(request, answer.Body, expected, null);
        }
        else
        {
            _colours.Discard();
            await CheckTotalAsync(request);
        }
    }

    private async Task EditAsync(bool replace)
    {
        var (id, previous, previousRaw) = PickCustomer();
        var body = _bodies.Next();
        var (expected, limit) = body.Apply(previous, replace, _colours);
        var method = replace ? "PUT" : "PATCH";
        var request = Request($"{method} with hostile valid values", method, $"v1/customers/{id}", body.Json(rng), limit is null ? FuzzExpect.Accept : FuzzExpect.Reject)
            with { Status = limit is null ? 200 : 400, Codes = limit is null ? [] : [limit] };
        await SettleAsync(request, id, previousRaw, expected);
    }

    /// <summary>Checks the answer to an edit of <paramref name="id"/>: the model's state after a 2xx, nothing changed after a 4xx.</summary>
    private async Task SettleAsync(FuzzRequest request, long id, string previousRaw, CustomerState? expected)
    {
        var (answer, _) = await SendAsync(request);
        if (answer.Status is >= 200 and < 300)
        {
            await AdoptAsync(request, answer.Body, expected, id);
        }
        else
        {
            _colours.Discard();
            await CheckUnchangedAsync(request, id, previousRaw);
        }
    }

    private async Task TagsAsync()
    {
        var (id, previous, previousRaw) = PickCustomer();
        var expected = previous.Copy();
        FuzzRequest request;
        if (rng.Chance(0.6))
        {
            var tags = rng.Chance(0.04)
                ? [.. Enumerable.Range(0, rng.Next(95, 106)).Select(_ => (_bodies.Unique("bulk"), (string?)null))]
                : _bodies.NextTags(rng.Next(0, 6));
            foreach (var (name, color) in tags.DistinctBy(t => t.Name, StringComparer.Ordinal))
            {
                if (!expected.Tags.Exists(t => t.Name == name))
                {
                    expected.Tags.Add((name, _colours.ColourFor(name, color)));
                }
            }
            var over = expected.Tags.Count > CustomerState.MaxTags;
            request = Request("PUT tags with hostile valid names", "PUT", $"v1/customers/{id}/tags", FuzzJson.Obj(("tags", _bodies.TagsJson(tags))), over ? FuzzExpect.Reject : FuzzExpect.Accept)
                with { Status = over ? 400 : 200, Codes = over ? ["tags"] : [] };
            await SettleAsync(request, id, previousRaw, over ? null : expected);
            return;
        }
        var names = previous.Tags.Where(_ => rng.Chance(0.5)).Select(t => t.Name).Concat(_bodies.NextTags(rng.Next(0, 3)).Select(t => t.Name)).ToList();
        expected.Tags.RemoveAll(t => names.Contains(t.Name));
        var json = FuzzJson.Obj(("tags", FuzzJson.Arr(names.Select(n => FuzzJson.Obj(("name", FuzzJson.Str(n, rng)))))));
        request = Request("DELETE tags with hostile valid names", "DELETE", $"v1/customers/{id}/tags", json, FuzzExpect.Accept) with { Status = 200 };
        await SettleAsync(request, id, previousRaw, expected);
    }

    private async Task BatchAsync()
    {
        var ids = _customers.Keys.OrderBy(_ => rng.Next()).Take(rng.Next(1, Math.Min(10, _customers.Count) + 1)).ToList();
        var items = new List<string>();
        var expected = new List<CustomerState?>();
        string? refusal = null;
        for (var i = 0; i < ids.Count; i++)
        {
            var body = _bodies.Next(5);
            // "customer" is an unknown member elsewhere; in a batch item it is the id.
            body.Members.RemoveAll(m => m.Key == "customer");
            var (state, limit) = body.Apply(_customers[ids[i]].State, replace: false, _colours);
            refusal ??= limit is null ? null : $"[{i}].{limit}";
            expected.Add(state);
            body.Members.Insert(rng.Next(body.Members.Count + 1), ("customer", rng.Chance(0.3) ? $"\"{ids[i]}\"" : ids[i].ToString(CultureInfo.InvariantCulture)));
            items.Add(body.Json(rng));
        }
        // Which over-limit item a refusal names is left open: one found while reading may be named alone.
        var request = Request("batch with hostile valid values", "PUT", "v1/customers/batch", FuzzJson.Arr(items), refusal is null ? FuzzExpect.Accept : FuzzExpect.Reject)
            with { Status = refusal is null ? 200 : 400, FirstCode = refusal is null ? null : "[*" };
        var before = ids.Select(id => _customers[id].Raw).ToList();
        var (answer, _) = await SendAsync(request);
        if (answer.Status is >= 200 and < 300)
        {
            using var document = JsonDocument.Parse(answer.Body);
            var data = document.RootElement.TryGetProperty("data", out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().ToArray() : [];
            if (data.Length != ids.Count)
            {
                failures.Add(request, $"batch answer has {data.Length} customers for {ids.Count} items: {FuzzSending.Clip(answer.Body)}");
            }
            for (var i = 0; i < Math.Min(data.Length, ids.Count); i++)
            {
                await AdoptAsync(request, data[i].GetRawText(), refusal is null ? expected[i] : null, ids[i]);
            }
        }
        else
        {
            _colours.Discard();
            for (var i = 0; i < ids.Count; i++)
            {
                await CheckUnchangedAsync(request, ids[i], before[i]);
            }
        }
    }

    private async Task EventAsync()
    {
        var (id, _, _) = PickCustomer();
        var name = FuzzJson.WeirdString(rng, 250) + "e";
        var members = new List<(string Key, string Raw)>
        {
            ("name", FuzzJson.Str(name, rng)),
            ("customer", rng.Chance(0.5) ? id.ToString(CultureInfo.InvariantCulture) : $"\"{id}\""),
        };
        string? data = null;
        if (rng.Chance(0.7))
        {
            var properties = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var _ in Enumerable.Range(0, rng.Next(0, 6)))
            {
                properties[rng.Chance(0.5) ? FuzzJson.WeirdString(rng, 20) : _bodies.Unique("k")] = _bodies.UnknownValue();
            }
            data = FuzzJson.Obj(properties.Select(p => (p.Key, p.Value)), rng);
            members.Add(("data", data));
        }
        var request = Request("event with hostile valid values", "POST", "v1/events", FuzzJson.Obj(members.OrderBy(_ => rng.Next()), rng), FuzzExpect.Accept) with { Status = 200 };
        if (rng.Chance(0.15))
        {
            // Data that is valid JSON syntax but not valid Unicode: the spec leaves the answer open, not a 5xx.
            var json = FuzzJson.Obj(members.Where(m => m.Key != "data"), rng);
            byte[] bad = rng.Chance(0.5)
                ? [.. Encoding.UTF8.GetBytes(json[..^1] + ",\"data\":{\"k\":\"v"), .. rng.Pick(FuzzJson.InvalidUtf8), .. "\"}}"u8]
                : Encoding.UTF8.GetBytes(json[..^1] + ",\"data\":{\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\":\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\"}}");
            await SendAsync(request with { Kind = "open: event data that is not valid Unicode", Body = bad, Expect = FuzzExpect.Any, Status = null });
            return;
        }
        var (answer, clean) = await SendAsync(request);
        if (!clean)
        {
            return;
        }
        using var document = JsonDocument.Parse(answer.Body);
        var root = document.RootElement;
        var keys = root.ValueKind == JsonValueKind.Object ? root.EnumerateObject().Select(p => p.Name).ToArray() : [];
        if (!keys.SequenceEqual(["id", "name", "data", "createdAt", "customer"]))
        {
            failures.Add(request, $"event answer keys are [{string.Join(",", keys)}], spec §4 says [id,name,data,createdAt,customer]: {FuzzSending.Clip(answer.Body)}");
            return;
        }
        var problems = new List<string>();
        if (root.GetProperty("name").ValueKind != JsonValueKind.String || root.GetProperty("name").GetString() != name)
        {
            problems.Add($"name {root.GetProperty("name").GetRawText()} is not the name sent");
        }
        if (root.GetProperty("customer").ValueKind != JsonValueKind.Number || root.GetProperty("customer").GetInt64() != id)
        {
            problems.Add($"customer {root.GetProperty("customer").GetRawText()} is not {id}");
        }
        if (root.GetProperty("createdAt").ValueKind != JsonValueKind.String || !root.GetProperty("createdAt").GetString()!.All(char.IsAsciiDigit))
        {
            problems.Add($"createdAt {root.GetProperty("createdAt").GetRawText()} is not a string of UNIX seconds");
        }
        if (data is not null && !JsonNode.DeepEquals(JsonNode.Parse(data), JsonNode.Parse(root.GetProperty("data").GetRawText())))
        {
            problems.Add($"data {FuzzSending.Clip(root.GetProperty("data").GetRawText())} is not the data sent");
        }
        if (problems.Count > 0)
        {
            failures.Add(request, "event answer differs from the spec: " + string.Join("; ", problems));
        }
    }

    /// <summary>Finds a customer by a value it holds (exact, case-changed or a substring), narrowed to its id: exactly it must come back.</summary>
    private async Task SearchAsync()
    {
        var (id, state, raw) = PickCustomer();
        var probes = new List<(string Field, string Op, string Value, string Kind)>();
        foreach (var field in new[] { "name", "email", "userId", "company", "phone", "locale", "source", "createdFrom", "integrationId" })
        {
            if (state.Text[field] is { } text)
            {
                probes.Add((field, "=", FuzzJson.Str(text, rng), $"= its {field}"));
                if (text.All(char.IsAscii))
                {
                    probes.Add((field, "=", FuzzJson.Str(rng.Chance(0.5) ? text.ToUpperInvariant() : text.ToLowerInvariant(), rng), $"= its {field} in another case"));
                }
                var runes = text.EnumerateRunes().ToArray();
                if (runes.Length > 0)
                {
                    var start = rng.Next(runes.Length);
                    var length = rng.Next(1, Math.Min(runes.Length - start, 12) + 1);
                    probes.Add((field, "~", FuzzJson.Str(string.Concat(runes.Skip(start).Take(length).Select(r => r.ToString())), rng), $"~ part of its {field}"));
                }
            }
        }
        foreach (var (field, text) in new[] { ("countryCode", state.Text["location.countryCode"]), ("city", state.Text["location.city"]), ("regionCode", state.Text["location.regionCode"]) })
        {
            if (text is not null)
            {
                probes.Add((field, "=", FuzzJson.Str(text, rng), $"= its {field}"));
            }
        }
        foreach (var (name, _) in state.Tags)
        {
            probes.Add(("tagsData", "=", FuzzJson.Arr([FuzzJson.Obj(("name", FuzzJson.Str(name, rng)))]), "tagsData with its tag"));
        }
        foreach (var (property, value) in state.CustomData.Where(e => e.Value.Kind == JsonValueKind.String))
        {
            probes.Add(("customData." + property, "=", FuzzJson.Str(value.Text!, rng), "= its customData string"));
        }
        if (probes.Count == 0)
        {
            return;
        }
        var (probeField, op, probeValue, kind) = rng.Pick(probes);
        var clauses = new[]
        {
            FuzzJson.Obj([("field", FuzzJson.Str("customers." + probeField, rng)), ("operator", FuzzJson.Str(op)), ("value", probeValue)], rng),
            FuzzJson.Obj(("field", "\"customers.id\""), ("operator", "\"=\""), ("value", id.ToString(CultureInfo.InvariantCulture))),
        };
        var body = FuzzJson.Obj(("filter", FuzzJson.Arr(rng.Chance(0.5) ? clauses : clauses.Reverse())), ("comparison", rng.Chance(0.5) ? "\"AND\"" : "\"and\""));
        var request = Request("search by " + kind, "POST", "v1/customers/search", body, FuzzExpect.Accept) with { Status = 200 };
        var (answer, clean) = await SendAsync(request);
        if (clean && answer.Body != $"{{\"data\":[{raw}],\"total\":1}}")
        {
            failures.Add(request, $"did not find exactly the customer: customer {id} is {FuzzSending.Clip(raw)}; the search answered {FuzzSending.Clip(answer.Body)}");
        }
    }

    private async Task DeleteAsync()
    {
        var (id, _, _) = PickCustomer();
        var (answer, _) = await SendAsync(Request("delete", "DELETE", $"v1/customers/{id}", null, FuzzExpect.Accept) with { Status = 200, ExactBody = "\"Ok\"" });
        if (answer.Status == 200)
        {
            _customers.Remove(id);
            await SendAsync(Request("GET after delete", "GET", $"v1/customers/{id}", null, FuzzExpect.Reject) with { Status = 404, FirstCode = "entity_not_found" });
            await SendAsync(Request("delete again", "DELETE", $"v1/customers/{id}", null, FuzzExpect.Reject) with { Status = 404, FirstCode = "entity_not_found" });
        }
    }

    /// <summary>A valid body with one twist the spec leaves open; whatever the answer, it must be consistent and enveloped.</summary>
    private async Task TwistAsync()
    {
        var body = _bodies.Next(5, bulk: false);
        var (twist, bytes) = Twist(body);
        var target = rng.Next(3);
        var (id, _, previousRaw) = PickCustomer();
        var (method, path) = target switch
        {
            0 => ("POST", "v1/customers"),
            1 => ("PUT", $"v1/customers/{id}"),
            _ => ("PATCH", $"v1/customers/{id}"),
        };
        var request = Request("open: " + twist, method, path, null, FuzzExpect.Any) with { Body = bytes, ContentType = rng.Chance(0.8) ? "application/json" : null };
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

    private (string Twist, byte[] Body) Twist(CustomerBody body)
    {
        switch (rng.Next(12))
        {
            case 0:
            {
                var field = rng.Pick(TwistableText);
                body.Set(field, "\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\"");
                return ($"lone surrogate in {field}", Encoding.UTF8.GetBytes(body.Json(rng)));
            }
            case 1:
            {
                var field = body.Members.Count > 0 && rng.Chance(0.7) ? rng.Pick(body.Members).Key : rng.Pick(CustomerBodies.AllFields);
                var other = new CustomerBody();
                _bodies.AddValid(other, field);
                var (key, raw) = other.Members.Single();
                body.Members.Add((key, raw));
                return ($"{key} given twice", Encoding.UTF8.GetBytes(body.Json(rng)));
            }
            case 2:
            {
                var field = rng.Pick("name", "company", "notes", "email", "userId");
                body.Members.RemoveAll(m => m.Key == field);
                var json = body.Json(rng);
                var prefix = json.Length > 2 ? json[..^1] + "," : "{";
                byte[] bytes = [.. Encoding.UTF8.GetBytes(prefix + $"\"{field}\":\"ok"), .. rng.Pick(FuzzJson.InvalidUtf8), .. "\"}"u8];
                return ($"invalid UTF-8 inside {field}", bytes);
            }
            case 3:
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
                return ($"invalid UTF-8 in a key {(where == 0 ? "at the top" : where == 1 ? "of customData" : "of location")}", bytes);
            }
            case 4:
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
                return ($"lone surrogate in a key {(where == 0 ? "at the top" : where == 1 ? "of customData" : where == 2 ? "of location" : "of a tag")}", Encoding.UTF8.GetBytes(body.Json(rng)));
            }
            case 5:
            {
                var field = rng.Chance(0.5) ? "firstSeen" : "lastSeen";
                var raw = FuzzJson.HostileNumberOrString(rng);
                body.Set(field, raw);
                return ($"{field} {raw}", Encoding.UTF8.GetBytes(body.Json(rng)));
            }
            case 6:
            {
                var (raw, what) = rng.Next(6) switch
                {
                    0 => ("[{\"name\":\"   \"}]", "whitespace tag name"),
                    1 => ("[{\"name\":\"\\u2028\\t\"}]", "line separator tag name"),
                    2 => ("[{\"name\":\"ok\",\"color\":" + FuzzJson.Str(rng.Pick("😀", "\u0000", "not a colour", " ")) + "}]", "odd colour"),
                    3 => ("[{\"name\":5}]", "number tag name"),
                    4 => ("[{\"name\":\"" + _bodies.Unique("dup") + "\",\"color\":\"#111111\"},{\"name\":\"" + _bodies.Unique("dup").Replace("-", "", StringComparison.Ordinal) + "\"}]", "two new tags"),
                    _ => ("[{\"name\":\"twin\",\"color\":\"#111111\"},{\"name\":\"twin\",\"color\":\"#222222\"}]", "one name twice with two colours"),
                };
                body.Set("tags", raw);
                return (what, Encoding.UTF8.GetBytes(body.Json(rng)));
            }
            case 7:
            {
                var (raw, what) = rng.Next(6) switch
                {
                    0 => ("{\"\":1}", "customData property \"\""),
                    1 => ("{\" \":1}", "customData property \" \""),
                    2 => ("{\"a\":1,\"a\":2}", "customData property twice"),
                    3 => ("{\"a\":\"\\ud800\"}", "customData lone surrogate value"),
                    4 => ("{" + FuzzJson.Str(FuzzJson.CodePoints(256, rng)) + ":1}", "customData property over 255"),
                    _ => ("[{\"property\":\"a\",\"value\":1},{\"property\":\"a\",\"value\":null}]", "customData list sets and removes one property"),
                };
                body.Set("customData", raw);
                return (what, Encoding.UTF8.GetBytes(body.Json(rng)));
            }
            case 8:
                return ("UTF-8 byte order mark before the body", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(body.Json(rng))]);
            case 9:
            {
                var (field, raw) = rng.Chance(0.5)
                    ? ("email", FuzzJson.Str(rng.Pick("a@b", "a@b.", ".a@b.c", "a@-b.c", "a..b@c.d", "\"quoted local\"@x.io", "a@[127.0.0.1]", "a@b.c ", " a@b.c")))
                    : ("locale", FuzzJson.Str(rng.Pick("EN", "en-us", "es-419", "pt-br", "sr-Latn", "zh-Hant-TW", "en_", "iw", "C", "")));
                body.Set(field, raw);
                return ($"{field} {raw}", Encoding.UTF8.GetBytes(body.Json(rng)));
            }
            case 10:
            {
                var field = rng.Pick(CustomerBodies.TextFields);
                var text = rng.Chance(0.5) ? string.Concat(Enumerable.Repeat("e\u0301", 200)) : string.Concat(Enumerable.Repeat("👨‍👩‍👧", 60));
                body.Set(field, FuzzJson.Str(text, rng));
                return ($"{field} of 200 characters but more code points", Encoding.UTF8.GetBytes(body.Json(rng)));
            }
            default:
                body.Set("location", FuzzJson.Obj(("city", "\"Nested\""), ("regionCode", "\"NR\""), ("countryCode", "\"NC\"")));
                body.Set("city", "\"Flat\"");
                return ("location given nested and flat", Encoding.UTF8.GetBytes(body.Json(rng)));
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
            request = Request("refused edit: " + kind, method, $"v1/customers/{id}", body.Json(rng), FuzzExpect.Reject) with { Status = 400, Codes = [code] };
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

    /// <summary>
    /// Takes a customer from a 2xx answer: compares it with the model's expectation (when the spec fixes one),
    /// with a fresh GET (byte for byte), learns its tag colours, and makes it the model's state.
    /// </summary>
    private async Task AdoptAsync(FuzzRequest request, string raw, CustomerState? expected, long? id)
    {
        CustomerState? actual;
        long answeredId;
        try
        {
            using var document = JsonDocument.Parse(raw);
            string? problem;
            (actual, problem) = CustomerState.Read(document.RootElement);
            answeredId = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.Number ? idValue.GetInt64() : 0;
            if (problem is not null)
            {
                failures.Add(request, $"the answer is not a customer of spec §3 ({problem}): {FuzzSending.Clip(raw)}");
            }
        }
        catch (JsonException e)
        {
            failures.Add(request, $"the answer is not JSON ({e.Message}): {FuzzSending.Clip(raw)}");
            return;
        }
        if (id is { } wanted && answeredId != wanted)
        {
            failures.Add(request, $"the answer is customer {answeredId}, not {wanted}");
        }
        if (actual is null || answeredId <= 0)
        {
            return;
        }
        if (expected is not null && expected.Difference(actual) is { } difference)
        {
            failures.Add(request, "the answer differs from what the spec says: " + difference);
        }
        if (_colours.Learn(actual.Tags) is { } colourProblem)
        {
            failures.Add(request, colourProblem);
        }
        var get = await SendAsync(Request("GET after a 2xx", "GET", $"v1/customers/{answeredId}", null, FuzzExpect.Accept) with { Status = 200 });
        if (get.Answer.Status == 200 && get.Answer.Body != raw)
        {
            using var stored = JsonDocument.Parse(get.Answer.Body);
            var now = CustomerState.Read(stored.RootElement).State;
            failures.Add(request, "GET shows another customer than the 2xx answered: "
                + (now is null ? FuzzSending.Clip(get.Answer.Body) : actual.Difference(now) ?? "same values, other bytes"));
            // What is stored is what later requests act on.
            actual = now ?? actual;
        }
        _customers[answeredId] = (actual, get.Answer.Status == 200 ? get.Answer.Body : raw);
    }

    private async Task CheckUnchangedAsync(FuzzRequest request, long id, string previousRaw)
    {
        var (answer, _) = await SendAsync(Request("GET after a refusal", "GET", $"v1/customers/{id}", null, FuzzExpect.Accept) with { Status = 200 });
        if (answer.Status == 200 && answer.Body != previousRaw)
        {
            failures.Add(request, $"a refused request changed the customer: before {FuzzSending.Clip(previousRaw)}, after {FuzzSending.Clip(answer.Body)}");
            using var document = JsonDocument.Parse(answer.Body);
            _customers[id] = (CustomerState.Read(document.RootElement).State ?? _customers[id].State, answer.Body);
        }
    }

    private async Task CheckTotalAsync(FuzzRequest request)
    {
        var (answer, clean) = await SendAsync(Request("list after a refused create", "GET", "v1/customers?limit=1", null, FuzzExpect.Accept) with { Status = 200 });
        if (clean && WireAssertions.PageTotal(answer.Body) != _customers.Count)
        {
            failures.Add(request, $"a refused create changed the account: {WireAssertions.PageTotal(answer.Body)} customers, expected {_customers.Count}");
        }
    }

    /// <summary>At the end: the account's list, paged, holds exactly the model's customers, each byte for byte as its GET.</summary>
    private async Task VerifyListAsync()
    {
        var listed = new List<string>();
        for (var offset = 0; ; offset += 100)
        {
            var (answer, clean) = await SendAsync(Request("final list", "GET", $"v1/customers?offset={offset}&limit=100", null, FuzzExpect.Accept) with { Status = 200 });
            if (!clean)
            {
                return;
            }
            using var document = JsonDocument.Parse(answer.Body);
            var page = document.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetRawText()).ToList();
            listed.AddRange(page);
            if (page.Count < 100)
            {
                break;
            }
        }
        var expected = _customers.OrderBy(c => c.Key).Select(c => c.Value.Raw).ToList();
        if (!listed.SequenceEqual(expected))
        {
            var first = listed.Zip(expected).FirstOrDefault(p => p.First != p.Second);
            failures.Add("final list", $"the list of worker {worker}'s account differs from its customers ({listed.Count} listed, {expected.Count} expected); first difference: listed {FuzzSending.Clip(first.First ?? "")} expected {FuzzSending.Clip(first.Second ?? "")}", "GET /v1/customers paged");
        }
    }
}
