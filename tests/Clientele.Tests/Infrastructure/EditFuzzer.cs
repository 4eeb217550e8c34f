using System.Globalization;
using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// One fuzzing worker with an account of its own: it creates, replaces, merges, tags, batches, searches and
/// deletes customers with hostile-but-valid values, and checks every answer against a reference model of
/// spec §3/§4 (<see cref="CustomerState"/>), every answer against a fresh GET, and every refusal against the
/// state before it. A NUL put in a stored text, or text that is not valid Unicode, must be refused and change
/// nothing; requests the spec leaves open (duplicated keys, odd numbers…) only have to be consistent.
/// </summary>
public sealed partial class EditFuzzer(HttpClient http, string key, int worker, Random rng, FuzzFailures failures)
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

    /// <summary>
    /// At times puts a NUL in one text of a body the model otherwise takes (a member, a location member, a tag,
    /// a customData name or value): the spec then refuses it at that field, first, and nothing changes.
    /// </summary>
    private (string Code, string Kind)? MaybeNul(CustomerBody body, string? limit)
    {
        if (limit is not null || !rng.Chance(0.06))
        {
            return null;
        }
        var (key, raw, code, kind) = _bodies.NulFault();
        body.Set(key, raw);
        return (code, kind);
    }

    /// <summary>The request for a body the model judged: accepted with <paramref name="success"/>, or refused at a per-customer limit or a NUL.</summary>
    private FuzzRequest Judged(string kind, string method, string path, string json, int success, string? limit, (string Code, string Kind)? nul) =>
        nul is { } n
            ? Request($"{kind}: {n.Kind}", method, path, json, FuzzExpect.Reject) with { Status = 400, FirstCode = n.Code }
            : Request($"{kind} with hostile valid values", method, path, json, limit is null ? FuzzExpect.Accept : FuzzExpect.Reject)
                with { Status = limit is null ? success : 400, Codes = limit is null ? [] : [limit] };

    private async Task CreateAsync()
    {
        var body = _bodies.Next();
        var (expected, limit) = body.Apply(null, replace: true, _colours);
        var nul = MaybeNul(body, limit);
        var request = Judged("create", "POST", "v1/customers", body.Json(rng), 201, limit, nul);
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
        var nul = MaybeNul(body, limit);
        var method = replace ? "PUT" : "PATCH";
        var request = Judged(method, method, $"v1/customers/{id}", body.Json(rng), 200, limit, nul);
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
            if (!over && tags.Count > 0 && rng.Chance(0.06))
            {
                // A NUL in one name: refused at that name, also when the others are fine.
                var at = rng.Next(tags.Count);
                tags[at] = (FuzzJson.WithNul(rng, tags[at].Name, 100), tags[at].Color);
                request = Request("PUT tags: a name holding NUL", "PUT", $"v1/customers/{id}/tags", FuzzJson.Obj(("tags", _bodies.TagsJson(tags))), FuzzExpect.Reject)
                    with { Status = 400, FirstCode = $"tags[{at}].name" };
                await SettleAsync(request, id, previousRaw, null);
                return;
            }
            request = Request("PUT tags with hostile valid names", "PUT", $"v1/customers/{id}/tags", FuzzJson.Obj(("tags", _bodies.TagsJson(tags))), over ? FuzzExpect.Reject : FuzzExpect.Accept)
                with { Status = over ? 400 : 200, Codes = over ? ["tags"] : [] };
            await SettleAsync(request, id, previousRaw, over ? null : expected);
            return;
        }
        var names = previous.Tags.Where(_ => rng.Chance(0.5)).Select(t => t.Name).Concat(_bodies.NextTags(rng.Next(0, 3)).Select(t => t.Name)).ToList();
        expected.Tags.RemoveAll(t => names.Contains(t.Name));
        var nulAt = names.Count > 0 && rng.Chance(0.06) ? rng.Next(names.Count) : -1;
        if (nulAt >= 0)
        {
            // No stored tag can hold a NUL, yet removing one that holds it is refused, not a no-op.
            names[nulAt] = FuzzJson.WithNul(rng, names[nulAt], 100);
        }
        var json = FuzzJson.Obj(("tags", FuzzJson.Arr(names.Select(n => FuzzJson.Obj(("name", FuzzJson.Str(n, rng)))))));
        request = nulAt >= 0
            ? Request("DELETE tags: a name holding NUL", "DELETE", $"v1/customers/{id}/tags", json, FuzzExpect.Reject) with { Status = 400, FirstCode = $"tags[{nulAt}].name" }
            : Request("DELETE tags with hostile valid names", "DELETE", $"v1/customers/{id}/tags", json, FuzzExpect.Accept) with { Status = 200 };
        await SettleAsync(request, id, previousRaw, nulAt >= 0 ? null : expected);
    }

    private async Task BatchAsync()
    {
        var ids = _customers.Keys.OrderBy(_ => rng.Next()).Take(rng.Next(1, Math.Min(10, _customers.Count) + 1)).ToList();
        var bodies = new List<CustomerBody>();
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
            bodies.Add(body);
        }
        var nulAt = rng.Next(bodies.Count);
        var nul = MaybeNul(bodies[nulAt], refusal);
        var items = bodies.Select(b => b.Json(rng)).ToList();
        // Which over-limit item a refusal names is left open: one found while reading may be named alone.
        var request = nul is { } n
            ? Request($"batch: {n.Kind}", "PUT", "v1/customers/batch", FuzzJson.Arr(items), FuzzExpect.Reject) with { Status = 400, FirstCode = $"[{nulAt}].{n.Code}" }
            : Request("batch with hostile valid values", "PUT", "v1/customers/batch", FuzzJson.Arr(items), refusal is null ? FuzzExpect.Accept : FuzzExpect.Reject)
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
                await AdoptAsync(request, data[i].GetRawText(), refusal is null && nul is null ? expected[i] : null, ids[i]);
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
}
