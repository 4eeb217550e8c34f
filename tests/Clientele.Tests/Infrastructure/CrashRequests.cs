using System.Globalization;
using System.Text.Json.Nodes;

namespace Clientele.Tests.Infrastructure;

/// <summary>One write of the crash workload, with what it does to the server's state if it is applied.</summary>
public abstract record CrashRequest(HttpMethod Method, string Path, string? Body)
{
    public sealed override string ToString() => $"{Method} {Path} {Body}";
}

/// <summary><c>POST /customers</c> with a unique <c>userId</c>, tags and customData: <paramref name="Expected"/> has a null id.</summary>
public sealed record CreateRequest(string Body, string UserId, JsonObject Expected) : CrashRequest(HttpMethod.Post, "customers", Body);

/// <summary>A PATCH, a tag change or a batch: each customer listed ends as its expected state, all of them or none.</summary>
public sealed record UpdateRequest(HttpMethod Method, string Path, string Body, IReadOnlyList<ExpectedCustomer> Customers, bool IsBatch)
    : CrashRequest(Method, Path, Body);

public sealed record ExpectedCustomer(long Id, JsonObject State);

public sealed record DeleteRequest(long Id) : CrashRequest(HttpMethod.Delete, $"customers/{Id}", null);

/// <summary><c>POST /events</c>; the unique name finds the event in the database, since the API has no route to read one.</summary>
public sealed record EventRequest(string Body, string Name, long CustomerId) : CrashRequest(HttpMethod.Post, "events", Body);

/// <summary>
/// Draws the next write of one <see cref="CrashClient"/> against the customers it owns (id → JSON of the last acknowledged
/// write), with random fields, unicode text, exact decimals, shared tag names and customData merges and removals.
/// </summary>
public sealed class CrashRequests(int client, int seed)
{
    public const int MaxLive = 8;

    private static readonly string[] Names = ["Ada Lovelace", "Ünïcødé ✓ 😀", "O'Brien \"Quote\" \\ back", "Żółć 東京"];
    private static readonly string[] TagPool = ["T0", "T1", "T2", "T3", "T4", "T5", "T6", "Ünï-tag"];

    private readonly Random _random = new(seed);
    private int _sequence;

    public CrashRequest Next(IReadOnlyDictionary<long, string> live)
    {
        _sequence++;
        var roll = _random.Next(100);
        if (live.Count < 2 || roll < 15 && live.Count < MaxLive)
        {
            return Create();
        }
        var id = live.Keys.ElementAt(_random.Next(live.Count));
        var current = CustomerModel.Parse(live[id]);
        if (roll < 45)
        {
            return Patch(id, current);
        }
        if (roll < 60)
        {
            return Batch(live);
        }
        if (roll < 78)
        {
            return ChangeTags(id, current, add: roll < 70);
        }
        return roll < 92 || live.Count < 3 ? Event(id) : new DeleteRequest(id);
    }

    private CreateRequest Create()
    {
        var userId = $"crash-{client}-{_sequence}";
        var body = new JsonObject
        {
            ["userId"] = userId,
            ["name"] = Pick(Names),
            ["tags"] = TagsBody(1 + _random.Next(3)),
            ["customData"] = CustomData(1 + _random.Next(3), removals: false),
        };
        if (_random.Next(2) == 0)
        {
            body["email"] = $"c{client}.{_sequence}@example.com";
        }
        return new CreateRequest(body.ToJsonString(), userId, CustomerModel.Merge(CustomerModel.Blank(), body));
    }

    private UpdateRequest Patch(long id, JsonObject current)
    {
        var body = new JsonObject();
        // One to four different fields.
        foreach (var field in Enumerable.Range(0, 9).OrderBy(_ => _random.Next()).Take(1 + _random.Next(4)))
        {
            switch (field)
            {
                case 0: body["name"] = _random.Next(4) == 0 ? null : Pick(Names) + " " + _sequence; break;
                case 1: body["email"] = _random.Next(4) == 0 ? null : $"p{client}.{_sequence}@example.com"; break;
                case 2: body["company"] = _random.Next(4) == 0 ? null : $"Company {_sequence}"; break;
                case 3: body["phone"] = $"+38050{_sequence:D7}"; break;
                case 4: body["notes"] = _random.Next(4) == 0 ? null : $"line one\nline two, {_sequence} ✓"; break;
                case 5: body["unsubscribed"] = _random.Next(2) == 0; break;
                case 6: body["blocked"] = _random.Next(2) == 0; break;
                case 7: body["customData"] = CustomData(1 + _random.Next(3), removals: true); break;
                default: body["tags"] = TagsBody(_random.Next(4)); break;
            }
        }
        return new UpdateRequest(HttpMethod.Patch, $"customers/{id}", body.ToJsonString(), [new(id, CustomerModel.Merge(current, body))], IsBatch: false);
    }

    /// <summary>Every customer of the batch gets the same new marker, so after a kill they all show it or none does.</summary>
    private UpdateRequest Batch(IReadOnlyDictionary<long, string> live)
    {
        var marker = $"batch-{client}-{_sequence}";
        var ids = live.Keys.OrderBy(_ => _random.Next()).Take(2 + _random.Next(Math.Min(3, live.Count - 1))).ToList();
        var items = new JsonArray();
        var expected = new List<ExpectedCustomer>();
        foreach (var id in ids)
        {
            var item = new JsonObject
            {
                ["customer"] = _random.Next(2) == 0 ? id : id.ToString(CultureInfo.InvariantCulture),
                ["company"] = marker,
                ["customData"] = new JsonObject { ["batch"] = marker },
            };
            if (_random.Next(2) == 0)
            {
                item["tags"] = TagsBody(_random.Next(3));
            }
            items.Add(item);
            expected.Add(new ExpectedCustomer(id, CustomerModel.Merge(CustomerModel.Parse(live[id]), item)));
        }
        return new UpdateRequest(HttpMethod.Put, "customers/batch", items.ToJsonString(), expected, IsBatch: true);
    }

    private UpdateRequest ChangeTags(long id, JsonObject current, bool add)
    {
        var names = Enumerable.Range(0, 1 + _random.Next(3)).Select(_ => Pick(TagPool)).ToList();
        var body = new JsonObject { ["tags"] = new JsonArray([.. names.Select(n => (JsonNode)new JsonObject { ["name"] = n })]) };
        var state = add ? CustomerModel.AddTags(current, names) : CustomerModel.RemoveTags(current, names);
        return new UpdateRequest(add ? HttpMethod.Put : HttpMethod.Delete, $"customers/{id}/tags", body.ToJsonString(), [new(id, state)], IsBatch: false);
    }

    private EventRequest Event(long id)
    {
        var name = $"ev-{client}-{_sequence}";
        var body = new JsonObject { ["name"] = name, ["data"] = new JsonObject { ["seq"] = _sequence }, ["customer"] = id };
        return new EventRequest(body.ToJsonString(), name, id);
    }

    private JsonArray TagsBody(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (JsonNode)new JsonObject { ["name"] = Pick(TagPool) })];

    private JsonObject CustomData(int count, bool removals)
    {
        var data = new JsonObject();
        for (var i = 0; i < count; i++)
        {
            data[$"k{_random.Next(6)}"] = _random.Next(removals ? 6 : 5) switch
            {
                0 => $"v{_sequence} ✓",
                1 => _sequence,
                // Numbers are kept exactly as sent.
                2 => JsonNode.Parse("2.50"),
                3 => _random.Next(2) == 0,
                4 => JsonNode.Parse("1e3"),
                _ => null,
            };
        }
        return data;
    }

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];
}
