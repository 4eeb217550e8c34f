namespace Clientele.Tests.Infrastructure;

/// <summary>
/// Text the server must refuse though it is valid JSON: NUL in what it would store as text (400 at the field),
/// and names or strings that are not valid Unicode (400 <c>invalid_json</c> for the whole body).
/// </summary>
public static partial class FuzzJson
{
    /// <summary>
    /// Valid Unicode holding a NUL: refused in every text the server stores (400 at the field: PostgreSQL cannot
    /// keep it, SQLite cut it), accepted where it is not stored as text (event data, members that are ignored).
    /// </summary>
    public static readonly string[] NulText =
    [
        "\u0000",
        "a\u0000b",
        "\u0000\u0000\u0000",
        "x\u0000",
        "\u0000y",
        "😀\u0000é",
        "a\u0000b" + new string('x', 600),
    ];

    /// <summary>Strings that are not valid Unicode (lone or reversed surrogates), written as JSON escapes.</summary>
    public static readonly string[] LoneSurrogateEscapes =
    [
        "\\ud800",
        "\\udc00",
        "a\\ud800b",
        "\\udfff\\ud800",
        "\\ud83d",
        "x\\ude00",
        "\\ud800\\ud800",
    ];

    /// <summary>Raw bytes that are not UTF-8: a lone continuation, an overlong form, an encoded surrogate, an invalid start.</summary>
    public static readonly byte[][] InvalidUtf8 =
    [
        [0x80],
        [0xC3, 0x28],
        [0xC0, 0xAF],
        [0xED, 0xA0, 0x80],
        [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0xFF],
        [0xFE, 0xFF],
        [0xF4, 0x90, 0x80, 0x80],
        [0xE2, 0x82],
    ];

    /// <summary>
    /// <paramref name="text"/> with a NUL put at its start, its end or inside, staying within <paramref name="max"/>
    /// code points; or, at times, one of <see cref="NulText"/> that fits.
    /// </summary>
    public static string WithNul(Random rng, string text, int max)
    {
        if (rng.Chance(0.3))
        {
            var pick = rng.Pick(NulText);
            if (pick.Length <= max)
            {
                return pick;
            }
        }
        var runes = text.EnumerateRunes().Select(r => r.ToString()).Take(Math.Max(0, max - 1)).ToList();
        runes.Insert(rng.Next(3) switch { 0 => 0, 1 => runes.Count, _ => rng.Next(runes.Count + 1) }, "\0");
        return string.Concat(runes);
    }

    /// <summary>The positions just after the opening quote of every string (member names and values) in JSON text.</summary>
    public static List<int> StringStarts(string json)
    {
        var starts = new List<int>();
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] == '"')
            {
                starts.Add(i + 1);
                i = StringEnd(json, i + 1);
            }
        }
        return starts;
    }

    /// <summary>The position of the closing quote of the string whose text starts at <paramref name="start"/>.</summary>
    public static int StringEnd(string json, int start)
    {
        var i = start;
        while (i < json.Length && json[i] != '"')
        {
            i += json[i] == '\\' ? 2 : 1;
        }
        return i;
    }

    /// <summary>Whether JSON text holds a NUL in a member name or string, once decoded (so not the six characters <c>\u0000</c> written as text).</summary>
    public static bool HoldsNul(string json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
            if (reader.TokenType is System.Text.Json.JsonTokenType.PropertyName or System.Text.Json.JsonTokenType.String
                && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether JSON text holds a member name or string that is not valid Unicode (a lone surrogate, a byte that is not UTF-8).</summary>
    public static bool HoldsInvalidUnicode(byte[] json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(json, new System.Text.Json.JsonReaderOptions { MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is System.Text.Json.JsonTokenType.PropertyName or System.Text.Json.JsonTokenType.String)
                {
                    _ = reader.GetString();
                }
            }
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
