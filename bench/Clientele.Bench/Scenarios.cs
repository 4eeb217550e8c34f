using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Clientele.Bench;

/// <param name="Key">Short name, used on the chart and in file names.</param>
/// <param name="Next">The next request's bytes; called by many connections at once, each with its own <see cref="Random"/>.</param>
/// <param name="CustomersPerRequest">How many customers one request touches (ten for a batch), for per-customer rates.</param>
internal sealed record Scenario(string Key, string Title, string What, Func<Random, byte[]> Next, int CustomersPerRequest = 1);

/// <summary>Whole HTTP/1.1 requests as bytes, ready to write to a socket.</summary>
internal sealed class Requests(string host, string? apiKey)
{
    public byte[] Build(string method, string target, byte[]? body = null)
    {
        var head = new StringBuilder(256).Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: ").Append(host).Append("\r\n");
        if (apiKey is not null)
        {
            head.Append("Authorization: Bearer ").Append(apiKey).Append("\r\n");
        }
        if (body is not null)
        {
            head.Append("Content-Type: application/json\r\nContent-Length: ").Append(body.Length).Append("\r\n");
        }
        head.Append("\r\n");
        var bytes = Encoding.ASCII.GetBytes(head.ToString());
        return body is null ? bytes : [.. bytes, .. body];
    }
}

/// <summary>
/// The scenarios, over customers <c>firstId … firstId+count−1</c> (customer <c>i</c> of the data set has id
/// <c>firstId+i</c>: the import keeps file order). Requests that need no uniqueness are drawn from a pool made
/// before the clock starts, so the load generator spends its CPU on sockets, not on JSON.
/// </summary>
internal sealed class ScenarioFactory(Requests http, long firstId, int count)
{
    private const int PoolSize = 8192;

    private int _created;

    public IReadOnlyList<Scenario> All() =>
    [
        Get(), Patch(), Put(), Create(), SearchEmailEquals(), SearchEmailContains(), SearchTag(),
        SearchTwoTags(), SearchTwoContains(), SearchTagAndContains(), ListPage(), Batch(), Event(),
    ];

    public Scenario Get() => new("get", "GET by id", "`GET /v1/customers/{id}`, random customer",
        Pooled(r => http.Build("GET", $"/v1/customers/{RandomId(r)}")));

    public Scenario Patch() => new("patch", "PATCH", "`PATCH /v1/customers/{id}`, random customer, 1–4 random fields (company, lastSeen, location, customData, tags, …)",
        Pooled(r => http.Build("PATCH", $"/v1/customers/{RandomId(r)}", Json(w => WritePatch(w, r, null)))));

    public Scenario Put() => new("put", "PUT", "`PUT /v1/customers/{id}`: the whole customer again, some fields changed",
        Pooled(r =>
        {
            var i = r.Next(count);
            return http.Build("PUT", $"/v1/customers/{firstId + i}", Json(w => DataSet.WriteCustomer(w, i, revision: 1 + r.Next(1000))));
        }));

    /// <summary>Not pooled: every new customer needs its own userId.</summary>
    public Scenario Create() => new("create", "create", "`POST /v1/customers`: a new customer of the same shape as the data set",
        _ =>
        {
            var i = count + Interlocked.Increment(ref _created);
            return http.Build("POST", "/v1/customers", Json(w => DataSet.WriteCustomer(w, i)));
        });

    public Scenario SearchEmailEquals() => new("search-eq", "search `email =`", "`POST /v1/customers/search`, `email =` an existing email (1 match)",
        Pooled(r => Search(Filters(w =>
        {
            w.WriteString("field", "customers.email");
            w.WriteString("operator", "=");
            w.WriteString("value", DataSet.Email(r.Next(count)));
        }))));

    public Scenario SearchEmailContains() => new("search-contains", "search `email ~`", "`POST /v1/customers/search`, `email ~` a random 5-character piece of an existing email's local part, `limit` 20",
        Pooled(r =>
        {
            var local = DataSet.Email(r.Next(count)).Split('@')[0];
            var at = r.Next(Math.Max(1, local.Length - 4));
            var needle = local.Substring(at, Math.Min(5, local.Length - at));
            return Search(Filters(w =>
            {
                w.WriteString("field", "customers.email");
                w.WriteString("operator", "~");
                w.WriteString("value", needle);
            }), limit: 20);
        }));

