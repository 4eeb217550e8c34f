using System.Buffers;
using System.Text.Json;

namespace Clientele.Bench;

/// <summary>
/// The synthetic customers. Customer <c>i</c> comes from its own seeded <see cref="Random"/>, so it is the same on
/// every run and can be rebuilt at will: a PUT rewrites customer <c>i</c> keeping the email and userId it was
/// imported with, and searches look for emails that exist.
/// </summary>
internal static class DataSet
{
    /// <summary>A fixed "now" (2025-10-09), so the data set does not depend on the day it is made.</summary>
    public const long Now = 1_760_000_000;

    public static readonly string[] FirstNames =
    [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen", "Anna", "Lukas", "Sofia", "Mateo", "Emma",
        "Noah", "Olivia", "Liam", "Mia", "Hugo", "Chloe", "Louis", "Lea", "Jan", "Zofia", "Piotr", "Yuki", "Haruto", "Aiko", "Ravi",
        "Priya", "Arjun", "Fatima", "Omar", "Chen", "Wei", "Mei", "Ivan", "Olga", "Dmitri", "Lars", "Ingrid", "Pedro", "Lucia",
        "Giulia", "Marco", "Amara", "Kwame", "Zanele", "Jose",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris",
        "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois",
        "Lefebvre", "Moreau", "Rossi", "Russo", "Ferrari", "Kowalski", "Nowak", "Wisniewski", "Tanaka", "Suzuki", "Sato", "Kumar",
        "Sharma", "Patel", "Singh", "Wang", "Li", "Zhang", "Ivanov", "Petrov", "Silva", "Santos", "Okafor", "Mensah",
    ];

    private static readonly string[] Domains =
    [
        "gmail.com", "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "outlook.com", "hotmail.com", "icloud.com",
        "proton.me", "gmx.de", "web.de", "orange.fr", "mail.ru", "qq.com", "acme-corp.com", "globex.io", "initech.com", "umbrella.co",
    ];

    public static readonly string[] Companies =
    [
        "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises", "Wonka", "Cyberdyne", "Soylent",
        "Tyrell", "Aperture", "Vandelay", "Dunder Mifflin", "Pied Piper", "Massive Dynamic", "Oscorp", "Gringotts", "Monarch",
        "Blue Sun", "Nakatomi", "Virtucon", "Bluth", "Prestige Worldwide", "Sterling Cooper",
    ];

    private static readonly string[] CompanySuffixes = ["", " Inc", " GmbH", " Ltd", " LLC", " SA", " BV", " KK"];

    private static readonly (string City, string Region, string Country)[] Places =
    [
        ("New York", "NY", "US"), ("San Francisco", "CA", "US"), ("Austin", "TX", "US"), ("Chicago", "IL", "US"), ("London", "ENG", "GB"),
        ("Manchester", "ENG", "GB"), ("Berlin", "BE", "DE"), ("Munich", "BY", "DE"), ("Paris", "IDF", "FR"), ("Lyon", "ARA", "FR"),
        ("Madrid", "MD", "ES"), ("Barcelona", "CT", "ES"), ("Milan", "LOM", "IT"), ("Warsaw", "MZ", "PL"), ("Amsterdam", "NH", "NL"),
        ("Tokyo", "13", "JP"), ("Bangalore", "KA", "IN"), ("Sao Paulo", "SP", "BR"), ("Toronto", "ON", "CA"), ("Sydney", "NSW", "AU"),
        ("Kyiv", "30", "UA"), ("Lagos", "LA", "NG"),
    ];

    private static readonly string[] Locales = ["en", "en-US", "en-GB", "de", "de-DE", "fr", "es", "es-419", "pt-BR", "it", "pl", "nl", "ja", "uk"];

    private static readonly string[] Sources =
    [
        "https://www.google.com/", "https://www.bing.com/", "https://twitter.com/", "https://www.linkedin.com/", "https://news.ycombinator.com/",
        "https://example.com/blog/pricing-guide", "https://example.com/docs/getting-started", "https://partner.example.org/referral?id=42",
    ];

    private static readonly string[] Pages = ["/", "/pricing", "/features", "/docs/api", "/blog/launch-week", "/signup", "/account/billing", "/contact"];

    private static readonly string[] Plans = ["free", "free", "free", "starter", "starter", "pro", "pro", "enterprise"];

    private static readonly string[] Channels = ["organic", "paid-search", "referral", "partner", "webinar", "outbound"];

    /// <summary>Tag names with the share of customers that have them: a few common ones, a long tail of rare ones.</summary>
    public static readonly (string Name, string? Color, double Share)[] Tags =
    [
        ("Newsletter", null, 0.30), ("Lead", "#3498db", 0.25), ("Customer", "#2ecc71", 0.20), ("Trial", null, 0.15),
        ("Webinar 2025", null, 0.10), ("Beta", "#9b59b6", 0.08), ("Churn risk", "#e74c3c", 0.05), ("Enterprise", null, 0.04),
        ("VIP", "#f1c40f", 0.03), ("Partner", null, 0.02), ("Reseller", null, 0.01), ("Investor", null, 0.005),
    ];

