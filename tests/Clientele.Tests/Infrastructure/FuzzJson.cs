using System.Globalization;
using System.Text;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// Building blocks of generated JSON: literals written by hand (so the fuzzer can also write what a serializer
/// never would: duplicated keys, lone surrogate escapes, raw bytes), and pools of hostile values.
/// </summary>
public static partial class FuzzJson
{
    /// <summary>
    /// Valid Unicode text a server must store and give back unchanged: direction marks, emoji, combining marks,
    /// control characters… but no NUL, which no stored text may hold (see <see cref="NulText"/>).
    /// </summary>
    public static readonly string[] WeirdText =
    [
        "",
        " ",
        "   padded   ",
        "plain",
        "\u200F\u05E9\u05DC\u05D5\u05DD\u200E",
        "\u202Eevil\u202C",
        "\u2066isolate\u2069",
        "\uFEFFbom",
        "zero\u200Bwidth\u200Djoin",
        "😀",
        "👨‍👩‍👧‍👦",
        "🏳️‍🌈",
        "\U0001F600\U0001F64F\U00010000\U0010FFFF",
        "e\u0301",
        "e\u0301\u0301\u0301\u0301\u0301",
        "Z\u0364\u0351\u0367\u0311\u0313a\u0308\u0356\u032Dl\u036E\u0312\u036Bg\u030C\u0317\u035Ao\u0319\u0314\u036E",
        "\u00E9",
        "\u0065\u0301",
        "\u0130stanbul",
        "\u0131",
        "stra\u00DFe",
        "\u01C5",
        "\u2126",
        "\uFB00",
        "\u1E9E",
        "東京",
        "مرحبا",
        "שלום",
        "한국어",
        "\t\n\r\b\f",
        "\u0001\u001F\u007F\u0080\u009F",
        "\"quoted\" \\back\\slash/",
        "'; DROP TABLE customers; --",
        "' OR '1'='1",
        "%s%n%x%d",
        "{{7*7}}${7*7}",
        "<script>alert(1)</script>",
        "\\u0000",
        "\\ud800",
        "NaN",
        "Infinity",
        "-Infinity",
        "-0",
        "null",
        "true",
        "[]",
        "{}",
        "1e400",
        "9223372036854775808",
        "\uFFFD",
        "\uFFFE\uFFFF",
        "\uE000\uF8FF",
        "\u2028\u2029",
        "a%00b",
        "%F0%9F%98%80",
        "..\\..\\etc\\passwd",
        "customers.name",
        "*",
        "%",
        "_",
        "\"\"\"",
    ];

    /// <summary>JSON number literals at and beyond every limit a parser or a database has.</summary>
    public static readonly string[] HostileNumbers =
    [
        "0",
        "-0",
        "0.0",
        "-0.0",
        "1e400",
        "-1e400",
        "1E+400",
        "1e-400",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "99999999999999999999999999999999999999999",
        "0.1000000000000000055511151231257827021181583404541015625",
        "1.7976931348623157e308",
        "4.9e-324",
        "2147483648",
        "-2147483649",
        "1.5",
        "-1",
        "1603885746.999",
        "1e3",
        "1E3",
        "123456789012345678901234567890.123456789",
        "0.00000000000000000000000000000000000001",
    ];

    private static readonly string[] Nasty = ["\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\"", "\"\"", "\" 1\"", "\"0x10\"", "\"١٢٣\"", "\"１２３\""];

    /// <summary>Every JSON type, for "wrong type" faults.</summary>
    public static readonly string[] AnyType = ["null", "true", "false", "0", "-1", "1.5", "\"x\"", "\"\"", "{}", "[]", "{\"a\":1}", "[1,\"a\",null]", "[[]]", "{\"\":{}}"];

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    public static string Pick(this Random rng, params ReadOnlySpan<string> items) => items[rng.Next(items.Length)];

    public static int Pick(this Random rng, params ReadOnlySpan<int> items) => items[rng.Next(items.Length)];

    public static long Pick(this Random rng, params ReadOnlySpan<long> items) => items[rng.Next(items.Length)];

