using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clientele.Search;

namespace Clientele.Tests.Infrastructure;

/// <summary>Events with hostile data, and searches that must find a customer by a value it holds.</summary>
public sealed partial class EditFuzzer
{
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
                // Data is kept as JSON, not as text: a NUL in its names and strings is taken and given back.
                var property = rng.Next(10) switch { < 4 => FuzzJson.WeirdString(rng, 20), 4 => rng.Pick(FuzzJson.NulText), _ => _bodies.Unique("k") };
                properties[property] = rng.Chance(0.15) ? FuzzJson.Str(rng.Pick(FuzzJson.NulText), rng) : _bodies.UnknownValue();
            }
            data = FuzzJson.Obj(properties.Select(p => (p.Key, p.Value)), rng);
            members.Add(("data", data));
        }
        var request = Request("event with hostile valid values", "POST", "v1/events", FuzzJson.Obj(members.OrderBy(_ => rng.Next()), rng), FuzzExpect.Accept) with { Status = 200 };
        if (rng.Chance(0.15))
        {
            // Data that is valid JSON syntax but not valid Unicode: the whole body is refused, though data is kept as JSON.
            var json = FuzzJson.Obj(members.Where(m => m.Key != "data"), rng);
            byte[] bad = rng.Chance(0.5)
                ? [.. Encoding.UTF8.GetBytes(json[..^1] + ",\"data\":{\"k\":\"v"), .. rng.Pick(FuzzJson.InvalidUtf8), .. "\"}}"u8]
                : Encoding.UTF8.GetBytes(json[..^1] + ",\"data\":{\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\":\"" + rng.Pick(FuzzJson.LoneSurrogateEscapes) + "\"}}");
            await SendAsync(request with { Kind = "refused: event data that is not valid Unicode", Body = bad, Expect = FuzzExpect.Reject, Status = 400, FirstCode = "invalid_json" });
            return;
        }
        if (rng.Chance(0.05))
        {
            // The name is stored as text: a NUL in it is refused at the name, whatever data holds.
            var refused = members.Where(m => m.Key != "name").Append(("name", FuzzJson.Str(FuzzJson.WithNul(rng, name, 255), rng)));
            await SendAsync(request with { Kind = "refused: event name holding NUL", Body = Encoding.UTF8.GetBytes(FuzzJson.Obj(refused.OrderBy(_ => rng.Next()), rng)), Expect = FuzzExpect.Reject, Status = 400, FirstCode = "name" });
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
        var probes = new List<(string Field, string Op, string Value, string Kind, bool TooLong)>();
        foreach (var field in new[] { "name", "email", "userId", "company", "phone", "locale", "source", "createdFrom", "integrationId" })
        {
            if (state.Text[field] is { } text)
            {
                probes.Add((field, "=", FuzzJson.Str(text, rng), $"= its {field}", TooLongToSearch(text)));
                if (text.All(char.IsAscii))
                {
                    probes.Add((field, "=", FuzzJson.Str(rng.Chance(0.5) ? text.ToUpperInvariant() : text.ToLowerInvariant(), rng), $"= its {field} in another case", TooLongToSearch(text)));
                }
                var runes = text.EnumerateRunes().ToArray();
                if (runes.Length > 0)
                {
                    var start = rng.Next(runes.Length);
                    var length = rng.Next(1, Math.Min(runes.Length - start, 12) + 1);
                    probes.Add((field, "~", FuzzJson.Str(string.Concat(runes.Skip(start).Take(length).Select(r => r.ToString())), rng), $"~ part of its {field}", false));
                }
            }
        }
        foreach (var (field, text) in new[] { ("countryCode", state.Text["location.countryCode"]), ("city", state.Text["location.city"]), ("regionCode", state.Text["location.regionCode"]) })
        {
            if (text is not null)
            {
                probes.Add((field, "=", FuzzJson.Str(text, rng), $"= its {field}", false));
            }
        }
        foreach (var (name, _) in state.Tags)
        {
            probes.Add(("tagsData", "=", FuzzJson.Arr([FuzzJson.Obj(("name", FuzzJson.Str(name, rng)))]), "tagsData with its tag", false));
        }
        foreach (var (property, value) in state.CustomData.Where(e => e.Value.Kind == JsonValueKind.String))
        {
            probes.Add(("customData." + property, "=", FuzzJson.Str(value.Text!, rng), "= its customData string", TooLongToSearch(value.Text!)));
        }
        if (probes.Count == 0)
        {
            return;
        }
        var (probeField, op, probeValue, kind, tooLong) = rng.Pick(probes);
        // At times the probe holds a NUL, which no stored text can: the spec refuses it where it stands.
        string? nulCode = null;
        if (rng.Chance(0.06))
        {
            (probeField, probeValue, nulCode, kind) = probeField switch
            {
                "tagsData" => (probeField, FuzzJson.Arr([FuzzJson.Obj(("name", FuzzJson.Str(FuzzJson.WithNul(rng, "t", 100), rng)))]), ".value[0].name", "tagsData with a name holding NUL"),
                _ when probeField.StartsWith("customData.", StringComparison.Ordinal) && rng.Chance(0.5)
                    => ("customData." + FuzzJson.WithNul(rng, probeField["customData.".Length..], 255), probeValue, ".field", "a customData property holding NUL"),
                _ => (probeField, FuzzJson.Str(FuzzJson.WithNul(rng, "v", 255), rng), ".value", $"{op} a {probeField.Split('.')[0]} value holding NUL"),
            };
        }
        var probeFirst = rng.Chance(0.5);
        var probe = FuzzJson.Obj([("field", FuzzJson.Str("customers." + probeField, rng)), ("operator", FuzzJson.Str(op)), ("value", probeValue)], rng);
        var byId = FuzzJson.Obj(("field", "\"customers.id\""), ("operator", "\"=\""), ("value", id.ToString(CultureInfo.InvariantCulture)));
        var body = FuzzJson.Obj(("filter", FuzzJson.Arr(probeFirst ? [probe, byId] : [byId, probe])), ("comparison", rng.Chance(0.5) ? "\"AND\"" : "\"and\""));
        if (nulCode is not null)
        {
            await SendAsync(Request("refused search: " + kind, "POST", "v1/customers/search", body, FuzzExpect.Reject) with { Status = 400, FirstCode = $"filter[{(probeFirst ? 0 : 1)}]{nulCode}" });
            return;
        }
        if (tooLong)
        {
            // A stored text may be longer than a search value may be (spec §6: 1,000 characters).
            await SendAsync(Request("refused search: " + kind + ", longer than a search value", "POST", "v1/customers/search", body, FuzzExpect.Reject)
                with { Status = 400, FirstCode = $"filter[{(probeFirst ? 0 : 1)}].value" });
            return;
        }
        var request = Request("search by " + kind, "POST", "v1/customers/search", body, FuzzExpect.Accept) with { Status = 200 };
        var (answer, clean) = await SendAsync(request);
        if (clean && answer.Body != $"{{\"data\":[{raw}],\"total\":1}}")
        {
            failures.Add(request, $"did not find exactly the customer: customer {id} is {FuzzSending.Clip(raw)}; the search answered {FuzzSending.Clip(answer.Body)}");
        }
    }

    private static bool TooLongToSearch(string text) => text.EnumerateRunes().Count() > SearchRequest.MaxValueLength;
}
