using System.Globalization;
using System.Text.Json;
using Clientele.Customers;
using Clientele.Errors;

namespace Clientele.Search;

/// <summary>One <c>filter</c> clause: its field, its operator as the field's type allows, and its value.</summary>
public static partial class SearchRequest
{
    private static FilterClause? ReadClause(JsonElement item, string code, ErrorList errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(code, Validation.OfType("object"));
            return null;
        }
        if (!item.TryGetProperty("field", out var fieldValue) || fieldValue.ValueKind is JsonValueKind.Null
            || fieldValue.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(fieldValue.GetString()))
        {
            errors.Add($"{code}.field", Validation.NotBlank);
            return null;
        }
        if (fieldValue.ValueKind != JsonValueKind.String || fieldValue.GetString() is not { } field)
        {
            errors.Add($"{code}.field", Validation.OfType("string"));
            return null;
        }
        var name = field.StartsWith("customers.", StringComparison.Ordinal) ? field["customers.".Length..] : null;
        var op = item.TryGetProperty("operator", out var opValue) && opValue.ValueKind == JsonValueKind.String
            && Operators.TryGetValue(opValue.GetString()!, out var parsed) ? parsed : (FilterOperator?)null;
        item.TryGetProperty("value", out var value);

        if (name == "tagsData")
        {
            return CheckOperator(op, [FilterOperator.Equal], code, errors) ? ReadTags(value, $"{code}.value", errors) : null;
        }
        if (name is not null && name.StartsWith("customData.", StringComparison.Ordinal) && name.Length > "customData.".Length)
        {
            if (!Validation.CheckNoNul(name, $"{code}.field", errors))
            {
                return null;
            }
            return ReadCustomData(name["customData.".Length..], op, value, code, errors);
        }
        if (name is null || !Fields.TryGetValue(name, out var customerField))
        {
            errors.Add($"{code}.field", "This field is not searchable.");
            return null;
        }
        var type = customerField.Kind();
        var allowed = type switch
        {
            CustomerFieldKind.Identifier or CustomerFieldKind.Date => Ordering,
            CustomerFieldKind.Text => Textual,
            _ => Equality,
        };
        if (!CheckOperator(op, allowed, code, errors))
        {
            return null;
        }
        return TryReadValue(value, type, op!.Value, $"{code}.value", errors, out var scalar)
            ? new FieldClause(customerField, op.Value, scalar)
            : null;
    }

    private static bool CheckOperator(FilterOperator? op, FilterOperator[] allowed, string code, ErrorList errors)
    {
        if (op is { } o && allowed.Contains(o))
        {
            return true;
        }
        errors.Add($"{code}.operator", "The value you selected is not a valid choice.");
        return false;
    }

    /// <summary>Null compares with <c>=</c>/<c>!=</c> only; a substring test needs a string.</summary>
    private static bool TryReadValue(JsonElement value, CustomerFieldKind type, FilterOperator op, string code, ErrorList errors, out object? scalar)
    {
        scalar = null;
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            if (op is FilterOperator.Equal or FilterOperator.NotEqual)
            {
                return true;
            }
            errors.Add(code, Validation.NotBlank);
            return false;
        }
        switch (type)
        {
            case CustomerFieldKind.Identifier:
                var raw = value.ValueKind switch
                {
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.String => value.GetString(),
                    _ => null,
                };
                if (!Validation.TryParseInteger(raw, NumberStyles.AllowLeadingSign, out var id))
                {
                    errors.Add(code, Validation.OfType("integer"));
                    return false;
                }
                scalar = id;
                return true;
            case CustomerFieldKind.Date:
                if (!Validation.TryReadWholeNumber(value, code, CustomerFields.MaxTimestamp, errors, out var seconds))
                {
                    return false;
                }
                scalar = seconds;
                return true;
            case CustomerFieldKind.Flag:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add(code, Validation.OfType("bool"));
                    return false;
                }
                scalar = value.GetBoolean();
                return true;
            default:
                if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                {
                    errors.Add(code, Validation.OfType("string"));
                    return false;
                }
                if (!Validation.TryReadText(value, code, MaxValueLength, errors, out var text))
                {
                    return false;
                }
                scalar = CaseFolding.Fold(text);
                return true;
        }
    }

    private static TagsClause? ReadTags(JsonElement value, string code, ErrorList errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(code, Validation.OfType("array"));
            return null;
        }
        if (value.GetArrayLength() > MaxTagNames)
        {
            errors.Add(code, Validation.TooMany(MaxTagNames));
            return null;
        }
        var names = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemCode = $"{code}[{index++}].name";
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var name)
                || name.ValueKind != JsonValueKind.String || name.GetString() is not { } text || string.IsNullOrWhiteSpace(text))
            {
                errors.Add(itemCode, Validation.NotBlank);
                continue;
            }
            if (!Validation.CheckNoNul(text, itemCode, errors) || !Validation.CheckLength(text, itemCode, MaxValueLength, errors))
            {
                continue;
            }
            names.Add(text);
        }
        return new TagsClause(names);
    }

    /// <summary><c>customers.customData.&lt;property&gt;</c>: the JSON type of the value picks the comparison and its operators.</summary>
    private static CustomDataClause? ReadCustomData(string property, FilterOperator? op, JsonElement value, string code, ErrorList errors)
    {
        var allowed = value.ValueKind switch
        {
            JsonValueKind.String => Textual,
            JsonValueKind.Number => Ordering,
            JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined => Equality,
            _ => null,
        };
        if (allowed is null)
        {
            errors.Add($"{code}.value", Validation.OfType("scalar"));
            return null;
        }
        if (!CheckOperator(op, allowed, code, errors))
        {
            return null;
        }
        object? scalar = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                if (!Validation.TryReadText(value, $"{code}.value", MaxValueLength, errors, out var text))
                {
                    return null;
                }
                scalar = CaseFolding.Fold(text);
                break;
            case JsonValueKind.Number:
                if (!double.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                {
                    errors.Add($"{code}.value", Validation.OfType("numeric"));
                    return null;
                }
                scalar = number;
                break;
            case JsonValueKind.True or JsonValueKind.False:
                scalar = value.GetBoolean();
                break;
        }
        return new CustomDataClause(property, op!.Value, scalar);
    }
}