    public Scenario SearchTag() => new("search-tag", "search by tag", "`POST /v1/customers/search`, `tagsData =` one tag (shares 0.5 %–30 %), `limit` 20",
        Pooled(r => Search(Filters(w => WriteTags(w, DataSet.Pick(r, DataSet.Tags).Name)), limit: 20)));

    /// <summary>The README's "both tags" search: each condition alone matches thousands, together a fraction of them.</summary>
    public Scenario SearchTwoTags() => new("search-2tags", "search two tags", "`POST /v1/customers/search`, `tagsData =` two distinct tags (the customer has both), `limit` 20",
        Pooled(r =>
        {
            var first = DataSet.Pick(r, DataSet.Tags).Name;
            var second = DataSet.Pick(r, DataSet.Tags.Where(t => t.Name != first).ToArray()).Name;
            return Search(Filters(w => WriteTags(w, first, second)), limit: 20);
        }));

    /// <summary>Two substring conditions ANDed, three characters each: the least a trigram answers, so each alone matches many.</summary>
    public Scenario SearchTwoContains() => new("search-2contains", "search `name ~` and `company ~`", "`POST /v1/customers/search`, `name ~` 3 characters of a first name AND `company ~` 3 characters of a company, `limit` 20",
        Pooled(r => Search(Filters(
            w => WriteContains(w, "customers.name", Piece(r, DataSet.Pick(r, DataSet.FirstNames), 3)),
            w => WriteContains(w, "customers.company", Piece(r, DataSet.Pick(r, DataSet.Companies), 3))), limit: 20)));

    public Scenario SearchTagAndContains() => new("search-tag-contains", "search a tag and `email ~`", "`POST /v1/customers/search`, `tagsData =` one tag AND `email ~` 4 characters of a last name, `limit` 20",
        Pooled(r => Search(Filters(
            w => WriteTags(w, DataSet.Pick(r, DataSet.Tags).Name),
            w => WriteContains(w, "customers.email", Piece(r, DataSet.Pick(r, DataSet.LastNames).ToLowerInvariant(), 4))), limit: 20)));

    /// <summary>
    /// What the noisy account sends: the two-condition searches, and a substring test of a <c>customData</c> property,
    /// which no index answers (every customer of the account is read): the most a search of one clause may cost.
    /// </summary>
    public Scenario HeavySearches()
    {
        var kinds = new[] { SearchTwoTags().Next, SearchTwoContains().Next, SearchTagAndContains().Next, SearchAccountManager().Next };
        return new("heavy", "heavy searches", "the three two-condition searches and `customData.accountManager ~` (no index: every customer read), in turn at random", r => kinds[r.Next(kinds.Length)](r));
    }

    private Scenario SearchAccountManager() => new("search-custom", "search `customData.accountManager ~`", "`customData.accountManager ~` 4 characters of a last name",
        Pooled(r => Search(Filters(w => WriteContains(w, "customers.customData.accountManager", Piece(r, DataSet.Pick(r, DataSet.LastNames).ToLowerInvariant(), 4))), limit: 20)));

    /// <summary>GET by id of another account's customers, with that account's key.</summary>
    public static Scenario NeighbourGet(Requests http, IReadOnlyList<long> ids) => new("neighbour-get", "neighbour's GET by id", "`GET /v1/customers/{id}` of the second account's own customers",
        r => http.Build("GET", $"/v1/customers/{ids[r.Next(ids.Count)]}"));

    public Scenario ListPage() => new("list", "list page", "`GET /v1/customers?offset=…&limit=20`, one of the first 500 pages",
        Pooled(r => http.Build("GET", $"/v1/customers?offset={20 * r.Next(Math.Max(1, Math.Min(count, 10_000) / 20))}&limit=20")));

    public Scenario Batch() => new("batch", "batch of 10", "`PUT /v1/customers/batch`: 10 PATCH bodies for 10 distinct random customers",
        Pooled(r => http.Build("PUT", "/v1/customers/batch", Json(w =>
        {
            w.WriteStartArray();
            var ids = new HashSet<long>();
            while (ids.Count < Math.Min(10, count))
            {
                var id = RandomId(r);
                if (ids.Add(id))
                {
                    WritePatch(w, r, id);
                }
            }
            w.WriteEndArray();
        }))), CustomersPerRequest: 10);

