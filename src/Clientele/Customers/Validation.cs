using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Clientele.Errors;

namespace Clientele.Customers;

/// <summary>
/// Reads JSON values the way HelpCrunch's (Symfony) validator judges them, with its message texts,
/// so clients that show or branch on those texts behave as they do against HelpCrunch.
/// </summary>
public static class Validation
{
    public const string NotBlank = "This value should not be blank.";
    public const string NotValidEmail = "This value is not a valid email address.";
    public const string NotValidLocale = "This value is not a valid locale.";
    public const string ContainsNul = "This value should not contain NUL characters.";

    private static readonly ConcurrentDictionary<string, string> TypeMessages = new(StringComparer.Ordinal);

    /// <summary>One string per type, not one per failure: a body can hold hundreds of thousands of wrongly typed values.</summary>
    public static string OfType(string type) => TypeMessages.GetOrAdd(type, static t => $"This value should be of type {t}.");

    public static string TooLong(int max) => $"This value is too long. It should have {max} characters or less.";

    public static string TooMany(int max) => $"This collection should contain {max} elements or less.";

    public static string AtLeast(long min) => $"This value should be greater than or equal to {min}.";

    public static string AtMost(long max) => $"This value should be less than or equal to {max}.";

    /// <summary>
    /// A string field: a JSON string, or a number kept as its text (clients send numeric phones and ids), or null.
    /// </summary>
    public static bool TryReadText(JsonElement value, string code, int maxLength, ErrorList errors, out string? text)
    {
        text = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.Number:
                text = value.GetRawText();
                break;
            case JsonValueKind.String:
                text = value.GetString();
                break;
            default:
                errors.Add(code, OfType("string"));
                return false;
        }
        return CheckNoNul(text!, code, errors) && CheckLength(text!, code, maxLength, errors);
    }

    public static bool CheckLength(string text, string code, int maxLength, ErrorList errors)
    {
        // Lengths count characters as the client sees them (code points), not UTF-16 units.
        if (text.Length > maxLength && text.EnumerateRunes().Count() > maxLength)
        {
            errors.Add(code, TooLong(maxLength));
            return false;
        }
        return true;
    }

    /// <summary>
    /// NUL is refused in every stored text: PostgreSQL cannot keep it in text, and SQLite would cut a bound value at it,
    /// so accepting it would make the providers disagree or lose data.
    /// </summary>
    public static bool CheckNoNul(string text, string code, ErrorList errors)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(code, ContainsNul);
            return false;
        }
        return true;
    }

    /// <summary>
    /// An integer in text. .NET's parsers skip trailing NUL characters ("12\0" parses as 12); such text is not a
    /// number here.
    /// </summary>
    public static bool TryParseInteger(string? text, NumberStyles styles, out long value)
    {
        value = 0;
        return text is not null && !text.Contains('\0', StringComparison.Ordinal)
            && long.TryParse(text, styles, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// A non-negative whole number given as a JSON number or a numeric string, in any of the forms clients
    /// send (<c>1603885746</c>, <c>"1603885746"</c>, <c>"1603885746.123"</c>); the fraction is dropped.
    /// </summary>
    public static bool TryReadWholeNumber(JsonElement value, string code, long max, ErrorList errors, out long number)
    {
        number = 0;
        var raw = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        const NumberStyles styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (raw is null || raw.Contains('\0', StringComparison.Ordinal) || !decimal.TryParse(raw, styles, CultureInfo.InvariantCulture, out var parsed))
        {
            errors.Add(code, OfType("numeric"));
            return false;
        }
        if (parsed < 0)
        {
            errors.Add(code, AtLeast(0));
            return false;
        }
        // Truncated first: "253402300799.9" is the largest second there is, not one past it.
        var whole = decimal.Truncate(parsed);
        if (whole > max)
        {
            errors.Add(code, AtMost(max));
            return false;
        }
        number = (long)whole;
        return true;
    }
}
