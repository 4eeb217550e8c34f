using System.Text.Json;
using Clientele.Errors;

namespace Clientele.Customers;

internal static partial class CustomerFields
{
    private static Action<CustomerRecord>? Tags(JsonElement value, string code, ErrorList errors)
    {
        var tags = ReadTagList(value, code, errors);
        return tags is null ? null : r => r.Tags = [.. tags];
    }

    /// <summary>
    /// A list of <c>{name, color?}</c>: names are case-sensitive, and a name given twice counts once
    /// (its first occurrence wins).
    /// </summary>
    public static List<TagRecord>? ReadTagList(JsonElement value, string code, ErrorList errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(code, Validation.OfType("array"));
            return null;
        }
        var tags = new List<TagRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var errorCount = errors.Count;
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemCode = errors.Code($"{code}[{index}]");
            index++;
            if (ReadTag(item, itemCode, errors) is { } tag && seen.Add(tag.Name))
            {
                tags.Add(tag);
            }
        }
        if (tags.Count > MaxTags)
        {
            errors.Add(code, Validation.TooMany(MaxTags));
        }
        return errors.Count == errorCount ? tags : null;
    }

    private static TagRecord? ReadTag(JsonElement item, string code, ErrorList errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(code, Validation.OfType("object"));
            return null;
        }
        string? name = null;
        string? color = null;
        var valid = true;
        foreach (var member in item.EnumerateObject())
        {
            if (member.Name == "name")
            {
                valid &= ReadStrict(member.Value, errors.Code($"{code}.name"), MaxTagName, errors, out name);
            }
            else if (member.Name == "color")
            {
                valid &= ReadStrict(member.Value, errors.Code($"{code}.color"), MaxTagColor, errors, out color);
            }
        }
        if (valid && string.IsNullOrWhiteSpace(name))
        {
            errors.Add($"{code}.name", Validation.NotBlank);
            return null;
        }
        return valid ? new TagRecord(name!, string.IsNullOrEmpty(color) ? null : color) : null;
    }

    /// <summary>A JSON string (or null) and nothing else: tag names and colours are never numbers.</summary>
    private static bool ReadStrict(JsonElement value, string code, int max, ErrorList errors, out string? text)
    {
        text = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(code, Validation.OfType("string"));
            return false;
        }
        return Validation.TryReadText(value, code, max, errors, out text);
    }
}