    public static bool Chance(this Random rng, double probability) => rng.NextDouble() < probability;

    /// <summary>A hostile number or numeric-looking string.</summary>
    public static string HostileNumberOrString(Random rng) => rng.Chance(0.7) ? rng.Pick(HostileNumbers) : rng.Pick(Nasty);

    /// <summary>
    /// A JSON string literal of <paramref name="text"/>. Characters JSON requires escaped are escaped; every
    /// other one is escaped as <c>\uXXXX</c> at random, so decoding of escapes is exercised as much as raw UTF-8.
    /// </summary>
    public static string Str(string text, Random? rng = null, double escapeChance = 0.15)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var lone = char.IsHighSurrogate(c) ? i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])
                : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]));
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n' when rng is null || rng.Chance(0.5):
                    builder.Append("\\n");
                    break;
                case '/' when rng is not null && rng.Chance(0.5):
                    builder.Append("\\/");
                    break;
                default:
                    if (c < 0x20 || lone || (rng is not null && rng.Chance(escapeChance) && !char.IsLowSurrogate(c)))
                    {
                        builder.Append("\\u").Append(((int)c).ToString(rng is not null && rng.Chance(0.5) ? "X4" : "x4", CultureInfo.InvariantCulture));
                        if (char.IsHighSurrogate(c) && !lone)
                        {
                            // A pair is escaped whole or not at all.
                            builder.Append("\\u").Append(((int)text[++i]).ToString("x4", CultureInfo.InvariantCulture));
                        }
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.Append('"').ToString();
    }

    /// <summary>An object from members whose values are raw JSON; the same key may come twice.</summary>
    public static string Obj(IEnumerable<(string Key, string Raw)> members, Random? rng = null) =>
        "{" + string.Join(",", members.Select(m => Str(m.Key, rng) + ":" + m.Raw)) + "}";

    public static string Obj(params (string Key, string Raw)[] members) => Obj(members, null);

    public static string Arr(IEnumerable<string> raws) => "[" + string.Join(",", raws) + "]";

    /// <summary><paramref name="levels"/> nested containers (arrays, objects or both) around <paramref name="core"/>.</summary>
    public static string Nested(int levels, Random rng, string core = "1")
    {
        var kind = rng.Next(3);
        var builder = new StringBuilder(levels * 6 + core.Length);
        var closers = new char[levels];
        for (var i = 0; i < levels; i++)
        {
            var array = kind == 0 || (kind == 2 && i % 2 == 0);
            builder.Append(array ? "[" : "{\"k\":");
            closers[levels - 1 - i] = array ? ']' : '}';
        }
        builder.Append(core).Append(closers);
        return builder.ToString();
    }

    /// <summary><paramref name="count"/> characters of one kind: ASCII, two-unit emoji, or a letter with a combining mark (two code points).</summary>
    public static string CodePoints(int count, Random rng) => rng.Next(3) switch
    {
        0 => new string('x', count),
        1 => string.Concat(Enumerable.Repeat("😀", count)),
        _ => string.Concat(Enumerable.Repeat("é", count)),
    };

    /// <summary>Text of exactly <paramref name="count"/> code points drawn from the weird pool.</summary>
    public static string WeirdOfLength(int count, Random rng)
    {
        var builder = new StringBuilder();
        var points = 0;
        while (points < count)
        {
            var piece = rng.Pick(WeirdText);
            foreach (var rune in piece.EnumerateRunes())
            {
                if (points == count)
                {
                    break;
                }
                builder.Append(rune.ToString());
                points++;
            }
        }
        return builder.ToString();
    }

    /// <summary>A weird but valid string of at most <paramref name="max"/> code points.</summary>
    public static string WeirdString(Random rng, int max)
    {
        var roll = rng.Next(10);
        var text = roll switch
        {
            0 => WeirdOfLength(max, rng),
            1 => WeirdOfLength(rng.Next(1, Math.Min(max, 300) + 1), rng),
            2 => string.Concat(Enumerable.Range(0, rng.Next(2, 5)).Select(_ => rng.Pick(WeirdText))),
            _ => rng.Pick(WeirdText),
        };
        return text.EnumerateRunes().Count() <= max ? text : WeirdOfLength(max, rng);
    }

    /// <summary>Bytes that are certainly not a JSON document (checked), from pure noise to JSON with one defect.</summary>
    public static byte[] Malformed(Random rng, string validBody)
    {
        for (var attempt = 0; ; attempt++)
        {
            var bytes = rng.Next(12) switch
            {
                0 => RandomBytes(rng, rng.Next(1, 200)),
                1 => Encoding.UTF8.GetBytes(validBody[..rng.Next(Math.Max(1, validBody.Length))]),
                2 => Encoding.UTF8.GetBytes(validBody + rng.Pick("x", "}", "]", "{}", ",", "\"", "\0", " null", "]]")),
                3 => Encoding.UTF8.GetBytes(rng.Pick(SyntaxErrors)),
                4 => Encoding.Unicode.GetBytes(validBody),
                5 => Encoding.UTF32.GetBytes(validBody),
                6 => Mutate(rng, Encoding.UTF8.GetBytes(validBody)),
                7 => Encoding.UTF8.GetBytes(validBody.Replace("\"", "'", StringComparison.Ordinal)),
                8 => Encoding.UTF8.GetBytes(validBody.Replace(":", "=", StringComparison.Ordinal)),
                9 => Encoding.UTF8.GetBytes(rng.Chance(0.5) ? "\0" : "\u0000{}"),
                10 => Encoding.UTF8.GetBytes(new string('{', rng.Next(1, 50))),
                _ => Encoding.UTF8.GetBytes(validBody.Insert(rng.Next(validBody.Length), rng.Pick("/*c*/", "//c\n", ",", "\u0001", "NaN", "'", "\\"))),
            };
            if (!IsJson(bytes))
            {
                return bytes;
            }
            if (attempt > 50)
            {
                return "{"u8.ToArray();
            }
        }
    }

    /// <summary>Whether the server's parser (depth 32, no comments, no trailing commas) would take the bytes.</summary>
    public static bool IsJson(byte[] bytes)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(bytes, new System.Text.Json.JsonDocumentOptions { MaxDepth = 32 });
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static readonly string[] SyntaxErrors =
    [
        "{", "}", "[", "]", "{\"name\":}", "{\"name\"}", "{\"name\":\"x\",}", "[1,]", "{,}", "{\"a\":1 \"b\":2}",
        "{'name':'x'}", "{name:\"x\"}", "{\"name\":\"x\"}}", "{\"firstSeen\":NaN}", "{\"firstSeen\":Infinity}",
        "{\"firstSeen\":-Infinity}", "{\"firstSeen\":01}", "{\"firstSeen\":+1}", "{\"firstSeen\":0x10}", "{\"firstSeen\":1.}",
        "{\"firstSeen\":.5}", "{\"firstSeen\":1e}", "{\"firstSeen\":-}", "{\"name\":\"\t\"}", "{\"name\":\"a\nb\"}",
        "{\"name\":\"\\x41\"}", "{\"name\":\"\\u12\"}", "{\"name\":\"\\uZZZZ\"}", "{\"name\":\"\\\"}", "{\"name\":'x'}",
        "{\"name\":undefined}", "{\"name\":True}", "{\"name\":NULL}", "{\"a\":[1,2}", "{\"a\":{\"b\":1]}", "\"unterminated",
        "{} {}", "[] []", "{\"a\":1}{\"b\":2}", "nul", "tru", "fals", "-", "--1", "1 2", "{\"\u0000\":1", "\u00A0{}",
        "/* c */ {}", "// c\n{}", "{\"a\":1}//", "{\"tags\":[{\"name\":\"x\"},]}", "[{\"customer\":1},]",
    ];

    private static byte[] RandomBytes(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random rng, byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = rng.Next(1, 4); i > 0 && copy.Length > 0; i--)
        {
            copy[rng.Next(copy.Length)] = (byte)rng.Next(256);
        }
        return copy;
    }
}
