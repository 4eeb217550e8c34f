using System.Text.Json;
using Clientele.Errors;

namespace Clientele.Customers;

internal static partial class CustomerFields
{
    /// <summary>
    /// <c>customData</c> comes as HelpCrunch's <c>[{"property","value"}]</c> list or as a plain object. Values are
    /// scalars kept as raw JSON, so a number comes back exactly as it was sent. A <c>null</c> value removes
    /// the property (PATCH merges; PUT and create start from an empty set, so there it simply leaves it out).
    /// </summary>
    private static Action<CustomerRecord>? CustomData(JsonElement value, string code, ErrorList errors)
    {
        var errorCount = errors.Count;
        var entries = new List<(string Property, string? RawJson)>();
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return r => r.CustomData = [];
            case JsonValueKind.Object:
                foreach (var member in value.EnumerateObject())
                {
                    var memberCode = errors.Code($"{code}.{member.Name}");
                    if (CheckProperty(member.Name, memberCode, errors) && TryReadScalar(member.Value, memberCode, errors, out var raw))
                    {
                        entries.Add((member.Name, raw));
                    }
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    ReadListItem(item, errors.Code($"{code}[{index}]"), errors, entries);
                    index++;
                }
                break;
            default:
                errors.Add(code, Validation.OfType("object"));
                return null;
        }
        if (entries.Count > MaxCustomData)
        {
            errors.Add(code, Validation.TooMany(MaxCustomData));
        }
        if (errors.Count != errorCount)
        {
            return null;
        }
        return r => Merge(r.CustomData, entries);
    }

    private static void ReadListItem(JsonElement item, string code, ErrorList errors, List<(string, string?)> entries)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(code, Validation.OfType("object"));
            return;
        }
        string? property = null;
        string? raw = null;
        var valid = true;
        foreach (var member in item.EnumerateObject())
        {
            if (member.Name == "property")
            {
                property = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
                if (property is null)
                {
                    errors.Add($"{code}.property", Validation.OfType("string"));
                    valid = false;
                }
            }
            else if (member.Name == "value")
            {
                valid &= TryReadScalar(member.Value, errors.Code($"{code}.value"), errors, out raw);
            }
        }
        if (valid && CheckProperty(property, errors.Code($"{code}.property"), errors))
        {
            entries.Add((property!, raw));
        }
    }

    private static bool CheckProperty(string? property, string code, ErrorList errors)
    {
        if (string.IsNullOrWhiteSpace(property))
        {
            errors.Add(code, Validation.NotBlank);
            return false;
        }
        return Validation.CheckNoNul(property, code, errors) && Validation.CheckLength(property, code, MaxCustomDataProperty, errors);
    }

    private static bool TryReadScalar(JsonElement value, string code, ErrorList errors, out string? raw)
    {
        raw = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (!Validation.CheckNoNul(text, code, errors) || !Validation.CheckLength(text, code, MaxCustomDataText, errors))
                {
                    return false;
                }
                break;
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                break;
            default:
                errors.Add(code, Validation.OfType("scalar"));
                return false;
        }
        raw = value.GetRawText();
        return true;
    }

    private static void Merge(List<CustomDataEntry> current, List<(string Property, string? RawJson)> changes)
    {
        foreach (var (property, raw) in changes)
        {
            var at = current.FindIndex(e => e.Property == property);
            if (raw is null)
            {
                if (at >= 0)
                {
                    current.RemoveAt(at);
                }
            }
            else if (at >= 0)
            {
                current[at] = new CustomDataEntry(property, raw);
            }
            else
            {
                current.Add(new CustomDataEntry(property, raw));
            }
        }
    }
}
