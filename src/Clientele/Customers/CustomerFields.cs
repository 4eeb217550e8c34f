using System.Text.Json;
using System.Text.RegularExpressions;
using Clientele.Errors;

namespace Clientele.Customers;

/// <summary>
/// Every writable field of spec §3: how its JSON value is checked and what it sets on a record.
/// A reader adds its errors (with the field path as code) and returns the setter, or null when the value is refused.
/// </summary>
internal static partial class CustomerFields
{
    public const int MaxText = 255;
    public const int MaxUrl = 2048;
    public const int MaxNotes = 65535;
    public const int MaxTagName = 100;
    public const int MaxTagColor = 32;
    public const int MaxTags = 100;
    public const int MaxCustomData = 200;
    public const int MaxCustomDataProperty = 255;
    public const int MaxCustomDataText = 65535;

    /// <summary>9999-12-31T23:59:59Z: past it a timestamp is a client's mistake, not a date.</summary>
    public const long MaxTimestamp = 253402300799;

    public const string DefaultTagColor = "#c377e0";

    private delegate Action<CustomerRecord>? Reader(JsonElement value, string code, ErrorList errors);

    private static readonly Dictionary<string, Reader> Readers = new(StringComparer.Ordinal)
    {
        ["name"] = Text(MaxText, (r, v) => r.Name = v),
        ["email"] = Email,
        ["userId"] = UserId,
        ["company"] = Text(MaxText, (r, v) => r.Company = v),
        ["phone"] = Text(MaxText, (r, v) => r.Phone = v),
        ["source"] = Text(MaxUrl, (r, v) => r.Source = v),
        ["referer"] = Text(MaxUrl, (r, v) => r.Referer = v),
        ["lastPage"] = Text(MaxUrl, (r, v) => r.LastPage = v),
        ["createdFrom"] = Text(MaxText, (r, v) => r.CreatedFrom = v),
        ["integrationId"] = Text(MaxText, (r, v) => r.IntegrationId = v),
        ["notes"] = Text(MaxNotes, (r, v) => r.Notes = v),
        ["telegramId"] = Text(MaxText, (r, v) => r.TelegramId = v),
        ["facebookId"] = Text(MaxText, (r, v) => r.FacebookId = v),
        ["instagramId"] = Text(MaxText, (r, v) => r.InstagramId = v),
        ["viberId"] = Text(MaxText, (r, v) => r.ViberId = v),
        ["whatsappId"] = Text(MaxText, (r, v) => r.WhatsappId = v),
        ["firstSeen"] = Timestamp((r, v) => r.FirstSeen = v),
        ["lastSeen"] = Timestamp((r, v) => r.LastSeen = v),
        ["unsubscribed"] = Flag((r, v) => r.Unsubscribed = v),
        ["blocked"] = Flag((r, v) => r.Blocked = v),
        ["locale"] = Locale,
        ["location"] = Location,
        // HelpCrunch also takes the location members flat at the top level.
        ["city"] = Text(MaxText, (r, v) => r.City = v),
        ["regionCode"] = Text(MaxText, (r, v) => r.RegionCode = v),
        ["countryCode"] = Text(MaxText, (r, v) => r.CountryCode = v),
        ["tags"] = Tags,
        ["customData"] = CustomData,
    };

    /// <summary>Reads every known member of a body object; unknown members (and the read-only <c>id</c>, <c>device</c>) are ignored.</summary>
    public static List<Action<CustomerRecord>> Read(JsonElement body, string codePrefix, ErrorList errors)
    {
        var setters = new List<Action<CustomerRecord>>();
        foreach (var member in body.EnumerateObject())
        {
            if (Readers.TryGetValue(member.Name, out var reader) && reader(member.Value, errors.Code($"{codePrefix}{member.Name}"), errors) is { } setter)
            {
                setters.Add(setter);
            }
        }
        return setters;
    }

    private static Reader Text(int max, Action<CustomerRecord, string?> set) => (value, code, errors) =>
        Validation.TryReadText(value, code, max, errors, out var text) ? r => set(r, text) : null;

    private static Action<CustomerRecord>? Email(JsonElement value, string code, ErrorList errors)
    {
        if (!Validation.TryReadText(value, code, MaxText, errors, out var text))
        {
            return null;
        }
        // One real client sends "" when the caller gave no email.
        var email = string.IsNullOrEmpty(text) ? null : text;
        if (email is not null && !EmailPattern().IsMatch(email))
        {
            errors.Add(code, Validation.NotValidEmail);
            return null;
        }
        return r => r.Email = email;
    }

    private static Action<CustomerRecord>? UserId(JsonElement value, string code, ErrorList errors)
    {
        if (!Validation.TryReadText(value, code, MaxText, errors, out var text))
        {
            return null;
        }
        var userId = string.IsNullOrEmpty(text) ? null : text;
        return r => r.UserId = userId;
    }

    private static Reader Timestamp(Action<CustomerRecord, long?> set) => (value, code, errors) =>
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return r => set(r, null);
        }
        return Validation.TryReadWholeNumber(value, code, MaxTimestamp, errors, out var seconds) ? r => set(r, seconds) : null;
    };

    private static Reader Flag(Action<CustomerRecord, bool> set) => (value, code, errors) =>
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return r => set(r, true);
            case JsonValueKind.False:
            case JsonValueKind.Null:
                return r => set(r, false);
            default:
                errors.Add(code, Validation.OfType("bool"));
                return null;
        }
    };

    private static Action<CustomerRecord>? Locale(JsonElement value, string code, ErrorList errors)
    {
        if (!Validation.TryReadText(value, code, MaxText, errors, out var text))
        {
            return null;
        }
        if (text is not null && !Locales.IsValid(text))
        {
            errors.Add(code, Validation.NotValidLocale);
            return null;
        }
        return r => r.Locale = text;
    }

    private static Action<CustomerRecord>? Location(JsonElement value, string code, ErrorList errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return r => (r.City, r.RegionCode, r.CountryCode) = (null, null, null);
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(code, Validation.OfType("object"));
            return null;
        }
        var setters = new List<Action<CustomerRecord>>();
        foreach (var member in value.EnumerateObject())
        {
            Action<CustomerRecord, string?>? set = member.Name switch
            {
                "city" => (r, v) => r.City = v,
                "regionCode" => (r, v) => r.RegionCode = v,
                "countryCode" => (r, v) => r.CountryCode = v,
                _ => null,
            };
            if (set is not null && Text(MaxText, set)(member.Value, errors.Code($"{code}.{member.Name}"), errors) is { } setter)
            {
                setters.Add(setter);
            }
        }
        return r => setters.ForEach(s => s(r));
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
