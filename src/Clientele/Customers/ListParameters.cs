using System.Globalization;
using System.Text.Json;
using Clientele.Errors;
using Clientele.Storage;

namespace Clientele.Customers;

/// <summary><c>sort</c>, <c>order</c>, <c>offset</c>, <c>limit</c> of spec §4, shared by list and search.</summary>
public static class ListParameters
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 100;

    private static readonly Dictionary<string, CustomerField> SortFields =
        Enum.GetValues<CustomerField>().ToDictionary(f => JsonNamingPolicy.CamelCase.ConvertName(f.ToString()), StringComparer.Ordinal);

    /// <summary>Reads the raw values; an empty value counts as absent (PHP clients send <c>sort=</c> for "none").</summary>
    public static (CustomerListQuery? Query, ErrorEnvelope? Error) Parse(string? sort, string? order, string? offset, string? limit)
    {
        var errors = new ErrorList();
        CustomerField? sortField = null;
        if (!string.IsNullOrEmpty(sort))
        {
            if (TryParseSort(sort, out var field))
            {
                sortField = field;
            }
            else
            {
                errors.Add("sort", "This value is not a valid sort field; use customers.<field>, e.g. customers.firstSeen.");
            }
        }

        var descending = false;
        if (!string.IsNullOrEmpty(order))
        {
            if (order.Equals("desc", StringComparison.OrdinalIgnoreCase))
            {
                descending = true;
            }
            else if (!order.Equals("asc", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("order", "The value you selected is not a valid choice; use asc or desc.");
            }
        }

        // Any offset is a page: past the end it is an empty one.
        var offsetValue = ReadInteger(offset, "offset", 0, 0, long.MaxValue, Validation.AtLeast(0), errors);
        var limitValue = (int)ReadInteger(limit, "limit", DefaultLimit, 1, MaxLimit, $"This value should be between 1 and {MaxLimit}.", errors);
        return errors.Count > 0
            ? (null, errors.ToEnvelope())
            : (new CustomerListQuery(sortField, descending, offsetValue, limitValue), null);
    }

    /// <summary><c>customers.firstSeen</c>; also the singular <c>customer.firstSeen</c> that one real client sends.</summary>
    private static bool TryParseSort(string sort, out CustomerField field)
    {
        field = default;
        var name = sort.StartsWith("customers.", StringComparison.Ordinal) ? sort["customers.".Length..]
            : sort.StartsWith("customer.", StringComparison.Ordinal) ? sort["customer.".Length..]
            : null;
        return name is not null && SortFields.TryGetValue(name, out field);
    }

    private static long ReadInteger(string? raw, string code, long fallback, long min, long max, string rangeMessage, ErrorList errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }
        if (!Validation.TryParseInteger(raw, NumberStyles.AllowLeadingSign, out var value))
        {
            errors.Add(code, Validation.OfType("integer"));
            return fallback;
        }
        if (value < min || value > max)
        {
            errors.Add(code, rangeMessage);
            return fallback;
        }
        return value;
    }
}
