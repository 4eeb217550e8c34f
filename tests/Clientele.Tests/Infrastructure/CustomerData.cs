using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// Random customers for search and list tests: small value pools (so equal values, equal sort keys and matches
/// happen), mixed case, accents, Cyrillic, emoji, quotes, nulls, and every input form a client may use.
/// </summary>
public static class CustomerData
{
    /// <summary>Words for the generic text fields; several differ only by case, some only after folding.</summary>
    /// <summary>
    /// Customer <paramref name="i"/> of a query-plan fixture, as a create body: unique email, userId and phone; name
    /// and company with Cyrillic for the trigram tests; first and last seen at <paramref name="firstSecond"/> + i;
    /// tag "everyone" on every customer, "vip" on one in ten, "rare" on customer 7.
    /// </summary>
    public static string PlanCustomer(int i, long firstSecond) => JsonSerializer.Serialize(new
    {
        name = $"Someone {i} Жанна",
        email = $"someone{i}@example.com",
        userId = $"crm-{i}",
        company = i % 2 == 0 ? $"Жанна {i}" : $"Acme {i}",
        phone = $"+380500000{i:D2}",
        firstSeen = firstSecond + i,
        lastSeen = firstSecond + i,
        tags = PlanTags(i).Select(name => new { name }),
    });

    private static IEnumerable<string> PlanTags(int i)
    {
        yield return "everyone";
        if (i % 10 == 0)
        {
            yield return "vip";
        }
        if (i == 7)
        {
            yield return "rare";
        }
    }

    public static readonly string[] Words =
    [
        "alice", "Alice", "ALICE", "alicia", "Émile", "émile", "ÉMILE", "emile", "Жанна", "жанна", "ЖАННА", "Жан",
        "😀 smile", "Smile 😀😀", "O'Brien", "say \"hi\"", "zed", "Zed", "a", "Ab", "straße", "STRASSE", "ǅemal",
        "  spaced  ", "", "100%", "under_score", "50", "ÅNGSTRÖM", "ångström", "日本語テキスト", "Ωmega", "ωmega", "Z", "ä", "İstanbul",
        // Above the surrogates: UTF-16 order puts these after emoji, UTF-8 (BINARY) order before.
        "ＡＢＣ full", "ａｂｃ", "ﬁle", "\uFFFDmark",
    ];

    public static readonly string[] Emails =
    [
        "alice@example.com", "ALICE@EXAMPLE.COM", "Alice@Example.com", "émile@exämple.fr", "ÉMILE@EXÄMPLE.FR",
        "жанна@пример.рф", "😀@emoji.io", "o'brien@x.co", "a+b@c.de", "zed@z.zz", "say\"hi\"@q.io",
    ];

    public static readonly string[] UserIds = ["crm-1", "CRM-1", "crm-2", "crm-10", "ünïcode-ид", "😀-7", "u\"q", "Z9"];

    public static readonly string[] Phones = ["+380501234567", "+1 (555) 010-0000", "12345", "ABC-phone", "тел 1"];

    public static readonly string[] Locales = ["en", "uk", "pt-BR", "en_US", "EN", "De", "es-419"];

    public static readonly string[] Sources = ["https://example.com/Pricing", "https://EXAMPLE.com/ü", "https://google.com/?q=\"x\"", "direct"];

    public static readonly string[] TagNames = ["vip", "VIP", "lead", "trial", "émigré", "😀"];

    public static readonly string[] Properties = ["plan", "Plan", "seats", "active", "score"];

    public static readonly string[] CustomTexts = ["pro", "PRO", "Pro plan", "ÉTÉ", "été", "Жанна", "😀😀😀", "5", "true"];

    public static readonly string[] CustomNumbers = ["0", "1", "5", "-3", "2.5", "1e2", "100", "5.0", "7"];

    public static readonly long[] Timestamps = [0, 1, 1603885746, 1603885747, 1700000000, 1700000001, 99_999_999_999];

    /// <summary>Generates <paramref name="count"/> customers; userIds are unique (ordinally) as the server requires.</summary>
    public static List<CustomerSpec> Generate(Random random, int count)
    {
        var customers = new List<CustomerSpec>(count);
        var userIds = new HashSet<string>(StringComparer.Ordinal);
        for (var key = 0; key < count; key++)
        {
            customers.Add(One(random, key, userIds));
        }
        return customers;
    }

    public static string CaseVariant(Random random, string text) => random.Next(4) switch
    {
        0 => text.ToUpperInvariant(),
        1 => text.ToLowerInvariant(),
        2 => string.Concat(text.EnumerateRunes().Select((r, i) => i % 2 == 0 ? Rune.ToUpperInvariant(r).ToString() : r.ToString())),
        _ => text,
    };