    public Scenario Event() => new("event", "event post", "`POST /v1/events` for a random customer",
        Pooled(r => http.Build("POST", "/v1/events", Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", DataSet.Pick(r, EventNames));
            w.WriteStartObject("data");
            w.WriteString("page", "/pricing");
            w.WriteNumber("amount", r.Next(1, 500));
            w.WriteEndObject();
            w.WriteNumber("customer", RandomId(r));
            w.WriteEndObject();
        }))));

    /// <summary>The same PATCH requests, for the baseline server (which ignores the key).</summary>
    public Scenario Baseline() => Patch() with { Key = "baseline", Title = "baseline (PATCH echo)", What = "the PATCH requests, sent to `bench/Baseline` (parse + echo, no storage)" };

    private static readonly string[] EventNames = ["page_view", "login", "signup_completed", "invoice_paid", "feature_used"];

    private long RandomId(Random r) => firstId + r.Next(count);

    /// <summary>A PATCH body: 1–4 of the fields a CRM sync or a widget typically changes.</summary>
    private static void WritePatch(Utf8JsonWriter w, Random r, long? customer)
    {
        w.WriteStartObject();
        if (customer is { } id)
        {
            w.WriteNumber("customer", id);
        }
        var fields = Enumerable.Range(0, 9).OrderBy(_ => r.Next()).Take(1 + r.Next(4));
        foreach (var field in fields)
        {
            switch (field)
            {
                case 0: w.WriteString("company", DataSet.Pick(r, ["Acme Inc", "Globex GmbH", "Initech", "Hooli", "Umbrella Ltd"])); break;
                case 1: w.WriteNumber("lastSeen", DataSet.Now + r.Next(86_400)); break;
                case 2:
                    w.WriteStartObject("location");
                    w.WriteString("city", DataSet.Pick(r, ["Lisbon", "Berlin", "Austin", "Osaka"]));
                    w.WriteString("countryCode", DataSet.Pick(r, ["PT", "DE", "US", "JP"]));
                    w.WriteEndObject();
                    break;
                case 3:
                    w.WriteStartObject("customData");
                    w.WriteString("plan", DataSet.Pick(r, ["free", "starter", "pro", "enterprise"]));
                    w.WriteNumber("seats", 1 + r.Next(50));
                    w.WriteNumber("lastLogin", DataSet.Now + r.Next(86_400));
                    w.WriteEndObject();
                    break;
                case 4: w.WriteBoolean("unsubscribed", r.Next(10) == 0); break;
                case 5: DataSet.WriteTags(w, r); break;
                case 6: w.WriteString("lastPage", "https://example.com/pricing?ref=" + r.Next(1000)); break;
                case 7: w.WriteString("phone", $"+1 555 {r.Next(1_000_000, 9_999_999)}"); break;
                default: w.WriteString("notes", $"Called on {r.Next(1, 28)} Oct about renewal."); break;
            }
        }
        w.WriteEndObject();
    }

    private byte[] Search(byte[] filter, int? limit = null) => http.Build("POST", "/v1/customers/search", Json(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("filter");
        w.WriteRawValue(filter);
        if (limit is { } n)
        {
            w.WriteNumber("limit", n);
        }
        w.WriteEndObject();
    }));

    private static string Piece(Random r, string text, int length)
    {
        var at = r.Next(Math.Max(1, text.Length - length + 1));
        return text.Substring(at, Math.Min(length, text.Length - at));
    }

    private static void WriteContains(Utf8JsonWriter w, string field, string needle)
    {
        w.WriteString("field", field);
        w.WriteString("operator", "~");
        w.WriteString("value", needle);
    }

    private static void WriteTags(Utf8JsonWriter w, params string[] names)
    {
        w.WriteString("field", "customers.tagsData");
        w.WriteString("operator", "=");
        w.WriteStartArray("value");
        foreach (var name in names)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static byte[] Filters(params Action<Utf8JsonWriter>[] clauses) => Json(w =>
    {
        w.WriteStartArray();
        foreach (var clause in clauses)
        {
            w.WriteStartObject();
            clause(w);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Draws <see cref="PoolSize"/> requests with a fixed seed; connections then pick from them at random.</summary>
    private static Func<Random, byte[]> Pooled(Func<Random, byte[]> make)
    {
        var seed = new Random(20_251_009);
        var pool = new byte[PoolSize][];
        for (var i = 0; i < pool.Length; i++)
        {
            pool[i] = make(seed);
        }
        return r => pool[r.Next(pool.Length)];
    }
}