    public static string Email(int i)
    {
        var random = Seeded(i);
        var first = Pick(random, FirstNames);
        var last = Pick(random, LastNames);
        return LocalPart(random, first, last, i) + "@" + Pick(random, Domains);
    }

    /// <summary>The part before the <c>@</c>: always carries <paramref name="i"/>, so every email is distinct.</summary>
    private static string LocalPart(Random random, string first, string last, int i) => (random.Next(4) switch
    {
        0 => $"{first}.{last}{i}",
        1 => $"{first[0]}{last}{i}",
        2 => $"{first}{i}",
        _ => $"{first}_{last}.{i}",
    }).ToLowerInvariant();

    /// <summary>Writes customer <paramref name="i"/> as the API's JSON object; <paramref name="revision"/> &gt; 0 changes the fields a later edit would.</summary>
    public static void WriteCustomer(Utf8JsonWriter json, int i, int revision = 0)
    {
        var random = Seeded(i);
        var first = Pick(random, FirstNames);
        var last = Pick(random, LastNames);
        var email = LocalPart(random, first, last, i) + "@" + Pick(random, Domains);
        var edit = revision == 0 ? random : new Random(HashCode.Combine(i, revision));

        json.WriteStartObject();
        json.WriteString("name", $"{first} {last}");
        json.WriteString("email", email);
        json.WriteString("userId", $"crm-{i:D7}");
        if (random.Next(10) < 7)
        {
            json.WriteString("company", Pick(edit, Companies) + Pick(edit, CompanySuffixes));
        }
        if (random.Next(10) < 6)
        {
            json.WriteString("phone", $"+{1 + random.Next(98)} {random.Next(100, 999)} {random.Next(1_000_000, 9_999_999)}");
        }
        var firstSeen = Now - random.NextInt64(3 * 365 * 86_400L);
        json.WriteNumber("firstSeen", firstSeen);
        json.WriteNumber("lastSeen", firstSeen + edit.NextInt64(Now - firstSeen + 1));
        var place = Pick(edit, Places);
        json.WriteStartObject("location");
        json.WriteString("city", place.City);
        json.WriteString("regionCode", place.Region);
        json.WriteString("countryCode", place.Country);
        json.WriteEndObject();
        json.WriteString("locale", Pick(random, Locales));
        json.WriteString("source", Pick(random, Sources));
        json.WriteString("lastPage", "https://example.com" + Pick(edit, Pages));
        json.WriteBoolean("unsubscribed", edit.Next(20) == 0);
        if (random.Next(100) == 0)
        {
            json.WriteBoolean("blocked", true);
        }
        if (random.Next(10) == 0)
        {
            json.WriteString("notes", $"Met at the {Pick(random, Places).City} meetup; interested in the {Pick(random, Plans)} plan.");
        }
        WriteTags(json, edit);
        WriteCustomData(json, random, edit);
        json.WriteEndObject();
    }

    public static void WriteTags(Utf8JsonWriter json, Random random)
    {
        json.WriteStartArray("tags");
        foreach (var (name, color, share) in Tags)
        {
            if (random.NextDouble() < share)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                if (color is not null)
                {
                    json.WriteString("color", color);
                }
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
    }

    private static void WriteCustomData(Utf8JsonWriter json, Random random, Random edit)
    {
        json.WriteStartObject("customData");
        var plan = Pick(edit, Plans);
        json.WriteString("plan", plan);
        if (plan != "free")
        {
            var seats = 1 + edit.Next(plan == "enterprise" ? 500 : 25);
            json.WriteNumber("seats", seats);
            json.WriteNumber("mrr", Math.Round(seats * (plan == "starter" ? 9.9 : plan == "pro" ? 29.9 : 49.9), 2));
        }
        json.WriteBoolean("trial", edit.Next(8) == 0);
        json.WriteString("channel", Pick(random, Channels));
        if (random.Next(3) == 0)
        {
            json.WriteString("accountManager", $"{Pick(random, FirstNames)} {Pick(random, LastNames)}");
        }
        if (random.Next(4) == 0)
        {
            json.WriteNumber("lastOrderId", random.Next(10_000, 999_999));
        }
        json.WriteEndObject();
    }

    /// <summary>Writes customers 0 … count−1 as NDJSON, the format <c>clientele import</c> reads.</summary>
    public static async Task<long> WriteNdjsonAsync(string path, int count, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        await using var json = new Utf8JsonWriter(buffer);
        for (var i = 0; i < count; i++)
        {
            WriteCustomer(json, i);
            json.Flush();
            json.Reset();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount > 1 << 15)
            {
                await file.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.ResetWrittenCount();
            }
        }
        await file.WriteAsync(buffer.WrittenMemory, cancellationToken);
        return file.Length;
    }

    public static Random Seeded(int i) => new(unchecked(i * 7919 + 104_729));

    public static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];
}