    private static CustomerSpec One(Random random, int key, HashSet<string> userIds)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var body = new JsonObject();
        foreach (var field in SearchFields.Text)
        {
            if (random.Next(10) < 3)
            {
                // Absent or explicit null: both leave the field null.
                if (random.Next(2) == 0)
                {
                    body[field] = null;
                }
                continue;
            }
            var value = field switch
            {
                "email" => CaseVariant(random, Pick(random, Emails)),
                "userId" => Pick(random, UserIds) + (random.Next(3) == 0 ? "" : random.Next(50).ToString(CultureInfo.InvariantCulture)),
                "phone" => random.Next(4) == 0 ? random.Next(1000, 99999).ToString(CultureInfo.InvariantCulture) : Pick(random, Phones),
                "locale" => Pick(random, Locales),
                "source" => Pick(random, Sources),
                _ => random.Next(3) == 0 ? CaseVariant(random, Pick(random, Words)) : Pick(random, Words),
            };
            if (field == "userId" && !userIds.Add(value))
            {
                continue;
            }
            texts[field] = value;
            // Digits may go as a JSON number: the server keeps its text.
            body[field] = value.All(char.IsAsciiDigit) && value.Length is > 0 and < 10 && value[0] != '0' && random.Next(2) == 0
                ? JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture))
                : JsonValue.Create(value);
        }
        if (random.Next(2) == 0)
        {
            // The nested form of the location members.
            var location = new JsonObject();
            foreach (var member in new[] { "city", "regionCode", "countryCode" })
            {
                if (body.Remove(member, out var node))
                {
                    location[member] = node;
                }
            }
            body["location"] = location;
        }

        var firstSeen = Seconds(random, body, "firstSeen");
        var lastSeen = Seconds(random, body, "lastSeen");
        var unsubscribed = Flag(random, body, "unsubscribed");
        var blocked = Flag(random, body, "blocked");

        var tags = TagNames.Where(_ => random.Next(4) == 0).ToList();
        if (tags.Count > 0 || random.Next(2) == 0)
        {
            body["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)new JsonObject { ["name"] = t })]);
        }

        var custom = new List<KeyValuePair<string, CustomValue>>();
        foreach (var property in Properties.Where(_ => random.Next(2) == 0))
        {
            var value = random.Next(3) switch
            {
                0 => CustomValue.Text(Pick(random, CustomTexts)),
                1 => CustomValue.Number(Pick(random, CustomNumbers)),
                _ => CustomValue.Flag(random.Next(2) == 0),
            };
            custom.Add(new(property, value));
        }
        if (custom.Count > 0)
        {
            body["customData"] = random.Next(2) == 0
                ? new JsonObject(custom.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value.ToNode())))
                : new JsonArray([.. custom.Select(p => (JsonNode)new JsonObject { ["property"] = p.Key, ["value"] = p.Value.ToNode() })]);
        }

        return new CustomerSpec
        {
            Key = key,
            Body = body.ToJsonString(SearchFields.Json),
            Texts = texts,
            FirstSeen = firstSeen,
            LastSeen = lastSeen,
            Unsubscribed = unsubscribed,
            Blocked = blocked,
            Tags = tags,
            CustomData = custom,
        };
    }

    private static long? Seconds(Random random, JsonObject body, string field)
    {
        if (random.Next(4) == 0)
        {
            return null;
        }
        var value = random.Next(3) == 0 ? random.NextInt64(0, 2_000_000_000) : Pick(random, Timestamps);
        body[field] = DateClause.Render(value, (NumberForm)random.Next(4));
        return value;
    }

    private static bool Flag(Random random, JsonObject body, string field)
    {
        switch (random.Next(3))
        {
            case 0:
                return false;
            case 1:
                body[field] = null;
                return false;
            default:
                var value = random.Next(2) == 0;
                body[field] = value;
                return value;
        }
    }

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Creates the customers with a few requests in flight at once; returns their ids by key.</summary>
    public static async Task<Dictionary<int, long>> CreateAllAsync(HttpClient client, IReadOnlyList<CustomerSpec> customers, int parallelism = 4)
    {
        var ids = await CreateAllAsync(client, [.. customers.Select(c => c.Body)], parallelism);
        return customers.Select((c, i) => (c.Key, Id: ids[i])).ToDictionary(p => p.Key, p => p.Id);
    }

    /// <summary>Creates a customer from each body, <paramref name="parallelism"/> requests at a time; returns the ids in body order.</summary>
    public static async Task<long[]> CreateAllAsync(HttpClient client, IReadOnlyList<string> bodies, int parallelism = 4)
    {
        var ids = new long[bodies.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = TestContext.Current.CancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, bodies.Count), options, async (i, _) =>
        {
            var (status, body) = await client.CallAsync(HttpMethod.Post, "customers", bodies[i]);
            if (status != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Creating {bodies[i]} answered {(int)status}: {body}");
            }
            using var document = JsonDocument.Parse(body);
            ids[i] = document.RootElement.GetProperty("id").GetInt64();
        });
        return ids;
    }
}
